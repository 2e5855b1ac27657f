from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from aftersales.core.schemas import RowId

# Strict: JSON `true` or `"3"` is not a quantity. The range is checked by the action
# (`invalid_quantity`); this bound only keeps absurd numbers away from it.
Quantity = Annotated[int, Field(strict=True, ge=-(2**31), le=2**31 - 1)]
Reference = Annotated[str, Field(max_length=64, examples=["WO-2026-000123"])]
Note = Annotated[str, Field(max_length=1000)]


class PartOut(Schema):
    id: int
    sku: str
    name: str = Field(description="The name in the reader's language")
    names: dict[str, str]
    unit_cost: Decimal
    unit_price: Decimal
    currency: str
    is_active: bool
    compatible_model_ids: list[int]


class PartListOut(Schema):
    items: list[PartOut]
    next_cursor: str | None


class LocationRef(Schema):
    id: int
    code: str
    name: str
    kind: str


class LevelOut(Schema):
    location: LocationRef
    on_hand: int
    reserved: int
    available: int
    minimum: int | None = None


class PartStockOut(Schema):
    part_id: int
    sku: str
    locations: list[LevelOut]


class MovementOut(Schema):
    id: int
    part_id: int
    sku: str
    location_id: int
    location_code: str
    quantity: int
    kind: str
    reference: str
    case_id: int | None
    reservation_id: int | None
    actor_id: int | None
    at: datetime
    note: str


class MovementListOut(Schema):
    items: list[MovementOut]
    next_cursor: str | None


class ReservationOut(Schema):
    id: int
    part_id: int
    location_id: int
    quantity: int
    reference: str
    case_id: int | None
    state: str
    created_at: datetime
    updated_at: datetime


class StockChangeOut(Schema):
    """What a stock action did: the movements it wrote (none for a reservation or release),
    the reservation it made or changed, and the stock it left at the locations it touched."""

    movements: list[MovementOut]
    reservation: ReservationOut | None = None
    stock: list[LevelOut]


class ReceiveIn(Schema):
    part_id: RowId
    location_id: RowId
    quantity: Quantity
    reference: Reference = ""
    note: Note = ""


class TransferIn(Schema):
    part_id: RowId
    from_location_id: RowId
    to_location_id: RowId
    quantity: Quantity
    reference: Reference = ""
    note: Note = ""


class ReserveIn(Schema):
    part_id: RowId
    location_id: RowId
    quantity: Quantity
    reference: Reference
    case_id: RowId | None = None


class ReleaseIn(Schema):
    reservation_id: RowId
    note: Note = ""


class ConsumeIn(Schema):
    """Either `reservation_id` (and optionally a smaller `quantity`; the rest is released), or
    `part_id`, `location_id`, `quantity` and `reference` to consume directly."""

    reservation_id: RowId | None = None
    part_id: RowId | None = None
    location_id: RowId | None = None
    quantity: Quantity | None = None
    reference: Reference = ""
    case_id: RowId | None = None
    note: Note = ""


class ReturnIn(Schema):
    part_id: RowId
    location_id: RowId
    quantity: Quantity
    reference: Reference = ""
    case_id: RowId | None = None
    note: Note = ""


class AdjustIn(Schema):
    part_id: RowId
    location_id: RowId
    quantity: Quantity = Field(description="Signed: +2 found two more, -1 one fewer than recorded")
    reason: Note


class BelowMinimumOut(Schema):
    id: int
    part_id: int
    sku: str
    name: str
    location: LocationRef
    minimum: int
    on_hand: int
    reserved: int
    available: int
    short: int


class BelowMinimumListOut(Schema):
    items: list[BelowMinimumOut]
    next_cursor: str | None
