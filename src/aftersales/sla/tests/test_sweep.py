"""The sweep: every warning, breach and escalation step handled exactly once — however often
it runs, and (on PostgreSQL) with two sweeps racing on separate connections."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open, case_post_message
from aftersales.cases.models import Case, CaseEntry
from aftersales.core.tests.factories import CustomerFactory, IdentityFactory, TeamFactory, UserFactory
from aftersales.sla.models import CaseClock, SlaMilestone, SlaNotification
from aftersales.sla.sweep import sla_sweep

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def urgent_case(team, assignee, when: str = "2025-03-03 09:00") -> Case:
    return case_open(customer=CustomerFactory(), subject="Fridge is warm", body="Since this morning.", actor=None,
                     severity="urgent", team=team, assignee=assignee, at=at(when))


@pytest.fixture
def people():
    lead = UserFactory(role=Role.SUPERVISOR, username="lead", language="zh-hans")
    team = TeamFactory(code="fridges", name="Fridges", lead=lead)
    agent = UserFactory(role=Role.AGENT, username="agent", teams=[team])
    return team, lead, agent


def events(case: Case) -> Counter:
    return Counter(CaseEntry.objects.filter(case=case, event__startswith="sla_").values_list("event", flat=True))


@pytest.mark.django_db
def test_an_urgent_case_climbs_the_ladder_once(people, django_capture_on_commit_callbacks):
    team, lead, agent = people
    case = urgent_case(team, agent)
    # at 12:00 the first response (60 min, round the clock) warned at 09:48 and breached at 10:00
    with django_capture_on_commit_callbacks(execute=True):
        result = sla_sweep(now=at("2025-03-03 12:00"))
    assert result.milestones == 5  # start step, warning, warning step, breach, breach step
    assert events(case) == {"sla_warning": 1, "sla_breached": 1, "sla_escalated": 3}
    notes = SlaNotification.objects.filter(case=case).order_by("id")
    # the lead at once (urgent: escalated at once to a lead), the assignee at the warning, the lead at the breach
    assert [(n.user.username, n.kind, n.metric) for n in notes] == [
        ("lead", "escalation", "first_response"), ("agent", "warning", "first_response"),
        ("lead", "breach", "first_response")]
    assert sorted(m.to[0] for m in mail.outbox) == ["agent@example.com", "lead@example.com", "lead@example.com"]
    assert all(n.emailed_at is not None for n in notes.all())
    # the lead reads in Simplified Chinese, the agent in English
    for m in mail.outbox:
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in m.subject + m.body)
        assert chinese == (m.to == ["lead@example.com"]), m.subject
    first = CaseClock.objects.get(case=case, metric="first_response")
    assert first.breached_at is not None and first.warned_at is not None

    # sweeping again, now and later, adds nothing
    for when in ("2025-03-03 12:00", "2025-03-03 12:05", "2025-03-03 13:59"):
        with django_capture_on_commit_callbacks(execute=True):
            assert sla_sweep(now=at(when)).milestones == 0
    assert len(mail.outbox) == 3 and SlaNotification.objects.count() == 3

    # four business hours after the breach (14:00) the case moves to the supervisors' queue
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep(now=at("2025-03-03 14:00")).milestones == 1
    case.refresh_from_db()
    assert (case.team.code, case.assignee) == ("supervisors", None)
    assert events(case)["sla_escalated"] == 4


@pytest.mark.django_db
def test_a_reply_before_the_due_instant_means_no_breach(people):
    team, lead, agent = people
    case = urgent_case(team, agent)
    case_post_message(case=case, actor=agent, body="Checking the thermostat.", public=True,
                      at=at("2025-03-03 09:20"))
    sla_sweep(now=at("2025-03-03 12:00"))
    # the first response stopped at 09:20, before a sweep came by: nothing of its ladder is left
    # to do (not even the "at once" note to the lead, which a sweep every minute sends at 09:01);
    # the resolution clock (480 min on working hours) warns only at 16:54
    assert events(case) == {}
    assert SlaMilestone.objects.filter(clock__case=case).count() == 0
    assert CaseClock.objects.get(case=case, metric="resolution").next_check_at == at("2025-03-03 16:54")


@pytest.mark.django_db
def test_a_paused_clock_never_breaches_while_paused(people):
    team, lead, agent = people
    case = urgent_case(team, agent)
    case_post_message(case=case, actor=agent, body="Send the model number, please.", public=True,
                      at=at("2025-03-03 09:10"))
    from aftersales.cases.actions import case_change_status

    case_change_status(case=case, target="waiting_customer", actor=agent, at=at("2025-03-03 09:30"))
    sla_sweep(now=at("2025-03-10 09:00"))  # a week later, still waiting
    assert "sla_breached" not in events(case)
    resolution = CaseClock.objects.get(case=case, metric="resolution")
    assert resolution.next_check_at is None and resolution.paused_since is not None


@pytest.mark.django_db
def test_a_major_case_sends_the_customer_one_progress_update_per_interval(django_capture_on_commit_callbacks):
    customer = CustomerFactory(language="ko", name="김민준")
    IdentityFactory(customer=customer, kind="email", value="minjun@example.com", is_primary=True)
    case = case_open(customer=customer, subject="화재 위험", body="타는 냄새가 나요.", actor=None, severity="major",
                     at=at("2025-03-03 09:00"))
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            sla_sweep(now=at("2025-03-03 13:05"))
    updates = [m for m in mail.outbox if m.to == ["minjun@example.com"]]
    assert len(updates) == 1 and case.number in updates[0].subject
    assert "진행" in updates[0].subject  # in the customer's language
    progress = CaseEntry.objects.get(case=case, event="sla_progress_update")
    assert progress.is_public
    # the next interval runs from the update: due 17:05
    nxt = CaseClock.objects.get(case=case, metric="progress_update", stopped_at__isnull=True)
    assert nxt.due_at == at("2025-03-03 17:05")


def _ship_sla_data() -> None:
    """A transactional test before this one may have flushed the tables, shipped rows included:
    put the shipped calendars, teams and policies back as their migrations write them."""
    from importlib import import_module

    from django.apps import apps

    for name in ("0002_shipped_calendars", "0004_shipped_policies"):
        import_module(f"aftersales.sla.migrations.{name}").forwards(apps, None)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_handle_each_milestone_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's; SQLite serialises writers (run on PostgreSQL)")
    _ship_sla_data()
    lead = UserFactory(role=Role.SUPERVISOR, username="lead", language="zh-hans")
    team = TeamFactory(code="fridges", name="Fridges", lead=lead)
    agent = UserFactory(role=Role.AGENT, username="agent", teams=[team])
    cases = [urgent_case(team, agent) for _ in range(60)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        from django.db import connections

        try:
            barrier.wait()
            results.append(sla_sweep(now=at("2025-03-03 12:00"), batch=7))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 2
    assert sum(r.milestones for r in results) == 5 * len(cases)
    for case in cases:
        assert events(case) == {"sla_warning": 1, "sla_breached": 1, "sla_escalated": 3}
    per_person = Counter(SlaNotification.objects.values_list("milestone_id", "user_id"))
    assert len(per_person) == 3 * len(cases) and set(per_person.values()) == {1}
    assert SlaMilestone.objects.count() == 5 * len(cases)
    # each notification was e-mailed once, whichever sweep's mail job claimed it
    assert len(mail.outbox) == 3 * len(cases)
    assert SlaNotification.objects.filter(emailed_at__isnull=True).count() == 0
