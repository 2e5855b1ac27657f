"""In a real browser: a technician on a phone opens today's job, arrives, adds a photo, is told
a drawn signature is missing, has the customer sign on the canvas with the mouse (and with a
finger, which must not scroll the page), and signs off; the stored signature is a PNG with ink
on it, at the screen's pixel density. Then, at desktop width, the repair card (labour, parts
from a reservation and from the van, closing) and the supervisor's inspection queue, send-back
and pass. Screenshots at desktop width and at 390 px."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.core.tests.factories import CustomerFactory, TeamFactory, UnitFactory, UserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.desk.tests.work_support import bench_job, image_bytes, stock
from aftersales.parts.actions import stock_reserve
from aftersales.repairs.actions import work_order_dispatch, work_order_open
from aftersales.repairs.models import WorkOrder
from aftersales.repairs.models_work import LabourEntry, PartUsed, Visit
from aftersales.repairs.tests.documents_support import pdf_images, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _people():
    team = TeamFactory(code="desk", name="Desk team")
    wang = UserFactory(username="wang", role=Role.SUPERVISOR, teams=[team], display_name="Wang Supervisor",
                       time_zone="Asia/Shanghai")
    li = UserFactory(username="li", role=Role.TECHNICIAN, teams=[team], display_name="Li Technician",
                     time_zone="Asia/Shanghai")
    return team, wang, li


def _draw(page, canvas, points: list[tuple[float, float]]) -> None:
    """One stroke with the mouse through `points` (fractions of the canvas box)."""
    box = canvas.bounding_box()
    x0, y0 = box["x"] + box["width"] * points[0][0], box["y"] + box["height"] * points[0][1]
    page.mouse.move(x0, y0)
    page.mouse.down()
    for fx, fy in points[1:]:
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=6)
    page.mouse.up()


def test_a_technician_signs_off_a_visit_on_a_phone(browser, live_server):
    team, wang, li = _people()
    case = case_open(customer=CustomerFactory(name="Chen Da"), subject="Washer leaks", actor=None, team=team,
                     unit=UnitFactory(serial_number="SN-77"))
    wo = work_order_open(actor=wang, kind="on_site", case=case, address="No. 5, Lane 12, Xinyi Road, Taipei",
                         phone="0912 345 678", model_text="WM-800", problem="Water on the floor after each wash.")
    now = timezone.now()
    work_order_dispatch(work_order=wo, technician=li, window_start=now - timedelta(minutes=30),
                        window_end=now + timedelta(hours=2), actor=wang)

    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, device_scale_factor=2, has_touch=True)
    phone.set_default_timeout(15_000)
    tab = phone.new_page()
    sign_in(tab, "li")
    tab.goto("/desk/my-jobs/")
    tab.locator(".my-job").get_by_role("link", name="Visit", exact=True).click()
    expect(tab.locator("#visit-heading")).to_contain_text(wo.number)
    shot(tab, "work-visit-arrive-390")
    main = tab.locator("#visit-main")
    main.get_by_role("button", name="I have arrived: start the visit").click()
    expect(main.locator(".visit-arrived")).to_contain_text("Arrived at")
    assert Visit.objects.filter(work_order=wo, departed_at__isnull=True).count() == 1

    main.get_by_label("Take or choose a photo").set_input_files(
        {"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (320, 240))})
    main.get_by_label("Caption (optional)").fill("Hose under the drum")
    main.get_by_role("button", name="Add the photo").click()
    expect(main.locator(".visit-photos img")).to_have_count(1)
    expect(main.locator(".visit-photos img")).to_have_js_property("naturalWidth", 320)

    main.get_by_label("Findings").fill("Drain hose cracked at the clamp")
    main.get_by_label("Work done").fill("Replaced the hose, ran a rinse cycle: dry")
    main.get_by_label("Name of the person signing").fill("Chen Da")
    # no signature drawn: the server refuses beside the form and keeps what was typed
    main.get_by_role("button", name="Finish the visit").click()
    expect(main.locator('[data-error-for="finish"]')).to_contain_text("drawn signature")
    expect(main.get_by_label("Findings")).to_have_value("Drain hose cracked at the clamp")
    expect(main.get_by_label("Name of the person signing")).to_have_value("Chen Da")

    canvas = main.locator("canvas.sig-pad")
    field = main.locator('input[name="signature"]')
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "none"
    css_width = canvas.evaluate("c => c.getBoundingClientRect().width")
    assert canvas.evaluate("c => c.width") == round(css_width * 2)  # sized for the pixel ratio
    # a stroke, then Clear: nothing is sent
    _draw(tab, canvas, [(0.1, 0.5), (0.4, 0.3)])
    assert field.input_value().startswith("data:image/png;base64,")
    main.get_by_role("button", name="Clear").click()
    expect(field).to_have_value("")
    expect(main.locator("[data-signature-state]")).to_have_text("Not signed yet")

    # a finger on the canvas draws and does not scroll the page
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    canvas.scroll_into_view_if_needed()
    scrolled = tab.evaluate("window.scrollY")
    box = canvas.bounding_box()
    cdp = phone.new_cdp_session(tab)
    x, y = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.8
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 9):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + step * 12,
                                                                                    "y": y - step * 14}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(main.locator("[data-signature-state]")).to_have_text("Signed")
    assert tab.evaluate("window.scrollY") == scrolled
    # and the customer's name written with the mouse
    _draw(tab, canvas, [(0.15, 0.6), (0.25, 0.25), (0.35, 0.7), (0.5, 0.3), (0.65, 0.65), (0.85, 0.35)])
    assert field.input_value().startswith("data:image/png;base64,")
    shot(tab, "work-visit-signed-390")
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    main.get_by_role("button", name="Finish the visit").click()
    item = main.locator(".visit-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Signed by Chen Da")
    expect(item.locator(".visit-signature img")).to_have_js_property("naturalWidth", round(css_width * 2))
    shot(tab, "work-visit-done-390")

    visit = Visit.objects.get(work_order=wo)
    assert (visit.outcome, visit.signed_by, visit.findings) == ("signed_off", "Chen Da",
                                                                "Drain hose cracked at the clamp")
    assert visit.departed_at is not None and visit.photos.count() == 1
    with visit.signature.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "PNG"
        assert image.width == round(css_width * 2)
        rgba = image.convert("RGBA")
        alpha_low, alpha_high = rgba.getchannel("A").getextrema()
        assert alpha_high > 0  # not all transparent
        inked = [p for p in rgba.get_flattened_data() if p[3] > 128 and max(p[:3]) < 128]
        assert len(inked) > 200  # dark strokes, not a white or empty picture

    expect(main.get_by_role("button", name="Start another visit")).to_be_visible()
    tab.set_viewport_size({"width": 1280, "height": 900})
    shot(tab, "work-visit-done-desktop")
    # at 360 px nothing overflows either
    tab.set_viewport_size({"width": 360, "height": 760})
    tab.reload()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    # the signed service voucher, downloaded as a PDF from the work order page, carries the
    # customer's name and the drawn signature as an image
    tab.goto(f"/desk/work-orders/{wo.pk}/")
    with tab.expect_download() as download:
        tab.locator('[data-document="voucher"] a[download]').click()
    assert download.value.suggested_filename == f"{wo.number}.pdf"
    with open(download.value.path(), "rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert wo.number in text and "Chen Da" in text
    assert pdf_images(content) >= 1
    phone.close()


def test_without_javascript_the_form_posts_and_the_server_asks_for_the_signature(browser, live_server):
    team, wang, li = _people()
    wo = work_order_open(actor=wang, kind="on_site", customer=CustomerFactory(name="Park"), address="1 Road")
    now = timezone.now()
    work_order_dispatch(work_order=wo, technician=li, window_start=now, window_end=now + timedelta(hours=1),
                        actor=wang)
    plain = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    tab = plain.new_page()
    sign_in(tab, "li")
    tab.goto(f"/desk/work-orders/{wo.pk}/visit/")
    tab.get_by_role("button", name="I have arrived: start the visit").click()
    expect(tab.locator(".visit-arrived")).to_contain_text("Arrived at")
    expect(tab.locator("canvas.sig-pad")).to_be_hidden()
    expect(tab.get_by_text("Drawing a signature needs JavaScript")).to_be_visible()
    tab.get_by_label("Name of the person signing").fill("Park")
    tab.get_by_role("button", name="Finish the visit").click()
    expect(tab.locator(".flash-item.error")).to_contain_text("drawn signature")
    shot(tab, "work-visit-nojs-refused-390")
    visit = Visit.objects.get(work_order=wo)
    assert (visit.departed_at, visit.outcome) == (None, "")
    tab.get_by_label("Customer refused to sign").check()
    tab.get_by_label("Reason for refusing").fill("Will sign when the part is fitted")
    tab.get_by_role("button", name="Finish the visit").click()
    expect(tab.locator(".visit-item")).to_contain_text("Will sign when the part is fitted")
    visit.refresh_from_db()
    assert (visit.outcome, visit.signature.name) == ("refused", "")
    shot(tab, "work-visit-nojs-390")
    plain.close()


def test_the_repair_card_and_the_inspection_queue(page, browser, live_server):
    _team, _wang, li = _people()
    customer = CustomerFactory(name="Lee Min")
    wo = bench_job(li, technician=li, card=False, customer=customer, billing_class="C",
                   billing_reason="Under warranty", model_text="DR-200", problem="Drum does not turn")
    van_part, _van = stock(technician=li, sku="BELT-9", cost="18.40", name="Drive belt")
    pump, warehouse = stock(sku="PUMP-3", cost="55.00", name="Drain pump")
    stock_reserve(part=pump, location=warehouse, quantity=1, reference=wo.number, actor=li)

    sign_in(page, "li")
    page.goto(f"/desk/work-orders/{wo.pk}/")
    panel = page.locator("#repair-card")
    panel.get_by_role("button", name="Open the repair card").click()
    expect(panel.locator('[data-field="card-state"]')).to_have_text("Open")
    panel.get_by_label("Minutes").fill("0")
    panel.get_by_role("button", name="Add labour").click()  # the browser refuses 0 (min=1) before posting
    assert not LabourEntry.objects.exists()
    panel.get_by_label("Minutes").fill("50")
    panel.get_by_label("Note", exact=True).first.fill("Took the drum out")
    panel.get_by_role("button", name="Add labour").click()
    expect(panel.locator('[data-field="labour-total"]')).to_have_text("50 min")
    panel.get_by_role("button", name="Use the reserved part").click()
    expect(panel.locator(".wo-parts tbody tr")).to_have_count(1)
    panel.get_by_label("Part and where it is").select_option(label=f"{van_part} · 10 available")
    panel.get_by_role("button", name="Use this part").click()
    expect(panel.locator(".wo-parts tbody tr")).to_have_count(2)
    expect(panel.locator('[data-field="parts-total"]')).to_have_text("73.40 CNY")
    shot(page, "work-card-open-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "work-card-open-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    panel.get_by_label("Result").select_option("fixed")
    panel.get_by_label("Fault code").fill("b12")
    panel.get_by_label("Root cause").fill("Belt worn through")
    panel.get_by_role("button", name="Close the card for inspection").click()
    expect(panel.locator('[data-field="card-state"]')).to_have_text("Waiting for inspection")
    expect(page.locator('#wo-main [data-field="status"]')).to_have_text("Inspecting")
    assert PartUsed.objects.count() == 2

    page.context.clear_cookies()
    sign_in(page, "wang")
    page.get_by_role("link", name="Inspections").click()
    row = page.locator(".inspection-queue tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(wo.number)
    expect(row).to_contain_text("Lee Min")
    expect(row).to_contain_text("Fixed")
    shot(page, "work-inspections-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "work-inspections-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("link", name=wo.number).click()
    panel = page.locator("#repair-card")
    panel.get_by_role("button", name="Send back").click()
    expect(panel.locator('[data-error-for="inspect"]')).to_contain_text("Say what must be put right")
    panel.get_by_label("Note (required to send it back)").fill("Belt tension too low")
    panel.get_by_role("button", name="Send back").click()
    expect(panel.locator('[data-field="card-state"]')).to_have_text("Open")
    expect(panel.locator(".wo-inspections li")).to_have_count(1)
    expect(panel.locator(".wo-inspections")).to_contain_text("Belt tension too low")
    panel.get_by_label("Result").select_option("fixed")
    panel.get_by_label("Root cause").fill("Belt worn through; tension set")
    panel.get_by_role("button", name="Close the card for inspection").click()
    panel.get_by_role("button", name="Pass").click()
    expect(page.locator('#wo-main [data-field="status"]')).to_have_text("Ready")
    expect(panel.locator('[data-field="card-state"]')).to_have_text("Passed inspection")
    expect(panel.locator(".wo-inspections li")).to_have_count(2)
    shot(page, "work-card-inspected-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "work-card-inspected-390")
    assert WorkOrder.objects.get(pk=wo.pk).status == "ready"
    assert Decimal(str(PartUsed.objects.get(part=pump).unit_cost)) == Decimal("55.00")
