from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from aftersales.catalog.models import Currency, Guarantee, SalesChannel
from aftersales.core.schemas import LanguageCode, choices_literal

ChannelIn = choices_literal(SalesChannel)
CurrencyIn = choices_literal(Currency)
GuaranteeIn = choices_literal(Guarantee)
ProductName = Annotated[str, Field(max_length=200)]  # ProductModelName.name


class ProductModelIn(Schema):
    sku: str = Field(min_length=1, max_length=64, examples=["WM-D80-2026"])
    category: str = Field(min_length=1, max_length=40, examples=["washing-machine"])
    brand: str = Field("", max_length=100)
    names: dict[LanguageCode, ProductName] = Field(
        examples=[{"zh-hans": "滚筒洗衣机 8 公斤", "en": "Front loader 8 kg"}])


class ProductModelPatchIn(Schema):
    category: str | None = Field(None, min_length=1, max_length=40)
    brand: str | None = Field(None, max_length=100)
    is_active: bool | None = None
    names: dict[LanguageCode, ProductName] | None = None


class ProductModelOut(Schema):
    id: int
    sku: str
    category: str
    brand: str
    is_active: bool
    name: str = Field(description="The name in the reader's language")
    names: dict[str, str]


class UnitIn(Schema):
    product_model_id: int
    serial_number: str = Field(min_length=1, max_length=64)
    imei: str | None = Field(None, max_length=17)
    factory_date: date | None = None
    customer_id: int | None = None


class UnitOut(Schema):
    id: int
    product_model_id: int
    sku: str
    serial_number: str
    imei: str | None
    factory_date: date | None
    customer_id: int | None
    order_line_id: int | None


class SerialIn(Schema):
    serial_number: str = Field(min_length=1, max_length=64)
    imei: str | None = Field(None, max_length=17)
    factory_date: date | None = None


class LineIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(1, ge=1, le=10_000)
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    serials: list[SerialIn] = Field(default_factory=list, max_length=1000)


class PurchaseFields(Schema):
    channel: ChannelIn  # type: ignore[valid-type]
    order_number: str = Field(min_length=1, max_length=64, examples=["TM20260315-88812"])
    shop_name: str = Field("", max_length=200)
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2, examples=["3299.00"])
    currency: CurrencyIn  # type: ignore[valid-type]
    # With a time zone: a naive time cannot be compared with an aware one (that was a 500).
    paid_at: AwareDatetime | None = None
    shipped_at: AwareDatetime | None = None
    signed_at: AwareDatetime | None = None
    installed_at: AwareDatetime | None = None
    invoice_date: date | None = None
    invoice_number: str = Field("", max_length=64)
    guarantees: list[GuaranteeIn] = Field(default_factory=list, max_length=10)  # type: ignore[valid-type]
    lines: list[LineIn] = Field(min_length=1, max_length=200)


class PurchaseIn(PurchaseFields):
    customer_id: int


class ImportCustomerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    language: LanguageCode = "en"
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    marketplace_buyer_id: str | None = Field(None, max_length=254)


class ImportItemIn(PurchaseFields):
    customer: ImportCustomerIn


class PurchaseImportIn(Schema):
    on_duplicate: Literal["reject", "update"] = Field(
        "reject",
        description="`reject`: an order already stored (same channel and order number) fails the whole import. "
        "`update`: its fields and lines are replaced.",
    )
    items: list[ImportItemIn] = Field(min_length=1, max_length=1000)


class LineOut(Schema):
    id: int
    product_model_id: int
    sku: str
    quantity: int
    unit_price: Decimal
    unit_ids: list[int]


class PurchaseOut(Schema):
    id: int
    customer_id: int
    channel: str
    order_number: str
    shop_name: str
    amount: Decimal
    currency: str
    paid_at: datetime | None
    shipped_at: datetime | None
    signed_at: datetime | None
    installed_at: datetime | None
    invoice_date: date | None
    invoice_number: str
    guarantees: list[str]
    lines: list[LineOut]


class PurchaseListOut(Schema):
    items: list[PurchaseOut]
    next_cursor: str | None


class UnitListOut(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class ProductModelListOut(Schema):
    items: list[ProductModelOut]
    next_cursor: str | None


class ImportResultOut(Schema):
    created: list[int]
    updated: list[int]
