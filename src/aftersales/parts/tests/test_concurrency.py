"""Real threads, each with its own database connection, racing for the same stock. Only on
PostgreSQL: SQLite lets one writer in at a time, so there is no race to lose there."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from aftersales.accounts.models import Role
from aftersales.core.errors import DomainError
from aftersales.core.tests.factories import UserFactory
from aftersales.parts import actions
from aftersales.parts.models import ReservationState, StockLevel, StockMovement
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.parts.tests.support import ledger_matches_levels


def _skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers (run on PostgreSQL)")


def race(count: int, work) -> tuple[list, list]:
    """Run `work(i)` in `count` threads released at the same moment; results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(work(i))
        except DomainError as exc:
            errors.append(exc)
        except Exception as exc:  # noqa: BLE001 — reported by the assert on `errors`
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_technicians_consuming_the_last_unit_one_wins():
    _skip_unless_postgres()
    part, van = PartFactory(sku="LAST-1"), LocationFactory(code="van-race", kind="technician_van")
    techs = [UserFactory(role=Role.TECHNICIAN) for _ in range(2)]
    actions.stock_receive(part=part, location=van, quantity=1, actor=techs[0])

    results, errors = race(2, lambda i: actions.stock_consume(part=part, location=van, quantity=1,
                                                             reference=f"WO-{i}", actor=techs[i]))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "out_of_stock", errors
    assert "Only 0 of part LAST-1" in str(errors[0].detail)
    assert (StockLevel.objects.get(part=part, location=van).on_hand,
            StockMovement.objects.filter(kind="consumed").count()) == (0, 1)
    ledger_matches_levels()


@pytest.mark.django_db(transaction=True)
def test_many_reservations_at_once_never_over_reserve():
    _skip_unless_postgres()
    part, warehouse = PartFactory(sku="RACE-2"), LocationFactory(code="wh-race")
    tech = UserFactory(role=Role.TECHNICIAN)
    actions.stock_receive(part=part, location=warehouse, quantity=7, actor=tech)

    results, errors = race(12, lambda i: actions.stock_reserve(part=part, location=warehouse, quantity=2,
                                                              reference=f"WO-{i}", actor=tech))
    assert len(results) == 3 and len(errors) == 9  # 3 × 2 = 6 of 7; a fourth would need 8
    assert {getattr(e, "code", repr(e)) for e in errors} == {"out_of_stock"}
    level = StockLevel.objects.get(part=part, location=warehouse)
    assert (level.on_hand, level.reserved) == (7, 6)
    assert sum(r.quantity for r in results if r.state == ReservationState.ACTIVE) == 6
    ledger_matches_levels()


@pytest.mark.django_db(transaction=True)
def test_first_stock_at_a_new_location_from_many_threads_at_once():
    """No level row exists yet: every thread tries to create it; all receipts count."""
    _skip_unless_postgres()
    part, van = PartFactory(sku="RACE-3"), LocationFactory(code="van-new", kind="technician_van")
    tech = UserFactory(role=Role.TECHNICIAN)

    results, errors = race(8, lambda i: actions.stock_receive(part=part, location=van, quantity=1, actor=tech))
    assert errors == [] and len(results) == 8
    assert StockLevel.objects.get(part=part, location=van).on_hand == 8
    ledger_matches_levels()


@pytest.mark.django_db(transaction=True)
def test_crossing_transfers_do_not_deadlock():
    _skip_unless_postgres()
    part = PartFactory(sku="RACE-4")
    a, b = LocationFactory(code="race-a"), LocationFactory(code="race-b")
    tech = UserFactory(role=Role.TECHNICIAN)
    actions.stock_receive(part=part, location=a, quantity=10, actor=tech)
    actions.stock_receive(part=part, location=b, quantity=10, actor=tech)

    def work(i: int):
        src, dst = (a, b) if i % 2 else (b, a)
        return actions.stock_transfer(part=part, source=src, target=dst, quantity=1, actor=tech)

    results, errors = race(10, work)
    assert errors == [] and len(results) == 10
    assert sum(lv.on_hand for lv in StockLevel.objects.filter(part=part)) == 20
    ledger_matches_levels()
