from __future__ import annotations

from django.db.models import QuerySet

from aftersales.core.errors import ValidationFailed
from aftersales.customers.identities import LANGUAGE_REGION, normalise_identity
from aftersales.customers.models import Customer


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
