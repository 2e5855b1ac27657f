"""What the New case page accepts. The form only reads and checks what was typed; the
customer, unit and purchase ids are fetched through their `access_*` functions by the view,
and the writes happen in `desk.actions_new_case`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aftersales.cases.actions import MAX_BODY, MAX_SUBJECT
from aftersales.cases.attachments import CheckedFile, check_uploaded_file
from aftersales.cases.errors import CaseError
from aftersales.cases.models import CaseType, Channel, Severity
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.customers.identities import LANGUAGE_REGION, normalise_identity
from aftersales.customers.models import IdentityKind, Tier

# The channels a person at the desk takes a case from; the portal and the API record their own.
DESK_CHANNELS = [Channel.PHONE, Channel.WALK_IN, Channel.EMAIL, Channel.CHAT, Channel.MARKETPLACE]
MAX_FILES = 10
ROW_ID = {"min_value": 1, "max_value": 2**63 - 1}


def checked_files(uploads) -> tuple[list[CheckedFile], list[DomainError]]:
    """Every uploaded file through `check_upload`, its size checked before it is read. Returns
    the files that passed and what was wrong with the others (the detail names the file)."""
    if len(uploads) > MAX_FILES:
        return [], [ValidationFailed(CaseError.CASE_INVALID, _("Attach at most %(n)d files.") % {"n": MAX_FILES})]
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(check_uploaded_file(upload))
        except DomainError as exc:
            problems.append(DomainError(exc.code, f"{upload.name}: {exc.detail}", status=exc.status))
    return checked, problems


class NewCaseForm(forms.Form):
    # Who: an existing customer (chosen by search), or a new one from the new_* fields.
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput, **ROW_ID)
    unit = forms.IntegerField(required=False, **ROW_ID)
    purchase = forms.IntegerField(required=False, **ROW_ID)
    new_name = forms.CharField(label=_("Name"), max_length=200, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))
    new_email = forms.CharField(label=_("E-mail address"), max_length=254, required=False,
                                widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    new_phone = forms.CharField(label=_("Phone number"), max_length=40, required=False,
                                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
                                help_text=_("With the country code, e.g. +886 912 345 678."))
    new_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)
    new_tier = forms.ChoiceField(label=_("Customer tier"), choices=Tier.choices, initial=Tier.STANDARD,
                                 required=False)
    # The case.
    channel = forms.ChoiceField(label=_("Channel"), choices=[(c.value, c.label) for c in DESK_CHANNELS],
                                initial=Channel.PHONE)
    type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices, initial=CaseType.CONSULTATION)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.ORDINARY)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(label=_("What the customer says"), max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("In their words, as they told you. It becomes the case's first message, "
                                       "from the customer."))
    language = forms.ChoiceField(label=_("Language of the case"), required=False,
                                 choices=[("", _("The customer's language")), *settings.LANGUAGES])
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    assign_to_me = forms.BooleanField(label=_("Assign to me"), required=False)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]
        if not teams:
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        if data.get("customer"):
            return data
        name = (data.get("new_name") or "").strip()
        email = (data.get("new_email") or "").strip()
        phone = (data.get("new_phone") or "").strip()
        if not (name or email or phone):
            raise forms.ValidationError(_("Find the customer above, or fill in a new customer."),
                                        code="no_customer")
        if not name:
            self.add_error("new_name", _("A customer needs a name."))
        if not email and not phone:
            self.add_error("new_email", _("Give an e-mail address or a phone number, or both."))
        if not data.get("new_language"):
            self.add_error("new_language", forms.Field.default_error_messages["required"])
        data["new_tier"] = data.get("new_tier") or Tier.STANDARD
        region = LANGUAGE_REGION.get(data.get("new_language") or "")
        for field, kind, value in (("new_email", IdentityKind.EMAIL, email), ("new_phone", IdentityKind.PHONE, phone)):
            if not value:
                continue
            try:
                data[field] = normalise_identity(kind, value, region=region)
            except ValidationFailed as exc:
                self.add_error(field, str(exc.detail))
        data["new_name"] = name
        return data
