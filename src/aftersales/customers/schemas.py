from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from aftersales.catalog.models import SalesChannel
from aftersales.core.schemas import LanguageCode, choices_literal
from aftersales.customers.models import Tier

TierIn = choices_literal(Tier)
MarketplaceIn = choices_literal(SalesChannel)


class IdentityIn(Schema):
    kind: Literal["email", "phone", "marketplace"]
    value: str = Field(min_length=1, max_length=254, examples=["lin.meiling@example.com"])
    marketplace: MarketplaceIn | None = None  # type: ignore[valid-type]
    is_primary: bool = False


class AddressIn(Schema):
    country: str = Field(min_length=2, max_length=2, examples=["TW"])
    line1: str = Field(min_length=1, max_length=300, examples=["忠孝東路四段 100 號 5 樓"])
    label: str = Field("", max_length=60)
    recipient: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    region: str = Field("", max_length=100)
    city: str = Field("", max_length=100)
    district: str = Field("", max_length=100)
    line2: str = Field("", max_length=300)
    postal_code: str = Field("", max_length=20)
    is_default: bool = False


class CustomerIn(Schema):
    name: str = Field(min_length=1, max_length=200, examples=["林美玲"])
    company: str = Field("", max_length=200)
    language: LanguageCode = "en"
    tier: TierIn = "standard"  # type: ignore[valid-type]
    notes: str = Field("", max_length=10_000)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)


class CustomerPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    company: str | None = Field(None, max_length=200)
    language: LanguageCode | None = None
    tier: TierIn | None = None  # type: ignore[valid-type]
    notes: str | None = Field(None, max_length=10_000)


class IdentityOut(Schema):
    id: int
    kind: str
    marketplace: str
    value: str
    is_primary: bool


class AddressOut(Schema):
    id: int
    label: str
    recipient: str
    phone: str
    country: str
    region: str
    city: str
    district: str
    line1: str
    line2: str
    postal_code: str
    is_default: bool


class CustomerOut(Schema):
    id: int
    name: str
    company: str
    language: str
    tier: str
    has_portal_account: bool
    identities: list[IdentityOut]
    addresses: list[AddressOut]
    created_at: datetime
    updated_at: datetime


class CustomerListOut(Schema):
    items: list[CustomerOut]
    next_cursor: str | None
