"""Counting days, months and time in repair (RULES.md, "Counting days"; PRC Civil Code arts. 201–203).

- A period of N days starts the day *after* the start event and ends at the end of its N-th
  day: bought on 03-01, a 7-day window ends at the end of 03-08, i.e. ``start + N days``.
- A period of N months (or years) ends on the same date of the final month, or on the last
  day of that month when the date does not exist (01-31 + 1 month = 02-28).
- Days in repair = the date the item is back − the date it was handed in, plus the days spent
  waiting for parts recorded separately. A repair still open counts up to the claim date.
- Time in repair extends a period; an exchange restarts it (the caller picks the start).

A claim made on the period's last day is inside it: ``claim_date <= ends``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from .types import Exchange, Repair

DURATION_UNITS = ("days", "months", "years", "working_days")


def add_days(start: date, days: int) -> date:
    """`start` + `days`, held within the calendar (a period extended past year 9999 ends then)."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(start: date, months: int) -> date:
    """The same date `months` later, clamped to the last day of the final month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, spec: Mapping[str, Any], *, calendar_code: str | None = None) -> date:
    """The last day of a period described by policy data: ``{days: N}``, ``{months: N}``,
    ``{years: N}`` or ``{working_days: N}`` (the latter on `calendar_code`'s working days)."""
    if "days" in spec:
        return add_days(start, int(spec["days"]))
    if "months" in spec:
        return add_months(start, int(spec["months"]))
    if "years" in spec:
        return add_months(start, 12 * int(spec["years"]))
    if "working_days" in spec:
        from .workdays import add_working_days

        if not calendar_code:
            raise ValueError("working_days needs a calendar")
        return add_working_days(start, int(spec["working_days"]), calendar_code)
    raise ValueError(f"no duration in {dict(spec)!r}; expected one of {', '.join(DURATION_UNITS)}")


def days_between(first: date, last: date) -> int:
    return (last - first).days


def repair_days(repair: Repair, *, as_of: date) -> int:
    """Days the item spent away for this repair: back − handed in (an open repair counts to
    `as_of`), plus the days waiting for parts recorded separately."""
    back = repair.end if repair.end is not None else as_of
    return max(0, (back - repair.start).days) + repair.waiting_parts_days


def repair_duration(repair: Repair, *, as_of: date) -> int:
    """Calendar days from hand-in to back (an open repair counts to `as_of`), without the
    separately recorded parts wait."""
    back = repair.end if repair.end is not None else as_of
    return max(0, (back - repair.start).days)


def repairs_since(repairs: Iterable[Repair], start: date) -> tuple[Repair, ...]:
    """The repairs that belong to the period starting at `start` (handed in on or after it)."""
    return tuple(r for r in repairs if r.start >= start)


def total_repair_days(repairs: Iterable[Repair], *, as_of: date) -> int:
    return sum(repair_days(r, as_of=as_of) for r in repairs)


def last_exchange(exchanges: Iterable[Exchange]) -> date | None:
    dates = [e.date for e in exchanges]
    return max(dates) if dates else None


def whole_months_between(first: date, last: date) -> int:
    """Complete months from `first` to `last` (03-02 → 04-01 is 0, → 04-02 is 1)."""
    if last < first:
        return 0
    months = (last.year - first.year) * 12 + (last.month - first.month)
    if add_months(first, months) > last:
        months -= 1
    return months
