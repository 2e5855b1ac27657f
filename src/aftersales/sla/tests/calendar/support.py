"""The shipped calendars as the pure module reads them (the migration writes the same;
`tests/test_shipped_calendars.py` holds the two in step), and a helper for local instants."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aftersales.sla.calendar import BusinessCalendar, calendar_from_json

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekly(days: tuple[str, ...], *hours: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {day: [list(h) for h in hours] if day in days else [] for day in EVERY_DAY}


SHIPPED: dict[str, dict[str, Any]] = {
    "always": {"time_zone": "Asia/Shanghai", "holiday_region": None, "weekly": weekly(EVERY_DAY, ("00:00", "24:00"))},
    "cn-workday": {"time_zone": "Asia/Shanghai", "holiday_region": "CN",
                   "weekly": weekly(WEEKDAYS, ("09:00", "12:00"), ("13:30", "18:00"))},
    "cn-hotline": {"time_zone": "Asia/Shanghai", "holiday_region": None,
                   "weekly": weekly(EVERY_DAY, ("08:00", "22:00"))},
    "kr-workday": {"time_zone": "Asia/Seoul", "holiday_region": "KR", "weekly": weekly(WEEKDAYS, ("09:00", "18:00"))},
}


def shipped(code: str) -> BusinessCalendar:
    return calendar_from_json(SHIPPED[code])


def calendar(time_zone: str = "Asia/Shanghai", region: str | None = None, **doc: Any) -> BusinessCalendar:
    return calendar_from_json({"time_zone": time_zone, "holiday_region": region, **doc})


def at(text: str, zone: str = "Asia/Shanghai") -> datetime:
    """A local wall time, e.g. at("2025-09-26 21:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))
