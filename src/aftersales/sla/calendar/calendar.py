"""Business time on a calendar: when it is open, and how many business minutes lie between
two instants.

Rules (decision 0016):

- **Opening hours** are wall-clock intervals per weekday in the calendar's time zone, several
  a day (09:00–12:00 and 13:30–18:00 for a lunch break); an interval may end at 24:00.
- **What a date opens with**, first rule that applies wins:
  1. a custom opening on that date → its own intervals;
  2. a custom closure covering that date → closed;
  3. a public holiday of the holiday region (`holidays` library) → closed;
  4. a make-up working day of the region (调休: a Saturday or Sunday worked in exchange for a
     longer holiday, China and Taiwan) → the calendar's **workday hours**: those of the first
     of Monday–Friday that has any (Monday for every shipped calendar), whatever the weekday
     of the make-up day has;
  5. otherwise the weekday's intervals.
- **Time zones and DST**: each interval is turned into real (UTC) instants and counts its
  real length — an interval a DST change shortens counts fewer minutes, one it lengthens
  more. Wall times are read with `fold=0` (an ambiguous 01:30 is the first one; a wall time
  that does not exist is read with the offset before the change, as `zoneinfo` does).
- **Due instant** of N > 0 business minutes: the earliest instant at which N minutes of
  opening time have passed since the start. It therefore lies inside an interval or exactly
  at an interval's end (N minutes ending at 18:00 are due at 18:00, not at the next
  morning's opening). For N = 0 it is `next_opening(start)`.
- **Measuring** counts whole minutes (floor) of opening time in [a, b); b before a gives the
  negative of the reverse.

Cost: the functions walk day by day over the days spanned (each day's intervals are cached),
never minute by minute. A calendar that stays closed for `MAX_CLOSED_DAYS` in a row is
taken as never opening (`CalendarError("never_opens")`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

HOLIDAY_REGIONS = ("CN", "KR", "TW", "HK")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
MAX_CLOSED_DAYS = 800

Interval = tuple[int, int]  # minutes after local midnight, 0 <= start < end <= 1440
_LOCK = threading.Lock()


class CalendarError(Exception):
    """A question the calendar cannot answer; `code` is stable."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Closure:
    first: date
    last: date  # inclusive
    note: str = ""


@dataclass(frozen=True)
class Opening:
    day: date
    intervals: tuple[Interval, ...]
    note: str = ""


@dataclass(frozen=True)
class BusinessCalendar:
    time_zone: str
    weekly: tuple[tuple[Interval, ...], ...]  # 7 entries, Monday first
    holiday_region: str | None = None
    closures: tuple[Closure, ...] = field(default=())
    openings: tuple[Opening, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly must have 7 entries, Monday first")
        if self.holiday_region is not None and self.holiday_region not in HOLIDAY_REGIONS:
            raise ValueError(f"unknown holiday region {self.holiday_region!r}")
        _zone(self.time_zone)  # raises for an unknown zone

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.time_zone)

    @property
    def workday_hours(self) -> tuple[Interval, ...]:
        """What a make-up working day opens with: the first of Monday–Friday that has hours."""
        return next((day for day in self.weekly[:5] if day), ())


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=256)
def _region_year(region: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, make-up working days) of one year."""
    with _LOCK:
        found = holidays.country_holidays(region, years=year)
        days_off = frozenset(d for d in found if d.year == year)
        makeup = frozenset(d for d in getattr(found, "weekend_workdays", ()) if d.year == year)
    return days_off, makeup - days_off


def local_intervals(cal: BusinessCalendar, day: date) -> tuple[Interval, ...]:
    """The wall-clock intervals `day` opens with (the rules in the module's docstring)."""
    for opening in cal.openings:
        if opening.day == day:
            return opening.intervals
    if any(c.first <= day <= c.last for c in cal.closures):
        return ()
    if cal.holiday_region is not None:
        days_off, makeup = _region_year(cal.holiday_region, day.year)
        if day in days_off:
            return ()
        if day in makeup:
            return cal.workday_hours
    return cal.weekly[day.weekday()]


def _instant(zone: ZoneInfo, day: date, minute: int) -> datetime:
    if minute == DAY_MINUTES:
        day, minute = day + timedelta(days=1), 0
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=65536)
def day_intervals(cal: BusinessCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """`day`'s opening intervals as UTC instants, sorted, empty ones dropped and overlaps
    merged (a DST change can make two wall-clock intervals touch or overlap)."""
    zone = cal.zone
    spans = sorted((_instant(zone, day, s), _instant(zone, day, e)) for s, e in local_intervals(cal, day))
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _check_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise CalendarError("not_aware", f"{name} must carry a time zone offset")
    return value.astimezone(UTC)


def _intervals_from(cal: BusinessCalendar, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Every opening interval from the local day before `instant` on, in order; stops with
    `never_opens` after MAX_CLOSED_DAYS closed days in a row, `out_of_range` at year 9999."""
    day = instant.astimezone(cal.zone).date()
    closed = 0
    try:
        day -= timedelta(days=1)
        while True:
            spans = day_intervals(cal, day)
            if spans:
                closed = 0
                yield from spans
            else:
                closed += 1
                if closed > MAX_CLOSED_DAYS:
                    raise CalendarError("never_opens", f"the calendar is closed for more than {MAX_CLOSED_DAYS} "
                                                       "days in a row")
            day += timedelta(days=1)
    except OverflowError:
        raise CalendarError("out_of_range", "the answer lies beyond the year 9999") from None


def next_opening(cal: BusinessCalendar, instant: datetime) -> datetime:
    """`instant` itself when the calendar is open then, else the start of the next opening
    interval; in the calendar's zone."""
    current = _check_aware(instant, "instant")
    for start, end in _intervals_from(cal, current):
        if end > current:
            return max(start, current).astimezone(cal.zone)
    raise AssertionError("unreachable")  # pragma: no cover


def add_business_minutes(cal: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The due instant of `minutes` business minutes from `start`, in the calendar's zone."""
    current = _check_aware(start, "start")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError("minutes must be an int")
    if minutes < 0:
        raise CalendarError("negative_minutes", "minutes must not be negative")
    if minutes == 0:
        return next_opening(cal, start)
    remaining = timedelta(minutes=minutes)
    for interval_start, interval_end in _intervals_from(cal, current):
        if interval_end <= current:
            continue
        begin = max(interval_start, current)
        available = interval_end - begin
        if available >= remaining:
            try:
                return (begin + remaining).astimezone(cal.zone)
            except OverflowError:
                raise CalendarError("out_of_range", "the answer lies beyond the year 9999") from None
        remaining -= available
        current = interval_end
    raise AssertionError("unreachable")  # pragma: no cover


def business_minutes_between(cal: BusinessCalendar, a: datetime, b: datetime) -> int:
    """Whole minutes of opening time in [a, b); negative when b is before a."""
    first, last = _check_aware(a, "a"), _check_aware(b, "b")
    if last < first:
        return -business_minutes_between(cal, b, a)
    zone = cal.zone
    day = max(first.astimezone(zone).date(), date.min + timedelta(days=1)) - timedelta(days=1)
    end_day = last.astimezone(zone).date()
    total = timedelta(0)
    while day <= end_day:
        for start, end in day_intervals(cal, day):
            overlap = min(end, last) - max(start, first)
            if overlap > timedelta(0):
                total += overlap
        if day == date.max:
            break
        day += timedelta(days=1)
    return total // timedelta(minutes=1)
