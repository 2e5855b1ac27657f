"""Business calendars as plain Python (no Django): opening hours per weekday, a time zone,
public holidays and make-up working days from `holidays`, custom closures and openings —
and the three questions the SLA clocks ask of them.

See `calendar.py` for the rules and `io.py` for the JSON form stored in the database.
"""

from aftersales.sla.calendar.calendar import (
    HOLIDAY_REGIONS,
    BusinessCalendar,
    CalendarError,
    Closure,
    Opening,
    add_business_minutes,
    business_minutes_between,
    day_intervals,
    next_opening,
)
from aftersales.sla.calendar.io import CalendarInvalid, calendar_from_json, calendar_to_json

__all__ = [
    "HOLIDAY_REGIONS",
    "BusinessCalendar",
    "CalendarError",
    "CalendarInvalid",
    "Closure",
    "Opening",
    "add_business_minutes",
    "business_minutes_between",
    "calendar_from_json",
    "calendar_to_json",
    "day_intervals",
    "next_opening",
]
