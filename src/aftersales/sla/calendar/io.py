"""The JSON form of a calendar, as stored in the database and shown in the admin, and its
validation. Every problem comes back at once, each with a field path and a stable code:

    {"time_zone": "Asia/Shanghai",
     "holiday_region": "CN",                     # or null; one of HOLIDAY_REGIONS
     "weekly": {"mon": [["09:00", "12:00"], ["13:30", "18:00"]], ..., "sun": []},
     "closures": [{"from": "2025-12-24", "to": "2025-12-26", "note": "stocktaking"}],
     "openings": [{"date": "2025-12-27", "hours": [["10:00", "16:00"]], "note": ""}]}

Times are "HH:MM" (any minute); an interval may end at "24:00".
Weekdays left out are closed. Intervals of one day must be in order and must not overlap.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aftersales.sla.calendar.calendar import (
    DAY_MINUTES,
    HOLIDAY_REGIONS,
    WEEKDAYS,
    BusinessCalendar,
    Closure,
    Interval,
    Opening,
)

TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
MAX_INTERVALS_PER_DAY = 12
MAX_ENTRIES = 1000
MAX_NOTE = 200
KEYS = {"time_zone", "holiday_region", "weekly", "closures", "openings"}


class CalendarInvalid(ValueError):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['detail']}" for e in errors))
        self.errors = errors


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, path: str, code: str, detail: str) -> None:
        self.items.append({"field": path, "code": code, "detail": detail})


def _time(value: Any, path: str, errors: _Errors) -> int | None:
    match = TIME.match(value) if isinstance(value, str) else None
    minute = int(match[1]) * 60 + int(match[2]) if match else None
    if minute is None or minute > DAY_MINUTES:
        errors.add(path, "invalid_time", "expected a time HH:MM between 00:00 and 24:00")
        return None
    return minute


def _intervals(value: Any, path: str, errors: _Errors) -> tuple[Interval, ...]:
    if not isinstance(value, list) or len(value) > MAX_INTERVALS_PER_DAY:
        errors.add(path, "invalid_type", f"expected a list of at most {MAX_INTERVALS_PER_DAY} [start, end] pairs")
        return ()
    found: list[Interval] = []
    for index, pair in enumerate(value):
        here = f"{path}.{index}"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            errors.add(here, "invalid_type", "expected a pair [\"HH:MM\", \"HH:MM\"]")
            continue
        start, end = _time(pair[0], f"{here}.0", errors), _time(pair[1], f"{here}.1", errors)
        if start is None or end is None:
            continue
        if start >= end:
            errors.add(here, "interval_order", "an interval must end after it starts")
            continue
        if found and start < found[-1][1]:
            errors.add(here, "intervals_overlap", "intervals must be in order and must not overlap")
            continue
        found.append((start, end))
    return tuple(found)


def _date(value: Any, path: str, errors: _Errors) -> date | None:
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    errors.add(path, "invalid_date", "expected a date YYYY-MM-DD")
    return None


def _note(entry: dict, path: str, errors: _Errors) -> str:
    note = entry.get("note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        errors.add(f"{path}.note", "invalid_type", f"expected text of at most {MAX_NOTE} characters")
        return ""
    return note


def _entries(value: Any, path: str, errors: _Errors) -> list[tuple[str, dict]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_ENTRIES:
        errors.add(path, "invalid_type", f"expected a list of at most {MAX_ENTRIES} entries")
        return []
    found = []
    for index, entry in enumerate(value):
        if isinstance(entry, dict):
            found.append((f"{path}.{index}", entry))
        else:
            errors.add(f"{path}.{index}", "invalid_type", "expected an object")
    return found


def _unknown_keys(entry: dict, allowed: set[str], path: str, errors: _Errors) -> None:
    for key in sorted(set(entry) - allowed, key=str):
        errors.add(f"{path}.{key}" if path else str(key), "unknown_key", "unknown key")


def calendar_from_json(doc: Any) -> BusinessCalendar:
    """The calendar `doc` describes, or CalendarInvalid listing every problem."""
    errors = _Errors()
    if not isinstance(doc, dict):
        raise CalendarInvalid([{"field": "", "code": "invalid_type", "detail": "expected an object"}])
    _unknown_keys(doc, KEYS, "", errors)

    zone_name = doc.get("time_zone")
    if not isinstance(zone_name, str) or not is_time_zone(zone_name):
        errors.add("time_zone", "invalid_time_zone", "expected an IANA time zone name such as Asia/Shanghai")

    region = doc.get("holiday_region") or None
    if region is not None and region not in HOLIDAY_REGIONS:
        errors.add("holiday_region", "invalid_holiday_region", f"expected one of {', '.join(HOLIDAY_REGIONS)} or null")

    weekly_doc = doc.get("weekly")
    weekly: list[tuple[Interval, ...]] = [()] * 7
    if not isinstance(weekly_doc, dict):
        errors.add("weekly", "invalid_type", "expected an object with keys mon … sun")
    else:
        _unknown_keys(weekly_doc, set(WEEKDAYS), "weekly", errors)
        for index, name in enumerate(WEEKDAYS):
            if name in weekly_doc:
                weekly[index] = _intervals(weekly_doc[name], f"weekly.{name}", errors)

    closures = []
    for path, entry in _entries(doc.get("closures"), "closures", errors):
        _unknown_keys(entry, {"from", "to", "note"}, path, errors)
        first, last = _date(entry.get("from"), f"{path}.from", errors), _date(entry.get("to"), f"{path}.to", errors)
        note = _note(entry, path, errors)
        if first and last and last < first:
            errors.add(path, "closure_order", "a closure must end on or after the day it starts")
        elif first and last:
            closures.append(Closure(first, last, note))

    openings = []
    seen: set[date] = set()
    for path, entry in _entries(doc.get("openings"), "openings", errors):
        _unknown_keys(entry, {"date", "hours", "note"}, path, errors)
        day = _date(entry.get("date"), f"{path}.date", errors)
        hours = _intervals(entry.get("hours"), f"{path}.hours", errors)
        note = _note(entry, path, errors)
        if day in seen:
            errors.add(f"{path}.date", "duplicate_date", "one opening per date")
        elif day is not None:
            seen.add(day)
            openings.append(Opening(day, hours, note))

    if errors.items:
        raise CalendarInvalid(errors.items)
    return BusinessCalendar(time_zone=zone_name, weekly=tuple(weekly), holiday_region=region,  # type: ignore[arg-type]
                            closures=tuple(closures), openings=tuple(openings))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def calendar_to_json(cal: BusinessCalendar) -> dict[str, Any]:
    return {
        "time_zone": cal.time_zone,
        "holiday_region": cal.holiday_region,
        "weekly": {name: [[_hhmm(s), _hhmm(e)] for s, e in cal.weekly[i]] for i, name in enumerate(WEEKDAYS)},
        "closures": [{"from": c.first.isoformat(), "to": c.last.isoformat(), "note": c.note} for c in cal.closures],
        "openings": [{"date": o.day.isoformat(), "hours": [[_hhmm(s), _hhmm(e)] for s, e in o.intervals],
                      "note": o.note} for o in cal.openings],
    }


def is_time_zone(name: str) -> bool:
    if name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES  # noqa: PLW0603
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return _ZONES
