"""Spare parts and their stock, for staff (decision 0019).

Reads need `parts.view` (every staff role); stock changes `parts.move` (technicians,
supervisors, administrators); stock-take corrections `parts.admin`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases.access import access_case
from aftersales.catalog.models import localized_name
from aftersales.core.errors import ErrorCode, ValidationFailed
from aftersales.core.pagination import keyset_page
from aftersales.core.schemas import ERRORS, RowId
from aftersales.parts import actions, selectors
from aftersales.parts.access import access_location, access_part, access_reservation, parts_visible_to
from aftersales.parts.models import Reservation, StockLevel, StockLocation, StockMovement
from aftersales.parts.schemas import (
    AdjustIn,
    BelowMinimumListOut,
    ConsumeIn,
    MovementListOut,
    PartListOut,
    PartStockOut,
    ReceiveIn,
    ReleaseIn,
    ReserveIn,
    ReturnIn,
    StockChangeOut,
    TransferIn,
)

router = Router(tags=["spare parts"])


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def location_ref(loc: StockLocation) -> dict[str, Any]:
    return {"id": loc.pk, "code": loc.code, "name": loc.name, "kind": loc.kind}


def level_out(level: StockLevel) -> dict[str, Any]:
    return {"location": location_ref(level.location), "on_hand": level.on_hand, "reserved": level.reserved,
            "available": level.available, "minimum": getattr(level, "minimum", None)}


def movement_out(m: StockMovement) -> dict[str, Any]:
    return {"id": m.pk, "part_id": m.part_id, "sku": m.part.sku, "location_id": m.location_id,
            "location_code": m.location.code, "quantity": m.quantity, "kind": m.kind, "reference": m.reference,
            "case_id": m.case_id, "reservation_id": m.reservation_id, "actor_id": m.actor_id, "at": m.at,
            "note": m.note}


def reservation_out(r: Reservation) -> dict[str, Any]:
    return {"id": r.pk, "part_id": r.part_id, "location_id": r.location_id, "quantity": r.quantity,
            "reference": r.reference, "case_id": r.case_id, "state": r.state, "created_at": r.created_at,
            "updated_at": r.updated_at}


def change_out(*, part_id: int, location_ids: list[int], movements: tuple[StockMovement, ...] = (),
               reservation: Reservation | None = None) -> dict[str, Any]:
    rows = list(selectors.movements().filter(pk__in=[m.pk for m in movements]).order_by("id"))
    return {"movements": [movement_out(m) for m in rows],
            "reservation": reservation_out(reservation) if reservation else None,
            "stock": [level_out(lv) for lv in selectors.levels_for(part_id=part_id, location_ids=location_ids)]}


def _case(request: HttpRequest, case_id: int | None):
    return access_case(user=request.auth, case_id=case_id) if case_id is not None else None


# ---- reads ----------------------------------------------------------------------------------

class PartQuery(PageQuery):
    q: str | None = Field(None, max_length=200, description="SKU prefix or part of a name, any language")
    product_model: RowId | None = Field(None, description="Only parts that fit this product model")


@router.get("/parts", response={200: PartListOut, **ERRORS}, summary="List spare parts")
def list_parts(request: HttpRequest, q: Query[PartQuery]):
    require(request.auth, Op.PARTS_VIEW)
    text = (q.q or "").strip() or None
    qs = selectors.parts_search(qs=parts_visible_to(request.auth), text=text, product_model_id=q.product_model)
    page = keyset_page(qs, keys=("id",), kinds=(int,), cursor=q.cursor, limit=q.limit)
    return {"items": [
        {"id": p.pk, "sku": p.sku, "name": localized_name(p, "names"), "names": {n.language: n.name for n in
                                                                                   p.names.all()},
         "unit_cost": p.unit_cost, "unit_price": p.unit_price, "currency": p.currency, "is_active": p.is_active,
         "compatible_model_ids": sorted(m.pk for m in p.compatible_models.all())}
        for p in page.items], "next_cursor": page.next_cursor}


@router.get("/parts/{part_id}/stock", response={200: PartStockOut, **ERRORS}, summary="Stock of a part")
def part_stock(request: HttpRequest, part_id: int):
    require(request.auth, Op.PARTS_VIEW)
    part = access_part(user=request.auth, part_id=part_id)
    return {"part_id": part.pk, "sku": part.sku,
            "locations": [level_out(lv) for lv in selectors.stock_of_part(part=part)]}


class MovementQuery(PageQuery):
    part: RowId | None = None
    location: RowId | None = None


@router.get("/stock/movements", response={200: MovementListOut, **ERRORS}, summary="Stock movements, newest first")
def list_movements(request: HttpRequest, q: Query[MovementQuery]):
    require(request.auth, Op.PARTS_VIEW)
    page = keyset_page(selectors.movements(part_id=q.part, location_id=q.location), keys=("id",), kinds=(int,),
                       cursor=q.cursor, limit=q.limit)
    return {"items": [movement_out(m) for m in page.items], "next_cursor": page.next_cursor}


@router.get("/stock/below-minimum", response={200: BelowMinimumListOut, **ERRORS},
            summary="Parts whose available stock is under the minimum")
def below_minimum(request: HttpRequest, q: Query[PageQuery]):
    require(request.auth, Op.PARTS_VIEW)
    page = keyset_page(selectors.parts_below_minimum(), keys=("id",), kinds=(int,), cursor=q.cursor,
                       limit=q.limit)
    return {"items": [
        {"id": m.pk, "part_id": m.part_id, "sku": m.part.sku, "name": localized_name(m.part, "names"),
         "location": location_ref(m.location), "minimum": m.minimum, "on_hand": m.on_hand, "reserved": m.reserved,
         "available": m.available, "short": m.short}
        for m in page.items], "next_cursor": page.next_cursor}


# ---- stock changes --------------------------------------------------------------------------

@router.post("/stock/receive", response={201: StockChangeOut, **ERRORS}, summary="Receive parts at a location")
def receive(request: HttpRequest, payload: ReceiveIn):
    require(request.auth, Op.PARTS_MOVE)
    part = access_part(user=request.auth, part_id=payload.part_id)
    location = access_location(user=request.auth, location_id=payload.location_id)
    movement = actions.stock_receive(part=part, location=location, quantity=payload.quantity,
                                     reference=payload.reference, note=payload.note, actor=request.auth)
    return Status(201, change_out(part_id=part.pk, location_ids=[location.pk], movements=(movement,)))


@router.post("/stock/transfer", response={201: StockChangeOut, **ERRORS}, summary="Move parts between locations")
def transfer(request: HttpRequest, payload: TransferIn):
    require(request.auth, Op.PARTS_MOVE)
    part = access_part(user=request.auth, part_id=payload.part_id)
    source = access_location(user=request.auth, location_id=payload.from_location_id)
    target = access_location(user=request.auth, location_id=payload.to_location_id)
    out, into = actions.stock_transfer(part=part, source=source, target=target, quantity=payload.quantity,
                                       reference=payload.reference, note=payload.note, actor=request.auth)
    return Status(201, change_out(part_id=part.pk, location_ids=[source.pk, target.pk], movements=(out, into)))


@router.post("/stock/reserve", response={201: StockChangeOut, **ERRORS}, summary="Reserve parts for a work order")
def reserve(request: HttpRequest, payload: ReserveIn):
    """409 `out_of_stock` when fewer than `quantity` are available (on hand − reserved)."""
    require(request.auth, Op.PARTS_MOVE)
    part = access_part(user=request.auth, part_id=payload.part_id)
    location = access_location(user=request.auth, location_id=payload.location_id)
    case = _case(request, payload.case_id)
    reservation = actions.stock_reserve(part=part, location=location, quantity=payload.quantity,
                                        reference=payload.reference, case=case, actor=request.auth)
    return Status(201, change_out(part_id=part.pk, location_ids=[location.pk], reservation=reservation))


@router.post("/stock/release", response={200: StockChangeOut, **ERRORS}, summary="Release a reservation")
def release(request: HttpRequest, payload: ReleaseIn):
    require(request.auth, Op.PARTS_MOVE)
    reservation = access_reservation(user=request.auth, reservation_id=payload.reservation_id)
    reservation = actions.stock_release(reservation=reservation, note=payload.note, actor=request.auth)
    return change_out(part_id=reservation.part_id, location_ids=[reservation.location_id], reservation=reservation)


@router.post("/stock/consume", response={201: StockChangeOut, **ERRORS}, summary="Consume parts in a repair")
def consume(request: HttpRequest, payload: ConsumeIn):
    """From a reservation (`reservation_id`, optionally fewer than reserved: the rest is
    released), or directly (`part_id`, `location_id`, `quantity`, `reference`)."""
    require(request.auth, Op.PARTS_MOVE)
    direct = [payload.part_id, payload.location_id]
    if payload.reservation_id is not None:
        if any(v is not None for v in direct) or payload.case_id is not None or payload.reference:
            raise ValidationFailed(ErrorCode.INVALID_INPUT, _(
                "Consume from a reservation, or name a part, a location and a work order — not both."))
        reservation = access_reservation(user=request.auth, reservation_id=payload.reservation_id)
        movement = actions.stock_consume(reservation=reservation, quantity=payload.quantity, note=payload.note,
                                         actor=request.auth)
        reservation.refresh_from_db()
        return Status(201, change_out(part_id=movement.part_id, location_ids=[movement.location_id],
                                      movements=(movement,), reservation=reservation))
    if any(v is None for v in [*direct, payload.quantity]):
        raise ValidationFailed(ErrorCode.INVALID_INPUT,
                               _("Name a reservation, or a part, a location and a quantity."))
    part = access_part(user=request.auth, part_id=payload.part_id)
    location = access_location(user=request.auth, location_id=payload.location_id)
    case = _case(request, payload.case_id)
    movement = actions.stock_consume(part=part, location=location, quantity=payload.quantity,
                                     reference=payload.reference, case=case, note=payload.note, actor=request.auth)
    return Status(201, change_out(part_id=part.pk, location_ids=[location.pk], movements=(movement,)))


@router.post("/stock/return", response={201: StockChangeOut, **ERRORS}, summary="Return unused parts")
def return_parts(request: HttpRequest, payload: ReturnIn):
    require(request.auth, Op.PARTS_MOVE)
    part = access_part(user=request.auth, part_id=payload.part_id)
    location = access_location(user=request.auth, location_id=payload.location_id)
    case = _case(request, payload.case_id)
    movement = actions.stock_return(part=part, location=location, quantity=payload.quantity,
                                    reference=payload.reference, case=case, note=payload.note, actor=request.auth)
    return Status(201, change_out(part_id=part.pk, location_ids=[location.pk], movements=(movement,)))


@router.post("/stock/adjust", response={201: StockChangeOut, **ERRORS}, summary="Correct stock after a stock-take")
def adjust(request: HttpRequest, payload: AdjustIn):
    require(request.auth, Op.PARTS_ADMIN)
    part = access_part(user=request.auth, part_id=payload.part_id)
    location = access_location(user=request.auth, location_id=payload.location_id)
    movement = actions.stock_adjust(part=part, location=location, quantity=payload.quantity, reason=payload.reason,
                                    actor=request.auth)
    return Status(201, change_out(part_id=part.pk, location_ids=[location.pk], movements=(movement,)))
