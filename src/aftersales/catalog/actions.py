from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftersales.catalog.errors import CatalogError
from aftersales.catalog.imei import imei_is_valid
from aftersales.catalog.models import (
    CURRENCY_MINOR_UNITS,
    Currency,
    Guarantee,
    OrderLine,
    ProductCategory,
    ProductModel,
    ProductModelName,
    Purchase,
    SalesChannel,
    Unit,
)
from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
PURCHASE_FIELDS = [
    "customer", "channel", "order_number", "shop_name", "amount", "currency", "paid_at", "shipped_at",
    "signed_at", "installed_at", "invoice_date", "invoice_number", "guarantees",
]
DATE_ORDER = ["paid_at", "shipped_at", "signed_at", "installed_at"]


def _invalid(code: str, detail: str) -> ValidationFailed:
    return ValidationFailed(code, detail)


def validate_names(names: dict[str, str]) -> dict[str, str]:
    clean = {lang: (name or "").strip() for lang, name in names.items()}
    unknown = set(clean) - LANGUAGE_CODES
    if unknown:
        raise _invalid(CatalogError.PRODUCT_INVALID, _("Unknown languages: %(l)s") % {"l": ", ".join(sorted(unknown))})
    if not any(clean.values()):
        raise _invalid(CatalogError.PRODUCT_INVALID, _("A product model needs a name in at least one language."))
    return {k: v for k, v in clean.items() if v}


@transaction.atomic
def product_model_create(
    *, sku: str, category_code: str, names: dict[str, str], actor, brand: str = ""
) -> ProductModel:
    sku = sku.strip()
    if not sku:
        raise _invalid(CatalogError.PRODUCT_INVALID, _("The SKU is empty."))
    category = ProductCategory.objects.filter(code=category_code).first()
    if category is None:
        raise _invalid(CatalogError.UNKNOWN_CATEGORY, _("Unknown category: %(c)s") % {"c": category_code})
    names = validate_names(names)
    if ProductModel.objects.filter(sku=sku).exists():
        raise Conflict(CatalogError.SKU_TAKEN, _("SKU %(sku)s already exists.") % {"sku": sku})
    model = ProductModel.objects.create(sku=sku, category=category, brand=brand.strip())
    ProductModelName.objects.bulk_create(
        [ProductModelName(product_model=model, language=lang, name=name) for lang, name in names.items()]
    )
    audit_record(actor=actor, obj=model, action="product_model.created", after={"sku": sku, "names": names})
    return model


@transaction.atomic
def product_model_update(
    *, product_model: ProductModel, actor, names: dict[str, str] | None = None, brand: str | None = None,
    is_active: bool | None = None, category_code: str | None = None,
) -> ProductModel:
    before = snapshot(product_model, ["brand", "is_active", "category"])
    if brand is not None:
        product_model.brand = brand.strip()
    if is_active is not None:
        product_model.is_active = is_active
    if category_code is not None:
        category = ProductCategory.objects.filter(code=category_code).first()
        if category is None:
            raise _invalid(CatalogError.UNKNOWN_CATEGORY, _("Unknown category: %(c)s") % {"c": category_code})
        product_model.category = category
    product_model.save()
    if names is not None:
        names = validate_names(names)
        for lang, name in names.items():
            ProductModelName.objects.update_or_create(product_model=product_model, language=lang,
                                                      defaults={"name": name})
        before["names"] = None
    after = snapshot(product_model, ["brand", "is_active", "category"])
    if names is not None:
        after["names"] = names
    audit_changes(actor=actor, obj=product_model, action="product_model.updated", before=before, after=after)
    return product_model


def validate_imei(imei: str | None) -> str | None:
    if imei in (None, ""):
        return None
    imei = imei.strip()
    # ASCII digits only: str.isdigit() also accepts full-width and other scripts' digits.
    if not (imei.isascii() and imei.isdigit() and len(imei) in (15, 16)):
        raise _invalid(CatalogError.IMEI_INVALID, _("An IMEI has 15 digits (16 for IMEISV)."))
    if not imei_is_valid(imei):
        raise _invalid(CatalogError.IMEI_INVALID, _("The IMEI check digit is wrong."))
    return imei


@transaction.atomic
def unit_register(
    *, product_model: ProductModel, serial_number: str, actor, imei: str | None = None,
    factory_date: date | None = None, customer=None, order_line: OrderLine | None = None,
) -> Unit:
    serial_number = serial_number.strip()
    if not serial_number:
        raise _invalid(CatalogError.PRODUCT_INVALID, _("The serial number is empty."))
    imei = validate_imei(imei)
    if Unit.objects.filter(product_model=product_model, serial_number=serial_number).exists():
        raise Conflict(CatalogError.SERIAL_TAKEN, _("Serial number %(s)s is already registered.")
                       % {"s": serial_number})
    if imei and Unit.objects.filter(imei=imei).exists():
        raise Conflict(CatalogError.SERIAL_TAKEN, _("IMEI %(s)s is already registered.") % {"s": imei})
    try:
        with transaction.atomic():
            unit = Unit.objects.create(product_model=product_model, serial_number=serial_number, imei=imei,
                                       factory_date=factory_date, customer=customer, order_line=order_line)
    except IntegrityError as exc:
        raise Conflict(CatalogError.SERIAL_TAKEN, _("Serial number %(s)s is already registered.")
                       % {"s": serial_number}) from exc
    audit_record(actor=actor, obj=unit, action="unit.registered",
                 after=snapshot(unit, ["product_model", "serial_number", "imei", "customer"]))
    return unit


def clean_money(value: Any, currency: str, *, what: str) -> Decimal:
    if currency not in CURRENCY_MINOR_UNITS:
        raise _invalid(CatalogError.PURCHASE_INVALID, _("Unknown currency: %(c)s") % {"c": currency})
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _invalid(CatalogError.PURCHASE_INVALID, _("%(what)s is not a number.") % {"what": what}) from exc
    if not amount.is_finite() or amount < 0:
        raise _invalid(CatalogError.PURCHASE_INVALID, _("%(what)s must be zero or more.") % {"what": what})
    if amount >= Decimal("1e12"):
        raise _invalid(CatalogError.PURCHASE_INVALID, _("%(what)s is too large.") % {"what": what})
    places = CURRENCY_MINOR_UNITS[currency]
    if -amount.as_tuple().exponent > places:
        raise _invalid(
            CatalogError.PURCHASE_INVALID,
            _("%(what)s has more decimal places than %(currency)s allows (%(places)d).")
            % {"what": what, "currency": currency, "places": places},
        )
    return amount


def validate_purchase_fields(data: dict[str, Any]) -> None:
    """Checks shared by single create, update and bulk import."""
    if data.get("channel") not in SalesChannel.values:
        raise _invalid(CatalogError.PURCHASE_INVALID, _("Unknown sales channel: %(c)s") % {"c": data.get("channel")})
    if data.get("currency") not in Currency.values:
        raise _invalid(CatalogError.PURCHASE_INVALID, _("Unknown currency: %(c)s") % {"c": data.get("currency")})
    if not str(data.get("order_number", "")).strip():
        raise _invalid(CatalogError.PURCHASE_INVALID, _("The order number is empty."))
    data["amount"] = clean_money(data.get("amount"), data["currency"], what=_("The amount"))
    bad = [g for g in data.get("guarantees") or [] if g not in Guarantee.values]
    if bad:
        raise _invalid(CatalogError.PURCHASE_INVALID, _("Unknown guarantees: %(g)s") % {"g": ", ".join(bad)})
    data["guarantees"] = sorted(set(data.get("guarantees") or []))
    stamps = [(name, data.get(name)) for name in DATE_ORDER if data.get(name)]
    for (first, t1), (second, t2) in zip(stamps, stamps[1:], strict=False):
        if isinstance(t1, datetime) and isinstance(t2, datetime) and t2 < t1:
            raise _invalid(CatalogError.PURCHASE_INVALID, _("%(second)s is earlier than %(first)s.")
                           % {"first": first, "second": second})


@transaction.atomic
def purchase_create(*, customer, data: dict[str, Any], lines: list[dict[str, Any]], actor) -> Purchase:
    data = dict(data)
    validate_purchase_fields(data)
    if Purchase.objects.filter(channel=data["channel"], order_number=data["order_number"]).exists():
        raise Conflict(CatalogError.DUPLICATE_ORDER, _("Order %(o)s from %(c)s already exists.")
                       % {"o": data["order_number"], "c": data["channel"]})
    purchase = Purchase.objects.create(customer=customer, **data)
    purchase_lines_write(purchase=purchase, lines=lines, actor=actor)
    audit_record(actor=actor, obj=purchase, action="purchase.created", after=snapshot(purchase, PURCHASE_FIELDS))
    return purchase


def purchase_lines_write(*, purchase: Purchase, lines: list[dict[str, Any]], actor) -> None:
    """Lines: {"product_model": ProductModel, "quantity": n, "unit_price": x, "serials": [...]}"""
    for line in lines:
        quantity = int(line.get("quantity", 1))
        serials = line.get("serials") or []
        if quantity < 1:
            raise _invalid(CatalogError.PURCHASE_INVALID, _("A quantity must be at least 1."))
        if len(serials) > quantity:
            raise _invalid(CatalogError.PURCHASE_INVALID, _("More serial numbers than items on the line."))
        price = clean_money(line.get("unit_price"), purchase.currency, what=_("The unit price"))
        order_line = OrderLine.objects.create(purchase=purchase, product_model=line["product_model"],
                                              quantity=quantity, unit_price=price)
        for serial in serials:
            existing = Unit.objects.filter(product_model=line["product_model"],
                                           serial_number=serial["serial_number"].strip()).first()
            if existing is not None:
                if existing.customer_id not in (None, purchase.customer_id):
                    raise Conflict(CatalogError.SERIAL_TAKEN, _("Serial number %(s)s belongs to another customer.")
                                   % {"s": existing.serial_number})
                existing.order_line = order_line
                existing.customer_id = purchase.customer_id
                existing.save(update_fields=["order_line", "customer", "updated_at"])
            else:
                unit_register(product_model=line["product_model"], serial_number=serial["serial_number"],
                              imei=serial.get("imei"), factory_date=serial.get("factory_date"),
                              customer=purchase.customer, order_line=order_line, actor=actor)
