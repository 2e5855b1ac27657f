"""Every change to spare-part stock (decision 0019).

Each action runs in one transaction: it locks the `StockLevel` row(s) it changes with
`select_for_update` (a reservation first, then levels, two levels in location-id order, so
two actions never wait on each other in a circle), checks the rule on the locked numbers,
appends the `StockMovement` row(s), moves the level by the same amount with `F()`, and writes
an audit row. The CHECK constraints on `StockLevel` are the last line: a write that would
still take stock below zero fails in the database and is answered as `out_of_stock`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, ErrorCode, ValidationFailed
from aftersales.parts.errors import PartsError
from aftersales.parts.models import (
    MovementKind,
    Part,
    Reservation,
    ReservationState,
    StockLevel,
    StockLocation,
    StockMovement,
)

MAX_QUANTITY = 1_000_000  # one movement; keeps every sum far inside a 32-bit column
REFERENCE_MAX = 64
NOTE_MAX = 1000


# ---- checks ---------------------------------------------------------------------------------

def _quantity(value: Any, *, signed: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value == 0 or abs(value) > MAX_QUANTITY:
        ok = False
    else:
        ok = signed or value > 0
    if not ok:
        if signed:
            detail = _("The quantity must be a whole number other than zero, between -%(max)d and %(max)d.")
        else:
            detail = _("The quantity must be a whole number from 1 to %(max)d.")
        raise ValidationFailed(PartsError.INVALID_QUANTITY, detail % {"max": MAX_QUANTITY})
    return value


def _text(value: str | None, *, limit: int, what: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationFailed(ErrorCode.INVALID_INPUT, _("%(what)s is longer than %(limit)d characters.")
                               % {"what": what, "limit": limit})
    return text


def _reference(value: str | None, *, required: bool) -> str:
    reference = _text(value, limit=REFERENCE_MAX, what=_("The work order reference"))
    if required and not reference:
        raise ValidationFailed(PartsError.REFERENCE_REQUIRED,
                               _("Name the work order the parts are for (for example WO-2026-000123)."))
    return reference


def _active_part(part: Part) -> None:
    if not part.is_active:
        raise Conflict(PartsError.PART_INACTIVE, _("Part %(sku)s is no longer in use.") % {"sku": part.sku})


def _active_location(location: StockLocation) -> None:
    if not location.is_active:
        raise Conflict(PartsError.LOCATION_INACTIVE,
                       _("Stock location %(code)s is closed.") % {"code": location.code})


def _short(part: Part, location: StockLocation, *, available: int, asked: int) -> Conflict:
    return Conflict(
        PartsError.OUT_OF_STOCK,
        _("Only %(available)d of part %(sku)s available at %(location)s (on hand minus reserved); "
          "%(asked)d asked for.")
        % {"available": max(available, 0), "sku": part.sku, "location": location.code, "asked": asked},
    )


# ---- levels ---------------------------------------------------------------------------------

def _lock_level(part: Part, location: StockLocation) -> StockLevel:
    """The level row of (part, location), created at zero if there is none, locked until commit."""
    level = StockLevel.objects.select_for_update().filter(part=part, location=location).first()
    if level is None:
        try:
            with transaction.atomic():
                StockLevel.objects.create(part=part, location=location)
        except IntegrityError:
            pass  # another transaction created it first; its row is the one to lock
        level = StockLevel.objects.select_for_update().get(part=part, location=location)
    return level


def _lock_levels(part: Part, *locations: StockLocation) -> list[StockLevel]:
    """Several levels, always locked in location-id order."""
    by_id = {loc.pk: _lock_level(part, loc) for loc in sorted(locations, key=lambda loc: loc.pk)}
    return [by_id[loc.pk] for loc in locations]


def _move_level(level: StockLevel, *, on_hand: int = 0, reserved: int = 0, part: Part,
                location: StockLocation) -> None:
    try:
        with transaction.atomic():
            StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + on_hand,
                                                          reserved=F("reserved") + reserved)
    except IntegrityError as exc:  # the CHECK constraints: never below zero, never over-reserved
        raise _short(part, location, available=level.available, asked=-on_hand) from exc
    level.on_hand += on_hand
    level.reserved += reserved


def _movement(*, part: Part, location: StockLocation, quantity: int, kind: str, actor, at: datetime,
              reference: str = "", case=None, reservation: Reservation | None = None,
              note: str = "") -> StockMovement:
    return StockMovement.objects.create(
        part=part, location=location, quantity=quantity, kind=kind, reference=reference, case=case,
        reservation=reservation, actor=actor if getattr(actor, "pk", None) else None, at=at, note=note,
    )


def _audit(movement: StockMovement, *, actor, action: str, level: StockLevel, **extra: Any) -> None:
    audit_record(actor=actor, obj=movement, action=action, after={
        "part": movement.part_id, "location": movement.location_id, "quantity": movement.quantity,
        "kind": movement.kind, "reference": movement.reference, "case": movement.case_id,
        "on_hand": level.on_hand, "reserved": level.reserved, **extra,
    })


# ---- actions --------------------------------------------------------------------------------

@transaction.atomic
def stock_receive(*, part: Part, location: StockLocation, quantity: int, actor, reference: str = "",
                  note: str = "", at: datetime | None = None) -> StockMovement:
    """Parts arrive at a location (from a supplier, or found)."""
    quantity = _quantity(quantity)
    reference = _reference(reference, required=False)
    note = _text(note, limit=NOTE_MAX, what=_("The note"))
    _active_part(part)
    _active_location(location)
    level = _lock_level(part, location)
    movement = _movement(part=part, location=location, quantity=quantity, kind=MovementKind.RECEIVED,
                         actor=actor, at=at or timezone.now(), reference=reference, note=note)
    _move_level(level, on_hand=quantity, part=part, location=location)
    _audit(movement, actor=actor, action="stock.received", level=level)
    return movement


@transaction.atomic
def stock_transfer(*, part: Part, source: StockLocation, target: StockLocation, quantity: int, actor,
                   reference: str = "", note: str = "",
                   at: datetime | None = None) -> tuple[StockMovement, StockMovement]:
    """Move available parts from one location to another: two movements, both or neither."""
    quantity = _quantity(quantity)
    reference = _reference(reference, required=False)
    note = _text(note, limit=NOTE_MAX, what=_("The note"))
    if source.pk == target.pk:
        raise ValidationFailed(PartsError.SAME_LOCATION, _("The parts are already at %(code)s.")
                               % {"code": source.code})
    _active_part(part)
    _active_location(source)
    _active_location(target)
    out_level, in_level = _lock_levels(part, source, target)
    if out_level.available < quantity:
        raise _short(part, source, available=out_level.available, asked=quantity)
    at = at or timezone.now()
    out = _movement(part=part, location=source, quantity=-quantity, kind=MovementKind.TRANSFERRED_OUT,
                    actor=actor, at=at, reference=reference, note=note)
    into = _movement(part=part, location=target, quantity=quantity, kind=MovementKind.TRANSFERRED_IN,
                     actor=actor, at=at, reference=reference, note=note)
    _move_level(out_level, on_hand=-quantity, part=part, location=source)
    _move_level(in_level, on_hand=quantity, part=part, location=target)
    _audit(out, actor=actor, action="stock.transferred", level=out_level, to_location=target.pk,
           movement_in=into.pk, to_on_hand=in_level.on_hand)
    return out, into


@transaction.atomic
def stock_reserve(*, part: Part, location: StockLocation, quantity: int, reference: str, actor,
                  case=None) -> Reservation:
    """Set parts aside for a work order. Fails with `out_of_stock` if fewer are available."""
    quantity = _quantity(quantity)
    reference = _reference(reference, required=True)
    _active_part(part)
    _active_location(location)
    level = _lock_level(part, location)
    if level.available < quantity:
        raise _short(part, location, available=level.available, asked=quantity)
    reservation = Reservation.objects.create(part=part, location=location, quantity=quantity,
                                             reference=reference, case=case,
                                             actor=actor if getattr(actor, "pk", None) else None)
    _move_level(level, reserved=quantity, part=part, location=location)
    audit_record(actor=actor, obj=reservation, action="stock.reserved", after={
        "part": part.pk, "location": location.pk, "quantity": quantity, "reference": reference,
        "case": getattr(case, "pk", None), "reserved": level.reserved, "on_hand": level.on_hand})
    return reservation


def _lock_active_reservation(reservation: Reservation) -> Reservation:
    locked = Reservation.objects.select_for_update().select_related("part", "location").get(pk=reservation.pk)
    if locked.state != ReservationState.ACTIVE:
        raise Conflict(PartsError.RESERVATION_NOT_ACTIVE,
                       _("Reservation %(id)d is already %(state)s.")
                       % {"id": locked.pk, "state": locked.get_state_display()})
    return locked


@transaction.atomic
def stock_release(*, reservation: Reservation, actor, note: str = "") -> Reservation:
    """Give reserved parts back to the available stock; no movement (on hand does not change)."""
    note = _text(note, limit=NOTE_MAX, what=_("The note"))
    reservation = _lock_active_reservation(reservation)
    level = _lock_level(reservation.part, reservation.location)
    reservation.state = ReservationState.RELEASED
    reservation.save(update_fields=["state", "updated_at"])
    _move_level(level, reserved=-reservation.quantity, part=reservation.part, location=reservation.location)
    audit_record(actor=actor, obj=reservation, action="stock.released",
                 before={"state": ReservationState.ACTIVE},
                 after={"state": ReservationState.RELEASED, "note": note, "reserved": level.reserved})
    return reservation


@transaction.atomic
def stock_consume(*, actor, reservation: Reservation | None = None, part: Part | None = None,
                  location: StockLocation | None = None, quantity: int | None = None, reference: str = "",
                  case=None, note: str = "", at: datetime | None = None) -> StockMovement:
    """Parts used in a repair: from a reservation (all of it, or `quantity` of it with the rest
    released), or directly from what is available at a location."""
    note = _text(note, limit=NOTE_MAX, what=_("The note"))
    at = at or timezone.now()
    if reservation is not None:
        reservation = _lock_active_reservation(reservation)
        part, location = reservation.part, reservation.location
        used = reservation.quantity if quantity is None else _quantity(quantity)
        if used > reservation.quantity:
            raise ValidationFailed(
                PartsError.INVALID_QUANTITY,
                _("Reservation %(id)d holds %(held)d; %(asked)d cannot be consumed from it.")
                % {"id": reservation.pk, "held": reservation.quantity, "asked": used})
        level = _lock_level(part, location)
        movement = _movement(part=part, location=location, quantity=-used, kind=MovementKind.CONSUMED, actor=actor,
                             at=at, reference=reservation.reference, case=reservation.case,
                             reservation=reservation, note=note)
        _move_level(level, on_hand=-used, reserved=-reservation.quantity, part=part, location=location)
        reservation.state = ReservationState.CONSUMED
        reservation.save(update_fields=["state", "updated_at"])
        _audit(movement, actor=actor, action="stock.consumed", level=level, reservation=reservation.pk,
               released=reservation.quantity - used)
        return movement
    if part is None or location is None or quantity is None:
        raise ValidationFailed(ErrorCode.INVALID_INPUT,
                               _("Name a reservation, or a part, a location and a quantity."))
    used = _quantity(quantity)
    reference = _reference(reference, required=True)
    _active_part(part)
    _active_location(location)
    level = _lock_level(part, location)
    if level.available < used:
        raise _short(part, location, available=level.available, asked=used)
    movement = _movement(part=part, location=location, quantity=-used, kind=MovementKind.CONSUMED, actor=actor,
                         at=at, reference=reference, case=case, note=note)
    _move_level(level, on_hand=-used, part=part, location=location)
    _audit(movement, actor=actor, action="stock.consumed", level=level)
    return movement


@transaction.atomic
def stock_return(*, part: Part, location: StockLocation, quantity: int, actor, reference: str = "", case=None,
                 note: str = "", at: datetime | None = None) -> StockMovement:
    """Unused parts brought back from a job. A part no longer in use may still come back."""
    quantity = _quantity(quantity)
    reference = _reference(reference, required=False)
    note = _text(note, limit=NOTE_MAX, what=_("The note"))
    _active_location(location)
    level = _lock_level(part, location)
    movement = _movement(part=part, location=location, quantity=quantity, kind=MovementKind.RETURNED, actor=actor,
                         at=at or timezone.now(), reference=reference, case=case, note=note)
    _move_level(level, on_hand=quantity, part=part, location=location)
    _audit(movement, actor=actor, action="stock.returned", level=level)
    return movement


@transaction.atomic
def stock_adjust(*, part: Part, location: StockLocation, quantity: int, reason: str, actor,
                 at: datetime | None = None) -> StockMovement:
    """A stock-take correction by `quantity` (signed). Reserved parts cannot be counted away:
    release their reservations first."""
    quantity = _quantity(quantity, signed=True)
    reason = _text(reason, limit=NOTE_MAX, what=_("The reason"))
    if not reason:
        raise ValidationFailed(PartsError.REASON_REQUIRED, _("Say why the stock is corrected."))
    level = _lock_level(part, location)
    after = level.on_hand + quantity
    if after < 0:
        raise _short(part, location, available=level.available, asked=-quantity)
    if after < level.reserved:
        raise Conflict(
            PartsError.BELOW_RESERVED,
            _("%(reserved)d of part %(sku)s are reserved at %(location)s; release reservations before "
              "correcting the stock to %(after)d.")
            % {"reserved": level.reserved, "sku": part.sku, "location": location.code, "after": after})
    before = level.on_hand
    movement = _movement(part=part, location=location, quantity=quantity, kind=MovementKind.ADJUSTED, actor=actor,
                         at=at or timezone.now(), note=reason)
    _move_level(level, on_hand=quantity, part=part, location=location)
    _audit(movement, actor=actor, action="stock.adjusted", level=level, reason=reason, on_hand_before=before)
    return movement
