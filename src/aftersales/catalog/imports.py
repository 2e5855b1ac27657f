"""Bulk import of purchases from a shop or marketplace: all or nothing.

Every item is checked before anything is written. If any item is wrong the answer lists
each wrong item by its index and nothing is stored. Duplicates (same channel and order
number, already stored) are refused with `on_duplicate="reject"` (the default), or have
their header fields and lines replaced with `on_duplicate="update"`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.catalog.actions import PURCHASE_FIELDS, purchase_lines_write, validate_purchase_fields
from aftersales.catalog.errors import CatalogError
from aftersales.catalog.models import ProductModel, Purchase
from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.customers.actions import IdentityInput, customer_create, identity_add
from aftersales.customers.selectors import customer_by_identity

MAX_IMPORT_ITEMS = 1000
HEADER_FIELDS = [f for f in PURCHASE_FIELDS if f != "customer"]


@dataclass
class ImportResult:
    created: list[Purchase] = field(default_factory=list)
    updated: list[Purchase] = field(default_factory=list)


def _identities(customer: dict[str, Any], channel: str) -> list[IdentityInput]:
    out = []
    if customer.get("marketplace_buyer_id"):
        out.append(IdentityInput(kind="marketplace", value=customer["marketplace_buyer_id"], marketplace=channel))
    if customer.get("email"):
        out.append(IdentityInput(kind="email", value=customer["email"]))
    if customer.get("phone"):
        out.append(IdentityInput(kind="phone", value=customer["phone"]))
    return out


def _resolve_customer(customer: dict[str, Any], channel: str):
    """The one existing customer the identities point to, None if none; refuses if they disagree."""
    language = customer.get("language") or "en"
    found = {}
    for ident in _identities(customer, channel):
        match = customer_by_identity(kind=ident.kind, value=ident.value, marketplace=ident.marketplace,
                                     language=language)
        if match is not None:
            found[match.pk] = match
    if len(found) > 1:
        raise ValidationFailed(CatalogError.PURCHASE_INVALID,
                               _("The customer's identities belong to different customers."))
    return next(iter(found.values()), None)


def _check_item(item: dict[str, Any], models_by_sku: dict[str, ProductModel]) -> dict[str, Any]:
    header = {k: item.get(k) for k in HEADER_FIELDS if k in item}
    header.setdefault("shop_name", "")
    header.setdefault("invoice_number", "")
    validate_purchase_fields(header)
    customer = item.get("customer") or {}
    if not str(customer.get("name", "")).strip():
        raise ValidationFailed(CatalogError.PURCHASE_INVALID, _("The customer needs a name."))
    if not _identities(customer, header["channel"]):
        raise ValidationFailed(CatalogError.PURCHASE_INVALID,
                               _("The customer needs an e-mail, a phone number or a marketplace buyer id."))
    lines = []
    for line in item.get("lines") or []:
        model = models_by_sku.get(line.get("sku"))
        if model is None:
            raise ValidationFailed(CatalogError.UNKNOWN_SKU, _("Unknown SKU: %(s)s") % {"s": line.get("sku")})
        lines.append({**line, "product_model": model})
    if not lines:
        raise ValidationFailed(CatalogError.PURCHASE_INVALID, _("A purchase needs at least one line."))
    return {"header": header, "customer": customer, "lines": lines}


def purchases_import(*, items: list[dict[str, Any]], on_duplicate: str = "reject", actor) -> ImportResult:
    if on_duplicate not in ("reject", "update"):
        raise ValidationFailed(CatalogError.PURCHASE_INVALID, _("on_duplicate must be “reject” or “update”."))
    if not items:
        raise ValidationFailed(CatalogError.IMPORT_FAILED, _("Nothing to import."))
    if len(items) > MAX_IMPORT_ITEMS:
        raise ValidationFailed(CatalogError.IMPORT_TOO_LARGE, _("At most %(n)d purchases per call.")
                               % {"n": MAX_IMPORT_ITEMS})

    skus = {line.get("sku") for item in items for line in (item.get("lines") or [])}
    models_by_sku = {
        m.sku: m for m in ProductModel.objects.filter(sku__in=[s for s in skus if isinstance(s, str)])
    }
    keys = [(item.get("channel"), item.get("order_number")) for item in items]
    existing = {
        (p.channel, p.order_number): p
        for p in Purchase.objects.filter(order_number__in=[k[1] for k in keys if isinstance(k[1], str)])
    }

    errors: list[dict[str, Any]] = []
    checked: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for index, item in enumerate(items):
        try:
            key = (item.get("channel"), item.get("order_number"))
            if key in seen:
                raise ValidationFailed(CatalogError.DUPLICATE_ORDER, _("The same order appears twice in this import."))
            seen.add(key)
            if key in existing and on_duplicate == "reject":
                raise ValidationFailed(CatalogError.DUPLICATE_ORDER, _("Order %(o)s from %(c)s already exists.")
                                       % {"o": key[1], "c": key[0]})
            checked.append(_check_item(dict(item), models_by_sku))
        except DomainError as exc:
            errors.append({"index": index, "code": exc.code, "detail": str(exc.detail)})
    if errors:
        raise ValidationFailed(CatalogError.IMPORT_FAILED,
                               _("%(n)d of %(total)d purchases are not valid; nothing was imported.")
                               % {"n": len(errors), "total": len(items)}, errors=errors)

    result = ImportResult()
    position = {"index": 0}
    try:
        with transaction.atomic():
            for index, entry in enumerate(checked):
                position["index"] = index
                _write(entry, existing, result, actor)
    except DomainError as exc:  # a conflict only the write could see (e.g. a serial in another order)
        index = position["index"]
        raise ValidationFailed(
            CatalogError.IMPORT_FAILED,
            _("Purchase %(i)d could not be stored; nothing was imported.") % {"i": index},
            errors=[{"index": index, "code": exc.code, "detail": str(exc.detail)}],
        ) from exc
    return result


def _write(entry: dict[str, Any], existing: dict[tuple, Purchase], result: ImportResult, actor) -> None:
    header, cust = entry["header"], entry["customer"]
    customer = _resolve_customer(cust, header["channel"])
    if customer is None:
        customer = customer_create(name=cust["name"].strip(), language=cust.get("language") or "en", actor=actor)
    for ident in _identities(cust, header["channel"]):
        identity_add(customer=customer, kind=ident.kind, value=ident.value, marketplace=ident.marketplace,
                     actor=actor, audit=False)
    purchase = existing.get((header["channel"], header["order_number"]))
    if purchase is None:
        purchase = Purchase.objects.create(customer=customer, **header)
        purchase_lines_write(purchase=purchase, lines=entry["lines"], actor=actor)
        audit_record(actor=actor, obj=purchase, action="purchase.imported", after=snapshot(purchase, PURCHASE_FIELDS))
        result.created.append(purchase)
        return
    before = snapshot(purchase, PURCHASE_FIELDS)
    for key, value in header.items():
        setattr(purchase, key, value)
    purchase.customer = customer
    purchase.save()
    purchase.lines.all().delete()
    purchase_lines_write(purchase=purchase, lines=entry["lines"], actor=actor)
    audit_changes(actor=actor, obj=purchase, action="purchase.reimported", before=before,
                  after=snapshot(purchase, PURCHASE_FIELDS))
    result.updated.append(purchase)
