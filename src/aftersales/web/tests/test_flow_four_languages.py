"""The whole after-sales flow in a real browser, once in each of the four languages.

A customer signs up (with the e-mail link), registers a product with an invoice photo, asks
for a repair with a photo and finds the case in My cases. An agent of the team that receives
new cases takes it from the unassigned queue, replies and writes an internal note. The
customer reads the reply, never the note, and answers; the agent's open page shows the
answer through htmx polling, without a reload.

Labels are resolved through gettext in the run's language and, outside English, must differ
from the English msgid, so an untranslated page cannot pass."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from aftersales.accounts.models import Role, Team
from aftersales.cases.models import Case, CaseEntry
from aftersales.catalog.models import Unit
from aftersales.core.tests.factories import ProductModelFactory, UserFactory
from aftersales.portal.tests.helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "zh-hant", "zh-hans", "ko"]

# Every interface text the test reads or clicks by; resolved per language below.
MSGIDS = [
    # shell and sign-up
    "Main", "Language", "Create an account", "Your name", "E-mail address", "Password", "Password again",
    "Create account", "Check your e-mail", "Confirm your e-mail address", "Your e-mail address is confirmed. Welcome!",
    "Sign out",
    # My products
    "My products", "Register a product", "Product model", "Serial number", "Order number (optional)",
    "Purchase date (optional)", "Photo of the invoice or receipt (optional)", "Register", "Your product is registered.",
    "Registered units", "Order number", "Invoice",
    # Ask for help, the case, My cases
    "Ask for help", "Which product is it about?", "What do you need?", "Repair", "Subject", "Describe the problem",
    "Photos (optional)", "Send my request", "History", "My cases", "New", "Open", "Answer", "Your message", "Send",
    "You",
    # desk
    "Desk", "Queues", "Unassigned", "Assign to me", "Assignee", "Timeline", "Write", "Reply to customer",
    "Add internal note", "Internal note", "Customer", "Units",
]

PRODUCT_NAMES = {"en": "Front-loading washer WD-9", "zh-hant": "滾筒洗衣機 WD-9", "zh-hans": "滚筒洗衣机 WD-9",
                 "ko": "드럼 세탁기 WD-9"}
TEXTS = {
    "en": {"name": "Mia Chen", "subject": "Washer does not spin, E21",
           "body": "Since Monday it shows E21 when spinning.",
           "reply": "Please send a photo of the rating label.", "note": "Probably the drum bearing, order part 4411",
           "answer": "Here is the label, thank you."},
    "zh-hant": {"name": "陳小明", "subject": "洗衣機不脫水 E21", "body": "從星期一開始，脫水時顯示 E21。",
                "reply": "請拍一張銘牌的照片給我們。", "note": "大概是滾筒軸承，訂零件 4411",
                "answer": "銘牌照片在這裡，謝謝。"},
    "zh-hans": {"name": "陈小明", "subject": "洗衣机不脱水 E21", "body": "从星期一开始，脱水时显示 E21。",
                "reply": "请拍一张铭牌的照片给我们。", "note": "大概是滚筒轴承，订零件 4411",
                "answer": "铭牌照片在这里，谢谢。"},
    "ko": {"name": "김민지", "subject": "세탁기 탈수 안 됨 E21", "body": "월요일부터 탈수할 때 E21이 표시됩니다.",
           "reply": "명판 사진을 보내 주세요.", "note": "드럼 베어링 문제로 보임, 부품 4411 주문",
           "answer": "명판 사진입니다. 감사합니다."},
}


def translated(language: str) -> dict[str, str]:
    """Each msgid in `language`; outside English each must really be translated."""
    with translation.override(language):
        words = {msgid: str(gettext(msgid)) for msgid in MSGIDS}
    if language != "en":
        untranslated = sorted(msgid for msgid, text in words.items() if text == msgid)
        assert not untranslated, f"not translated into {language}: {untranslated}"
    return words


@pytest.fixture
def new_context(browser, live_server):
    """Browser contexts on the live server (each its own cookies), closed after the test.
    `expect` waits up to 10 s here (default 5 s): the machine may be busy with other runs."""
    contexts = []
    expect.set_options(timeout=10_000)

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-US",
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    expect.set_options(timeout=None)  # back to Playwright's default
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_whole_flow_in_each_language(new_context, mailoutbox, tmp_path, language):
    w = translated(language)
    text = TEXTS[language]
    email = f"mia-{language}@example.com"
    serial, order_number = f"WD9-{language.upper()}-0042", f"TM-{language}-778899"

    # The team that receives new cases (made by a migration; transactional tests flush it).
    team, _created = Team.objects.get_or_create(code="service-desk",
                                                defaults={"name": "Service desk", "is_default": True})
    assert team.is_default
    product = ProductModelFactory(sku="WD-9", brand="Acme", names=PRODUCT_NAMES)
    agent = UserFactory(username=f"agent-{language}", role=Role.AGENT, teams=[team], language=language,
                        display_name=f"Ada ({language})")
    invoice = tmp_path / "invoice.png"
    invoice.write_bytes(png_bytes((30, 30, 200)))
    photo = tmp_path / "washer.png"
    photo.write_bytes(png_bytes())

    customer = new_context()
    desk = new_context()

    # ---- The customer signs up in the run's language, through the e-mail link. ----
    customer.goto("/signup/")
    if language != "en":
        with customer.expect_navigation():
            customer.get_by_role("banner").get_by_role("combobox").select_option(language)
    expect(customer.locator("html")).to_have_attribute("lang", language)
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["Create an account"])
    form = customer.get_by_role("main")
    expect(form.get_by_label(w["Language"], exact=True)).to_have_value(language)
    form.get_by_label(w["Your name"], exact=True).fill(text["name"])
    form.get_by_label(w["E-mail address"], exact=True).fill(email)
    form.get_by_label(w["Password"], exact=True).fill("washer-drum-e21-spin")
    form.get_by_label(w["Password again"], exact=True).fill("washer-drum-e21-spin")
    form.get_by_role("button", name=w["Create account"], exact=True).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["Check your e-mail"])
    expect(customer.get_by_role("main")).to_contain_text(email)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == w["Confirm your e-mail address"]
    link = re.search(r"https?://[^/\s]+(/signup/verify/[^/\s]+/)", message.body).group(1)
    customer.goto(link)
    expect(customer.locator("html")).to_have_attribute("lang", language)
    expect(customer.get_by_role("status")).to_contain_text(w["Your e-mail address is confirmed. Welcome!"])
    expect(customer.get_by_role("button", name=w["Sign out"])).to_be_visible()
    main_nav = customer.get_by_role("navigation", name=w["Main"])

    # ---- My products: register the washer with its invoice photo. ----
    main_nav.get_by_role("link", name=w["My products"], exact=True).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["My products"])
    customer.get_by_role("main").get_by_role("link", name=w["Register a product"]).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["Register a product"])
    form = customer.get_by_role("main")
    form.get_by_label(w["Product model"], exact=True).select_option(label=f"{PRODUCT_NAMES[language]} (WD-9)")
    form.get_by_label(w["Serial number"], exact=True).fill(serial)
    form.get_by_label(w["Order number (optional)"], exact=True).fill(order_number)
    form.get_by_label(w["Purchase date (optional)"], exact=True).fill("2025-03-14")
    form.get_by_label(w["Photo of the invoice or receipt (optional)"], exact=True).set_input_files(str(invoice))
    form.get_by_role("button", name=w["Register"], exact=True).click()
    expect(customer.get_by_role("status")).to_contain_text(w["Your product is registered."])
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["My products"])
    registered = customer.get_by_role("listitem").filter(has_text=serial)
    expect(registered).to_contain_text(PRODUCT_NAMES[language])
    expect(registered).to_contain_text(f"{w['Order number']}: {order_number}")
    invoice_link = registered.get_by_role("link", name=w["Invoice"], exact=True)
    invoice_response = customer.request.get(invoice_link.get_attribute("href"))
    assert invoice_response.status == 200
    assert invoice_response.headers["content-type"] == "image/png"
    assert invoice_response.body() == invoice.read_bytes()
    unit = Unit.objects.get(serial_number=serial)
    assert unit.product_model == product
    assert unit.purchase_proof.order_number == order_number
    assert unit.purchase_proof.purchase_date == date(2025, 3, 14)

    # ---- Ask for help: that washer, a repair, with a photo. ----
    main_nav.get_by_role("link", name=w["Ask for help"], exact=True).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["Ask for help"])
    form = customer.get_by_role("main")
    form.get_by_label(w["Which product is it about?"], exact=True).select_option(
        label=f"{PRODUCT_NAMES[language]} · {serial}")
    kinds = form.get_by_role("group", name=w["What do you need?"])
    kinds.get_by_role("radio", name=w["Repair"], exact=True).check()
    form.get_by_label(w["Subject"], exact=True).fill(text["subject"])
    form.get_by_label(w["Describe the problem"], exact=True).fill(text["body"])
    form.get_by_label(w["Photos (optional)"], exact=True).set_input_files(str(photo))
    form.get_by_role("button", name=w["Send my request"], exact=True).click()

    expect(customer.get_by_role("heading", level=1)).to_have_text(text["subject"])
    case = Case.objects.get(subject=text["subject"])
    assert (case.type, case.team_id, case.unit_id, case.assignee_id) == ("repair", team.pk, unit.pk, None)
    assert case.language == language
    expect(customer).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    head = customer.locator(".case-head")
    expect(head).to_contain_text(case.number)
    expect(head).to_contain_text(w["Repair"])
    expect(customer.locator("#case-status")).to_have_text(w["New"])
    history = customer.locator("#timeline")
    expect(history.get_by_role("heading", name=w["History"])).to_be_visible()
    expect(history).to_contain_text(text["body"])
    image = history.get_by_role("img", name="washer.png")
    expect(image).to_have_js_property("naturalWidth", 8)  # retried until the photo has loaded

    # ---- It is in My cases, its status in words. ----
    main_nav.get_by_role("link", name=w["My cases"], exact=True).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(w["My cases"])
    row = customer.get_by_role("row").filter(has_text=case.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(text["subject"])
    expect(row).to_contain_text(w["New"])

    # ---- The agent signs in; the desk speaks the agent's language. ----
    desk.goto("/login/")
    desk.get_by_label("User name").fill(agent.username)
    desk.get_by_label("Password").fill("pw")
    desk.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(desk).to_have_url(re.compile(r"/desk/$"))
    expect(desk.locator("html")).to_have_attribute("lang", language)

    queues = desk.get_by_role("navigation", name=w["Queues"])
    unassigned = queues.get_by_role("link", name=w["Unassigned"])
    expect(unassigned).to_contain_text("1")
    unassigned.click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(w["Unassigned"])
    expect(queues.locator("[aria-current=page]")).to_contain_text(w["Unassigned"])
    queue_row = desk.get_by_role("row").filter(has_text=case.number)
    expect(queue_row).to_have_count(1)
    expect(queue_row).to_contain_text(text["subject"])
    expect(queue_row).to_contain_text(w["New"])
    expect(queue_row).to_contain_text(w["Unassigned"])
    queue_row.get_by_role("link", name=case.number).click()

    header = desk.locator("#case-header")
    expect(header.get_by_role("heading", level=1)).to_contain_text(text["subject"])
    expect(header).to_contain_text(w["Repair"])
    expect(header.locator('[data-field="assignee"]')).to_have_text(w["Unassigned"])
    side = desk.get_by_role("complementary", name=w["Customer"])
    expect(side).to_contain_text(text["name"])
    expect(side.get_by_role("heading", name=w["Units"])).to_be_visible()
    expect(side).to_contain_text(serial)
    desk.evaluate("window.__notReloaded = true")

    # Assign to self, reply, then an internal note; all through htmx on the open page.
    desk.get_by_role("button", name=w["Assign to me"], exact=True).click()
    expect(header.locator('[data-field="assignee"]')).to_have_text(agent.display_name)
    expect(desk.get_by_role("button", name=w["Assign to me"], exact=True)).to_have_count(0)

    timeline = desk.get_by_role("region", name=w["Timeline"])
    write = desk.get_by_label(w["Write"], exact=True)
    write.fill(text["reply"])
    desk.get_by_role("button", name=w["Reply to customer"], exact=True).click()
    reply_entry = timeline.get_by_role("listitem").filter(has_text=text["reply"])
    expect(reply_entry).to_contain_text(w["Reply to customer"])
    expect(write).to_have_value("")  # the form is reset once the reply is in
    expect(header.locator('[data-field="status"]')).to_have_text(w["Open"])

    write.fill(text["note"])
    desk.get_by_role("button", name=w["Add internal note"], exact=True).click()
    note_entry = timeline.get_by_role("listitem").filter(has_text=text["note"])
    expect(note_entry).to_contain_text(w["Internal note"])
    expect(write).to_have_value("")
    assert CaseEntry.objects.filter(case=case, kind="note", body=text["note"]).count() == 1

    # ---- The customer reads the reply, never the note, and answers. ----
    row.get_by_role("link", name=case.number).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(text["subject"])
    expect(customer.locator("#case-status")).to_have_text(w["Open"])
    staff_message = customer.locator("#timeline .msg.staff").filter(has_text=text["reply"])
    expect(staff_message).to_contain_text(agent.display_name)
    assert text["note"] not in customer.content()
    customer.reload()
    expect(customer.locator("#timeline")).to_contain_text(text["reply"])
    assert text["note"] not in customer.content()
    polled = customer.request.get(f"/cases/{case.pk}/timeline/")  # what the page's htmx poll receives
    assert polled.status == 200
    assert text["reply"] in polled.text() and text["note"] not in polled.text()

    expect(customer.get_by_role("heading", name=w["Answer"])).to_be_visible()
    customer.get_by_label(w["Your message"], exact=True).fill(text["answer"])
    customer.get_by_role("button", name=w["Send"], exact=True).click()
    mine = customer.locator("#timeline .msg.mine").filter(has_text=text["answer"])
    expect(mine).to_contain_text(w["You"])
    assert text["note"] not in customer.content()

    # ---- The agent's page, never reloaded, shows the answer through its polling. ----
    answer_entry = timeline.get_by_role("listitem").filter(has_text=text["answer"])
    expect(answer_entry).to_contain_text(w["Customer"], timeout=15_000)
    assert desk.evaluate("window.__notReloaded") is True
    expect(header.locator('[data-field="status"]')).to_have_text(w["Open"])
    expect(header.locator('[data-field="assignee"]')).to_have_text(agent.display_name)
    expect(note_entry).to_contain_text(w["Internal note"])
