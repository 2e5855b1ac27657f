"""In a real browser: an agent takes a phone call, finds the caller by the number they give,
picks their washer and opens a case; then opens one for a caller who is not on file yet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role
from aftersales.cases.models import Case, EntryKind
from aftersales.core.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    OrderLineFactory,
    ProductModelFactory,
    PurchaseFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)
from aftersales.customers.models import Customer
from aftersales.desk.tests.browser_support import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_opens_cases_for_a_caller_on_file_and_a_new_one(page):
    team = TeamFactory(code="desk", name="Desk team")
    UserFactory(username="ada", role=Role.AGENT, teams=[team], display_name="Ada Agent")
    lin = CustomerFactory(name="Lin Meiling", language="zh-hant", tier="vip")
    IdentityFactory(customer=lin, kind="phone", value="+886912345678")
    IdentityFactory(customer=lin, kind="email", value="meiling@example.com")
    washer = ProductModelFactory(names={"en": "Front loader 8 kg"})
    line = OrderLineFactory(purchase=PurchaseFactory(customer=lin, order_number="TM-2026-0042"), product_model=washer)
    unit = UnitFactory(customer=lin, product_model=washer, serial_number="WM-0001", order_line=line)
    UnitFactory(customer=lin, product_model=ProductModelFactory(names={"en": "Dryer"}), serial_number="DR-0002")
    CustomerFactory(name="Lin Other")

    sign_in(page, "ada")
    page.goto("/desk/")
    page.get_by_role("link", name="New case").click()
    expect(page.locator("h1")).to_have_text("New case")
    expect(page.get_by_label("Channel")).to_have_value("phone")

    # The caller gives their number as they would dial it; the results come as it is typed.
    page.get_by_label("Find the customer").press_sequentially("0912 345 678", delay=20)
    results = page.locator("#nc-results .nc-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Lin Meiling")
    expect(results.first).to_contain_text("VIP")
    expect(results.first).to_contain_text("0 open cases")
    shot(page, "new-case-search-desktop")
    results.first.get_by_role("link", name="Choose Lin Meiling").click()

    chosen = page.locator("#nc-chosen")
    expect(chosen).to_contain_text("Lin Meiling")
    expect(chosen).to_contain_text("meiling@example.com")
    expect(page).to_have_url(re.compile(rf"/desk/new/\?customer={lin.pk}$"))
    units = page.get_by_role("group", name="Which unit is it about?")
    units.get_by_role("radio", name=re.compile("Front loader 8 kg")).check()
    expect(page.get_by_role("group", name="Which purchase?")).to_contain_text("TM-2026-0042")
    page.get_by_label("Type").select_option("repair")
    page.get_by_label("Subject").fill("Washer stops at E21")
    page.get_by_label("What the customer says").fill("It stops mid-cycle and shows E21 since Monday.")
    page.get_by_label("Assign to me").check()
    shot(page, "new-case-chosen-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "new-case-chosen-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Open the case").click()

    expect(page).to_have_url(re.compile(r"/desk/cases/\d+/$"))
    case = Case.objects.get(customer=lin)
    expect(page.locator("#case-header h1")).to_contain_text("Washer stops at E21")
    expect(page.locator('#case-header [data-field="assignee"]')).to_have_text("Ada Agent")
    expect(page.locator("#timeline .entry.customer")).to_contain_text("It stops mid-cycle and shows E21 since Monday.")
    expect(page.locator(".flash")).to_contain_text(f"Case {case.number} is open.")
    assert (case.unit_id, case.channel, case.type, case.language) == (unit.pk, "phone", "repair", "zh-hant")

    # A walk-in who is not on file: nothing matches, so the agent creates them with the case.
    page.get_by_role("link", name="New case").click()
    page.get_by_label("Find the customer").press_sequentially("chen.wei@example.com", delay=10)
    expect(page.locator("#nc-results")).to_contain_text("No customer matches")
    page.locator("#nc-results").get_by_role("link", name="Create a new customer").click()
    expect(page.get_by_label("E-mail address")).to_have_value("chen.wei@example.com")
    page.get_by_label("Name", exact=True).fill("Chen Wei")
    # A number without its country code is read where the customer's language is spoken.
    page.locator("#nc-new").get_by_label("Language").select_option("zh-hant")
    page.get_by_label("Phone number").fill("0912 345 678")  # Lin's number: refused, pointing at her
    page.get_by_label("Channel").select_option("walk_in")
    page.get_by_label("Subject").fill("Fridge is noisy")
    page.get_by_label("What the customer says").fill("A humming noise at night.")
    page.get_by_role("button", name="Open the case").click()

    expect(page.locator(".nc-alert")).to_contain_text("Please check what is marked below.")
    expect(page.locator("#nc-new")).to_contain_text("“+886912345678” already belongs to Lin Meiling.")
    expect(page.get_by_role("link", name="Use Lin Meiling, who is on file")).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("Fridge is noisy")
    assert not Customer.objects.filter(name="Chen Wei").exists()
    shot(page, "new-case-error-desktop")

    page.get_by_label("Phone number").fill("0922 111 222")
    page.get_by_role("button", name="Open the case").click()
    expect(page).to_have_url(re.compile(r"/desk/cases/\d+/$"))
    expect(page.locator(".desk-customer")).to_contain_text("Chen Wei")
    expect(page.locator(".desk-customer")).to_contain_text("+886922111222")
    chen = Customer.objects.get(name="Chen Wei")
    case = Case.objects.get(customer=chen)
    assert case.channel == "walk_in"
    assert case.entries.get(kind=EntryKind.MESSAGE).from_customer


def test_the_search_pages_on_and_enter_searches_in_place(page):
    team = TeamFactory(code="desk", name="Desk team")
    UserFactory(username="ada", role=Role.AGENT, teams=[team])
    for n in range(12):
        CustomerFactory(name=f"Sam Example {n:02d}")

    sign_in(page, "ada")
    page.goto("/desk/new/")
    box = page.get_by_label("Find the customer")
    with page.expect_response(lambda r: "/desk/new/customers/" in r.url):
        box.fill("Sam Example")  # searches as the agent types (after a short pause)
    expect(page.locator("#nc-results .nc-result")).to_have_count(10)
    with page.expect_response(lambda r: "/desk/new/customers/" in r.url):
        box.press("Enter")  # searches again with htmx; the case form is not sent
    expect(page.locator("#nc-results .nc-result")).to_have_count(10)
    expect(page).to_have_url(re.compile(r"/desk/new/$"))
    page.get_by_role("button", name="More customers").click()
    expect(page.locator("#nc-results .nc-result")).to_have_count(12)
    expect(page.get_by_role("button", name="More customers")).to_have_count(0)
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "new-case-search-phone", full_page=False)
