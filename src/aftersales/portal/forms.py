"""Input parsing for the portal's pages. Forms only read and check what was typed; the
writes happen in actions."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aftersales.cases.actions import MAX_BODY, MAX_SUBJECT
from aftersales.cases.attachments import CheckedFile, check_upload
from aftersales.cases.models import CaseType
from aftersales.catalog.models import localized_name
from aftersales.core.errors import DomainError
from aftersales.web.forms import time_zone_choices

HELP_KINDS = [
    CaseType.CONSULTATION, CaseType.REPAIR, CaseType.RETURN, CaseType.EXCHANGE, CaseType.REFUND,
    CaseType.INSTALLATION, CaseType.COMPLAINT,
]
MAX_FILES = 10


def checked_files(files, errors: list[str]) -> list[CheckedFile]:
    """Every uploaded file through `check_upload`; what is wrong goes into `errors`."""
    checked = []
    if len(files) > MAX_FILES:
        errors.append(str(_("Attach at most %(n)d files.") % {"n": MAX_FILES}))
        return []
    for upload in files:
        try:
            checked.append(check_upload(upload.read(), upload.name))
        except DomainError as exc:
            errors.append(f"{upload.name}: {exc.detail}")
    return checked


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), required=False, max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 4}))


def product_choices(units, purchases) -> list[tuple[str, str]]:
    choices = [("", _("None of these / not sure"))]
    for unit in units:
        choices.append((f"unit:{unit.pk}", f"{localized_name(unit.product_model, 'names')} · {unit.serial_number}"))
    for purchase in purchases:
        choices.append((f"purchase:{purchase.pk}", str(purchase)))
    return choices


class HelpForm(forms.Form):
    product = forms.ChoiceField(label=_("Which product is it about?"), required=False)
    kind = forms.ChoiceField(label=_("What do you need?"), choices=[(k.value, k.label) for k in HELP_KINDS],
                             widget=forms.RadioSelect, initial=CaseType.CONSULTATION.value)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT,
                              help_text=_("A few words, e.g. “Washer does not spin”."))
    body = forms.CharField(label=_("Describe the problem"), max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What happened, since when, any error code on the display."))

    def __init__(self, *args, units=(), purchases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = product_choices(units, purchases)
        self.units = {u.pk: u for u in units}
        self.purchases = {p.pk: p for p in purchases}

    def linked(self):
        """(unit, purchase) chosen; both None for none."""
        value = self.cleaned_data.get("product") or ""
        kind, _sep, pk = value.partition(":")
        if kind == "unit":
            return self.units.get(int(pk)), None
        if kind == "purchase":
            return None, self.purchases.get(int(pk))
        return None, None


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                validate_password(p1)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False,
                                  help_text=_("Dates and times on every page are shown in this zone."))
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False,
                            help_text=_("With the country code, e.g. +886 912 345 678."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()


class ProductForm(forms.Form):
    product_model = forms.TypedChoiceField(label=_("Product model"), coerce=int)
    serial_number = forms.CharField(label=_("Serial number"), max_length=64,
                                    help_text=_("On the label at the back or bottom, often after “S/N”."))
    order_number = forms.CharField(label=_("Order number (optional)"), max_length=64, required=False)
    purchase_date = forms.DateField(label=_("Purchase date (optional)"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, model_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_model"].choices = [("", _("Choose your model"))] + list(model_choices)


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=24,
                             widget=forms.TextInput(attrs={"placeholder": "AS-2026-000123",
                                                           "autocapitalize": "characters"}))
    contact = forms.CharField(label=_("E-mail or phone number you used"), max_length=254)
