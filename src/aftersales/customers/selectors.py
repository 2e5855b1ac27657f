from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from aftersales.core.errors import ValidationFailed
from aftersales.customers.identities import LANGUAGE_REGION, normalise_identity
from aftersales.customers.models import Customer, CustomerIdentity, IdentityKind


def customer_by_identity(*, kind: str, value: str, marketplace: str = "", language: str = "en") -> Customer | None:
    try:
        normalised = normalise_identity(kind, value, region=LANGUAGE_REGION.get(language))
    except ValidationFailed:
        return None
    return (
        Customer.objects.filter(
            identities__kind=kind,
            identities__marketplace=marketplace if kind == "marketplace" else "",
            identities__value=normalised,
        )
        .distinct()
        .first()
    )


def customers_with_details(qs: QuerySet[Customer]) -> QuerySet[Customer]:
    return qs.prefetch_related("identities", "addresses")


# What a search box term may look like when it is a phone number: digits with the usual
# separators, at least six digits.
PHONE_SHAPE = re.compile(r"\+?[\d\s().\-]{6,32}")


def phone_candidates(term: str, *, region: str | None = None) -> set[str]:
    """Every E.164 reading of `term` in the regions the service works in (`region` first):
    "0912 345 678" is +886912345678 in Taiwan whoever types it."""
    term = term.strip()
    if not PHONE_SHAPE.fullmatch(term) or sum(ch.isdigit() for ch in term) < 6:
        return set()
    found: set[str] = set()
    for where in dict.fromkeys([region, *LANGUAGE_REGION.values()]):
        if where is None:
            continue
        try:
            found.add(normalise_identity("phone", term, region=where))
        except ValidationFailed:
            continue
    return found


def identity_search_filter(term: str, *, region: str | None = None) -> Q:
    """A filter on `CustomerIdentity` for the identities a typed term can mean, each in its
    stored form: an e-mail lower-cased, a phone number in E.164, a buyer id as typed."""
    term = term.strip()
    wanted = Q(kind=IdentityKind.MARKETPLACE, value=term)
    if "@" in term:
        wanted |= Q(kind=IdentityKind.EMAIL, value=term.lower())
    phones = phone_candidates(term, region=region)
    if phones:
        wanted |= Q(kind=IdentityKind.PHONE, value__in=sorted(phones))
    return wanted


def customer_ids_with_identity(term: str, *, region: str | None = None) -> QuerySet[CustomerIdentity]:
    """The ids of customers holding an identity the term matches, as a subquery."""
    return CustomerIdentity.objects.filter(identity_search_filter(term, region=region)).values("customer_id")
