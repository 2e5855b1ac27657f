"""SLA settings in the admin.

- Business calendars: edit the hours, holidays, closures and openings (checked by the pure
  module before saving; saved and audited by `actions.calendar_save`), the names per
  language, and a **preview** on the change page: a start instant plus N business minutes
  gives the due instant.
- SLA policies: conditions as checkboxes, names, targets and the escalation ladder on one
  page, checked by the rules in `actions` and saved, with its rows, by `actions.policy_save`
  (one audit row). Policies are deactivated, never deleted: clocks point at them.
- Clocks (with their pauses and milestones) and notifications: read-only records kept by
  the system, for an administrator to see what happened on a case and when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import localized_name
from aftersales.core.errors import DomainError
from aftersales.sla import actions
from aftersales.sla.forms import EscalationStepForm, SlaPolicyForm, SlaTargetForm, TargetFormSet
from aftersales.sla.models import (
    BusinessCalendar,
    BusinessCalendarName,
    CaseClock,
    EscalationStep,
    SlaMilestone,
    SlaNotification,
    SlaPause,
    SlaPolicy,
    SlaPolicyName,
    SlaTarget,
)
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


# ---- SLA policies ----------------------------------------------------------------------------

def business_minutes(minutes: int) -> str:
    """E.g. "30 min", "4 h", "1 h 30 min": business time, so never counted in days."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


class SlaPolicyNameInline(admin.TabularInline):
    model = SlaPolicyName
    fields = ["language", "name"]
    extra = 0


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    form = SlaTargetForm
    formset = TargetFormSet
    fields = ["metric", "minutes", "calendar"]
    max_num = len(actions.TARGET_METRICS)

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return len(actions.TARGET_METRICS) if obj is None else 0  # a new policy gets a row per kind


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    form = EscalationStepForm
    fields = ["trigger", "delay_minutes", "metric", "action", "team"]
    verbose_name_plural = gettext_lazy("escalation ladder")
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    form = SlaPolicyForm
    list_display = ["code", "policy_name", "position", "is_active", "conditions", "targets_summary"]
    list_display_links = ["code", "policy_name"]
    list_filter = ["is_active"]
    search_fields = ["code", "names__name"]
    fieldsets = [
        (None, {"fields": ["code", "position", "is_active"]}),
        (gettext_lazy("Applies to"), {
            "fields": ["severities", "types", "channels", "tiers", "teams"],
            "description": gettext_lazy("A case gets the first active policy, from the lowest order up, whose every "
                                        "filled-in condition holds. Leave a condition empty for any case."),
        }),
        (gettext_lazy("Clocks"), {"fields": ["warning_percent", "pause_statuses", "route_team"]}),
        (gettext_lazy("Progress updates to the customer"), {
            "fields": ["progress_update_minutes", "progress_calendar"],
            "description": gettext_lazy("Leave both empty to send none."),
        }),
    ]
    inlines = [SlaPolicyNameInline, SlaTargetInline, EscalationStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "names", "teams", Prefetch("targets", queryset=SlaTarget.objects.select_related("calendar")))

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []  # the case timeline names a policy by its code

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # clocks point at their policy; deactivate it instead

    @admin.display(description=gettext_lazy("name"))
    def policy_name(self, obj: SlaPolicy) -> str:
        return localized_name(obj, "names")

    @admin.display(description=gettext_lazy("Applies to"))
    def conditions(self, obj: SlaPolicy) -> str:
        parts = []
        for name, choices in actions.CONDITION_CHOICES.items():
            values = getattr(obj, name) or []
            if values:
                labels = dict(choices.choices)
                parts.append((capfirst(SlaPolicy._meta.get_field(name).verbose_name),
                              ", ".join(str(labels.get(v, v)) for v in values)))
        teams = [team.name for team in obj.teams.all()]
        if teams:
            parts.append((capfirst(SlaPolicy._meta.get_field("teams").verbose_name), ", ".join(teams)))
        if not parts:
            return _("Any case")
        return format_html_join("", "<div>{}: {}</div>", parts)

    @admin.display(description=gettext_lazy("targets"))
    def targets_summary(self, obj: SlaPolicy) -> str:
        rows = sorted(obj.targets.all(), key=lambda t: actions.TARGET_METRICS.index(t.metric))
        if not rows:
            return "—"
        return format_html_join("", "<div>{}: {} ({})</div>", (
            (t.get_metric_display(), business_minutes(t.minutes), t.calendar.code) for t in rows))

    def save_model(self, request, obj: SlaPolicy, form, change: bool) -> None:
        pass  # saved in save_related, with its teams, names, targets and ladder, by one action

    def save_related(self, request, form, formsets, change: bool) -> None:
        rows = {}
        for formset in formsets:
            formset.save(commit=False)  # sets new_objects, changed_objects, deleted_objects for the history
            rows[formset.model] = [form.instance for form in formset.initial_forms
                                   if form not in formset.deleted_forms and form.instance.pk is not None]
            rows[formset.model] += formset.new_objects
        actions.policy_save(policy=form.instance, actor=request.user, teams=form.cleaned_data.get("teams"),
                            names=rows.get(SlaPolicyName), targets=rows.get(SlaTarget),
                            steps=rows.get(EscalationStep))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            # The forms check what the action checks; this is for what changed in between
            # (another administrator took the code a moment ago). Nothing was saved.
            details = [str(e["detail"]) for e in exc.errors or []] or [str(exc.detail)]
            self.message_user(request, _("The policy was not saved: %(errors)s") % {"errors": " ".join(details)},
                              messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# ---- per-case records, read-only ----------------------------------------------------------

class ReadOnlyMixin:
    """Kept by the system (`sla/actions_clock.py`, the sweep): shown, never edited here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SlaPauseInline(ReadOnlyMixin, admin.TabularInline):
    model = SlaPause
    fields = ["status", "started_at", "ended_at", "minutes"]
    readonly_fields = fields
    extra = 0


class SlaMilestoneInline(ReadOnlyMixin, admin.TabularInline):
    model = SlaMilestone
    fields = ["key", "at", "handled_at"]
    readonly_fields = fields
    extra = 0


@admin.register(CaseClock)
class CaseClockAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "metric", "state", "policy", "started_at", "due_at", "breached_at", "stopped_at"]
    list_filter = ["state", "metric", "policy"]
    list_select_related = ["case", "policy"]
    search_fields = ["case__number"]
    date_hierarchy = "started_at"
    show_full_result_count = False
    fields = ["case", "metric", "policy", "calendar", "state", "target_minutes", "warning_percent", "started_at",
              "paused_since", "paused_minutes", "warn_at", "due_at", "warned_at", "breached_at", "stopped_at",
              "next_check_at"]
    readonly_fields = fields
    inlines = [SlaPauseInline, SlaMilestoneInline]


class ReadFilter(admin.SimpleListFilter):
    title = gettext_lazy("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Read")), ("no", gettext_lazy("Unread"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(SlaNotification)
class SlaNotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "case", "kind", "metric", "milestone_key", "read_at", "emailed_at"]
    list_filter = ["kind", ReadFilter, "metric"]
    list_select_related = ["user", "case", "milestone"]
    search_fields = ["case__number", "user__username"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ["user", "case", "kind", "metric", "milestone", "created_at", "read_at", "emailed_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("milestone"), ordering="milestone__key")
    def milestone_key(self, obj: SlaNotification) -> str:
        return obj.milestone.key
