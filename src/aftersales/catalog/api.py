from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.catalog import actions
from aftersales.catalog.access import (
    access_product_model,
    access_purchase,
    access_unit,
    product_models_visible_to,
    purchases_visible_to,
    units_visible_to,
)
from aftersales.catalog.errors import CatalogError
from aftersales.catalog.imports import purchases_import
from aftersales.catalog.models import OrderLine, ProductModel, Purchase, Unit, localized_name
from aftersales.catalog.schemas import (
    ChannelIn,
    ImportResultOut,
    ProductModelIn,
    ProductModelListOut,
    ProductModelOut,
    ProductModelPatchIn,
    PurchaseImportIn,
    PurchaseIn,
    PurchaseListOut,
    PurchaseOut,
    UnitIn,
    UnitListOut,
    UnitOut,
)
from aftersales.core.errors import ValidationFailed
from aftersales.core.pagination import keyset_page
from aftersales.core.schemas import ERRORS, RowId
from aftersales.customers.access import access_customer

router = Router(tags=["products and purchases"])


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


# ---- product models -------------------------------------------------------------------------

def product_model_out(m: ProductModel) -> dict[str, Any]:
    return {"id": m.pk, "sku": m.sku, "category": m.category.code, "brand": m.brand, "is_active": m.is_active,
            "name": localized_name(m, "names"), "names": {n.language: n.name for n in m.names.all()}}


def _models(qs):
    return qs.select_related("category").prefetch_related("names")


class ProductModelQuery(PageQuery):
    category: str | None = Field(None, max_length=40)
    sku: str | None = Field(None, max_length=64)


@router.get("/product-models", response={200: ProductModelListOut, **ERRORS}, summary="List product models")
def list_product_models(request: HttpRequest, q: Query[ProductModelQuery]):
    qs = product_models_visible_to(request.auth)
    if q.category:
        qs = qs.filter(category__code=q.category)
    if q.sku:
        qs = qs.filter(sku=q.sku)
    page = keyset_page(_models(qs), keys=("id",), kinds=(int,), cursor=q.cursor, limit=q.limit)
    return {"items": [product_model_out(m) for m in page.items], "next_cursor": page.next_cursor}


@router.post("/product-models", response={201: ProductModelOut, **ERRORS}, summary="Create a product model")
def create_product_model(request: HttpRequest, payload: ProductModelIn):
    require(request.auth, Op.CATALOG_EDIT)
    model = actions.product_model_create(sku=payload.sku, category_code=payload.category, brand=payload.brand,
                                         names=dict(payload.names), actor=request.auth)
    return Status(201, product_model_out(_models(ProductModel.objects.filter(pk=model.pk)).get()))


@router.get("/product-models/{model_id}", response={200: ProductModelOut, **ERRORS}, summary="Read a product model")
def read_product_model(request: HttpRequest, model_id: int):
    model = access_product_model(user=request.auth, product_model_id=model_id)
    return product_model_out(_models(ProductModel.objects.filter(pk=model.pk)).get())


@router.patch("/product-models/{model_id}", response={200: ProductModelOut, **ERRORS},
              summary="Change a product model")
def update_product_model(request: HttpRequest, model_id: int, payload: ProductModelPatchIn):
    model = access_product_model(user=request.auth, product_model_id=model_id)
    require(request.auth, Op.CATALOG_EDIT)
    sent = payload.model_fields_set
    actions.product_model_update(
        product_model=model, actor=request.auth,
        names=dict(payload.names) if "names" in sent and payload.names is not None else None,
        brand=payload.brand if "brand" in sent else None,
        is_active=payload.is_active if "is_active" in sent else None,
        category_code=payload.category if "category" in sent else None,
    )
    return product_model_out(_models(ProductModel.objects.filter(pk=model.pk)).get())


# ---- units ----------------------------------------------------------------------------------

def unit_out(u: Unit) -> dict[str, Any]:
    return {"id": u.pk, "product_model_id": u.product_model_id, "sku": u.product_model.sku,
            "serial_number": u.serial_number, "imei": u.imei, "factory_date": u.factory_date,
            "customer_id": u.customer_id, "order_line_id": u.order_line_id}


class UnitQuery(PageQuery):
    serial_number: str | None = Field(None, max_length=64)
    imei: str | None = Field(None, max_length=17)
    customer: RowId | None = None


@router.get("/units", response={200: UnitListOut, **ERRORS}, summary="List units")
def list_units(request: HttpRequest, q: Query[UnitQuery]):
    qs = units_visible_to(request.auth).select_related("product_model")
    if q.serial_number:
        qs = qs.filter(serial_number=q.serial_number.strip())
    if q.imei:
        qs = qs.filter(imei=q.imei.strip())
    if q.customer is not None:
        qs = qs.filter(customer_id=q.customer)
    page = keyset_page(qs, keys=("id",), kinds=(int,), cursor=q.cursor, limit=q.limit)
    return {"items": [unit_out(u) for u in page.items], "next_cursor": page.next_cursor}


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="Register a unit")
def create_unit(request: HttpRequest, payload: UnitIn):
    require(request.auth, Op.UNIT_EDIT)
    model = access_product_model(user=request.auth, product_model_id=payload.product_model_id)
    customer = access_customer(user=request.auth, customer_id=payload.customer_id) if payload.customer_id else None
    unit = actions.unit_register(product_model=model, serial_number=payload.serial_number, imei=payload.imei,
                                 factory_date=payload.factory_date, customer=customer, actor=request.auth)
    return Status(201, unit_out(Unit.objects.select_related("product_model").get(pk=unit.pk)))


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="Read a unit")
def read_unit(request: HttpRequest, unit_id: int):
    unit = access_unit(user=request.auth, unit_id=unit_id)
    return unit_out(Unit.objects.select_related("product_model").get(pk=unit.pk))


# ---- purchases ------------------------------------------------------------------------------

def purchase_out(p: Purchase) -> dict[str, Any]:
    return {
        **{k: getattr(p, k) for k in ("channel", "order_number", "shop_name", "amount", "currency", "paid_at",
                                      "shipped_at", "signed_at", "installed_at", "invoice_date", "invoice_number")},
        "id": p.pk, "customer_id": p.customer_id, "guarantees": list(p.guarantees or []),
        "lines": [{"id": li.pk, "product_model_id": li.product_model_id, "sku": li.product_model.sku,
                   "quantity": li.quantity, "unit_price": li.unit_price,
                   "unit_ids": [u.pk for u in li.units.all()]} for li in p.lines.all()],
    }


def _purchases(qs):
    lines = OrderLine.objects.select_related("product_model").prefetch_related("units")
    return qs.prefetch_related(Prefetch("lines", queryset=lines))


class PurchaseQuery(PageQuery):
    customer: RowId | None = None
    channel: ChannelIn | None = None  # type: ignore[valid-type]
    order_number: str | None = Field(None, max_length=64)


@router.get("/purchases", response={200: PurchaseListOut, **ERRORS}, summary="List purchases")
def list_purchases(request: HttpRequest, q: Query[PurchaseQuery]):
    qs = purchases_visible_to(request.auth)
    if q.customer is not None:
        qs = qs.filter(customer_id=q.customer)
    if q.channel:
        qs = qs.filter(channel=q.channel)
    if q.order_number:
        qs = qs.filter(order_number=q.order_number)
    page = keyset_page(_purchases(qs), keys=("id",), kinds=(int,), cursor=q.cursor, limit=q.limit)
    return {"items": [purchase_out(p) for p in page.items], "next_cursor": page.next_cursor}


def _lines(lines, models_by_sku: dict[str, ProductModel]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        model = models_by_sku.get(line.sku)
        if model is None:
            raise ValidationFailed(CatalogError.UNKNOWN_SKU, _("Unknown SKU: %(s)s") % {"s": line.sku})
        out.append({"product_model": model, "quantity": line.quantity, "unit_price": line.unit_price,
                    "serials": [s.dict() for s in line.serials]})
    return out


@router.post("/purchases", response={201: PurchaseOut, **ERRORS}, summary="Record a purchase")
def create_purchase(request: HttpRequest, payload: PurchaseIn):
    require(request.auth, Op.PURCHASE_EDIT)
    customer = access_customer(user=request.auth, customer_id=payload.customer_id)
    models_by_sku = {m.sku: m for m in ProductModel.objects.filter(sku__in=[li.sku for li in payload.lines])}
    data = payload.dict(exclude={"customer_id", "lines"})
    with transaction.atomic():
        purchase = actions.purchase_create(customer=customer, data=data,
                                           lines=_lines(payload.lines, models_by_sku), actor=request.auth)
    return Status(201, purchase_out(_purchases(Purchase.objects.filter(pk=purchase.pk)).get()))


@router.post("/purchases/import", response={200: ImportResultOut, **ERRORS}, summary="Import purchases in bulk")
def import_purchases(request: HttpRequest, payload: PurchaseImportIn):
    """Up to 1,000 purchases in one call, all or nothing. Customers are matched by marketplace
    buyer id, e-mail or phone, and created when none matches. On any invalid item the answer
    is 422 `import_failed` with `errors[]` naming each item by `index`, and nothing is stored."""
    require(request.auth, Op.PURCHASE_IMPORT)
    items = [item.dict() for item in payload.items]
    result = purchases_import(items=items, on_duplicate=payload.on_duplicate, actor=request.auth)
    return {"created": [p.pk for p in result.created], "updated": [p.pk for p in result.updated]}


@router.get("/purchases/{purchase_id}", response={200: PurchaseOut, **ERRORS}, summary="Read a purchase")
def read_purchase(request: HttpRequest, purchase_id: int):
    purchase = access_purchase(user=request.auth, purchase_id=purchase_id)
    return purchase_out(_purchases(Purchase.objects.filter(pk=purchase.pk)).get())
