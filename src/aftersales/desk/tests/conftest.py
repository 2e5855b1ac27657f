from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def team():
    return TeamFactory(code="desk", name="Desk team")


@pytest.fixture
def other_team():
    return TeamFactory(code="elsewhere", name="Elsewhere")


@pytest.fixture
def agent(team):
    return UserFactory(role=Role.AGENT, teams=[team], display_name="Ada Agent")


@pytest.fixture
def technician(team):
    return UserFactory(role=Role.TECHNICIAN, teams=[team], display_name="Tom Technician")


@pytest.fixture
def supervisor():
    return UserFactory(role=Role.SUPERVISOR)


@pytest.fixture
def customer_user():
    return CustomerUserFactory()


# ---- SLA: one round-the-clock policy that every case in a test gets ---------------------------

ANSWER_MINUTES = 600  # first response: 10 h
RESOLVE_MINUTES = 3000  # resolution: 2 d 2 h


@pytest.fixture
def sla_policy():
    """A 24×7 UTC calendar (business minutes are wall-clock minutes) and a policy tried before
    the shipped ones: answer in 10 h, resolve in 2 d 2 h, warn at 80 %, and at the breach
    notify the assignee. Made here, so browser tests (whose database is flushed) have it too."""
    from aftersales.sla.models import BusinessCalendar, EscalationStep, SlaPolicy, SlaPolicyName, SlaTarget

    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    calendar = BusinessCalendar.objects.create(code="desk-test-24x7", time_zone="UTC",
                                               weekly_hours={d: [["00:00", "24:00"]] for d in days})
    policy = SlaPolicy.objects.create(code="desk-test", position=0, warning_percent=80)
    SlaPolicyName.objects.bulk_create([
        SlaPolicyName(policy=policy, language="en", name="Desk test: answer in 10 h"),
        SlaPolicyName(policy=policy, language="zh-hans", name="测试：10 小时内答复"),
        SlaPolicyName(policy=policy, language="ko", name="테스트: 10시간 내 답변")])
    SlaTarget.objects.create(policy=policy, metric="first_response", minutes=ANSWER_MINUTES, calendar=calendar)
    SlaTarget.objects.create(policy=policy, metric="resolution", minutes=RESOLVE_MINUTES, calendar=calendar)
    EscalationStep.objects.create(policy=policy, trigger="breach", delay_minutes=0, action="notify_assignee")
    return policy


def opened_ago(minutes: float, *, team, subject: str = "Washer will not spin", **kw):
    """A case opened through `case_open` `minutes` ago (its clocks started then).

    Time left is counted in whole minutes, rounded down, at the moment the page is drawn:
    open a case with a running clock half a minute later than the round figure (e.g.
    `opened_ago(30 - 0.5)`), and an overdue one exactly on it, so the figure a test expects
    holds for the next 30 seconds."""
    from datetime import timedelta

    from django.utils import timezone

    from aftersales.cases.actions import case_open
    from aftersales.core.tests.factories import CustomerFactory

    return case_open(customer=kw.pop("customer", None) or CustomerFactory(), subject=subject, body="It stops.",
                     actor=None, team=team, at=timezone.now() - timedelta(minutes=minutes), **kw)


class _Badges(HTMLParser):
    """Collects every SLA badge: its state and the words a sighted reader sees (the icon and
    the screen-reader words left out) and those a screen reader hears (icon left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []
        self._stack: list[str] = []  # per open span inside a badge: "badge", "icon", "sr" or ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "sla-badge" in classes:
            self.found.append({"state": attrs.get("data-sla-state", ""), "seen": "", "heard": "",
                               "title": attrs.get("title") or ""})
            self._stack = ["badge"]
        elif self._stack and tag == "span":
            self._stack.append("icon" if "sla-icon" in classes else "sr" if "sr-only" in classes else "")

    def handle_endtag(self, tag):
        if self._stack and tag == "span":
            self._stack.pop()

    def handle_data(self, data):
        if not self._stack:
            return
        badge = self.found[-1]
        if "icon" not in self._stack:
            badge["heard"] += data
            if "sr" not in self._stack:
                badge["seen"] += data


def sla_badges(html: str) -> list[dict[str, str]]:
    parser = _Badges()
    parser.feed(html)
    for badge in parser.found:
        badge["seen"] = " ".join(badge["seen"].split())
        badge["heard"] = " ".join(badge["heard"].split())
    return parser.found
