from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.customers.errors import CustomerError
from aftersales.customers.identities import LANGUAGE_REGION, normalise_identity
from aftersales.customers.models import Address, Customer, CustomerIdentity, IdentityKind, Tier

CUSTOMER_FIELDS = ["name", "company", "language", "tier", "notes"]
ADDRESS_FIELDS = [
    "label", "recipient", "phone", "country", "region", "city", "district", "line1", "line2", "postal_code",
]


@dataclass
class IdentityInput:
    kind: str
    value: str
    marketplace: str = ""
    is_primary: bool = False


@dataclass
class AddressInput:
    country: str
    line1: str
    extra: dict[str, Any] = field(default_factory=dict)
    is_default: bool = False


def _check_choice(value: str, choices, what: str) -> None:
    if value not in {c[0] for c in choices}:
        raise ValidationFailed(
            CustomerError.CUSTOMER_INVALID, _("Unknown %(what)s: %(value)s") % {"what": what, "value": value}
        )


@transaction.atomic
def customer_create(
    *,
    name: str,
    actor,
    language: str = "en",
    tier: str = Tier.STANDARD,
    company: str = "",
    notes: str = "",
    user=None,
    identities: list[IdentityInput] | None = None,
    addresses: list[AddressInput] | None = None,
) -> Customer:
    from django.conf import settings

    if not name.strip():
        raise ValidationFailed(CustomerError.CUSTOMER_INVALID, _("A customer needs a name."))
    _check_choice(language, settings.LANGUAGES, _("language"))
    _check_choice(tier, Tier.choices, _("tier"))
    customer = Customer.objects.create(
        name=name.strip(), language=language, tier=tier, company=company, notes=notes, user=user
    )
    for ident in identities or []:
        identity_add(customer=customer, kind=ident.kind, value=ident.value, marketplace=ident.marketplace,
                     is_primary=ident.is_primary, actor=actor, audit=False)
    for addr in addresses or []:
        address_add(customer=customer, data={"country": addr.country, "line1": addr.line1, **addr.extra},
                    is_default=addr.is_default, actor=actor, audit=False)
    audit_record(actor=actor, obj=customer, action="customer.created", after=snapshot(customer, CUSTOMER_FIELDS))
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, changes: dict[str, Any], actor) -> Customer:
    from django.conf import settings

    before = snapshot(customer, CUSTOMER_FIELDS)
    for key, value in changes.items():
        if key not in CUSTOMER_FIELDS:
            raise ValidationFailed(CustomerError.CUSTOMER_INVALID, _("Field %(f)s cannot be changed.") % {"f": key})
        if key == "language":
            _check_choice(value, settings.LANGUAGES, _("language"))
        if key == "tier":
            _check_choice(value, Tier.choices, _("tier"))
        if key == "name" and not str(value).strip():
            raise ValidationFailed(CustomerError.CUSTOMER_INVALID, _("A customer needs a name."))
        setattr(customer, key, value)
    after = snapshot(customer, CUSTOMER_FIELDS)
    if after == before:
        return customer  # nothing changed: no write, no audit row
    customer.save()
    audit_changes(actor=actor, obj=customer, action="customer.updated", before=before, after=after)
    return customer


def identity_add(
    *, customer: Customer, kind: str, value: str, actor, marketplace: str = "", is_primary: bool = False,
    audit: bool = True,
) -> CustomerIdentity:
    normalised = normalise_identity(kind, value, region=LANGUAGE_REGION.get(customer.language))
    marketplace = marketplace if kind == "marketplace" else ""
    if kind == "marketplace" and not marketplace:
        raise ValidationFailed(CustomerError.IDENTITY_INVALID, _("A marketplace buyer id needs its marketplace."))
    existing = CustomerIdentity.objects.filter(kind=kind, marketplace=marketplace, value=normalised).first()
    if existing is not None:
        if existing.customer_id == customer.pk:
            return existing
        raise Conflict(CustomerError.IDENTITY_TAKEN, _("“%(value)s” already belongs to another customer.")
                       % {"value": normalised})
    try:
        with transaction.atomic():
            identity = CustomerIdentity.objects.create(
                customer=customer, kind=kind, marketplace=marketplace, value=normalised, is_primary=is_primary
            )
    except IntegrityError as exc:  # a concurrent writer took it between our check and insert
        raise Conflict(CustomerError.IDENTITY_TAKEN, _("“%(value)s” already belongs to another customer.")
                       % {"value": normalised}) from exc
    if audit:
        audit_record(actor=actor, obj=customer, action="customer.identity_added",
                     after={"kind": kind, "marketplace": marketplace, "value": normalised})
    return identity


def address_add(*, customer: Customer, data: dict[str, Any], actor, is_default: bool = False,
                audit: bool = True) -> Address:
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise ValidationFailed(CustomerError.CUSTOMER_INVALID, _("Unknown address fields: %(f)s")
                               % {"f": ", ".join(sorted(unknown))})
    country = str(data.get("country", "")).strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationFailed(CustomerError.CUSTOMER_INVALID, _("The country must be a two-letter code."))
    if not str(data.get("line1", "")).strip():
        raise ValidationFailed(CustomerError.CUSTOMER_INVALID, _("The address is empty."))
    if is_default:
        customer.addresses.update(is_default=False)
    address = Address.objects.create(customer=customer, is_default=is_default, **{**data, "country": country})
    if audit:
        audit_record(actor=actor, obj=customer, action="customer.address_added", after={"address": address.pk})
    return address


def customer_find_or_create(
    *, identity: IdentityInput, name: str, language: str, actor
) -> tuple[Customer, bool]:
    """The customer who owns this identity, or a new one holding it."""
    from aftersales.customers.selectors import customer_by_identity

    found = customer_by_identity(kind=identity.kind, value=identity.value, marketplace=identity.marketplace,
                                 language=language)
    if found is not None:
        return found, False
    return customer_create(name=name, language=language, actor=actor, identities=[identity]), True


@transaction.atomic
def identity_mark_verified(*, customer: Customer, kind: str, value: str, actor) -> int:
    """Record that the customer proved they hold this identity (e.g. followed a mailed link)."""
    from django.utils import timezone

    count = customer.identities.filter(kind=kind, value=value, verified_at__isnull=True).update(
        verified_at=timezone.now())
    if count:
        audit_record(actor=actor, obj=customer, action="customer.identity_verified",
                     after={"kind": kind, "value": value})
    return count


@transaction.atomic
def identity_remove(*, customer: Customer, identity: CustomerIdentity, actor) -> None:
    """Forget one way of recognising the customer. A customer with a portal account keeps the
    e-mail address the account signs in with, and always at least one e-mail address."""
    # Lock the customer so two removals at once cannot both take "the other" e-mail address.
    customer = Customer.objects.select_for_update(of=("self",)).select_related("user").get(pk=customer.pk)
    identity = customer.identities.filter(pk=identity.pk).first()
    if identity is None:
        raise Conflict(CustomerError.IDENTITY_INVALID, _("This contact is already gone."))
    if identity.kind == IdentityKind.EMAIL and customer.user is not None:
        account = {customer.user.username.lower(), customer.user.email.lower()}
        if identity.value.lower() in account:
            raise Conflict(CustomerError.IDENTITY_PROTECTED,
                           _("The account signs in with this e-mail address, so it cannot be removed."))
        if not customer.identities.filter(kind=IdentityKind.EMAIL).exclude(pk=identity.pk).exists():
            raise Conflict(CustomerError.IDENTITY_PROTECTED, _("Keep at least one e-mail address."))
    before = {"kind": identity.kind, "marketplace": identity.marketplace, "value": identity.value}
    identity.delete()
    audit_record(actor=actor, obj=customer, action="customer.identity_removed", before=before)
