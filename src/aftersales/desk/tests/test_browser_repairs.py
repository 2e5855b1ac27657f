"""In a real browser: a supervisor opens a carry-in work order from a case, dispatches a
technician, takes the item in and hands it back against the customer's signature; then the
dispatch board, the technician's jobs on a phone and the printable register, in English and
in Simplified Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role, User
from aftersales.cases.actions import case_open
from aftersales.core.tests.factories import CustomerFactory, TeamFactory, UnitFactory, UserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.repairs.tests.documents_support import pdf_images, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _draw(page, canvas) -> None:
    """A stroke across the signature canvas with the mouse."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for fx, fy in ((0.3, 0.2), (0.5, 0.7), (0.7, 0.3), (0.9, 0.6)):
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=5)
    page.mouse.up()


def test_a_carry_in_repair_from_case_to_hand_back(page, browser, live_server):
    team = TeamFactory(code="desk", name="Desk team")
    UserFactory(username="wang", role=Role.SUPERVISOR, teams=[team], display_name="Wang Supervisor",
                time_zone="Asia/Shanghai")
    UserFactory(username="li", role=Role.TECHNICIAN, teams=[team], display_name="Li Technician",
                time_zone="Asia/Shanghai")
    customer = CustomerFactory(name="Chen Da")
    case = case_open(customer=customer, subject="Washer will not drain", actor=None, team=team,
                     unit=UnitFactory(serial_number="SN-123"))
    today = datetime.now(SH).date()

    sign_in(page, "wang")
    page.goto(f"/desk/cases/{case.pk}/")
    card = page.locator("#work-orders")
    expect(card.get_by_role("heading", name="Work orders")).to_be_visible()
    card.get_by_label("Open a work order").select_option("carry_in")
    card.get_by_role("button", name="Open").click()
    link = card.locator(".wo-number")
    expect(link).to_have_count(1)
    link.click()

    expect(page.locator("#wo-heading")).to_contain_text("Carry-in")
    main = page.locator("#wo-main")
    # a refused dispatch shows its reason beside the form and keeps what was typed
    main.get_by_label("Technician").select_option(label="Li Technician · Technician")
    main.get_by_label("From").fill(f"{today}T12:00")
    main.get_by_label("Until").fill(f"{today}T09:00")
    main.get_by_role("button", name="Dispatch").click()
    expect(main.locator('[data-error-for="dispatch"]')).to_contain_text("must end after it starts")
    main.get_by_label("From").fill(f"{today}T09:00")
    main.get_by_label("Until").fill(f"{today}T12:00")
    main.get_by_role("button", name="Dispatch").click()
    expect(main.locator('[data-field="status"]')).to_have_text("Dispatched")
    expect(main.locator(".wo-appointments tbody tr")).to_have_count(1)
    expect(main.locator('[data-field="window"]')).to_contain_text("9")

    main.get_by_label("Condition").fill("Scratched lid, drum dry")
    main.get_by_label("Accessories (comma-separated)").fill("power cord, hose")
    main.get_by_label("Serial number on the unit").fill("sn-123")
    main.get_by_label("Location").fill("Front counter")
    main.get_by_role("button", name="Take the item in and issue a receipt").click()
    expect(main.locator(".wo-receipt-number")).to_have_text(f"RC-{today.year}-000001")
    expect(main.locator('[data-field="serial-check"]')).to_contain_text("matches the record")
    main.locator("#m-move").select_option("sent_to_workshop")
    main.locator("#m-location").fill("Workshop")
    main.locator("#m-holder").fill("Bench 2")
    main.get_by_role("button", name="Record", exact=True).click()
    expect(main.locator(".wo-register tbody tr")).to_have_count(2)
    shot(page, "repairs-work-order-en")
    # the item stays until the supervisor has passed the work
    main.get_by_label("Signed by (name)").fill("Chen Da")
    _draw(page, main.locator(".wo-hand-back canvas.sig-pad"))
    main.get_by_role("button", name="Hand back and void the receipt").click()
    expect(main.locator('[data-error-for="hand_back"]')).to_contain_text("has not passed inspection")
    for status in ("In progress", "Inspecting", "Ready"):
        main.locator(".wo-moves").get_by_role("button", name=status, exact=True).click()
        expect(main.locator('[data-field="status"]')).to_have_text(status)
    main.get_by_label("Signed by (name)").fill("Chen Da")
    _draw(page, main.locator(".wo-hand-back canvas.sig-pad"))
    main.get_by_role("button", name="Hand back and void the receipt").click()
    expect(main.locator(".wo-receipt")).to_contain_text("Void")
    # the voided receipt, as a PDF: its number, the customer's name, the drawn signature
    with page.expect_download() as download:
        main.locator('[data-document="receipt"] a[download]').click()
    assert download.value.suggested_filename == f"RC-{today.year}-000001.pdf"
    with open(download.value.path(), "rb") as pdf:
        content = pdf.read()
    assert f"RC-{today.year}-000001" in pdf_text(content) and "Chen Da" in pdf_text(content)
    assert pdf_images(content) >= 1
    expect(main.locator(".wo-register tbody tr")).to_have_count(3)
    expect(main.get_by_role("button", name="Hand back and void the receipt")).to_have_count(0)
    shot(page, "repairs-work-order-done-en")

    page.goto(f"/desk/dispatch/?day={today}")
    expect(page.locator(".board-col").first).to_contain_text("1 job · 3.0 h")
    shot(page, "repairs-board-en")
    page.goto(f"/desk/custody-register/?from={today - timedelta(days=1)}&to={today}")
    expect(page.locator("td.reconcile")).to_have_text("handed back to Chen Da")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    shot(page, "repairs-register-print-en")
    page.emulate_media(media="screen")

    User.objects.filter(username="wang").update(language="zh-hans")
    page.goto(page.url.replace("custody-register", "dispatch").split("?")[0] + f"?day={today}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot(page, "repairs-board-zh")
    page.goto(f"/desk/work-orders/{case.work_orders.get().pk}/")
    shot(page, "repairs-work-order-zh")
    page.goto(f"/desk/custody-register/?from={today}&to={today}")
    page.emulate_media(media="print")
    shot(page, "repairs-register-print-zh")

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    tab = phone.new_page()
    sign_in(tab, "li")
    tab.goto("/desk/my-jobs/")
    job = tab.locator(".my-job")
    expect(job).to_have_count(1)
    expect(job.get_by_role("link", name="Call")).to_have_count(0)  # the carry-in has no phone
    expect(job).to_contain_text("09:00–12:00")
    shot(tab, "repairs-my-jobs-375-en")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    User.objects.filter(username="li").update(language="ko")
    tab.reload()
    shot(tab, "repairs-my-jobs-375-ko")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
