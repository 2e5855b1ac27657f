"""Input the desk pages accept. Values outside the choices are dropped, never trusted."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.cases.models import CaseType, Channel, Severity, Status
from aftersales.customers.models import Tier

DEFAULT_SORT = "recent"
SORTS = [(DEFAULT_SORT, _("Recent activity first")), ("oldest", _("Oldest activity first")),
         ("due", _("Due soonest"))]
# The case list's order for each sort (`cases.selectors.case_list(order=...)`).
ORDER_OF_SORT = {DEFAULT_SORT: "newest", "oldest": "oldest", "due": "due"}


def _any(label, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_any(_("Any status"), Status.choices))
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_any(_("Any type"), CaseType.choices))
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=_any(_("Any severity"), Severity.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=_any(_("Any channel"), Channel.choices))
    tier = forms.ChoiceField(label=_("Customer tier"), required=False, choices=_any(_("Any tier"), Tier.choices))
    product = forms.TypedChoiceField(label=_("Product"), required=False, coerce=int, empty_value=None)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    FIELDS = ("status", "type", "severity", "channel", "tier", "product", "tag", "sort")

    def __init__(self, data=None, *args, products: list[tuple[int, str]], default_sort: str = DEFAULT_SORT,
                 **kwargs) -> None:
        # The queue's own order shows as chosen when none (or none of the choices) was asked for.
        if data is not None and data.get("sort") not in ORDER_OF_SORT:
            data = data.copy()
            data["sort"] = default_sort
        super().__init__(data, *args, **kwargs)
        self.default_sort = default_sort
        self.fields["product"].choices = [("", _("Any product")), *products]

    def chosen(self) -> dict[str, str]:
        """The valid, non-empty choices (an invalid field is ignored, the others still apply).
        The sort is left out when it is the queue's own, so a saved view or link stays short."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        chosen = {name: str(data[name]).strip() for name in self.FIELDS if str(data.get(name) or "").strip()}
        if chosen.get("sort") == self.default_sort:
            del chosen["sort"]
        return chosen

