"""Input the desk pages accept. Values outside the choices are dropped, never trusted."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.cases.models import CaseType, Channel, Severity, Status
from aftersales.customers.models import Tier


def _any(label, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_any(_("Any status"), Status.choices))
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_any(_("Any type"), CaseType.choices))
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=_any(_("Any severity"), Severity.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_any(_("Any channel"), Channel.choices))
    tier = forms.ChoiceField(label=_("Customer tier"), required=False, choices=_any(_("Any tier"), Tier.choices))
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)

    FIELDS = ("status", "type", "severity", "channel", "tier", "tag")

    def chosen(self) -> dict[str, str]:
        """The valid, non-empty choices (an invalid field is ignored, the others still apply)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name].strip() for name in self.FIELDS if data.get(name, "").strip()}

