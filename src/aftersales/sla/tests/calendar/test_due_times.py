"""Exact due times on the shipped calendars and on a few written for the tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.sla.calendar import (
    CalendarError,
    add_business_minutes,
    business_minutes_between,
    day_intervals,
    next_opening,
)
from aftersales.sla.tests.calendar.support import EVERY_DAY, WEEKDAYS, at, calendar, shipped, weekly

MON_FRI_8_22 = calendar(weekly=weekly(WEEKDAYS, ("08:00", "22:00")))


@pytest.mark.parametrize(("cal", "due"), [
    (shipped("cn-hotline"), "2025-03-08T11:30:00+08:00"),  # Saturday: the hotline opens every day
    (MON_FRI_8_22, "2025-03-10T11:30:00+08:00"),  # Monday: closed at the weekend
], ids=["every-day", "monday-to-friday"])
def test_a_friday_21_30_phone_case_with_4_business_hours(cal, due):
    # given a phone case opened on Friday 2025-03-07 at 21:30 with a 4-hour target
    start = at("2025-03-07 21:30")
    # then 30 minutes count on Friday and 3½ hours from the next opening at 08:00
    assert add_business_minutes(cal, start, 240).isoformat() == due
    assert business_minutes_between(cal, start, datetime.fromisoformat(due)) == 240


def test_the_make_up_sunday_before_national_day_counts():
    cal = shipped("cn-workday")
    # opened on Saturday 2025-09-27 (a normal weekend day): the next opening is the make-up
    # working Sunday 2025-09-28, with the Monday–Friday hours
    assert next_opening(cal, at("2025-09-27 10:00")).isoformat() == "2025-09-28T09:00:00+08:00"
    assert add_business_minutes(cal, at("2025-09-27 10:00"), 60).isoformat() == "2025-09-28T10:00:00+08:00"
    assert add_business_minutes(cal, at("2025-09-26 17:00"), 240).isoformat() == "2025-09-28T12:00:00+08:00"


def test_a_case_opened_on_the_eve_of_national_day():
    # given a case opened on Tuesday 2025-09-30 at 17:00 with 3 working days (3 × 7½ h = 1350 min)
    cal, start = shipped("cn-workday"), at("2025-09-30 17:00")
    due = add_business_minutes(cal, start, 1350)
    # then 60 min on 09-30; 10-01…10-08 are closed (holidays and the weekend between);
    # 450 min on Thursday 10-09 and on Friday 10-10; the make-up Saturday 10-11 counts:
    # 180 min in the morning and 210 after lunch → 17:00
    assert due.isoformat() == "2025-10-11T17:00:00+08:00"
    assert business_minutes_between(cal, start, due) == 1350
    assert next_opening(cal, at("2025-10-01 10:00")).isoformat() == "2025-10-09T09:00:00+08:00"
    assert business_minutes_between(cal, start, at("2025-10-09 09:00")) == 60
    assert day_intervals(cal, at("2025-10-12 10:00").date()) == ()  # the Sunday after is an ordinary weekend


def test_a_lunch_break_splits_the_time():
    cal = shipped("cn-workday")
    # 11:30 + 60 min: 30 min before lunch, 30 after 13:30
    assert add_business_minutes(cal, at("2025-03-04 11:30"), 60).isoformat() == "2025-03-04T14:00:00+08:00"
    assert business_minutes_between(cal, at("2025-03-04 11:00"), at("2025-03-04 14:00")) == 90
    # a start during lunch waits for 13:30
    assert add_business_minutes(cal, at("2025-03-04 12:15"), 10).isoformat() == "2025-03-04T13:40:00+08:00"


def test_minutes_that_run_out_at_an_interval_end_are_due_then():
    cal = shipped("cn-workday")
    assert add_business_minutes(cal, at("2025-03-04 17:00"), 60).isoformat() == "2025-03-04T18:00:00+08:00"
    assert add_business_minutes(cal, at("2025-03-04 11:00"), 60).isoformat() == "2025-03-04T12:00:00+08:00"


def test_zero_minutes_is_the_next_opening():
    cal = shipped("cn-workday")
    assert add_business_minutes(cal, at("2025-03-04 12:15"), 0).isoformat() == "2025-03-04T13:30:00+08:00"
    assert add_business_minutes(cal, at("2025-03-04 10:00"), 0).isoformat() == "2025-03-04T10:00:00+08:00"
    assert add_business_minutes(cal, at("2025-03-04 18:00"), 0).isoformat() == "2025-03-05T09:00:00+08:00"


def test_korean_chuseok():
    cal = shipped("kr-workday")
    # Thursday 2025-10-02 17:00 + 2 h: 1 h that day; closed 10-03 (National Foundation Day),
    # the weekend, 10-06…10-08 (Chuseok and its substitute day), 10-09 (Hangul Day) → Friday 10-10
    due = add_business_minutes(cal, at("2025-10-02 17:00", "Asia/Seoul"), 120)
    assert due.isoformat() == "2025-10-10T10:00:00+09:00"
    assert business_minutes_between(cal, at("2025-10-02 00:00", "Asia/Seoul"), at("2025-10-10 00:00", "Asia/Seoul")) \
        == 540


def test_always_open():
    cal = shipped("always")
    assert add_business_minutes(cal, at("2025-03-07 21:30"), 240).isoformat() == "2025-03-08T01:30:00+08:00"
    assert add_business_minutes(cal, at("2025-10-01 00:00"), 7 * 24 * 60).isoformat() == "2025-10-08T00:00:00+08:00"
    start = datetime(2025, 1, 1, tzinfo=UTC)
    assert add_business_minutes(cal, start, 1_000_000) == datetime(2026, 11, 26, 10, 40, tzinfo=UTC)


def test_taiwan_and_hong_kong():
    tw = calendar("Asia/Taipei", "TW", weekly=weekly(WEEKDAYS, ("09:00", "18:00")))
    # 2025-02-08 is a make-up working Saturday in Taiwan; Lunar New Year 01-27…01-31 is closed
    assert next_opening(tw, at("2025-02-07 19:00", "Asia/Taipei")).isoformat() == "2025-02-08T09:00:00+08:00"
    assert next_opening(tw, at("2025-01-27 10:00", "Asia/Taipei")).isoformat() == "2025-02-03T09:00:00+08:00"
    hk = calendar("Asia/Hong_Kong", "HK", weekly=weekly(WEEKDAYS, ("09:00", "18:00")))
    # 2025-07-01 (Tuesday) is HKSAR Establishment Day
    assert next_opening(hk, at("2025-06-30 18:00", "Asia/Hong_Kong")).isoformat() == "2025-07-02T09:00:00+08:00"


def test_closures_and_openings():
    cal = calendar(region="CN", weekly=weekly(WEEKDAYS, ("09:00", "18:00")),
                   closures=[{"from": "2025-03-05", "to": "2025-03-06", "note": "stocktaking"}],
                   openings=[{"date": "2025-03-06", "hours": [["10:00", "12:00"]]},
                             {"date": "2025-10-02", "hours": [["10:00", "11:00"]], "note": "holiday duty"}])
    # Tuesday 17:00 + 2 h: 1 h on Tuesday, Wednesday closed, Thursday opens 10:00–12:00 only
    assert add_business_minutes(cal, at("2025-03-04 17:00"), 120).isoformat() == "2025-03-06T11:00:00+08:00"
    assert add_business_minutes(cal, at("2025-03-04 17:00"), 240).isoformat() == "2025-03-07T10:00:00+08:00"
    # an opening beats a public holiday
    assert next_opening(cal, at("2025-10-01 12:00")).isoformat() == "2025-10-02T10:00:00+08:00"


def test_a_make_up_day_opens_with_the_workday_hours_not_its_own():
    cal = calendar(region="CN", weekly={**weekly(WEEKDAYS, ("09:00", "18:00")), "sat": [["10:00", "12:00"]]})

    def local_hours(day: str) -> list[tuple[str, str]]:
        return [(s.astimezone(cal.zone).strftime("%H:%M"), e.astimezone(cal.zone).strftime("%H:%M"))
                for s, e in day_intervals(cal, at(f"{day} 00:00").date())]

    assert local_hours("2025-10-11") == [("09:00", "18:00")]  # make-up Saturday: the Monday–Friday hours
    assert local_hours("2025-10-18") == [("10:00", "12:00")]  # an ordinary Saturday: its own
    assert local_hours("2025-10-01") == []  # National Day


@pytest.mark.parametrize(("zone", "day", "minutes"), [
    ("Europe/Berlin", "2025-03-30", 120),  # 01:00–04:00 loses the hour 02:00–03:00
    ("Europe/Berlin", "2025-10-26", 240),  # …and gains one when 03:00 goes back to 02:00
    ("Europe/Berlin", "2025-06-01", 180),
    ("America/New_York", "2025-03-09", 120),
    ("America/New_York", "2025-11-02", 240),
])
def test_an_interval_counts_its_real_minutes_across_dst(zone, day, minutes):
    cal = calendar(zone, weekly=weekly(EVERY_DAY, ("01:00", "04:00")))
    assert business_minutes_between(cal, at(f"{day} 00:00", zone), at(f"{day} 12:00", zone)) == minutes
    assert add_business_minutes(cal, at(f"{day} 00:00", zone), minutes) == at(f"{day} 04:00", zone)


def test_a_24x7_calendar_in_new_york_counts_23_and_25_hour_days():
    cal = calendar("America/New_York", weekly=weekly(EVERY_DAY, ("00:00", "24:00")))
    ny = "America/New_York"
    assert business_minutes_between(cal, at("2025-03-09 00:00", ny), at("2025-03-10 00:00", ny)) == 23 * 60
    assert business_minutes_between(cal, at("2025-11-02 00:00", ny), at("2025-11-03 00:00", ny)) == 25 * 60
    assert add_business_minutes(cal, at("2025-03-09 00:00", ny), 180).isoformat() == "2025-03-09T04:00:00-04:00"


def test_questions_without_an_answer():
    cal = shipped("cn-workday")
    with pytest.raises(CalendarError) as naive:
        add_business_minutes(cal, datetime(2025, 3, 4, 9, 0), 10)  # noqa: DTZ001
    assert naive.value.code == "not_aware"
    with pytest.raises(CalendarError) as negative:
        add_business_minutes(cal, at("2025-03-04 09:00"), -1)
    assert negative.value.code == "negative_minutes"
    closed = calendar(weekly=weekly(()))
    with pytest.raises(CalendarError) as never:
        add_business_minutes(closed, at("2025-03-04 09:00"), 1)
    assert never.value.code == "never_opens"
    assert business_minutes_between(closed, at("2025-03-04 09:00"), at("2026-03-04 09:00")) == 0
    with pytest.raises(CalendarError) as far:
        add_business_minutes(shipped("always"), at("9999-12-31 20:00"), 24 * 60)
    assert far.value.code == "out_of_range"


def test_measuring_backwards_is_negative():
    cal = shipped("cn-workday")
    assert business_minutes_between(cal, at("2025-03-04 14:00"), at("2025-03-04 11:00")) == -90
