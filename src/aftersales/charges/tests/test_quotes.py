"""Quotes through the actions: built from the recorded work with the active price list,
lines added and removed while a draft, sent, accepted or declined in the portal or on the
spot, withdrawn, revised (a new quote, never an edit), expired; each step on the case
timeline and in the audit log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftersales.accounts.models import Role
from aftersales.charges.actions import (
    quote_accept,
    quote_add_line,
    quote_build_from_work,
    quote_decline,
    quote_expire_due,
    quote_remove_line,
    quote_send,
    quote_withdraw,
)
from aftersales.charges.models import PartPrice, PriceItemKind, PriceListItem, Quote, QuoteStatus
from aftersales.charges.selectors import open_quote_for, work_order_charges
from aftersales.charges.tests.support import at, audited, events_of, price_list, staff, work_order, worked
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory
from aftersales.parts.actions import stock_receive, stock_reserve
from aftersales.parts.tests.factories import LocationFactory, PartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return staff()


@pytest.fixture
def pl():
    return price_list()


def test_a_quote_built_from_the_work_prices_labour_parts_and_visits(people, pl):
    supervisor, tech = people
    wo = work_order(billing_class="A", actor=supervisor, language="zh-hans")
    worked(wo, tech=tech, actor=supervisor, minutes=90)
    pump = PartFactory(sku="PUMP-1", unit_price=Decimal("85.50"), names={"en": "Drain pump", "zh-hans": "排水泵"})
    seal = PartFactory(sku="SEAL-2", unit_price=Decimal("9.99"), names={"en": "Door seal"})
    PartPrice.objects.create(price_list=pl, part=seal, unit_price=Decimal("12.00"))  # the list's own price wins
    van = LocationFactory(kind="technician_van")
    stock_receive(part=pump, location=van, quantity=5, actor=supervisor)
    stock_receive(part=seal, location=van, quantity=5, actor=supervisor)
    stock_reserve(part=pump, location=van, quantity=1, reference=wo.number, actor=tech)
    stock_reserve(part=seal, location=van, quantity=2, reference=wo.number, actor=tech)
    stock_reserve(part=seal, location=van, quantity=1, reference="WO-OTHER", actor=tech)  # another job's

    quote = quote_build_from_work(work_order=wo, actor=tech, at=at("2026-03-03 11:00"))

    assert quote.number == "QT-2026-000001" and quote.status == QuoteStatus.DRAFT
    assert (quote.currency, quote.language, quote.tax_rate, quote.price_list) == (
        "CNY", "zh-hans", Decimal("13.00"), pl)
    lines = [(ln.kind, ln.quantity, ln.unit_price, ln.line_total) for ln in quote.lines.all()]
    assert lines == [
        ("labour", Decimal("1.50"), Decimal("120.00"), Decimal("180.00")),
        ("part", Decimal("1.00"), Decimal("85.50"), Decimal("85.50")),
        ("part", Decimal("2.00"), Decimal("12.00"), Decimal("24.00")),
        ("visit_fee", Decimal("1.00"), Decimal("20.00"), Decimal("20.00")),
    ]
    descriptions = [ln.description for ln in quote.lines.all()]
    # the part names in the customer's language (with the SKU), the other part's in English
    assert descriptions[1:3] == ["排水泵 (PUMP-1)", "Door seal (SEAL-2)"] and "90" in descriptions[0]
    # net 309.50, tax 13 % = 40.235 → 40.24 (half up), total 349.74
    assert (quote.net_total, quote.tax_total, quote.gross_total) == (
        Decimal("309.50"), Decimal("40.24"), Decimal("349.74"))
    assert events_of(wo)[-1] == "quote_built" and audited()[-1] == "quote.built"


def test_descriptions_are_in_the_customers_language_when_quoted(people, pl):
    supervisor, tech = people
    en = work_order(actor=supervisor, language="en")
    worked(en, tech=tech, actor=supervisor, minutes=45)
    quote = quote_build_from_work(work_order=en, actor=tech)
    assert [ln.description for ln in quote.lines.all()] == ["Labour (45 min)", "Visit fee"]


def test_a_labour_rate_for_the_work_orders_kind_wins(people, pl):
    supervisor, tech = people
    PriceListItem.objects.create(price_list=pl, kind=PriceItemKind.LABOUR_HOUR, work_order_kind="on_site",
                                 unit_price=Decimal("150.00"))
    wo = work_order(actor=supervisor)
    worked(wo, tech=tech, actor=supervisor, minutes=60)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    assert quote.lines.get(kind="labour").unit_price == Decimal("150.00")


def test_building_needs_paid_work_an_active_price_list_and_its_prices(people):
    supervisor, tech = people
    warranty = work_order(billing_class="C", actor=supervisor)
    with pytest.raises(Conflict) as exc:
        quote_build_from_work(work_order=warranty, actor=tech)
    assert exc.value.code == "quote_not_paid_work"
    wo = work_order(actor=supervisor)
    with pytest.raises(Conflict) as exc:
        quote_build_from_work(work_order=wo, actor=tech)
    assert exc.value.code == "no_price_list"
    price_list(valid_from=date(2030, 1, 1))  # not yet in force
    price_list(currency="KRW")  # another currency
    price_list(is_active=False)
    with pytest.raises(Conflict) as exc:
        quote_build_from_work(work_order=wo, actor=tech, at=at("2026-03-03 11:00"))
    assert exc.value.code == "no_price_list"
    price_list(labour=None)
    worked(wo, tech=tech, actor=supervisor, minutes=30)
    with pytest.raises(Conflict) as exc:
        quote_build_from_work(work_order=wo, actor=tech, at=at("2026-03-03 11:00"))
    assert exc.value.code == "price_missing" and "Labour, per hour" in str(exc.value.detail)
    assert Quote.objects.count() == 0


def test_a_part_priced_in_another_currency_needs_a_list_price(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    usd = PartFactory(sku="USD-1", currency="USD", unit_price=Decimal("10.00"))
    with pytest.raises(Conflict) as exc:
        quote_add_line(quote=quote, kind="part", part=usd, quantity=1, actor=tech)
    assert exc.value.code == "price_missing"
    PartPrice.objects.create(price_list=pl, part=usd, unit_price=Decimal("72.00"))
    line = quote_add_line(quote=quote, kind="part", part=usd, quantity=2, actor=tech)
    assert (line.unit_price, line.line_total) == (Decimal("72.00"), Decimal("144.00"))


def test_lines_are_added_and_removed_only_while_a_draft(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    assert quote.lines.count() == 0
    labour = quote_add_line(quote=quote, kind="labour", quantity=Decimal("1.25"), actor=tech)
    visit = quote_add_line(quote=quote, kind="visit_fee", quantity=2, actor=tech)
    other = quote_add_line(quote=quote, kind="other", quantity=1, unit_price=Decimal("35.00"),
                           description="Disposal of the old pump", actor=tech)
    assert [(ln.position, ln.line_total) for ln in (labour, visit, other)] == [
        (1, Decimal("150.00")), (2, Decimal("40.00")), (3, Decimal("35.00"))]
    quote_remove_line(line=visit, actor=tech)
    quote.refresh_from_db()
    assert (quote.net_total, quote.tax_total, quote.gross_total) == (
        Decimal("185.00"), Decimal("24.05"), Decimal("209.05"))
    quote_send(quote=quote, actor=tech)
    with pytest.raises(Conflict) as exc:
        quote_add_line(quote=quote, kind="labour", quantity=1, actor=tech)
    assert exc.value.code == "quote_not_draft"
    with pytest.raises(Conflict):
        quote_remove_line(line=labour, actor=tech)
    assert audited().count("quote.line_added") == 3 and audited().count("quote.line_removed") == 1


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"kind": "bogus"}, "quote_line_kind_invalid"),
    ({"kind": "labour", "quantity": 0}, "quantity_invalid"),
    ({"kind": "labour", "quantity": Decimal("-1")}, "quantity_invalid"),
    ({"kind": "labour", "quantity": Decimal("1.255")}, "quantity_invalid"),
    ({"kind": "labour", "quantity": Decimal("10000")}, "quantity_invalid"),
    ({"kind": "labour", "quantity": 1.5}, "quantity_invalid"),  # floats are refused
    ({"kind": "labour", "quantity": True}, "quantity_invalid"),
    ({"kind": "visit_fee", "quantity": Decimal("1.5")}, "quantity_invalid"),
    ({"kind": "part", "quantity": 1}, "part_invalid"),
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("1")}, "charges_invalid"),  # no description
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("-1"), "description": "x"}, "amount_invalid"),
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("0.001"), "description": "x"}, "amount_invalid"),
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("1e20"), "description": "x"}, "amount_invalid"),
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("NaN"), "description": "x"}, "amount_invalid"),
    ({"kind": "other", "quantity": 9999, "unit_price": Decimal("999999999999.99"), "description": "x"},
     "amount_invalid"),
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("1"), "description": "a\x00b"}, "invalid_input"),
    ({"kind": "other", "quantity": 1, "unit_price": Decimal("1"), "description": "x" * 301}, "charges_invalid"),
])
def test_bad_lines_are_refused_and_nothing_is_written(people, pl, kwargs, code):
    supervisor, tech = people
    quote = quote_build_from_work(work_order=work_order(actor=supervisor), actor=tech)
    with pytest.raises(ValidationFailed) as exc:
        quote_add_line(quote=quote, actor=tech, **kwargs)
    assert exc.value.code == code
    quote.refresh_from_db()
    assert (quote.lines.count(), quote.gross_total) == (0, Decimal("0"))


def test_send_then_accept_on_the_spot(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech, at=at("2026-03-03 10:50"))
    with pytest.raises(ValidationFailed) as exc:
        quote_send(quote=quote, actor=tech)
    assert exc.value.code == "quote_empty"
    quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=tech)
    quote_send(quote=quote, actor=tech, valid_days=7, at=at("2026-03-03 11:00"))
    quote.refresh_from_db()
    assert (quote.status, quote.valid_until, quote.sent_by) == ("sent", date(2026, 3, 10), tech)
    assert open_quote_for(wo) is None  # valid until 2026-03-10: already past today
    with pytest.raises(ValidationFailed) as exc:
        quote_accept(quote=quote, actor=tech, channel="on_site", name="  ", at=at("2026-03-03 11:05"))
    assert exc.value.code == "name_required"
    quote_accept(quote=quote, actor=tech, channel="on_site", name=" Chen  Da ", at=at("2026-03-03 11:05"))
    quote.refresh_from_db()
    assert (quote.status, quote.decision_channel, quote.decided_by_name, quote.recorded_by, quote.decided_by) == (
        "accepted", "on_site", "Chen Da", tech, None)
    assert events_of(wo)[-3:] == ["quote_built", "quote_sent", "quote_accepted"]
    assert audited()[-2:] == ["quote.sent", "quote.accepted"]
    timeline = wo.case.entries.filter(event="quote_accepted").get()
    assert timeline.is_public  # the customer sees their own answer on the case
    with pytest.raises(Conflict) as exc:
        quote_accept(quote=quote, actor=tech, channel="on_site", name="Chen Da")
    assert exc.value.code == "quote_not_open"


def test_the_customer_answers_in_the_portal_only_for_their_own_quote(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    quote_add_line(quote=quote, kind="labour", quantity=1, actor=tech)
    quote_send(quote=quote, actor=tech)
    stranger = CustomerUserFactory()
    with pytest.raises(PermissionDenied):
        quote_accept(quote=quote, actor=stranger, channel="portal")
    with pytest.raises(PermissionDenied):  # staff do not answer "in the portal" for the customer
        quote_accept(quote=quote, actor=tech, channel="portal")
    with pytest.raises(PermissionDenied):  # nor may a customer record an answer "on the spot"
        quote_accept(quote=quote, actor=wo.customer.user, channel="on_site", name="Me")
    owner = wo.customer.user
    open_quote = open_quote_for(wo)
    assert open_quote == quote and [ln.kind for ln in open_quote.lines.all()] == ["labour"]
    quote_decline(quote=quote, actor=owner, channel="portal", reason="Too expensive")
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by, quote.decline_reason, quote.recorded_by) == (
        "declined", owner, "Too expensive", None)
    assert open_quote_for(wo) is None
    assert events_of(wo)[-1] == "quote_declined" and audited()[-1] == "quote.declined"


def test_a_revision_is_a_new_quote_and_the_old_one_is_withdrawn(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    first = quote_build_from_work(work_order=wo, actor=tech)
    with pytest.raises(Conflict) as exc:  # a draft is finished first
        quote_build_from_work(work_order=wo, actor=tech)
    assert exc.value.code == "quote_draft_exists"
    quote_add_line(quote=first, kind="labour", quantity=1, actor=tech)
    quote_send(quote=first, actor=tech)
    quote_accept(quote=first, actor=tech, channel="on_site", name="Chen")
    second = quote_build_from_work(work_order=wo, actor=tech)
    first.refresh_from_db()
    assert (first.status, first.withdraw_reason, second.replaces, second.status) == (
        "withdrawn", "Revised", first, "draft")
    assert first.lines.count() == 1  # the old quote keeps its lines as the customer saw them
    charges = work_order_charges(work_order=wo)
    assert charges.quote == second and charges.earlier_quotes == [first]
    withdrawn = wo.case.entries.filter(event="quote_withdrawn").get()
    assert withdrawn.data["replaced_by"] == second.number


def test_withdraw(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    quote_withdraw(quote=quote, actor=tech, reason="Customer went elsewhere")
    quote.refresh_from_db()
    assert (quote.status, quote.withdraw_reason) == ("withdrawn", "Customer went elsewhere")
    assert "quote_withdrawn" not in events_of(wo)  # a draft never reached the customer
    with pytest.raises(Conflict) as exc:
        quote_withdraw(quote=quote, actor=tech)
    assert exc.value.code == "quote_not_withdrawable"


def test_an_expired_quote_cannot_be_accepted_and_the_nightly_job_marks_it(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech, at=at("2026-03-03 10:00"))
    quote_add_line(quote=quote, kind="labour", quantity=1, actor=tech)
    quote_send(quote=quote, actor=tech, valid_days=2, at=at("2026-03-03 10:00"))
    with pytest.raises(Conflict) as exc:
        quote_accept(quote=quote, actor=tech, channel="on_site", name="Chen", at=at("2026-03-06 09:00"))
    assert exc.value.code == "quote_expired"
    assert quote_expire_due(at=at("2026-03-05 09:00")) == 0  # the last valid day
    assert quote_expire_due(at=at("2026-03-06 09:00")) == 1
    assert quote_expire_due(at=at("2026-03-06 09:00")) == 0
    quote.refresh_from_db()
    assert quote.status == "expired" and events_of(wo)[-1] == "quote_expired"


def test_nothing_is_quoted_on_a_closed_work_order(people, pl):
    supervisor, tech = people
    from aftersales.repairs.actions import work_order_move

    wo = work_order(actor=supervisor)
    work_order_move(work_order=wo, target="cancelled", actor=supervisor)
    with pytest.raises(Conflict) as exc:
        quote_build_from_work(work_order=wo, actor=tech)
    assert exc.value.code == "work_order_closed"


def test_portal_answer_needs_an_active_customer_account(people, pl):
    supervisor, tech = people
    wo = work_order(actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech)
    quote_add_line(quote=quote, kind="labour", quantity=1, actor=tech)
    quote_send(quote=quote, actor=tech)
    with pytest.raises(PermissionDenied):
        quote_accept(quote=quote, actor=UserFactory(role=Role.AGENT), channel="portal")
    with pytest.raises(ValidationFailed):
        quote_accept(quote=quote, actor=tech, channel="phone")
    quote.refresh_from_db()
    assert quote.status == "sent"
