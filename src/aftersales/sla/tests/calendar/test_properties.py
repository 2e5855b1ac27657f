"""Properties of the calendar arithmetic over random calendars, zones (with and without DST),
holiday regions, closures, starts and lengths."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.sla.calendar import (
    BusinessCalendar,
    add_business_minutes,
    business_minutes_between,
    calendar_from_json,
    day_intervals,
    next_opening,
)
from aftersales.sla.calendar.calendar import WEEKDAYS

ZONES = ["Asia/Shanghai", "Asia/Seoul", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def day_hours(draw, at_least_one: bool = False) -> list[list[str]]:
    points = sorted(draw(st.sets(st.integers(0, 48).map(lambda n: n * 30), min_size=2 if at_least_one else 0,
                                 max_size=8)))
    if len(points) % 2:
        points = points[:-1]
    return [[_hhmm(points[i]), _hhmm(points[i + 1])] for i in range(0, len(points), 2)]


@st.composite
def calendars(draw, zones=ZONES) -> BusinessCalendar:
    weekly = {day: draw(day_hours(at_least_one=index == 0)) for index, day in enumerate(WEEKDAYS)}
    closures = []
    if draw(st.booleans()):
        first = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 1)))
        last = first + timedelta(days=draw(st.integers(0, 20)))
        closures.append({"from": first.isoformat(), "to": last.isoformat()})
    return calendar_from_json({"time_zone": draw(st.sampled_from(zones)),
                               "holiday_region": draw(st.sampled_from([None, "CN", "KR", "TW", "HK"])),
                               "weekly": weekly, "closures": closures})


starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31),  # noqa: DTZ001
                      timezones=st.sampled_from([UTC]))
minutes = st.integers(0, 200_000)


def _inside(cal: BusinessCalendar, instant: datetime, *, closed_end: bool) -> bool:
    day = instant.astimezone(cal.zone).date()
    for offset in (-1, 0, 1):
        for start, end in day_intervals(cal, day + timedelta(days=offset)):
            if (start < instant <= end) if closed_end else (start <= instant < end):
                return True
    return False


@SETTINGS
@given(calendars(), starts, minutes)
def test_adding_then_measuring_gives_back_n(cal, start, n):
    due = add_business_minutes(cal, start, n)
    assert business_minutes_between(cal, start, due) == n
    assert due.tzinfo is not None and due.utcoffset() == due.astimezone(cal.zone).utcoffset()


@SETTINGS
@given(calendars(), starts, minutes)
def test_the_due_instant_lies_in_opening_hours(cal, start, n):
    due = add_business_minutes(cal, start, n)
    # N > 0: inside an interval or exactly at its end; N = 0: the next opening, inside one
    assert _inside(cal, due, closed_end=n > 0)
    assert due >= start


@SETTINGS
@given(calendars(), starts, minutes, minutes)
def test_more_minutes_are_due_later(cal, start, a, b):
    low, high = sorted((a, b))
    due_low, due_high = add_business_minutes(cal, start, low), add_business_minutes(cal, start, high)
    assert due_low <= due_high
    assert (due_low == due_high) == (low == high)


@SETTINGS
@given(calendars(), starts, st.integers(1, 50_000), st.integers(1, 50_000))
def test_adding_in_two_steps_is_adding_once(cal, start, a, b):
    assert add_business_minutes(cal, add_business_minutes(cal, start, a), b) == add_business_minutes(cal, start, a + b)


@SETTINGS
@given(calendars(), starts)
def test_next_opening_is_open_and_nothing_opens_before_it(cal, start):
    opening = next_opening(cal, start)
    assert _inside(cal, opening, closed_end=False)
    assert business_minutes_between(cal, start, opening) == 0


@SETTINGS
@given(st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]), starts, minutes)
def test_round_the_clock_in_a_dst_zone_is_real_time(zone, start, n):
    cal = calendar_from_json({"time_zone": zone, "weekly": {d: [["00:00", "24:00"]] for d in WEEKDAYS}})
    # Compared as instants: PEP 495 makes `==` between zones False for a time in the repeated
    # hour of a DST change (e.g. 02:00 on 2024-10-27 in Berlin), even when it is the same instant.
    assert add_business_minutes(cal, start, n).timestamp() == (start + timedelta(minutes=n)).timestamp()


@SETTINGS
@given(calendars(zones=["America/New_York", "Europe/Berlin"]), starts, minutes)
def test_business_time_never_exceeds_real_time_in_dst_zones(cal, start, n):
    # N business minutes never take less than N real minutes, also across DST changes
    due = add_business_minutes(cal, start, n)
    assert (due - start) >= timedelta(minutes=n)
