"""Business calendars: the opening hours, time zone, public holidays and closures an SLA
target counts its business minutes on. The rules themselves live in the pure module
`calendar/`; a row here is its stored, editable form (decision 0016)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import localized_name
from aftersales.sla import calendar as engine
from aftersales.sla import clock


class HolidayRegion(models.TextChoices):
    CN = "CN", _("China (public holidays and make-up working days)")
    KR = "KR", _("South Korea (public holidays)")
    TW = "TW", _("Taiwan (public holidays and make-up working days)")
    HK = "HK", _("Hong Kong (public holidays)")


assert set(HolidayRegion.values) == set(engine.HOLIDAY_REGIONS)  # noqa: S101


def _weekly_default() -> dict:
    return {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class BusinessCalendar(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai",
                                 help_text=_("An IANA time zone name, e.g. Asia/Shanghai or Asia/Seoul."))
    holiday_region = models.CharField(
        _("public holidays"), max_length=2, choices=HolidayRegion.choices, blank=True,
        help_text=_("Closed on the region's public holidays; open on its make-up working days with the "
                    "Monday–Friday hours."))
    weekly_hours = models.JSONField(
        _("weekly opening hours"), default=_weekly_default,
        help_text=_('Per weekday a list of [start, end] times, e.g. {"mon": [["09:00", "12:00"], '
                    '["13:30", "18:00"]]}. An interval may end at "24:00"; a weekday left out is closed.'))
    closures = models.JSONField(
        _("closures"), default=list, blank=True,
        help_text=_('Dates the calendar is closed, e.g. [{"from": "2025-12-24", "to": "2025-12-26", '
                    '"note": "stocktaking"}].'))
    openings = models.JSONField(
        _("extra openings"), default=list, blank=True,
        help_text=_('Dates with their own hours, even on a holiday or inside a closure, e.g. '
                    '[{"date": "2025-12-27", "hours": [["10:00", "16:00"]], "note": ""}].'))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        name = localized_name(self, "names")
        return f"{self.code} — {name}" if name else self.code

    def document(self) -> dict:
        return {"time_zone": self.time_zone, "holiday_region": self.holiday_region or None,
                "weekly": self.weekly_hours, "closures": self.closures, "openings": self.openings}

    def engine(self) -> engine.BusinessCalendar:
        """The pure calendar (raises `engine.CalendarInvalid` for a row that does not validate)."""
        return engine.calendar_from_json(self.document())

    def clean(self) -> None:
        try:
            self.engine()
        except engine.CalendarInvalid as exc:
            fields = {"time_zone": "time_zone", "holiday_region": "holiday_region", "weekly": "weekly_hours",
                      "closures": "closures", "openings": "openings"}
            by_field: dict[str, list[str]] = {}
            for error in exc.errors:
                field = fields.get(error["field"].split(".")[0], "weekly_hours")
                by_field.setdefault(field, []).append(f"{error['field']}: {error['detail']}")
            raise ValidationError(by_field) from exc


class BusinessCalendarName(models.Model):
    """The calendar's name in one language."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("calendar name")
        verbose_name_plural = _("calendar names")
        constraints = [models.UniqueConstraint(fields=["calendar", "language"], name="sla_calendar_name_per_language")]

    def __str__(self) -> str:
        return self.name


# ---- policies, targets and escalation ladders -----------------------------------------------

def _pausing_default() -> list:
    return ["waiting_customer", "waiting_parts"]


class Metric(models.TextChoices):
    FIRST_RESPONSE = clock.FIRST_RESPONSE, _("First response")
    NEXT_RESPONSE = clock.NEXT_RESPONSE, _("Next response")
    RESOLUTION = clock.RESOLUTION, _("Resolution")
    PROGRESS_UPDATE = clock.PROGRESS_UPDATE, _("Progress update to the customer")


class SlaPolicy(models.Model):
    """Targets for the cases it matches. Policies are tried by `position`; the first whose
    every non-empty condition holds applies (decision 0018)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveIntegerField(_("order"), default=100,
                                           help_text=_("Policies are tried from the lowest number up."))
    is_active = models.BooleanField(_("active"), default=True)
    severities = models.JSONField(_("severities"), default=list, blank=True,
                                  help_text=_("Applies to these severities; empty for any."))
    types = models.JSONField(_("case types"), default=list, blank=True,
                             help_text=_("Applies to these case types; empty for any."))
    channels = models.JSONField(_("channels"), default=list, blank=True,
                                help_text=_("Applies to these channels; empty for any."))
    tiers = models.JSONField(_("customer tiers"), default=list, blank=True,
                             help_text=_("Applies to customers of these tiers; empty for any."))
    teams = models.ManyToManyField("accounts.Team", verbose_name=_("teams"), blank=True, related_name="+",
                                   help_text=_("Applies to cases of these teams; none for any."))
    warning_percent = models.PositiveSmallIntegerField(
        _("warning at (%)"), default=80, help_text=_("Warn when this share of a target's time is used."))
    pause_statuses = models.JSONField(
        _("pausing statuses"), default=_pausing_default, blank=True,
        help_text=_("The clocks stop while a case has one of these statuses."))
    route_team = models.ForeignKey(
        "accounts.Team", verbose_name=_("route to team"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Cases that get this policy move to this team (e.g. a major-incident group)."))
    progress_update_minutes = models.PositiveIntegerField(
        _("progress update every (business minutes)"), null=True, blank=True,
        help_text=_("Send the customer a progress update when no public reply has gone out for this long."))
    progress_calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("progress update calendar"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        name = localized_name(self, "names")
        return f"{self.code} — {name}" if name else self.code


class SlaPolicyName(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("policy name")
        verbose_name_plural = _("policy names")
        constraints = [models.UniqueConstraint(fields=["policy", "language"], name="sla_policy_name_per_language")]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    policy = models.ForeignKey(SlaPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("target"), max_length=20, choices=Metric.choices[:3])
    minutes = models.PositiveIntegerField(_("business minutes"))
    calendar = models.ForeignKey(BusinessCalendar, verbose_name=_("calendar"), on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["policy", "metric"]
        constraints = [models.UniqueConstraint(fields=["policy", "metric"], name="sla_target_per_metric")]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.minutes}"


class Trigger(models.TextChoices):
    START = clock.START, _("Start")
    WARNING = clock.WARNING, _("Warning")
    BREACH = clock.BREACH, _("Breach")


class StepAction(models.TextChoices):
    NOTIFY_ASSIGNEE = "notify_assignee", _("Notify the assignee")
    NOTIFY_TEAM_LEAD = "notify_team_lead", _("Notify the team lead")
    NOTIFY_TEAM = "notify_team", _("Notify every member of a team")
    REASSIGN_TEAM = "reassign_team", _("Move the case to a team's queue")


class EscalationStep(models.Model):
    """One rung of a policy's ladder: `delay` business minutes after a clock's warning or
    breach, do `action` (for the clocks of `metric`, or of any target when blank)."""

    policy = models.ForeignKey(SlaPolicy, verbose_name=_("policy"), on_delete=models.CASCADE,
                               related_name="steps")
    metric = models.CharField(_("target"), max_length=20, choices=Metric.choices[:3], blank=True,
                              help_text=_("Blank for every target."))
    trigger = models.CharField(_("after"), max_length=10, choices=Trigger.choices)
    delay_minutes = models.PositiveIntegerField(_("delay (business minutes)"), default=0)
    action = models.CharField(_("action"), max_length=20, choices=StepAction.choices)
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("For “notify every member” and “move to a team”."))

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["policy", "trigger", "delay_minutes", "id"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} + {self.delay_minutes}: {self.get_action_display()}"

    def clean(self) -> None:
        if self.action in (StepAction.NOTIFY_TEAM, StepAction.REASSIGN_TEAM) and self.team_id is None:
            raise ValidationError({"team": _("This action needs a team.")})


# ---- per-case clocks -------------------------------------------------------------------------

class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MISSED = "missed", _("Stopped after the breach")
    CANCELLED = "cancelled", _("No longer applies")


class CaseClock(models.Model):
    """One target's clock on one case. A reopen or a new customer message starts a new row;
    a stopped row is history. Its times are kept by `sla/actions_clock.py` (decision 0018)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="sla_clocks")
    metric = models.CharField(_("target"), max_length=20, choices=Metric.choices)
    policy = models.ForeignKey(SlaPolicy, verbose_name=_("policy"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    calendar = models.ForeignKey(BusinessCalendar, verbose_name=_("calendar"), on_delete=models.PROTECT,
                                 related_name="+")
    target_minutes = models.PositiveIntegerField(_("business minutes"))
    warning_percent = models.PositiveSmallIntegerField(_("warning at (%)"), default=80)
    state = models.CharField(_("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    started_at = models.DateTimeField(_("started"))
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("business minutes paused"), default=0)
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    # The soonest milestone not yet handled (warning, breach, an escalation step, a progress
    # update); NULL when paused or stopped. The sweep reads only rows where this has passed.
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["case", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "metric"], condition=models.Q(stopped_at__isnull=True),
                                    name="sla_one_live_clock_per_metric"),
        ]
        indexes = [
            models.Index(fields=["next_check_at", "id"], condition=models.Q(next_check_at__isnull=False),
                         name="sla_clock_next_check_idx"),
            models.Index(fields=["case", "stopped_at"], name="sla_clock_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.metric} {self.state}"

    @property
    def is_live(self) -> bool:
        return self.stopped_at is None


class SlaPause(models.Model):
    """One stretch a clock spent stopped in a pausing status; `minutes` are its business
    minutes on the clock's calendar (re-measured if a re-target changes the calendar)."""

    clock = models.ForeignKey(CaseClock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="pauses")
    status = models.CharField(_("status"), max_length=20)
    started_at = models.DateTimeField(_("paused"))
    ended_at = models.DateTimeField(_("resumed"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("business minutes"), default=0)

    class Meta:
        verbose_name = _("SLA pause")
        verbose_name_plural = _("SLA pauses")
        ordering = ["clock", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.started_at:%Y-%m-%d %H:%M}"


class SlaMilestone(models.Model):
    """A warning, breach, escalation step or progress update handled on a clock. Unique per
    clock and key: the row is the proof it happened once, whoever ran the sweep."""

    clock = models.ForeignKey(CaseClock, verbose_name=_("clock"), on_delete=models.CASCADE,
                              related_name="milestones")
    key = models.CharField(_("milestone"), max_length=40)
    at = models.DateTimeField(_("due at"))
    handled_at = models.DateTimeField(_("handled"))

    class Meta:
        verbose_name = _("SLA milestone")
        verbose_name_plural = _("SLA milestones")
        ordering = ["clock", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["clock", "key"], name="sla_milestone_once")]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.key}"


class NotificationKind(models.TextChoices):
    WARNING = "warning", _("SLA warning")
    BREACH = "breach", _("SLA breach")
    ESCALATION = "escalation", _("Escalation")
    REASSIGNED = "reassigned", _("Moved by escalation")


class SlaNotification(models.Model):
    """A message to one person about one milestone: shown in the desk, sent by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.CASCADE,
                             related_name="sla_notifications")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(SlaMilestone, verbose_name=_("milestone"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    metric = models.CharField(_("target"), max_length=20, choices=Metric.choices)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA notification")
        verbose_name_plural = _("SLA notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["milestone", "user"], name="sla_notification_once")]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="sla_notification_inbox_idx"),
            models.Index(fields=["user", "-created_at", "-id"], name="sla_notification_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.case_id}"
