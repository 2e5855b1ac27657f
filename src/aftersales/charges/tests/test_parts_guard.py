"""Paid work needs the customer's agreement before parts are fitted: `repairs.part_use` on a
class A work order is refused (409 `quote_not_accepted`, no stock touched) until a quote is
accepted, and again while a revision waits for an answer; other classes are not held up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.charges.actions import quote_accept, quote_add_line, quote_build_from_work, quote_send
from aftersales.charges.tests.support import price_list, staff, work_order, worked
from aftersales.core.errors import Conflict
from aftersales.parts.actions import stock_receive
from aftersales.parts.models import Reservation, StockLevel, StockMovement
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.repairs.actions_work import part_use
from aftersales.repairs.models_work import PartUsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(people):
    supervisor, _tech = people
    part, van = PartFactory(sku="PUMP-1", unit_price=Decimal("85.00")), LocationFactory(kind="technician_van")
    stock_receive(part=part, location=van, quantity=5, actor=supervisor)
    return part, van


@pytest.fixture
def people():
    return staff()


def stock_state():
    return (StockMovement.objects.count(), Reservation.objects.count(), PartUsed.objects.count(),
            list(StockLevel.objects.values_list("on_hand", "reserved")))


def test_class_a_parts_wait_for_an_accepted_quote(people, stock):
    supervisor, tech = people
    part, van = stock
    price_list()
    wo = work_order(billing_class="A", actor=supervisor)
    card = worked(wo, tech=tech, actor=supervisor)
    before = stock_state()
    with pytest.raises(Conflict) as exc:
        part_use(card=card, part=part, location=van, quantity=1, actor=tech)
    assert exc.value.code == "quote_not_accepted" and wo.number in str(exc.value.detail)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    quote_add_line(quote=quote, kind="part", part=part, quantity=1, actor=tech)
    quote_send(quote=quote, actor=tech)
    with pytest.raises(Conflict):  # sent, not yet answered
        part_use(card=card, part=part, location=van, quantity=1, actor=tech)
    assert stock_state() == before
    quote_accept(quote=quote, actor=tech, channel="on_site", name="Chen")
    used = part_use(card=card, part=part, location=van, quantity=1, actor=tech)
    assert used.quantity == 1
    revision = quote_build_from_work(work_order=wo, actor=tech)  # more work found: the customer agrees again
    with pytest.raises(Conflict) as exc:
        part_use(card=card, part=part, location=van, quantity=1, actor=tech)
    assert exc.value.code == "quote_not_accepted"
    quote_send(quote=revision, actor=tech)
    quote_accept(quote=revision, actor=tech, channel="on_site", name="Chen")
    part_use(card=card, part=part, location=van, quantity=1, actor=tech)
    assert PartUsed.objects.count() == 2


@pytest.mark.parametrize("billing_class", ["B", "C", "D"])
def test_other_classes_fit_parts_without_a_quote(people, stock, billing_class):
    supervisor, tech = people
    part, van = stock
    wo = work_order(billing_class=billing_class, actor=supervisor)
    card = worked(wo, tech=tech, actor=supervisor)
    assert part_use(card=card, part=part, location=van, quantity=2, actor=tech).quantity == 2
