"""Normalising identities so the same person is found however they typed it."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from aftersales.core.errors import ValidationFailed
from aftersales.customers.errors import CustomerError

# Phone numbers typed without a country code are read in the region of the customer's language.
LANGUAGE_REGION = {"zh-hant": "TW", "zh-hans": "CN", "ko": "KR", "en": "US"}


def normalise_identity(kind: str, value: str, *, region: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(CustomerError.IDENTITY_INVALID, _("The value is empty."))
    if kind == "email":
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationFailed(
                CustomerError.IDENTITY_INVALID, _("“%(value)s” is not a valid e-mail address.") % {"value": value}
            ) from exc
        return value
    if kind == "phone":
        try:
            number = phonenumbers.parse(value, region or "CN")
        except phonenumbers.NumberParseException as exc:
            raise ValidationFailed(
                CustomerError.IDENTITY_INVALID, _("“%(value)s” is not a phone number.") % {"value": value}
            ) from exc
        if not phonenumbers.is_possible_number(number):
            raise ValidationFailed(
                CustomerError.IDENTITY_INVALID, _("“%(value)s” is not a phone number.") % {"value": value}
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == "marketplace":
        if len(value) > 254:
            raise ValidationFailed(CustomerError.IDENTITY_INVALID, _("The buyer id is too long."))
        return value
    raise ValidationFailed(CustomerError.IDENTITY_INVALID, _("Unknown identity kind."))
