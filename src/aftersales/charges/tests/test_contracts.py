"""Service contracts (class B): draws up to the quota and no further, only the customer's own
contract in its period at the work order's date, append-only draws with reversals, usage for
the customer; and (PostgreSQL) two threads racing for the last unit of a quota."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections

from aftersales.charges.actions_contracts import contract_draw, contract_draw_reverse
from aftersales.charges.models import AppendOnly, ContractDraw, QuotaKind
from aftersales.charges.selectors import contract_draws_by_kind, contract_usage, work_order_charges
from aftersales.charges.tests.support import at, audited, contract, events_of, staff, work_order
from aftersales.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from aftersales.core.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return staff()


def left(sc, kind: str) -> int:
    return next(q.left for u in contract_usage(customer=sc.customer) if u.contract == sc for q in u.quotas
                if q.kind == kind)


def test_draws_count_down_the_quota_and_the_customer_sees_what_is_left(people):
    supervisor, tech = people
    wo = work_order(billing_class="B", actor=supervisor)
    sc = contract(wo.customer, product_update=60, article_update=100)
    draw = contract_draw(work_order=wo, contract=sc, kind=QuotaKind.PRODUCT_UPDATE, quantity=3, note="spring range",
                         actor=tech, at=at("2026-03-03 10:00"))
    contract_draw(work_order=wo, contract=sc, kind=QuotaKind.ARTICLE_UPDATE, quantity=1, actor=tech)
    usage = contract_usage(customer=wo.customer, on=date(2026, 3, 3))
    assert [(u.contract, u.covers) for u in usage] == [(sc, True)]
    assert [(q.kind, q.included, q.used, q.left) for q in usage[0].quotas] == [
        ("article_update", 100, 1, 99), ("product_update", 60, 3, 57)]
    assert (draw.quantity, draw.note, draw.work_order) == (3, "spring range", wo)
    assert events_of(wo)[-2:] == ["contract_draw", "contract_draw"]
    entry = wo.case.entries.filter(event="contract_draw").first()
    assert entry.is_public and entry.data["left"] == 57
    assert audited().count("contract.drawn") == 2
    charges = work_order_charges(work_order=wo)
    assert [d.quantity for d in charges.draws] == [3, 1] and charges.contracts[0].quotas[1].left == 57
    assert contract_draws_by_kind(start=at("2026-01-01 00:00"), end=at("2027-01-01 00:00")) == {
        "article_update": 1, "product_update": 3}


def test_the_quota_is_never_overdrawn(people):
    supervisor, tech = people
    wo = work_order(billing_class="B", actor=supervisor)
    sc = contract(wo.customer, visit=2)
    contract_draw(work_order=wo, contract=sc, kind=QuotaKind.VISIT, quantity=2, actor=tech)
    with pytest.raises(Conflict) as exc:
        contract_draw(work_order=wo, contract=sc, kind=QuotaKind.VISIT, quantity=1, actor=tech)
    assert exc.value.code == "contract_quota_exhausted" and "0" in str(exc.value.detail)
    with pytest.raises(ValidationFailed) as exc:  # a kind the contract does not include
        contract_draw(work_order=wo, contract=sc, kind=QuotaKind.REPAIR, actor=tech)
    assert exc.value.code == "contract_quota_kind_invalid"
    assert left(sc, "visit") == 0 and ContractDraw.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 1001, True, "1", 1.0])
def test_bad_quantities(people, quantity):
    supervisor, tech = people
    wo = work_order(billing_class="B", actor=supervisor)
    sc = contract(wo.customer)
    with pytest.raises(ValidationFailed) as exc:
        contract_draw(work_order=wo, contract=sc, kind=QuotaKind.PRODUCT_UPDATE, quantity=quantity, actor=tech)
    assert exc.value.code == "quantity_invalid"


def test_only_class_b_and_only_the_customers_contract_in_its_period(people):
    supervisor, tech = people
    paid = work_order(billing_class="A", actor=supervisor)
    sc = contract(paid.customer)
    with pytest.raises(Conflict) as exc:
        contract_draw(work_order=paid, contract=sc, kind=QuotaKind.PRODUCT_UPDATE, actor=tech)
    assert exc.value.code == "contract_class_b_only"
    wo = work_order(billing_class="B", actor=supervisor, customer=paid.customer, when="2026-03-02 09:00")
    others = contract(CustomerFactory())
    expired = contract(paid.customer, start=date(2025, 1, 1), end=date(2025, 12, 31))
    future = contract(paid.customer, start=date(2026, 3, 3), end=date(2027, 3, 2))
    inactive = contract(paid.customer)
    inactive.is_active = False
    inactive.save()
    for sc_ in (others, expired, future, inactive):
        with pytest.raises(Conflict) as exc:
            contract_draw(work_order=wo, contract=sc_, kind=QuotaKind.PRODUCT_UPDATE, actor=tech)
        assert exc.value.code == "contract_not_applicable", sc_
    # the last day of the period still counts (the work order's own date decides, not today's)
    edge = work_order(billing_class="B", actor=supervisor, customer=paid.customer, when="2025-12-31 23:30")
    contract_draw(work_order=edge, contract=expired, kind=QuotaKind.PRODUCT_UPDATE, actor=tech)
    assert ContractDraw.objects.count() == 1


def test_a_reversal_is_a_negative_draw_naming_the_one_it_reverses(people):
    supervisor, tech = people
    wo = work_order(billing_class="B", actor=supervisor)
    sc = contract(wo.customer, visit=1)
    draw = contract_draw(work_order=wo, contract=sc, kind=QuotaKind.VISIT, actor=tech)
    with pytest.raises(PermissionDenied):
        contract_draw_reverse(draw=draw, reason="x", actor=tech)
    with pytest.raises(ValidationFailed):
        contract_draw_reverse(draw=draw, reason="", actor=supervisor)
    reversal = contract_draw_reverse(draw=draw, reason="Drawn on the wrong job", actor=supervisor)
    assert (reversal.quantity, reversal.reverses, reversal.note) == (-1, draw, "Drawn on the wrong job")
    assert left(sc, "visit") == 1
    for again in (draw, reversal):
        with pytest.raises(Conflict) as exc:
            contract_draw_reverse(draw=again, reason="again", actor=supervisor)
        assert exc.value.code == "contract_draw_not_reversible"
    with pytest.raises(AppendOnly):
        draw.save()
    with pytest.raises(AppendOnly):
        draw.delete()
    assert events_of(wo)[-1] == "contract_draw_reversed" and audited()[-1] == "contract.draw_reversed"
    contract_draw(work_order=wo, contract=sc, kind=QuotaKind.VISIT, actor=tech)  # the unit is back
    assert left(sc, "visit") == 0


# ---- the race for the last unit --------------------------------------------------------------------

@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_work_orders_drawing_the_last_unit_one_wins():
    supervisor, tech = staff()
    first = work_order(billing_class="B", actor=supervisor)
    second = work_order(billing_class="B", actor=supervisor, customer=first.customer)
    sc = contract(first.customer, product_update=1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(wo) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(contract_draw(work_order=wo, contract=sc, kind=QuotaKind.PRODUCT_UPDATE, actor=tech))
        except DomainError as exc:
            errors.append(exc)
        except Exception as exc:  # noqa: BLE001 — reported by the assert below
            errors.append(exc)
        finally:
            connections.close_all()

    for _round in range(3):  # three rounds: a lucky ordering does not hide a missing lock
        threads = [threading.Thread(target=run, args=(wo,)) for wo in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
        barrier.reset()
    assert len(results) == 1 and len(errors) == 5, (results, errors)
    assert {getattr(e, "code", repr(e)) for e in errors} == {"contract_quota_exhausted"}
    assert left(sc, "product_update") == 0
    assert ContractDraw.objects.filter(contract=sc).count() == 1
