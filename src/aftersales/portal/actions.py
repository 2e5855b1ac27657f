"""The portal's own writes: signing up, verifying the e-mail (and sending the link again),
a customer's preferences, registering a product.

Everything else the portal writes goes through the owning app's actions (cases, catalog)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts.actions import user_create, user_set_active, user_set_language, user_update_preferences
from aftersales.accounts.models import Role, User
from aftersales.cases.attachments import CheckedFile
from aftersales.catalog.actions import unit_register
from aftersales.catalog.models import Unit
from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.customers.actions import (
    IdentityInput,
    customer_create,
    customer_update,
    identity_add,
    identity_mark_verified,
)
from aftersales.customers.identities import normalise_identity
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_by_identity
from aftersales.portal.errors import PortalError
from aftersales.portal.models import PurchaseProof
from aftersales.portal.selectors import signup_pending

SIGNUP_SALT = "aftersales.portal.signup"
SIGNUP_MAX_AGE = 3 * 24 * 60 * 60  # seconds: a verification link works for three days
# The "send the link again" button is shown only after the right password; its token says so.
RESEND_SALT = "aftersales.portal.signup.resend"
RESEND_MAX_AGE = 30 * 60


@dataclass
class SignUp:
    name: str
    email: str
    password: str
    language: str


def email_taken(email: str) -> bool:
    return customer_by_identity(kind="email", value=email) is not None or User.objects.filter(
        username__iexact=email.strip()).exists()


def signup_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SIGNUP_SALT, compress=True)


def signup_user_from_token(token: str) -> User | None:
    """The account a verification link was made for; None if the link is bad, altered or too old."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    return User.objects.filter(pk=data.get("u"), email=data.get("e"), role=Role.CUSTOMER).first()


@transaction.atomic
def customer_sign_up(*, data: SignUp, verify_url: str) -> User:
    """A portal account that cannot sign in until the link mailed to `data.email` is followed.

    `verify_url` is a format string with `{token}` in it."""
    email = normalise_identity("email", data.email)
    if email_taken(email):
        raise Conflict(PortalError.EMAIL_TAKEN, _("This e-mail address is already registered. Sign in instead."))
    try:
        user = user_create(username=email, password=data.password, role=Role.CUSTOMER, email=email,
                           display_name=data.name.strip(), language=data.language)
    except ValidationError as exc:
        raise ValidationFailed(PortalError.SIGNUP_INVALID, " ".join(exc.messages)) from exc
    user_set_active(user=user, active=False, actor=user)
    customer_create(name=data.name, language=data.language, user=user, actor=user,
                    identities=[IdentityInput(kind="email", value=email, is_primary=True)])
    link = verify_url.format(token=signup_token(user))
    transaction.on_commit(lambda: _send_verification(user=user, link=link))
    return user


def resend_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=RESEND_SALT, compress=True)


def resend_user_from_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=RESEND_SALT, max_age=RESEND_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return User.objects.filter(pk=data.get("u"), email=data.get("e"), role=Role.CUSTOMER).first()


@transaction.atomic
def customer_resend_verification(*, user: User, verify_url: str) -> bool:
    """Mail a fresh verification link to a sign-up that is still waiting for it. False (and
    no mail) when the account no longer waits. `verify_url` has `{token}` in it."""
    if not signup_pending(user):
        return False
    link = verify_url.format(token=signup_token(user))
    audit_record(actor=user, obj=user, action="user.verification_resent")
    transaction.on_commit(lambda: _send_verification(user=user, link=link))
    return True


def _send_verification(*, user: User, link: str) -> None:
    with translation.override(user.language):
        subject = _("Confirm your e-mail address")
        body = _(
            "Hello %(name)s,\n\nPlease confirm your e-mail address to finish signing up:\n\n%(link)s\n\n"
            "The link works for three days. If you did not sign up, ignore this mail."
        ) % {"name": user.display_name or user.email, "link": link}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def customer_verify_sign_up(*, user: User) -> bool:
    """Turn the account on. False when it was already on (a link is good for one activation)."""
    if user.is_active:
        return False
    user_set_active(user=user, active=True, actor=user)
    customer = Customer.objects.filter(user=user).first()
    if customer is not None:
        identity_mark_verified(customer=customer, kind="email", value=user.email, actor=user)
    return True


@transaction.atomic
def customer_set_language(*, user: User, language: str) -> User:
    """The language a customer chose in the header: for the pages and for what we write to them."""
    user_set_language(user=user, language=language, actor=user)
    customer = Customer.objects.filter(user=user).first()
    if customer is not None:
        customer_update(customer=customer, changes={"language": language}, actor=user)
    return user


@transaction.atomic
def customer_update_profile(*, user: User, display_name: str, language: str, time_zone: str, phone: str) -> User:
    user_update_preferences(user=user, actor=user, display_name=display_name, language=language,
                            time_zone=time_zone)
    customer = Customer.objects.filter(user=user).first()
    if customer is not None:
        changes = {"language": language}
        if display_name.strip():
            changes["name"] = display_name.strip()
        customer_update(customer=customer, changes=changes, actor=user)
        if phone.strip():
            identity_add(customer=customer, kind="phone", value=phone, actor=user, is_primary=True)
    return user


@transaction.atomic
def product_register(
    *, customer: Customer, actor: User, product_model, serial_number: str, order_number: str = "",
    purchase_date: date | None = None, invoice: CheckedFile | None = None,
) -> Unit:
    """A customer registers a unit they own, with what they know about buying it."""
    order_number = " ".join((order_number or "").split())
    if len(order_number) > 64:
        raise ValidationFailed(PortalError.FORM_INVALID, _("The order number is longer than 64 characters."))
    if purchase_date is not None and purchase_date > timezone.localdate():
        raise ValidationFailed(PortalError.FORM_INVALID, _("The purchase date is in the future."))
    unit = unit_register(product_model=product_model, serial_number=serial_number, customer=customer, actor=actor)
    if order_number or purchase_date or invoice:
        proof = PurchaseProof(unit=unit, customer=customer, order_number=order_number, purchase_date=purchase_date)
        if invoice is not None:
            proof.invoice.name = f"invoices/{invoice.sha256[:2]}/{invoice.sha256}"
            storage = proof.invoice.storage
            if not storage.exists(proof.invoice.name):
                storage.save(proof.invoice.name, ContentFile(invoice.content))
            proof.invoice_filename = invoice.filename
            proof.invoice_content_type = invoice.content_type
        proof.save()
        audit_record(actor=actor, obj=unit, action="unit.purchase_proof_added",
                     after={"order_number": order_number, "purchase_date": str(purchase_date or ""),
                            "invoice": invoice.sha256 if invoice else None})
    return unit
