"""The Charges card on the desk's work order page, through the real views and actions: build,
add a line, send, the customer's answer on the spot, invoice, payments, void; contract draws
for class B; refusals beside their form with a 4xx and nothing written; hostile input never a
500; another work order's quote, invoice or draw is a 404; a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import Role
from aftersales.charges.actions import quote_accept, quote_add_line, quote_build_from_work, quote_send
from aftersales.charges.actions_contracts import contract_draw
from aftersales.charges.actions_invoices import invoice_issue, payment_record
from aftersales.charges.models import ContractDraw, Invoice, Payment, Quote, QuoteLine
from aftersales.charges.tests.support import contract, price_list, work_order
from aftersales.core.audit import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for

pytestmark = pytest.mark.django_db

HOSTILE = ["a\x00b", "²", "١٢", "9" * 30, "9" * 5000, "x" * 20_000, "-1", "-5.00", "1e3", "NaN", ""]


@pytest.fixture
def team():
    return TeamFactory(code="desk", name="Desk team")


@pytest.fixture
def agent(team):
    return UserFactory(role=Role.AGENT, teams=[team], display_name="Ada Agent")


@pytest.fixture
def supervisor(team):
    return UserFactory(role=Role.SUPERVISOR, teams=[team], display_name="Wang Supervisor")


@pytest.fixture(autouse=True)
def pl():
    return price_list()


def url(wo, step: str = "") -> str:
    return f"/desk/work-orders/{wo.pk}/charges/{step}"


def state():
    return (Quote.objects.count(), QuoteLine.objects.count(), Invoice.objects.count(), Payment.objects.count(),
            ContractDraw.objects.count(), AuditEntry.objects.filter(action__startswith=("quote")).count(),
            sorted(Quote.objects.values_list("status", flat=True)),
            sorted(Invoice.objects.values_list("status", "paid_total")))


def test_the_whole_paid_flow_on_the_card(agent, supervisor, team):
    wo = work_order(billing_class="A", actor=agent, team=team)
    client = client_for(agent)
    page = client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert 'id="wo-charges"' in page and "Build a quote from the work" in page

    response = client.post(url(wo, "quote/"), {"currency": "CNY"}, **HTMX)
    assert response.status_code == 200
    quote = Quote.objects.get(work_order=wo)
    html = response.content.decode()
    assert quote.number in html and "Draft" in html and "Add a line" in html

    response = client.post(url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "labour", "quantity": "1.5"}, **HTMX)
    assert response.status_code == 200
    response = client.post(url(wo, f"quotes/{quote.pk}/lines/"), {
        "kind": "other", "quantity": "1", "unit_price": "35.50", "description": "Disposal"}, **HTMX)
    assert response.status_code == 200
    quote.refresh_from_db()
    # 180.00 + 35.50 = 215.50; 13 % = 28.015 → 28.02
    assert (quote.net_total, quote.tax_total, quote.gross_total) == (
        Decimal("215.50"), Decimal("28.02"), Decimal("243.52"))
    assert 'data-field="quote-gross">243.52<' in response.content.decode()

    refused = client.post(url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "other", "quantity": "1",
                                                                  "unit_price": "12,50", "description": "x"}, **HTMX)
    assert refused.status_code == 422 and 'data-error-for="line"' in refused.content.decode()
    assert 'value="12,50"' in refused.content.decode()  # what was typed comes back

    line = quote.lines.get(kind="other")
    response = client.post(url(wo, f"quotes/{quote.pk}/lines/{line.pk}/remove/"), **HTMX)
    assert response.status_code == 200 and quote.lines.count() == 1
    response = client.post(url(wo, f"quotes/{quote.pk}/send/"), {"valid_days": "10"}, **HTMX)
    assert response.status_code == 200 and "Waiting for the customer" in response.content.decode()
    refused = client.post(url(wo, f"quotes/{quote.pk}/answer/"), {"answer": "accept", "name": " "}, **HTMX)
    assert refused.status_code == 422 and 'data-error-for="answer"' in refused.content.decode()
    response = client.post(url(wo, f"quotes/{quote.pk}/answer/"), {"answer": "accept", "name": "Chen Da"}, **HTMX)
    assert response.status_code == 200
    assert "Accepted by Chen Da (On the spot)" in response.content.decode()
    again = client.post(url(wo, f"quotes/{quote.pk}/answer/"), {"answer": "accept", "name": "Chen Da"}, **HTMX)
    assert again.status_code == 409

    response = client.post(url(wo, "invoice/"), **HTMX)
    assert response.status_code == 200
    invoice = Invoice.objects.get(work_order=wo)
    assert invoice.number in response.content.decode() and invoice.gross_total == Decimal("203.40")
    over = client.post(url(wo, f"invoices/{invoice.pk}/payments/"), {"method": "cash", "amount": "203.41"}, **HTMX)
    assert over.status_code == 409 and 'data-error-for="payment"' in over.content.decode()
    response = client.post(url(wo, f"invoices/{invoice.pk}/payments/"), {
        "method": "cash", "amount": "100", "reference": "R-7"}, **HTMX)
    assert response.status_code == 200 and 'data-field="invoice-balance">103.40<' in response.content.decode()
    response = client.post(url(wo, f"invoices/{invoice.pk}/payments/"), {
        "method": "card", "amount": "103.40"}, **HTMX)
    invoice.refresh_from_db()
    assert invoice.status == "paid" and "Paid" in response.content.decode()

    # without htmx: the page again, the refusal as a message
    plain = client.post(url(wo, f"invoices/{invoice.pk}/payments/"), {"method": "cash", "amount": "1"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"/desk/work-orders/{wo.pk}/#wo-charges")


def test_voiding_is_for_supervisors_and_needs_a_reason(agent, supervisor, team):
    wo = work_order(actor=agent, team=team)
    quote = quote_build_from_work(work_order=wo, actor=agent)
    quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=agent)
    quote_send(quote=quote, actor=agent)
    quote_accept(quote=quote, actor=agent, channel="on_site", name="Chen")
    invoice = invoice_issue(work_order=wo, actor=agent)
    page = client_for(agent).get(url(wo)).content.decode()
    assert "Void this invoice" not in page
    refused = client_for(agent).post(url(wo, f"invoices/{invoice.pk}/void/"), {"reason": "typo"}, **HTMX)
    assert refused.status_code == 403
    boss = client_for(supervisor)
    assert boss.post(url(wo, f"invoices/{invoice.pk}/void/"), {"reason": ""}, **HTMX).status_code == 422
    response = boss.post(url(wo, f"invoices/{invoice.pk}/void/"), {"reason": "Wrong address"}, **HTMX)
    invoice.refresh_from_db()
    assert response.status_code == 200 and invoice.status == "void"
    assert "was voided: Wrong address" in response.content.decode()


def test_class_b_shows_the_contract_and_draws_on_it(agent, supervisor, team):
    wo = work_order(billing_class="B", actor=agent, team=team)
    sc = contract(wo.customer, product_update=2, article_update=100)
    other_customer_contract = contract(CustomerUserFactory().customer, product_update=5)
    client = client_for(agent)
    html = client.get(url(wo)).content.decode()
    assert sc.number in html and "Product updates" in html and "Draw on the contract" in html
    assert other_customer_contract.number not in html
    response = client.post(url(wo, "contract/draw/"), {"contract": sc.pk, "kind": "product_update",
                                                        "quantity": "2", "note": "spring"}, **HTMX)
    assert response.status_code == 200
    assert '<tr data-quota="product_update" class="ch-exhausted">' in response.content.decode()
    refused = client.post(url(wo, "contract/draw/"), {"contract": sc.pk, "kind": "product_update", "quantity": "1"},
                          **HTMX)
    assert refused.status_code == 409 and "contract_quota_exhausted" not in refused.content.decode()
    assert 'data-error-for="draw"' in refused.content.decode()
    foreign = client.post(url(wo, "contract/draw/"), {"contract": other_customer_contract.pk,
                                                       "kind": "product_update", "quantity": "1"}, **HTMX)
    assert foreign.status_code == 422 and ContractDraw.objects.count() == 1
    draw = ContractDraw.objects.get()
    assert client.post(url(wo, f"contract/draws/{draw.pk}/reverse/"), {"reason": "x"}, **HTMX).status_code == 403
    response = client_for(supervisor).post(url(wo, f"contract/draws/{draw.pk}/reverse/"),
                                           {"reason": "Wrong job"}, **HTMX)
    assert response.status_code == 200 and ContractDraw.objects.count() == 2


def test_warranty_and_internal_work_say_nothing_is_charged(agent, team):
    for billing_class, words in (("C", "Free warranty work"), ("D", "Internal work")):
        wo = work_order(billing_class=billing_class, actor=agent, team=team)
        html = client_for(agent).get(url(wo)).content.decode()
        assert words in html and "Build a quote" not in html
        refused = client_for(agent).post(url(wo, "invoice/"), **HTMX)
        assert refused.status_code == 409 and "never invoiced" in refused.content.decode()


def test_another_work_orders_ids_are_404_and_write_nothing(agent, team):
    mine = work_order(actor=agent, team=team)
    theirs = work_order(actor=agent, team=team)
    quote = quote_build_from_work(work_order=theirs, actor=agent)
    line = quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=agent)
    quote_send(quote=quote, actor=agent)
    quote_accept(quote=quote, actor=agent, channel="on_site", name="x")
    invoice = invoice_issue(work_order=theirs, actor=agent)
    b = work_order(billing_class="B", actor=agent, team=team)
    draw = contract_draw(work_order=b, contract=contract(b.customer), kind="product_update", actor=agent)
    client = client_for(UserFactory(role=Role.SUPERVISOR))
    before = state()
    for path, data in [
        (f"quotes/{quote.pk}/lines/", {"kind": "labour", "quantity": "1"}),
        (f"quotes/{quote.pk}/lines/{line.pk}/remove/", {}),
        (f"quotes/{quote.pk}/send/", {}),
        (f"quotes/{quote.pk}/answer/", {"answer": "decline", "name": "x"}),
        (f"quotes/{quote.pk}/withdraw/", {}),
        (f"invoices/{invoice.pk}/void/", {"reason": "x"}),
        (f"invoices/{invoice.pk}/payments/", {"method": "cash", "amount": "1"}),
        (f"contract/draws/{draw.pk}/reverse/", {"reason": "x"}),
    ]:
        assert client.post(url(mine, path), data, **HTMX).status_code == 404, path
    assert state() == before


def test_customers_and_strangers_get_nothing(team):
    wo = work_order(actor=UserFactory(role=Role.AGENT), team=team)
    owner = client_for(wo.customer.user)
    assert owner.get(url(wo)).status_code == 404
    assert owner.post(url(wo, "quote/"), {"currency": "CNY"}).status_code == 404
    outsider = client_for(UserFactory(role=Role.AGENT, teams=[TeamFactory(code="elsewhere")]))
    assert outsider.get(url(wo)).status_code == 404
    assert outsider.post(url(wo, "quote/"), {"currency": "CNY"}, **HTMX).status_code == 404
    assert Quote.objects.count() == 0


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_never_500_and_write_nothing(agent, supervisor, team, value):
    wo = work_order(actor=agent, team=team)
    quote = quote_build_from_work(work_order=wo, actor=agent)
    line = quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=agent)
    sent_wo = work_order(actor=agent, team=team)
    sent = quote_build_from_work(work_order=sent_wo, actor=agent)
    quote_add_line(quote=sent, kind="visit_fee", quantity=1, actor=agent)
    quote_send(quote=sent, actor=agent)
    paid_wo = work_order(actor=agent, team=team)
    accepted = quote_build_from_work(work_order=paid_wo, actor=agent)
    quote_add_line(quote=accepted, kind="visit_fee", quantity=1, actor=agent)
    quote_send(quote=accepted, actor=agent)
    quote_accept(quote=accepted, actor=agent, channel="on_site", name="x")
    invoice = invoice_issue(work_order=paid_wo, actor=agent)
    payment_record(invoice=invoice, method="cash", amount=Decimal("1.00"), actor=agent)
    b = work_order(billing_class="B", actor=agent, team=team)
    sc = contract(b.customer)
    draw = contract_draw(work_order=b, contract=sc, kind="product_update", actor=agent)
    # numbers, choices and ids: every one of these values is refused
    posts = [
        (url(wo, "quote/"), {"currency": value}),
        (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": value, "quantity": "1"}),
        (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "labour", "quantity": value}),
        (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "visit_fee", "quantity": value}),
        (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "part", "quantity": "1", "part": value}),
        (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "other", "quantity": "1", "unit_price": value,
                                                 "description": "x"}),
        (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "other", "quantity": value, "unit_price": "1",
                                                 "description": value}),
        (url(wo, f"quotes/{quote.pk}/send/"), {"valid_days": value}),
        (url(sent_wo, f"quotes/{sent.pk}/answer/"), {"answer": value, "name": value}),
        (url(paid_wo, f"invoices/{invoice.pk}/payments/"), {"method": value, "amount": "1"}),
        (url(paid_wo, f"invoices/{invoice.pk}/payments/"), {"method": "cash", "amount": value}),
        (url(b, "contract/draw/"), {"contract": value, "kind": "product_update"}),
        (url(b, "contract/draw/"), {"contract": sc.pk, "kind": value}),
        (url(b, "contract/draw/"), {"contract": sc.pk, "kind": "product_update", "quantity": value}),
    ]
    if value in ("a\x00b", "9" * 5000, "x" * 20_000):  # text fields take any other text, but not these
        posts += [
            (url(wo, f"quotes/{quote.pk}/lines/"), {"kind": "other", "quantity": "1", "unit_price": "1",
                                                     "description": value}),
            (url(sent_wo, f"quotes/{sent.pk}/answer/"), {"answer": "accept", "name": value}),
            (url(sent_wo, f"quotes/{sent.pk}/answer/"), {"answer": "decline", "name": "Chen", "reason": value}),
            (url(sent_wo, f"quotes/{sent.pk}/withdraw/"), {"reason": value}),
            (url(paid_wo, f"invoices/{invoice.pk}/payments/"), {"method": "cash", "amount": "1",
                                                                 "reference": value}),
            (url(paid_wo, f"invoices/{invoice.pk}/void/"), {"reason": value}),
            (url(b, "contract/draw/"), {"contract": sc.pk, "kind": "product_update", "quantity": "1", "note": value}),
            (url(b, f"contract/draws/{draw.pk}/reverse/"), {"reason": value}),
        ]
    boss = client_for(supervisor)
    before = state()
    for path, data in posts:
        for extra in ({}, HTMX):
            response = boss.post(path, data, **extra)
            assert response.status_code < 500, (path, data, response.status_code)
            if extra:
                assert 400 <= response.status_code < 500, (path, data, response.status_code)
    assert state() == before
    assert line.quote.lines.count() == 1
    for path in (f"/desk/work-orders/{wo.pk}/charges/quotes/{value[:40]}/send/",):
        assert boss.post(path, **HTMX).status_code == 404


def _paid(wo, agent, *, lines: int, payments: int):
    quote = quote_build_from_work(work_order=wo, actor=agent)
    for n in range(lines):
        quote_add_line(quote=quote, kind="other", quantity=1, unit_price=Decimal("10"), description=f"x{n}",
                       actor=agent)
    quote_send(quote=quote, actor=agent)
    quote_accept(quote=quote, actor=agent, channel="on_site", name="x")
    invoice = invoice_issue(work_order=wo, actor=agent)
    for _n in range(payments):
        payment_record(invoice=invoice, method="cash", amount=Decimal("1.00"), actor=agent)
    return invoice


def test_the_card_keeps_its_query_count(agent, supervisor, team, django_assert_num_queries):
    small = work_order(actor=agent, team=team)
    _paid(small, agent, lines=1, payments=1)
    big = work_order(actor=agent, team=team)
    from aftersales.charges.actions import quote_decline
    from aftersales.charges.actions_invoices import invoice_void

    declined = quote_build_from_work(work_order=big, actor=agent)  # an earlier, declined quote
    quote_add_line(quote=declined, kind="visit_fee", quantity=2, actor=agent)
    quote_send(quote=declined, actor=agent)
    quote_decline(quote=declined, actor=agent, channel="on_site", name="x", reason="too dear")
    invoice_void(invoice=invoice_issue(work_order=big, actor=agent), reason="changed their mind",
                 actor=supervisor)  # a voided visit-fee invoice
    _paid(big, agent, lines=8, payments=5)
    client = client_for(agent)
    client.get(url(small))
    with CaptureQueriesContext(connection) as few:
        client.get(url(small))
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url(big)).content.decode()
    assert html.count("<li><time") == 5 and "changed their mind" in html and "1 earlier quote" in html


def test_the_contract_card_keeps_its_query_count(agent, team, django_assert_num_queries):
    wo = work_order(billing_class="B", actor=agent, team=team)
    sc = contract(wo.customer)
    contract_draw(work_order=wo, contract=sc, kind="product_update", actor=agent)
    client = client_for(agent)
    with CaptureQueriesContext(connection) as few:
        client.get(url(wo))
    for _n in range(3):
        other = contract(wo.customer, product_update=9, visit=3, repair=2)
        contract_draw(work_order=wo, contract=other, kind="visit", actor=agent)
        contract_draw(work_order=wo, contract=sc, kind="article_update", actor=agent)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url(wo))
