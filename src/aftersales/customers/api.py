from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.core.pagination import keyset_page
from aftersales.core.schemas import ERRORS
from aftersales.customers import actions
from aftersales.customers.access import access_customer, customers_visible_to
from aftersales.customers.models import Customer
from aftersales.customers.schemas import (
    AddressIn,
    AddressOut,
    CustomerIn,
    CustomerListOut,
    CustomerOut,
    CustomerPatchIn,
    IdentityIn,
    IdentityOut,
    TierIn,
)
from aftersales.customers.selectors import customers_with_details

router = Router(tags=["customers"])

ADDRESS_KEYS = ["label", "recipient", "phone", "country", "region", "city", "district", "line1", "line2",
                "postal_code", "is_default"]


def identity_out(i) -> dict[str, Any]:
    return {"id": i.pk, "kind": i.kind, "marketplace": i.marketplace, "value": i.value, "is_primary": i.is_primary}


def address_out(a) -> dict[str, Any]:
    return {"id": a.pk, **{k: getattr(a, k) for k in ADDRESS_KEYS}}


def customer_out(c: Customer) -> dict[str, Any]:
    return {
        "id": c.pk, "name": c.name, "company": c.company, "language": c.language, "tier": c.tier,
        "has_portal_account": c.user_id is not None,
        "identities": [identity_out(i) for i in c.identities.all()],
        "addresses": [address_out(a) for a in c.addresses.all()],
        "created_at": c.created_at, "updated_at": c.updated_at,
    }


def _reload(pk: int) -> Customer:
    return customers_with_details(Customer.objects.filter(pk=pk)).get()


def _identity_input(i: IdentityIn) -> actions.IdentityInput:
    return actions.IdentityInput(kind=i.kind, value=i.value, marketplace=i.marketplace or "", is_primary=i.is_primary)


def _address_input(a: AddressIn) -> actions.AddressInput:
    extra = {k: getattr(a, k) for k in ADDRESS_KEYS if k not in ("country", "line1", "is_default")}
    return actions.AddressInput(country=a.country, line1=a.line1, extra=extra, is_default=a.is_default)


class CustomerQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Name, or an exact e-mail / phone / buyer id.")
    tier: TierIn | None = None  # type: ignore[valid-type]
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


@router.get("/customers", response={200: CustomerListOut, **ERRORS}, summary="List customers")
def list_customers(request: HttpRequest, q: Query[CustomerQuery]):
    qs = customers_visible_to(request.auth)
    if q.tier:
        qs = qs.filter(tier=q.tier)
    if q.q:
        term = q.q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(identities__value__iexact=term)).distinct()
    page = keyset_page(customers_with_details(qs), keys=("id",), kinds=(int,), cursor=q.cursor, limit=q.limit)
    return {"items": [customer_out(c) for c in page.items], "next_cursor": page.next_cursor}


@router.post("/customers", response={201: CustomerOut, **ERRORS}, summary="Create a customer")
def create_customer(request: HttpRequest, payload: CustomerIn):
    require(request.auth, Op.CUSTOMER_EDIT)
    customer = actions.customer_create(
        name=payload.name, company=payload.company, language=payload.language, tier=payload.tier,
        notes=payload.notes, actor=request.auth,
        identities=[_identity_input(i) for i in payload.identities],
        addresses=[_address_input(a) for a in payload.addresses],
    )
    return Status(201, customer_out(_reload(customer.pk)))


@router.get("/customers/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Read a customer")
def read_customer(request: HttpRequest, customer_id: int):
    return customer_out(_reload(access_customer(user=request.auth, customer_id=customer_id).pk))


@router.patch("/customers/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Change a customer")
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatchIn):
    customer = access_customer(user=request.auth, customer_id=customer_id)
    require(request.auth, Op.CUSTOMER_EDIT)
    changes = {k: getattr(payload, k) for k in payload.model_fields_set}
    if any(v is None for v in changes.values()):
        from aftersales.core.errors import ValidationFailed

        raise ValidationFailed("invalid_input", _("Fields cannot be set to null."))
    actions.customer_update(customer=customer, changes=changes, actor=request.auth)
    return customer_out(_reload(customer.pk))


@router.post("/customers/{customer_id}/identities", response={201: IdentityOut, **ERRORS},
             summary="Add an identity")
def add_identity(request: HttpRequest, customer_id: int, payload: IdentityIn):
    customer = access_customer(user=request.auth, customer_id=customer_id)
    require(request.auth, Op.CUSTOMER_EDIT)
    with transaction.atomic():
        identity = actions.identity_add(customer=customer, kind=payload.kind, value=payload.value,
                                        marketplace=payload.marketplace or "", is_primary=payload.is_primary,
                                        actor=request.auth)
    return Status(201, identity_out(identity))


@router.post("/customers/{customer_id}/addresses", response={201: AddressOut, **ERRORS}, summary="Add an address")
def add_address(request: HttpRequest, customer_id: int, payload: AddressIn):
    customer = access_customer(user=request.auth, customer_id=customer_id)
    require(request.auth, Op.CUSTOMER_EDIT)
    data = {k: getattr(payload, k) for k in ADDRESS_KEYS if k != "is_default"}
    with transaction.atomic():
        address = actions.address_add(customer=customer, data=data, is_default=payload.is_default, actor=request.auth)
    return Status(201, address_out(address))
