"""Translated words for the pure module's stable codes (the module itself has no Django)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CALENDAR_ERRORS = {
    "not_aware": _("The start must carry a time zone offset, e.g. 2025-10-09T09:00:00+08:00."),
    "negative_minutes": _("The number of minutes must not be negative."),
    "never_opens": _("This calendar never opens, so nothing can fall due on it."),
    "out_of_range": _("The due instant would lie beyond the year 9999."),
}
