"""Business calendars in the admin: edit the hours, holidays, closures and openings (checked
by the pure module before saving; saved and audited by `actions.calendar_save`), the names
per language, and a **preview** on the change page: a start instant plus N business minutes
gives the due instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import localized_name
from aftersales.core.errors import DomainError
from aftersales.sla import actions
from aftersales.sla.models import BusinessCalendar, BusinessCalendarName
from aftersales.sla.selectors import MAX_MINUTES, calendar_due


class PreviewForm(forms.Form):
    preview_start = forms.CharField(
        label=gettext_lazy("start"), max_length=40,
        help_text=gettext_lazy("ISO-8601, e.g. 2025-09-26 21:30 (read in the calendar's time zone) or "
                               "2025-09-26T13:30:00+00:00."))
    preview_minutes = forms.IntegerField(label=gettext_lazy("business minutes"), min_value=0, max_value=MAX_MINUTES)

    def __init__(self, *args, calendar: BusinessCalendar, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar

    def clean_preview_start(self) -> datetime:
        text = self.cleaned_data["preview_start"].strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a date and time such as 2025-09-26 21:30.")) from None
        if value.tzinfo is None:
            try:
                value = value.replace(tzinfo=self.calendar.engine().zone)
            except ValueError:
                raise forms.ValidationError(_("Save a valid calendar before previewing it.")) from None
        return value

    def due(self) -> datetime | None:
        try:
            return calendar_due(calendar=self.calendar, start=self.cleaned_data["preview_start"],
                                minutes=self.cleaned_data["preview_minutes"])
        except DomainError as exc:
            self.add_error(None, str(exc.detail))
            return None


class BusinessCalendarNameInline(admin.TabularInline):
    model = BusinessCalendarName
    fields = ["language", "name"]
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "calendar_name", "time_zone", "holiday_region", "updated_at"]
    list_filter = ["holiday_region", "time_zone"]
    search_fields = ["code", "names__name"]
    fields = ["code", "time_zone", "holiday_region", "weekly_hours", "closures", "openings"]
    inlines = [BusinessCalendarNameInline]
    change_form_template = "admin/sla/businesscalendar/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []  # the code is how SLA policies point at it

    @admin.display(description=gettext_lazy("name"))
    def calendar_name(self, obj: BusinessCalendar) -> str:
        return localized_name(obj, "names")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # SLA targets will point at calendars; change the hours instead

    def save_model(self, request, obj: BusinessCalendar, form, change: bool) -> None:
        actions.calendar_save(calendar=obj, actor=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context: dict[str, Any] = dict(extra_context or {})
        calendar = self.get_object(request, object_id)
        if calendar is not None and request.method == "GET":
            bound = "preview_start" in request.GET
            preview = PreviewForm(request.GET if bound else None, calendar=calendar,
                                  initial={"preview_minutes": 240})
            context["preview_form"] = preview
            if bound and preview.is_valid():
                due = preview.due()
                if due is not None:
                    context["preview_due"] = due.isoformat()
                    context["preview_due_local"] = due.strftime("%Y-%m-%d %a %H:%M %Z")
        return super().change_view(request, object_id, form_url, extra_context=context)
