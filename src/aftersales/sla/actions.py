"""Every write to the business calendars: validated by the pure module, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import ValidationFailed
from aftersales.sla.errors import SlaError
from aftersales.sla.models import BusinessCalendar
from aftersales.sla.selectors import check_calendar

FIELDS = ["code", "time_zone", "holiday_region", "weekly_hours", "closures", "openings"]


@transaction.atomic
def calendar_save(*, calendar: BusinessCalendar, actor) -> BusinessCalendar:
    """Create or change a calendar (the admin's save). Checked first; audited."""
    check_calendar(calendar)
    if calendar.pk is None:
        if BusinessCalendar.objects.filter(code=calendar.code).exists():
            raise ValidationFailed(SlaError.CALENDAR_CODE_TAKEN, _("A calendar with this code exists already."))
        calendar.save()
        audit_record(actor=actor, obj=calendar, action="calendar_created", after=snapshot(calendar, FIELDS))
        return calendar
    stored = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
    before = snapshot(stored, FIELDS)
    calendar.save()
    audit_changes(actor=actor, obj=calendar, action="calendar_changed", before=before,
                  after=snapshot(calendar, FIELDS))
    return calendar
