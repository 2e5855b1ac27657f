"""After any sequence of stock operations — successful or refused — every StockLevel equals
the sum of its movements and of its active reservations, and none is negative."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.accounts.models import Role
from aftersales.core.errors import DomainError
from aftersales.core.tests.factories import UserFactory
from aftersales.parts import actions
from aftersales.parts.models import Reservation, ReservationState
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.parts.tests.support import ledger_matches_levels

pytestmark = pytest.mark.django_db

qty = st.integers(min_value=1, max_value=6)
idx = st.integers(min_value=0, max_value=1)
loc = st.integers(min_value=0, max_value=2)
OPERATIONS = st.one_of(
    st.tuples(st.just("receive"), idx, loc, qty),
    st.tuples(st.just("transfer"), idx, st.tuples(loc, loc), qty),
    st.tuples(st.just("reserve"), idx, loc, qty),
    st.tuples(st.just("release"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("consume_reserved"), st.integers(min_value=0, max_value=20), st.none() | qty),
    st.tuples(st.just("consume"), idx, loc, qty),
    st.tuples(st.just("return"), idx, loc, qty),
    st.tuples(st.just("adjust"), idx, loc, st.integers(min_value=-6, max_value=6).filter(bool)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(OPERATIONS, max_size=25))
def test_levels_always_equal_the_sum_of_movements(steps):
    with transaction.atomic():
        actor = UserFactory(role=Role.TECHNICIAN)
        parts = [PartFactory(), PartFactory()]
        places = [LocationFactory(), LocationFactory(kind="technician_van"), LocationFactory(kind="workshop")]
        refusals: list[str] = []
        for step in steps:
            kind, args = step[0], step[1:]
            reservations = list(Reservation.objects.filter(part__in=parts).order_by("pk"))
            try:
                if kind == "receive":
                    actions.stock_receive(part=parts[args[0]], location=places[args[1]], quantity=args[2],
                                          actor=actor)
                elif kind == "transfer":
                    actions.stock_transfer(part=parts[args[0]], source=places[args[1][0]],
                                           target=places[args[1][1]], quantity=args[2], actor=actor)
                elif kind == "reserve":
                    actions.stock_reserve(part=parts[args[0]], location=places[args[1]], quantity=args[2],
                                          reference="WO-1", actor=actor)
                elif kind == "release" and reservations:
                    actions.stock_release(reservation=reservations[args[0] % len(reservations)], actor=actor)
                elif kind == "consume_reserved" and reservations:
                    actions.stock_consume(reservation=reservations[args[0] % len(reservations)], quantity=args[1],
                                          actor=actor)
                elif kind == "consume":
                    actions.stock_consume(part=parts[args[0]], location=places[args[1]], quantity=args[2],
                                          reference="WO-2", actor=actor)
                elif kind == "return":
                    actions.stock_return(part=parts[args[0]], location=places[args[1]], quantity=args[2],
                                         actor=actor)
                elif kind == "adjust":
                    actions.stock_adjust(part=parts[args[0]], location=places[args[1]], quantity=args[2],
                                         reason="count", actor=actor)
            except DomainError as error:
                refusals.append(error.code)
            ledger_matches_levels()
        assert set(refusals) <= {"out_of_stock", "below_reserved", "same_location", "reservation_not_active",
                                "invalid_quantity"}
        assert all(r.state in ReservationState.values for r in Reservation.objects.all())
        transaction.set_rollback(True)
