"""The business calendars (`GET /api/v1/sla/calendars`) and the due-instant preview."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from aftersales.catalog.models import localized_name
from aftersales.core.schemas import ERRORS
from aftersales.sla.access import access_calendar, calendars_visible_to
from aftersales.sla.models import BusinessCalendar
from aftersales.sla.schemas import CalendarListOut, DueOut, DueQuery
from aftersales.sla.selectors import calendar_due, parse_instant

router = Router(tags=["service levels"])


def calendar_out(calendar: BusinessCalendar) -> dict[str, Any]:
    return {"code": calendar.code, "name": localized_name(calendar, "names"),
            "names": {n.language: n.name for n in calendar.names.all()}, "time_zone": calendar.time_zone,
            "holiday_region": calendar.holiday_region or None, "weekly": calendar.weekly_hours,
            "closures": calendar.closures, "openings": calendar.openings}


@router.get("/sla/calendars", response={200: CalendarListOut, **ERRORS}, summary="List business calendars")
def list_calendars(request: HttpRequest):
    """Every business calendar (a handful, so no paging): hours, time zone, holidays, closures."""
    return {"items": [calendar_out(c) for c in calendars_visible_to(request.auth)]}


@router.get("/sla/calendars/{code}/due", response={200: DueOut, **ERRORS}, summary="Preview a due instant")
def calendar_due_preview(request: HttpRequest, code: str, q: Query[DueQuery]):
    """`start` plus `minutes` business minutes on the calendar `code`: the instant an SLA
    target of that length falls due, in the calendar's time zone.

    Staff only. A code that does not exist is 404 `not_found`. Refusals are 422 with a stable
    `code`: `invalid_input` (minutes missing, not a whole number, negative or over ten years),
    `invalid_start`, `start_not_aware` (no UTC offset), `due_out_of_range`,
    `calendar_never_opens`, `calendar_invalid`."""
    calendar = access_calendar(user=request.auth, code=code)
    due = calendar_due(calendar=calendar, start=parse_instant(q.start), minutes=q.minutes)
    return {"due": due.isoformat()}
