"""Reads of the business calendars, and the due instant of N business minutes on one."""

from __future__ import annotations

import re
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from aftersales.core.errors import ValidationFailed
from aftersales.sla import calendar as engine
from aftersales.sla.errors import SlaError
from aftersales.sla.labels import CALENDAR_ERRORS
from aftersales.sla.models import BusinessCalendar

CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
MAX_CODE = 60
# The longest target a preview answers: ten years of round-the-clock minutes.
MAX_MINUTES = 10 * 366 * 24 * 60

_ENGINE_ERRORS = {"not_aware": SlaError.START_NOT_AWARE, "never_opens": SlaError.NEVER_OPENS,
                  "out_of_range": SlaError.OUT_OF_RANGE, "negative_minutes": SlaError.OUT_OF_RANGE}


def is_calendar_code(code: object) -> bool:
    """Could be a calendar's code (checked before a lookup: text with a NUL never reaches the database)."""
    return isinstance(code, str) and len(code) <= MAX_CODE and CODE.fullmatch(code) is not None


def check_calendar(calendar: BusinessCalendar) -> engine.BusinessCalendar:
    """The pure calendar a row describes, or 422 `calendar_invalid` listing every problem."""
    try:
        return calendar.engine()
    except engine.CalendarInvalid as exc:
        raise ValidationFailed(SlaError.CALENDAR_INVALID, _("The calendar is not valid: %(errors)s")
                               % {"errors": str(exc)}, errors=exc.errors) from exc


def calendar_list() -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.prefetch_related("names").order_by("code")


def calendar_by_code(code: str) -> BusinessCalendar | None:
    return calendar_list().filter(code=code).first() if is_calendar_code(code) else None


def calendar_due(*, calendar: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """`start` plus `minutes` business minutes on `calendar`, in the calendar's zone; 422 with a
    stable code when it has no answer (a naive start, a calendar that never opens, past 9999)."""
    cal = check_calendar(calendar)
    try:
        return engine.add_business_minutes(cal, start, minutes)
    except engine.CalendarError as exc:
        raise ValidationFailed(_ENGINE_ERRORS.get(exc.code, SlaError.OUT_OF_RANGE),
                               str(CALENDAR_ERRORS.get(exc.code, exc.detail))) from exc


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant with its UTC offset ("Z" allowed), else 422."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(SlaError.INVALID_START, _("The start must be an ISO-8601 date and time with an "
                                                         "offset, e.g. 2025-10-09T09:00:00+08:00.")) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationFailed(SlaError.START_NOT_AWARE, str(CALENDAR_ERRORS["not_aware"]))
    return value
