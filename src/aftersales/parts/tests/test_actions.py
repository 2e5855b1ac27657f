"""The stock actions: what each writes, what each refuses (with its stable code, writing
nothing), and the database's own guarantee that stock never goes below zero."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from aftersales.accounts.models import Role
from aftersales.core.errors import DomainError
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import UserFactory
from aftersales.parts import actions
from aftersales.parts.models import MovementKind, ReservationState, StockLevel, StockMovement
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.parts.tests.support import ledger_matches_levels, parts_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech():
    return UserFactory(role=Role.TECHNICIAN)


@pytest.fixture
def part():
    return PartFactory(sku="PUMP-01", names={"en": "Drain pump", "zh-hans": "排水泵"})


@pytest.fixture
def warehouse():
    return LocationFactory(code="wh-main")


@pytest.fixture
def van():
    return LocationFactory(code="van-1", kind="technician_van")


def level(part, location) -> tuple[int, int]:
    lv = StockLevel.objects.get(part=part, location=location)
    return lv.on_hand, lv.reserved


def refuses(code: str, status: int, call, **kwargs) -> DomainError:
    before = parts_state()
    with pytest.raises(DomainError) as info:
        call(**kwargs)
    assert (info.value.code, info.value.status) == (code, status)
    assert str(info.value.detail)
    assert parts_state() == before
    return info.value


def test_receiving_adds_a_movement_a_level_and_an_audit_row(part, warehouse, tech):
    movement = actions.stock_receive(part=part, location=warehouse, quantity=5, reference="PO-1", actor=tech)
    assert (movement.kind, movement.quantity, movement.actor_id) == (MovementKind.RECEIVED, 5, tech.pk)
    assert level(part, warehouse) == (5, 0)
    entry = AuditEntry.objects.get(action="stock.received")
    assert (entry.object_id, entry.actor_id, entry.after["on_hand"]) == (str(movement.pk), tech.pk, 5)


def test_a_transfer_writes_two_movements_and_moves_the_stock(part, warehouse, van, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    out, into = actions.stock_transfer(part=part, source=warehouse, target=van, quantity=2, actor=tech)
    assert (out.kind, out.quantity, into.kind, into.quantity) == ("transferred_out", -2, "transferred_in", 2)
    assert (level(part, warehouse), level(part, van)) == ((3, 0), (2, 0))
    ledger_matches_levels()


def test_a_transfer_cannot_take_reserved_parts(part, warehouse, van, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=3, actor=tech)
    actions.stock_reserve(part=part, location=warehouse, quantity=2, reference="WO-1", actor=tech)
    error = refuses("out_of_stock", 409, actions.stock_transfer, part=part, source=warehouse, target=van,
                    quantity=2, actor=tech)
    assert "Only 1 of part PUMP-01" in str(error.detail)


def test_reserving_more_than_is_available_is_out_of_stock(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=3, actor=tech)
    actions.stock_reserve(part=part, location=warehouse, quantity=2, reference="WO-1", actor=tech)
    error = refuses("out_of_stock", 409, actions.stock_reserve, part=part, location=warehouse, quantity=2,
                    reference="WO-2", actor=tech)
    assert str(error.detail) == ("Only 1 of part PUMP-01 available at wh-main (on hand minus reserved); "
                                 "2 asked for.")
    assert level(part, warehouse) == (3, 2)


def test_reserving_where_nothing_ever_was_is_out_of_stock(part, warehouse, tech):
    refuses("out_of_stock", 409, actions.stock_reserve, part=part, location=warehouse, quantity=1,
            reference="WO-1", actor=tech)


def test_release_gives_the_parts_back_once(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=3, actor=tech)
    reservation = actions.stock_reserve(part=part, location=warehouse, quantity=2, reference="WO-1", actor=tech)
    actions.stock_release(reservation=reservation, actor=tech)
    assert level(part, warehouse) == (3, 0)
    reservation.refresh_from_db()
    assert reservation.state == ReservationState.RELEASED
    refuses("reservation_not_active", 409, actions.stock_release, reservation=reservation, actor=tech)
    refuses("reservation_not_active", 409, actions.stock_consume, reservation=reservation, actor=tech)


def test_consuming_a_reservation_takes_it_from_on_hand_and_reserved(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=3, actor=tech)
    reservation = actions.stock_reserve(part=part, location=warehouse, quantity=2, reference="WO-7", actor=tech)
    movement = actions.stock_consume(reservation=reservation, actor=tech)
    assert (movement.quantity, movement.reference, movement.reservation_id) == (-2, "WO-7", reservation.pk)
    assert level(part, warehouse) == (1, 0)
    reservation.refresh_from_db()
    assert reservation.state == ReservationState.CONSUMED
    ledger_matches_levels()


def test_consuming_part_of_a_reservation_releases_the_rest(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    reservation = actions.stock_reserve(part=part, location=warehouse, quantity=3, reference="WO-7", actor=tech)
    actions.stock_consume(reservation=reservation, quantity=1, actor=tech)
    assert level(part, warehouse) == (4, 0)
    refuses("reservation_not_active", 409, actions.stock_consume, reservation=reservation, quantity=1, actor=tech)


def test_consuming_more_than_the_reservation_is_refused(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    reservation = actions.stock_reserve(part=part, location=warehouse, quantity=2, reference="WO-7", actor=tech)
    refuses("invalid_quantity", 422, actions.stock_consume, reservation=reservation, quantity=3, actor=tech)


def test_consuming_directly_cannot_touch_reserved_parts(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=2, actor=tech)
    actions.stock_reserve(part=part, location=warehouse, quantity=2, reference="WO-1", actor=tech)
    refuses("out_of_stock", 409, actions.stock_consume, part=part, location=warehouse, quantity=1,
            reference="WO-2", actor=tech)


def test_consuming_directly_needs_a_work_order(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=2, actor=tech)
    refuses("reference_required", 422, actions.stock_consume, part=part, location=warehouse, quantity=1,
            reference="  ", actor=tech)


def test_returning_unused_parts_adds_them_back(part, van, tech):
    actions.stock_return(part=part, location=van, quantity=2, reference="WO-1", actor=tech)
    assert level(part, van) == (2, 0)
    assert StockMovement.objects.get().kind == MovementKind.RETURNED


def test_an_adjustment_needs_a_reason_and_cannot_go_below_reserved(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    actions.stock_reserve(part=part, location=warehouse, quantity=3, reference="WO-1", actor=tech)
    refuses("reason_required", 422, actions.stock_adjust, part=part, location=warehouse, quantity=-1, reason=" ",
            actor=tech)
    refuses("below_reserved", 409, actions.stock_adjust, part=part, location=warehouse, quantity=-3,
            reason="Count", actor=tech)
    refuses("out_of_stock", 409, actions.stock_adjust, part=part, location=warehouse, quantity=-6,
            reason="Count", actor=tech)
    movement = actions.stock_adjust(part=part, location=warehouse, quantity=-2, reason="Two broken in the box",
                                    actor=tech)
    assert (movement.kind, movement.quantity, movement.note) == ("adjusted", -2, "Two broken in the box")
    assert level(part, warehouse) == (3, 3)
    entry = AuditEntry.objects.get(action="stock.adjusted")
    assert (entry.after["reason"], entry.after["on_hand_before"], entry.after["on_hand"]) == (
        "Two broken in the box", 5, 3)


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, True, 1.0, "1", None])
def test_a_bad_quantity_is_invalid(part, warehouse, tech, quantity):
    refuses("invalid_quantity", 422, actions.stock_receive, part=part, location=warehouse, quantity=quantity,
            actor=tech)


def test_an_adjustment_of_zero_is_invalid(part, warehouse, tech):
    refuses("invalid_quantity", 422, actions.stock_adjust, part=part, location=warehouse, quantity=0, reason="x",
            actor=tech)


def test_inactive_parts_and_locations_are_refused_where_stock_would_grow_or_be_used(part, warehouse, van, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    part.is_active = False
    part.save()
    for call, kwargs in [
        (actions.stock_receive, {"location": warehouse, "quantity": 1}),
        (actions.stock_transfer, {"source": warehouse, "target": van, "quantity": 1}),
        (actions.stock_reserve, {"location": warehouse, "quantity": 1, "reference": "WO-1"}),
        (actions.stock_consume, {"location": warehouse, "quantity": 1, "reference": "WO-1"}),
    ]:
        refuses("part_inactive", 409, call, part=part, actor=tech, **kwargs)
    actions.stock_return(part=part, location=warehouse, quantity=1, actor=tech)  # still welcome back
    part.is_active = True
    part.save()
    van.is_active = False
    van.save()
    refuses("location_inactive", 409, actions.stock_transfer, part=part, source=warehouse, target=van, quantity=1,
            actor=tech)
    refuses("location_inactive", 409, actions.stock_receive, part=part, location=van, quantity=1, actor=tech)


def test_a_transfer_to_the_same_place_is_refused(part, warehouse, tech):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    refuses("same_location", 422, actions.stock_transfer, part=part, source=warehouse, target=warehouse,
            quantity=1, actor=tech)


@pytest.mark.parametrize("change", [
    {"on_hand": F("on_hand") - 6},  # negative on hand
    {"reserved": -1},  # negative reserved
    {"reserved": 6},  # more reserved than on hand
])
def test_the_database_refuses_negative_or_over_reserved_stock(part, warehouse, tech, change):
    actions.stock_receive(part=part, location=warehouse, quantity=5, actor=tech)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(part=part, location=warehouse).update(**change)
    assert level(part, warehouse) == (5, 0)


@pytest.mark.parametrize(("kind", "quantity"), [("received", -1), ("consumed", 1), ("adjusted", 0),
                                                ("transferred_out", 2), ("returned", 0)])
def test_the_database_refuses_a_movement_whose_sign_does_not_fit_its_kind(part, warehouse, kind, quantity):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(part=part, location=warehouse, kind=kind, quantity=quantity)
