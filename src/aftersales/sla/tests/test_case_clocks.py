"""Exact due instants of the clocks a case gets through the real case actions: opened,
answered, paused, re-targeted and reopened (decision 0018). All times Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_change_status, case_open, case_post_message, case_set_fields
from aftersales.cases.models import NO_DUE, Case
from aftersales.core.tests.factories import CustomerFactory, UserFactory
from aftersales.sla.calendar import add_business_minutes
from aftersales.sla.models import BusinessCalendar, CaseClock, ClockState, SlaPause, SlaPolicy, SlaTarget

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def iso(value: datetime | None) -> str | None:
    return value.astimezone(SHANGHAI).isoformat() if value else None


def live(case: Case) -> dict[str, CaseClock]:
    return {c.metric: c for c in CaseClock.objects.filter(case=case, stopped_at__isnull=True)}


@pytest.fixture
def agent():
    return UserFactory(role=Role.AGENT)


def open_case(when: str, **kw) -> Case:
    return case_open(customer=CustomerFactory(), subject="Washer will not drain", body="It stops mid-cycle.",
                     actor=None, at=at(when), **kw)


# ---- due instants on the shipped calendars -----------------------------------------------------

def test_a_friday_21_30_phone_case_is_due_saturday_on_the_every_day_hotline():
    # given the shipped phone policy: first response within 4 business hours on cn-hotline (08:00–22:00 daily)
    case = open_case("2025-03-07 21:30", channel="phone")
    clock = live(case)["first_response"]
    # then 30 minutes count on Friday night and 3½ hours from 08:00 on Saturday
    assert clock.policy.code == "phone"
    assert iso(clock.due_at) == "2025-03-08T11:30:00+08:00"
    assert iso(clock.warn_at) == "2025-03-08T10:42:00+08:00"  # 80 % of 240 = 192 min
    assert case.sla_due_at == clock.due_at


def test_a_friday_21_30_phone_case_is_due_monday_on_a_weekday_hotline():
    # given the phone policy's first-response target moved to a Monday–Friday 08:00–22:00 calendar
    weekdays = BusinessCalendar.objects.create(
        code="weekday-hotline", time_zone="Asia/Shanghai",
        weekly_hours={d: ([["08:00", "22:00"]] if d not in ("sat", "sun") else [])
                      for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    SlaTarget.objects.filter(policy__code="phone", metric="first_response").update(calendar=weekdays)
    case = open_case("2025-03-07 21:30", channel="phone")
    # then the weekend does not count: due Monday 11:30
    assert iso(live(case)["first_response"].due_at) == "2025-03-10T11:30:00+08:00"


def test_a_case_opened_before_national_day_counts_the_make_up_sunday_and_skips_the_holiday():
    # given an ordinary portal case (standard policy on cn-workday: 450 min to answer, 2250 to resolve)
    # opened on Friday 2025-09-26 at 17:00
    case = open_case("2025-09-26 17:00")
    clocks = live(case)
    # then the first response gets 60 min on Friday, none on Saturday, and 390 on the make-up
    # working Sunday 09-28 (180 before lunch, 210 after 13:30)
    assert iso(clocks["first_response"].due_at) == "2025-09-28T17:00:00+08:00"
    # and the resolution: 60 (09-26) + 450 × 3 (09-28, 09-29, 09-30), nothing 10-01…10-08 (National
    # Day and Mid-Autumn), 450 on 10-09, the last 390 on Friday 10-10
    assert iso(clocks["resolution"].due_at) == "2025-10-10T17:00:00+08:00"


def test_a_lunch_break_splits_the_time():
    # given an ordinary case opened on Tuesday 2025-03-04 at 11:30 (first response: 450 min on cn-workday)
    clock = live(open_case("2025-03-04 11:30"))["first_response"]
    # then 30 min before lunch, 270 from 13:30 to 18:00, and 150 from 09:00 the next day
    assert iso(clock.due_at) == "2025-03-05T11:30:00+08:00"
    # and the warning at 360 min: 300 on Tuesday, 60 on Wednesday
    assert iso(clock.warn_at) == "2025-03-05T10:00:00+08:00"


# ---- stopping, pausing, re-targeting, reopening --------------------------------------------------

def test_the_first_public_staff_reply_stops_the_first_response_clock(agent):
    case = open_case("2025-03-04 11:30")
    case_post_message(case=case, actor=agent, body="Noted internally.", public=False, at=at("2025-03-04 12:00"))
    assert "first_response" in live(case)  # an internal note is not a response
    case_post_message(case=case, actor=agent, body="We are on it.", public=True, at=at("2025-03-04 14:00"))
    stopped = CaseClock.objects.get(case=case, metric="first_response")
    assert (stopped.state, iso(stopped.stopped_at)) == (ClockState.MET, "2025-03-04T14:00:00+08:00")
    # the customer's answer starts a next-response clock; the next staff reply stops it
    case_post_message(case=case, actor=None, from_customer=True, body="Thanks, when?", public=True,
                      at=at("2025-03-04 15:00"))
    assert iso(live(case)["next_response"].due_at) == "2025-03-05T15:00:00+08:00"  # 180 + 270 = 450 min
    case_post_message(case=case, actor=agent, body="Tomorrow.", public=True, at=at("2025-03-04 16:00"))
    assert set(live(case)) == {"resolution"}


def test_three_days_waiting_on_the_customer_move_the_resolution_due_by_exactly_the_paused_time(agent):
    # given an ordinary case opened on Monday 2025-03-03 09:00: 2250 business minutes to resolve
    case = open_case("2025-03-03 09:00")
    cal = live(case)["resolution"].calendar.engine()
    before = live(case)["resolution"].due_at
    assert iso(before) == "2025-03-07T18:00:00+08:00"  # five full working days
    case_post_message(case=case, actor=agent, body="Please send a photo of the label.", public=True,
                      at=at("2025-03-03 10:00"))
    # when the case waits on the customer from Tuesday 10:00 to Friday 10:00
    case_change_status(case=case, target="waiting_customer", actor=agent, at=at("2025-03-04 10:00"))
    paused = live(case)["resolution"]
    assert (paused.state, paused.due_at, iso(paused.paused_since)) == (
        ClockState.PAUSED, None, "2025-03-04T10:00:00+08:00")
    assert Case.objects.get(pk=case.pk).sla_due_at == NO_DUE  # nothing running: last under "due soonest"
    case_post_message(case=case, actor=None, from_customer=True, body="Here it is.", public=True,
                      at=at("2025-03-07 10:00"))
    # then the pause is recorded: Tue 10:00–18:00 less lunch (390) + Wed (450) + Thu (450) + Fri 09–10 (60)
    pause = SlaPause.objects.get(clock__case=case, clock__metric="resolution")
    assert (pause.status, pause.minutes, iso(pause.ended_at)) == ("waiting_customer", 1350,
                                                                  "2025-03-07T10:00:00+08:00")
    after = live(case)["resolution"]
    assert after.state == ClockState.RUNNING and after.paused_minutes == 1350
    # and the due instant moved by exactly those business minutes: Wednesday 03-12 18:00
    assert after.due_at == add_business_minutes(cal, before, 1350)
    assert iso(after.due_at) == "2025-03-12T18:00:00+08:00"


def test_a_severity_change_recomputes_every_clock_from_the_open_time(agent):
    # given an ordinary case opened on Monday 2025-03-03 09:00 (standard: resolve in 2250 min)
    case = open_case("2025-03-03 09:00")
    assert iso(live(case)["resolution"].due_at) == "2025-03-07T18:00:00+08:00"
    # when it turns urgent at 11:00
    case_set_fields(case=case, actor=agent, severity="urgent", at=at("2025-03-03 11:00"))
    clocks = live(case)
    # then the urgent policy's targets count from 09:00, not from the change: first response
    # 60 min round the clock (already overdue at 11:00), resolution 480 min on cn-workday
    assert {c.policy.code for c in clocks.values()} == {"urgent"}
    assert iso(clocks["first_response"].due_at) == "2025-03-03T10:00:00+08:00"
    assert iso(clocks["resolution"].due_at) == "2025-03-04T09:30:00+08:00"  # 180 + 270 + 30
    assert Case.objects.get(pk=case.pk).sla_due_at == clocks["first_response"].due_at
    event = case.entries.get(event="sla_policy")
    assert (event.data["before"]["code"], event.data["after"]["code"]) == ("standard", "urgent")
    # and back to ordinary: the standard targets again, from 09:00
    case_set_fields(case=case, actor=agent, severity="ordinary", at=at("2025-03-03 12:00"))
    assert iso(live(case)["resolution"].due_at) == "2025-03-07T18:00:00+08:00"


def test_a_re_target_keeps_the_pauses(agent):
    case = open_case("2025-03-03 09:00")
    case_post_message(case=case, actor=agent, body="Which model?", public=True, at=at("2025-03-03 09:30"))
    case_change_status(case=case, target="waiting_customer", actor=agent, at=at("2025-03-03 10:00"))
    case_change_status(case=case, target="open", actor=agent, at=at("2025-03-03 15:00"))  # 120 + 90 = 210 min
    case_set_fields(case=case, actor=agent, severity="urgent", at=at("2025-03-03 16:00"))
    resolution = live(case)["resolution"]
    # 480 + 210 paused = 690 business minutes from 09:00: Monday 450, Tuesday 240 → 13:30 + 60 = 14:30
    assert resolution.paused_minutes == 210
    assert iso(resolution.due_at) == "2025-03-04T14:30:00+08:00"


def test_a_reopen_starts_a_new_resolution_clock_from_the_reopening(agent):
    case = open_case("2025-03-03 09:00")
    case_post_message(case=case, actor=agent, body="Fixed by a reset.", public=True, at=at("2025-03-03 10:00"))
    case_change_status(case=case, target="resolved", actor=agent, at=at("2025-03-03 11:00"))
    first = CaseClock.objects.get(case=case, metric="resolution")
    assert (first.state, iso(first.stopped_at)) == (ClockState.MET, "2025-03-03T11:00:00+08:00")
    assert live(case) == {} and Case.objects.get(pk=case.pk).sla_due_at == NO_DUE
    # the customer writes back on Thursday 14:00: the case reopens
    case_post_message(case=case, actor=None, from_customer=True, body="It stopped again.", public=True,
                      at=at("2025-03-06 14:00"))
    clocks = live(case)
    assert set(clocks) == {"resolution", "next_response"}
    # 2250 min from Thursday 14:00: 240 Thu, 450 Fri, Mon, Tue, Wed (2040), and on Thursday 03-13
    # the last 210: 180 before lunch, 30 after 13:30
    assert iso(clocks["resolution"].started_at) == "2025-03-06T14:00:00+08:00"
    assert iso(clocks["resolution"].due_at) == "2025-03-13T14:00:00+08:00"
    assert CaseClock.objects.filter(case=case, metric="resolution").count() == 2


def test_resolving_stops_every_clock_and_marks_late_ones_missed(agent):
    case = open_case("2025-03-03 09:00", severity="urgent")
    case_change_status(case=case, target="resolved", actor=agent, at=at("2025-03-05 09:00"))
    states = dict(CaseClock.objects.filter(case=case).values_list("metric", "state"))
    # the first response never came (cancelled); resolution was due Tuesday 09:30 (missed)
    assert states == {"first_response": ClockState.CANCELLED, "resolution": ClockState.MISSED}


def test_a_major_case_goes_to_the_major_incident_group_with_progress_updates():
    case = open_case("2025-03-03 09:00", severity="major")
    case.refresh_from_db()
    assert case.team.code == "major-incidents"
    clocks = live(case)
    assert set(clocks) == {"first_response", "resolution", "progress_update"}
    assert iso(clocks["progress_update"].due_at) == "2025-03-03T13:00:00+08:00"  # every 4 h, round the clock
    # the progress clock is the customer's schedule, not a target: it does not set the desk's due order
    assert case.sla_due_at == clocks["first_response"].due_at


def test_no_active_policy_means_no_clocks():
    SlaPolicy.objects.update(is_active=False)
    case = open_case("2025-03-03 09:00")
    assert live(case) == {} and case.sla_due_at == NO_DUE


def test_cases_from_before_the_sla_get_their_clocks_from_the_command():
    from django.core.management import call_command

    from aftersales.core.tests.factories import CaseFactory

    old = CaseFactory(created_at=at("2025-03-03 09:00"), channel="phone")
    done = CaseFactory(status="closed", created_at=at("2025-03-03 09:00"))
    call_command("sla", "start")
    clocks = live(old)
    assert set(clocks) == {"first_response", "resolution"}
    assert iso(clocks["first_response"].due_at) == "2025-03-03T13:00:00+08:00"  # 4 h on the hotline
    assert live(done) == {}
    call_command("sla", "start")  # a second run finds nothing to do
    assert CaseClock.objects.filter(case=old).count() == 2
    # its warnings and breaches, long past, are on the timeline at the instants they fell due,
    # and no one is told about them now
    breaches = old.entries.filter(event="sla_breached").order_by("created_at")
    assert [(e.data["metric"], iso(e.created_at)) for e in breaches] == [
        ("first_response", "2025-03-03T13:00:00+08:00"), ("resolution", "2025-03-05T18:00:00+08:00")]  # 3 × 450
    from aftersales.sla.models import SlaNotification
    from aftersales.sla.sweep import sla_sweep

    assert sla_sweep().milestones == 0 and SlaNotification.objects.count() == 0
