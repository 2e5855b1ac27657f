"""Working-day deadlines on the Chinese and Korean public calendars.

The calendars come from `holidays` (python-holidays), not from lists typed here.

Why `holidays` and not `chinesecalendar`:

- `holidays` knows both calendars the policies need: China *with* its make-up working days
  (调休: `China().weekend_workdays` holds the Saturdays and Sundays worked in exchange for
  a longer holiday, and `is_working_day()` honours them) and South Korea with its
  alternative and temporary holidays (대체공휴일, 임시공휴일) and election days.
- It is released every few weeks by a large group of maintainers, with each country's data
  reviewed against the official announcements.
- `chinesecalendar` covers China only (Korea would need a second library) and raises
  `NotImplementedError` for any year past its data, so a deadline that runs into next year
  would fail instead of degrading.

Known limit: China announces the make-up days for a year only in the November before it.
For a year not yet announced `holidays` still knows the statutory holidays (computed from
the lunar calendar) but no make-up working days; a deadline that far ahead is then counted
without them, and an upgrade of `holidays` fixes it.

The calendar objects populate a year lazily on first use; a lock keeps that safe when the
engine runs in several threads.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import cache

import holidays

SUPPORTED_CALENDARS = ("CN", "KR")
_LOCK = threading.Lock()


@cache
def _calendar(code: str) -> holidays.HolidayBase:
    if code not in SUPPORTED_CALENDARS:
        raise ValueError(f"unknown calendar {code!r}; expected one of {', '.join(SUPPORTED_CALENDARS)}")
    return holidays.country_holidays(code)


def is_working_day(day: date, calendar_code: str) -> bool:
    with _LOCK:
        return _calendar(calendar_code).is_working_day(day)


def add_working_days(start: date, n: int, calendar_code: str) -> date:
    """The `n`-th working day after `start` (`start` itself never counts: "within 3 business
    days of getting the goods back" on a Friday is the following Wednesday when nothing
    intervenes). `n` = 0 gives `start` if it is a working day, else the next one."""
    if n < 0:
        raise ValueError("n must not be negative")
    with _LOCK:
        return _calendar(calendar_code).get_nth_working_day(start, n)
