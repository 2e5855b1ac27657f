"""In a real browser: a supervisor builds a quote from the recorded work on the Charges card,
adds a part, sends it, writes down the customer's acceptance on the spot, invoices and takes
two payments; a refused payment shows beside its form; the customer accepts another quote in
the portal; the contract card of class B work, also at phone width."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role
from aftersales.charges.actions import quote_add_line, quote_build_from_work, quote_send
from aftersales.charges.actions_contracts import contract_draw
from aftersales.charges.tests.support import contract, price_list, work_order, worked
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.parts.tests.factories import PartFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_charges_card_from_quote_to_paid(page, browser, live_server):
    team = TeamFactory(code="desk", name="Desk team")
    wang = UserFactory(username="wang", role=Role.SUPERVISOR, teams=[team], display_name="Wang Supervisor",
                       time_zone="Asia/Shanghai")
    li = UserFactory(username="li", role=Role.TECHNICIAN, teams=[team], display_name="Li Technician")
    price_list()
    PartFactory(sku="PUMP-1", unit_price=Decimal("85.50"), names={"en": "Drain pump", "zh-hant": "排水泵"})
    wo = work_order(billing_class="A", actor=wang, team=team, language="zh-hant")
    worked(wo, tech=li, actor=wang, minutes=90)

    sign_in(page, "wang")
    page.goto(f"/desk/work-orders/{wo.pk}/")
    card = page.locator("#wo-charges")
    expect(card.get_by_role("heading", name="Charges")).to_be_visible()
    shot(page, "charges-empty-en")
    card.get_by_role("button", name="Build a quote from the work").click()
    expect(card.locator(".ch-lines tbody tr")).to_have_count(2)  # labour 1.5 h, one visit
    card.get_by_label("Kind").select_option("part")
    card.get_by_label("Part SKU (for a part)").fill("pump-1")
    card.get_by_label("Quantity (hours for labour)").fill("1")
    card.get_by_role("button", name="Add the line").click()
    expect(card.locator(".ch-lines tbody tr")).to_have_count(3)
    expect(card.locator('[data-field="quote-gross"]')).to_have_text("322.62")  # (180 + 20 + 85.50) × 1.13
    shot(page, "charges-draft-en")
    card.get_by_role("button", name="Send to the customer").click()
    expect(card.locator('[data-field="quote-status"]')).to_have_text("Waiting for the customer")
    card.get_by_role("button", name="Accepted", exact=True).click()
    expect(card.locator('[data-error-for="answer"]')).to_contain_text("Write down who answered")
    card.get_by_label("Name of the person answering").fill("陳大文")
    card.get_by_role("button", name="Accepted", exact=True).click()
    expect(card.locator('[data-field="decision"]')).to_contain_text("Accepted by 陳大文 (On the spot)")
    card.get_by_role("button", name="Issue the invoice").click()
    expect(card.locator('[data-field="invoice-status"]')).to_have_text("Unpaid")
    card.get_by_label("Amount (CNY)").fill("400")
    card.get_by_role("button", name="Record the payment").click()
    expect(card.locator('[data-error-for="payment"]')).to_contain_text("Only CNY 322.62 is still owed")
    card.get_by_label("Amount (CNY)").fill("100")
    card.get_by_label("Reference (receipt or transfer number)").fill("R-0001")
    card.get_by_role("button", name="Record the payment").click()
    expect(card.locator('[data-field="invoice-balance"]')).to_have_text("222.62")
    expect(card.locator('[data-field="invoice-status"]')).to_have_text("Partly paid")
    shot(page, "charges-invoice-en")
    card.get_by_label("Method").select_option("bank_transfer")
    card.get_by_role("button", name="Record the payment").click()  # the balance is filled in
    expect(card.locator('[data-field="invoice-status"]')).to_have_text("Paid")
    expect(card.locator(".ch-payments li")).to_have_count(2)
    shot(page, "charges-paid-en")

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    tab = phone.new_page()
    sign_in(tab, "wang")
    tab.goto(f"/desk/work-orders/{wo.pk}/#wo-charges")
    expect(tab.locator("#wo-charges")).to_be_visible()
    tab.locator("#wo-charges").scroll_into_view_if_needed()
    shot(tab, "charges-paid-375-en", full_page=True)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()


def test_the_customer_accepts_in_the_portal_and_the_contract_card(page, browser, live_server):
    team = TeamFactory(code="desk", name="Desk team")
    wang = UserFactory(username="wang", role=Role.SUPERVISOR, teams=[team], display_name="Wang Supervisor")
    price_list()
    owner = CustomerUserFactory(username="chen", language="zh-hant", customer__language="zh-hant",
                                display_name="陳大文")
    wo = work_order(actor=wang, team=team, customer=owner.customer)
    quote = quote_build_from_work(work_order=wo, actor=wang)
    quote_add_line(quote=quote, kind="other", quantity=1, unit_price=Decimal("350.00"), description="更換排水泵",
                   actor=wang)
    quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=wang)
    quote_send(quote=quote, actor=wang)

    sign_in(page, "chen")
    page.goto(f"/cases/{wo.case_id}/")
    page.locator(".case-quotes a").click()
    expect(page.locator("#quote-heading")).to_contain_text(quote.number)
    shot(page, "charges-portal-quote-zh-hant")
    page.locator("form").filter(has=page.locator('input[value="accept"]')).get_by_role("button").click()
    expect(page.locator('[data-field="quote-state"]')).to_be_visible()
    shot(page, "charges-portal-accepted-zh-hant")
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    tab = phone.new_page()
    sign_in(tab, "chen")
    tab.goto(f"/quotes/{quote.pk}/")
    shot(tab, "charges-portal-375-zh-hant")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()

    b = work_order(billing_class="B", actor=wang, team=team, customer=owner.customer)
    sc = contract(owner.customer, product_update=60, article_update=100, visit=2)
    contract_draw(work_order=b, contract=sc, kind="visit", quantity=2, actor=wang)
    page.context.clear_cookies()
    sign_in(page, "wang")
    page.goto(f"/desk/work-orders/{b.pk}/")
    card = page.locator("#wo-charges")
    card.get_by_label("Used", exact=True).select_option("product_update")
    card.get_by_label("Quantity").fill("3")
    card.get_by_role("button", name="Draw", exact=True).click()
    expect(card.locator('tr[data-quota="product_update"] [data-field="left"]')).to_have_text("57")
    card.get_by_label("Used", exact=True).select_option("visit")
    card.get_by_label("Quantity").fill("1")
    card.get_by_role("button", name="Draw", exact=True).click()
    expect(card.locator('[data-error-for="draw"]')).to_contain_text("has 0 of “Visits” left")
    shot(page, "charges-contract-en")

    # the billing class changes in the voucher's form: the Charges card follows
    main = page.locator("#wo-main")
    main.locator("#b-class").select_option("A")
    main.locator("#b-reason").fill("Not covered by the contract")
    main.get_by_role("button", name="Change the billing class").click()
    expect(card.get_by_role("button", name="Build a quote from the work")).to_be_visible()
    expect(card.locator(".badge.wo-billing")).to_have_text("A — paid")
