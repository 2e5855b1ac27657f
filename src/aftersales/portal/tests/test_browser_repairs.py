"""In a real browser: a customer follows a carry-in repair in My repairs — the stepper stacks on
a 390 px phone and runs across on a desktop, the current step is the one marked for screen
readers — and an on-site visit shows its appointment window."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.charges.actions import quote_add_line, quote_build_from_work, quote_send
from aftersales.charges.tests.support import price_list
from aftersales.core.tests.factories import CustomerUserFactory, ProductModelFactory, UnitFactory, UserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.repairs.actions import custody_intake, work_order_dispatch, work_order_move, work_order_open
from aftersales.repairs.actions_work import labour_add, repair_card_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")


def boxes(page):
    return [step.bounding_box() for step in page.locator("ol.stepper > li").all()]


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_a_customer_follows_a_repair_on_a_phone_and_a_desktop(browser, live_server, language):
    customer_user = CustomerUserFactory(username="chen", language=language)
    customer_user.time_zone = "Asia/Taipei"
    customer_user.save(update_fields=["time_zone"])
    supervisor = UserFactory(role=Role.SUPERVISOR, display_name="Wang Supervisor")
    tech = UserFactory(role=Role.TECHNICIAN, display_name="Ming Li")
    unit = UnitFactory(customer=customer_user.customer, product_model=ProductModelFactory(
        names={"en": "Front-loading washer WM-800", "zh-hant": "滾筒洗衣機 WM-800"}))
    case = case_open(customer=customer_user.customer, subject="Washer will not drain", actor=customer_user, unit=unit)
    carry = work_order_open(actor=supervisor, kind="carry_in", case=case, problem="E21 on the display",
                            billing_class="A")
    custody_intake(work_order=carry, condition="scratched lid", location="counter", actor=supervisor)
    work_order_move(work_order=carry, target="in_progress", actor=supervisor)
    labour_add(card=repair_card_open(work_order=carry, actor=tech), technician=tech, minutes=30, actor=tech)
    price_list(currency="TWD", tax="5.00", labour="800.00", visit=None)
    quote = quote_build_from_work(work_order=carry, actor=supervisor, currency="TWD")
    quote_add_line(quote=quote, kind="other", actor=supervisor, quantity=1, description="Drain pump",
                   unit_price=Decimal("2400"))
    quote_send(quote=quote, actor=supervisor)
    visit = work_order_open(actor=supervisor, kind="on_site", case=case)
    tomorrow = datetime.now(SH).replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    work_order_dispatch(work_order=visit, technician=tech, window_start=tomorrow - timedelta(days=1),
                        window_end=tomorrow - timedelta(days=1, hours=-3), actor=supervisor)
    work_order_dispatch(work_order=visit, technician=tech, window_start=tomorrow,
                        window_end=tomorrow + timedelta(hours=3), actor=supervisor)

    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, "chen")
        page.goto("/repairs/")
        expect(page.locator("li.repair-row")).to_have_count(2)
        shot(page, f"portal-repairs-list-{width}-{language}")

        page.goto(f"/repairs/{carry.pk}/")
        current = page.locator('ol.stepper > li[aria-current="step"]')
        expect(current).to_have_count(1)
        expect(current).to_have_attribute("data-step", "repairing")
        expect(page.locator("ol.stepper > li.is-done")).to_have_count(2)
        banner = page.locator(".quote-banner")
        # (½ h × 800 + 2,400) + 5 % tax, grouped as the language groups digits (by ten thousands in Chinese)
        expect(banner).to_contain_text("2,940.00 TWD" if language == "en" else "2940.00 TWD")
        expect(banner.get_by_role("link")).to_have_attribute("href", f"/quotes/{quote.pk}/")
        steps = boxes(page)
        assert len(steps) == 7
        if width < 641:  # stacked: one under the other, all at the same left edge
            assert all(b["y"] < n["y"] for b, n in zip(steps, steps[1:], strict=False))
            assert len({round(b["x"]) for b in steps}) == 1
        else:  # across: one row, left to right
            assert all(b["x"] < n["x"] for b, n in zip(steps, steps[1:], strict=False))
            assert len({round(b["y"]) for b in steps}) == 1
        # nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"portal-repair-carry-in-{width}-{language}")

        page.goto(f"/repairs/{visit.pk}/")
        expect(page.locator('ol.stepper > li[aria-current="step"]')).to_have_attribute("data-step", "on_the_way")
        expect(page.locator('[data-field="window"]')).to_contain_text("(Asia/Taipei)")
        expect(page.locator('[data-field="technician"]')).to_have_text("Ming")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"portal-repair-visit-{width}-{language}")

        page.goto(f"/cases/{case.pk}/")
        expect(page.locator("#repairs li.repair-row")).to_have_count(2)
        shot(page, f"portal-case-repairs-{width}-{language}")
        context.close()
