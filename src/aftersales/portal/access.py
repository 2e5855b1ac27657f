"""Fetch-by-id with the permission check built in, for what the portal itself owns."""

from __future__ import annotations

from django.http import Http404

from aftersales.cases.models import Case
from aftersales.customers.models import CustomerIdentity, IdentityKind
from aftersales.customers.selectors import customer_by_identity
from aftersales.portal.models import PurchaseProof


def access_purchase_proof(*, user, proof_id: int) -> PurchaseProof:
    found = None
    if user.is_authenticated and user.is_customer:
        found = PurchaseProof.objects.filter(pk=proof_id, customer__user=user).first()
    if found is None:
        raise Http404
    return found


def access_own_identity(*, customer, identity_id: int) -> CustomerIdentity:
    """One of the customer's own e-mail addresses or phone numbers; anything else is a 404."""
    found = customer.identities.filter(pk=identity_id, kind__in=[IdentityKind.EMAIL, IdentityKind.PHONE]).first()
    if found is None:
        raise Http404
    return found


def guest_case(*, number: str, contact: str, language: str) -> Case | None:
    """A case for someone without an account: its number and the e-mail or phone number of the
    customer it belongs to must both match. Any mismatch is the same None."""
    number = (number or "").strip().upper()
    contact = (contact or "").strip()
    if not number or not contact or len(number) > 24 or len(contact) > 254:
        return None
    kind = "email" if "@" in contact else "phone"
    customer = customer_by_identity(kind=kind, value=contact, language=language)
    if customer is None:
        return None
    return Case.objects.filter(number=number, customer=customer).first()
