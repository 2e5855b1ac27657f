"""Who may read the business calendars: every staff role (`Op.SLA_VIEW`). An unknown code is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.sla.models import BusinessCalendar
from aftersales.sla.selectors import calendar_by_code, calendar_list


def calendars_visible_to(user) -> QuerySet[BusinessCalendar]:
    require(user, Op.SLA_VIEW)
    return calendar_list()


def access_calendar(*, user, code: str) -> BusinessCalendar:
    require(user, Op.SLA_VIEW)
    found = calendar_by_code(code)
    if found is None:
        raise Http404
    return found
