"""The admin's forms for SLA policies. The JSON list fields (which severities, case types,
channels, customer tiers a policy applies to; which statuses pause its clocks) are edited as
checkboxes and stored as lists in the order offered. Every rule is the one `actions` applies
when it saves (`policy_problems`, `target_problems`, `step_problems`, `targets_problem`), so a
mistake is shown next to its field and never reaches the action as a 500."""

from __future__ import annotations

from django import forms
from django.db.models import TextChoices
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import Team
from aftersales.cases.models import CaseType, Channel, Severity, Status
from aftersales.customers.models import Tier
from aftersales.sla import actions
from aftersales.sla.models import EscalationStep, SlaPolicy, SlaTarget


class ChoiceListField(forms.MultipleChoiceField):
    """Checkboxes whose ticked values are stored as a list, in the order they are offered."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value) -> list[str]:
        ticked = set(super().clean(value))
        return [choice for choice, _label in self.choices if choice in ticked]


def _list_field(name: str, choices: list[tuple[str, str]], **kwargs) -> ChoiceListField:
    model_field = SlaPolicy._meta.get_field(name)
    return ChoiceListField(choices=choices, required=False, label=capfirst(model_field.verbose_name),
                           help_text=model_field.help_text, **kwargs)


def _choices(enum: type[TextChoices], values: list[str] | None = None) -> list[tuple[str, str]]:
    return [(value, label) for value, label in enum.choices if values is None or value in values]


def _add_problems(form: forms.ModelForm, problems: dict[str, str]) -> None:
    """Put each problem on its field, unless that field has an error already (a value that did
    not even parse is not reported twice)."""
    for field, detail in problems.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, detail)
        elif field not in form.fields:
            form.add_error(None, detail)


class SlaPolicyForm(forms.ModelForm):
    severities = _list_field("severities", _choices(Severity))
    types = _list_field("types", _choices(CaseType))
    channels = _list_field("channels", _choices(Channel))
    tiers = _list_field("tiers", _choices(Tier))
    pause_statuses = _list_field(
        "pause_statuses", _choices(Status, actions.PAUSABLE_STATUSES),
        error_messages={"invalid_choice": _("%(value)s is not a status of an open case; a resolved or closed "
                                            "case has no clock to pause.")})

    class Meta:
        model = SlaPolicy
        fields = ["code", "position", "is_active", "severities", "types", "channels", "tiers", "teams",
                  "warning_percent", "pause_statuses", "route_team", "progress_update_minutes", "progress_calendar"]
        widgets = {"teams": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "teams" in self.fields:
            self.fields["teams"].queryset = Team.objects.order_by("name")
        if "warning_percent" in self.fields:
            self.fields["warning_percent"].widget.attrs.update(min=1, max=99)

    def _post_clean(self) -> None:
        super()._post_clean()
        _add_problems(self, actions.policy_problems(self.instance))


class SlaTargetForm(forms.ModelForm):
    class Meta:
        model = SlaTarget
        fields = ["metric", "minutes", "calendar"]

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.has_changed() or self.instance.pk:
            _add_problems(self, actions.target_problems(self.instance))


class EscalationStepForm(forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["trigger", "delay_minutes", "metric", "action", "team"]

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.has_changed() or self.instance.pk:
            _add_problems(self, actions.step_problems(self.instance))


class TargetFormSet(BaseInlineFormSet):
    """A policy keeps at least one target: without one it would match cases and time nothing."""

    def kept_instances(self) -> list[SlaTarget]:
        return [form.instance for form in self.forms
                if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())]

    def validate_unique(self) -> None:
        pass  # `targets_problem` below says "one target of each kind" in words, not by the column's name

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        problem = actions.targets_problem(self.kept_instances())
        if problem:
            raise forms.ValidationError(problem)
