"""The queue's "Due soonest" sort and the "At risk" queue: what they hold, in which order,
their count, and that saved views keep them."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.models import Status
from aftersales.core.tests.factories import CaseFactory, UserFactory
from aftersales.desk import views
from aftersales.desk.models import SavedView
from aftersales.desk.selectors_sla import at_risk_count
from aftersales.desk.tests.conftest import HTMX, client_for, opened_ago

pytestmark = pytest.mark.django_db


def _subjects(response) -> list[str]:
    return [c.subject for c in response.context["cases"]]


@pytest.fixture
def cases(sla_policy, team, other_team, agent):
    """Open cases of the agent's team due at different times, and some that are never at risk."""
    made = {
        "due in 5 h": opened_ago(300 - 0.5, team=team, subject="due in 5 h"),
        "overdue 35 min": opened_ago(635, team=team, subject="overdue 35 min"),
        "due in 1 h 59": opened_ago(481 - 0.5, team=team, subject="due in 1 h 59"),
        "due in 2 h 1": opened_ago(479 - 0.5, team=team, subject="due in 2 h 1"),
        "overdue 2 h": opened_ago(720, team=team, subject="overdue 2 h"),
        "no clock": CaseFactory(team=team, status=Status.OPEN, subject="no clock"),
        "paused": opened_ago(700, team=team, subject="paused"),
        "resolved": opened_ago(700, team=team, subject="resolved"),
        "other team": opened_ago(700, team=other_team, subject="other team"),
    }
    actions.case_change_status(case=made["paused"], target=Status.WAITING_CUSTOMER, actor=agent)
    actions.case_change_status(case=made["resolved"], target=Status.RESOLVED, actor=agent)
    return made


def test_due_soonest_orders_by_the_soonest_due_clock_and_cases_without_one_last(cases, agent):
    response = client_for(agent).get("/desk/", {"view": "teams", "sort": "due"})
    assert _subjects(response) == ["overdue 2 h", "overdue 35 min", "due in 1 h 59", "due in 2 h 1", "due in 5 h",
                                   "no clock", "paused"]
    assert '<option value="due" selected>Due soonest</option>' in response.content.decode()


def test_due_soonest_pages_on_in_the_same_order(cases, agent, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client = client_for(agent)
    first = client.get("/desk/", {"view": "teams", "sort": "due"})
    assert _subjects(first) == ["overdue 2 h", "overdue 35 min", "due in 1 h 59"]
    assert "sort=due" in first.context["next_url"]
    second = client.get("/desk/" + first.context["next_url"])
    assert _subjects(second) == ["due in 2 h 1", "due in 5 h", "no clock"]


def test_the_at_risk_queue_holds_open_cases_overdue_or_due_within_two_hours_soonest_first(cases, agent):
    response = client_for(agent).get("/desk/", {"view": "at_risk"})
    assert response.context["current"].key == "at_risk"
    assert _subjects(response) == ["overdue 2 h", "overdue 35 min", "due in 1 h 59"]
    html = response.content.decode()
    assert "<h1>At risk</h1>" in html
    assert '<option value="due" selected>Due soonest</option>' in html  # its own order shows as chosen
    assert '<span class="count risk" data-queue="at_risk">3</span>' in html


def test_the_at_risk_queue_still_takes_filters_and_another_sort(cases, agent):
    client = client_for(agent)
    assert _subjects(client.get("/desk/", {"view": "at_risk", "sort": "recent"})) == [
        "due in 1 h 59", "overdue 35 min", "overdue 2 h"]  # the most recently opened first
    assert _subjects(client.get("/desk/", {"view": "at_risk", "status": "waiting_customer"})) == []
    assert _subjects(client.get("/desk/", {"view": "at_risk", "sort": "sideways"})) == [
        "overdue 2 h", "overdue 35 min", "due in 1 h 59"]


def test_a_supervisor_sees_every_teams_cases_at_risk(cases, supervisor):
    response = client_for(supervisor).get("/desk/", {"view": "at_risk"})
    assert _subjects(response) == ["overdue 2 h", "other team", "overdue 35 min", "due in 1 h 59"]
    counts = {q["key"]: q["count"] for q in response.context["queues"]}
    assert counts["at_risk"] == 4


def test_the_count_follows_what_the_person_may_see(cases, team, agent, other_team):
    stranger = UserFactory(role=Role.AGENT, teams=[other_team])
    mine_elsewhere = opened_ago(700, team=other_team, subject="mine elsewhere", assignee=agent)
    now = timezone.now()
    assert at_risk_count(user=agent, now=now) == 4  # three of the team's and the one assigned to them
    assert at_risk_count(user=stranger, now=now) == 2
    assert mine_elsewhere.pk in {c.pk for c in client_for(agent).get("/desk/", {"view": "at_risk"}).context["cases"]}


def test_the_count_stops_at_its_cap(cases, agent, supervisor):
    now = timezone.now()
    assert at_risk_count(user=agent, now=now, cap=2) == 2
    assert at_risk_count(user=supervisor, now=now, cap=2) == 2
    assert at_risk_count(user=supervisor, now=now, cap=10) == 4


def test_nothing_at_risk_shows_a_plain_zero(team, agent):
    html = client_for(agent).get("/desk/").content.decode()
    assert '<span class="count" data-queue="at_risk">0</span>' in html


def test_the_refresh_fragment_carries_the_at_risk_count(cases, agent):
    html = client_for(agent).get("/desk/", {"view": "at_risk"}, **HTMX).content.decode()
    assert 'hx-swap-oob="true"' in html
    assert '<span class="count risk" data-queue="at_risk">3</span>' in html


@pytest.mark.parametrize(("posted", "saved"), [
    ({"view": "open", "sort": "due"}, {"view": "open", "sort": "due"}),
    ({"view": "at_risk"}, {"view": "at_risk"}),
    ({"view": "at_risk", "sort": "due"}, {"view": "at_risk"}),  # its own order is not written out
    ({"view": "at_risk", "sort": "oldest"}, {"view": "at_risk", "sort": "oldest"}),
    ({"view": "open", "sort": "recent"}, {"view": "open"}),
])
def test_saved_views_keep_the_sort(cases, agent, posted, saved):
    client = client_for(agent)
    response = client.post("/desk/views/", {"name": "Mine", **posted})
    assert response.status_code == 302
    assert SavedView.objects.get(user=agent).query == saved
    page = client.get(response["Location"])
    assert page.context["saved_as"] == "Mine"


def test_a_saved_due_soonest_view_lists_in_due_order(cases, agent):
    client = client_for(agent)
    client.post("/desk/views/", {"name": "Due first", "view": "teams", "sort": "due"})
    page = client.get("/desk/", {"view": "teams"})
    link = next(v["url"] for v in page.context["saved_views"] if v["name"] == "Due first")
    assert _subjects(client.get("/desk/" + link))[:2] == ["overdue 2 h", "overdue 35 min"]


def test_the_sidebar_lists_the_at_risk_queue_second(team, agent):
    html = client_for(agent).get("/desk/").content.decode()
    nav = html[html.index('id="queue-nav"'):html.index("</nav>", html.index('id="queue-nav"'))]
    assert re.findall(r'data-queue="([a-z_]+)"', nav) == ["mine", "at_risk", "teams", "unassigned", "waiting",
                                                          "open", "closed"]
