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
