"""In a real browser: sign up, verify by mail, ask for help with a photo, see staff replies arrive."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from aftersales.cases import actions
from aftersales.cases.models import Case
from aftersales.core.tests.factories import UserFactory
from aftersales.portal.tests.helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Labels already in the catalogues; the portal's own new labels are checked in English only.
WORDS = {
    "en": {"new": "New", "open": "Open", "my_cases": "My cases", "sign_out": "Sign out", "repair": "Repair"},
    "zh-hant": {"new": "新案件", "open": "處理中", "my_cases": "我的案件", "sign_out": "登出", "repair": "維修"},
}


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_sign_up_ask_for_help_and_follow_the_case(page, live_server, mailoutbox, tmp_path, language):
    words = WORDS[language]
    photo = tmp_path / "washer.png"
    photo.write_bytes(png_bytes())

    # Sign up in the chosen language.
    page.goto("/signup/")
    if language != "en":
        with page.expect_navigation():
            page.select_option("#lang-switch", language)
    assert page.locator("#id_language").input_value() == language
    page.fill("#id_name", "陳小明")
    page.fill("#id_email", f"ming-{language}@example.com")
    page.fill("#id_password1", "washer-drum-e21-spin")
    page.fill("#id_password2", "washer-drum-e21-spin")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert f"ming-{language}@example.com" in page.locator("main").inner_text()

    # Follow the link from the mail: the account is on and signed in.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/signup/verify/[^/\s]+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("button", name=words["sign_out"]).is_visible()

    # Ask for help about a repair, with a photo.
    with page.expect_navigation():
        page.locator("main a[href='/help/new/']").first.click()
    page.locator("input[name=kind][value=repair]").check()
    page.fill("#id_subject", "洗衣機不脫水 E21")
    page.fill("#id_body", "從星期一開始，脫水時顯示 E21。")
    page.set_input_files("#id_photos", str(photo))
    with page.expect_navigation():
        page.locator("form.help-form button[type=submit]").click()
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert page.locator("h1").inner_text() == "洗衣機不脫水 E21"
    assert page.locator("#case-status").inner_text() == words["new"]
    assert words["repair"] in page.locator(".case-head").inner_text()
    image = page.locator(".timeline img")
    expect(image).to_have_count(1)
    expect(image).to_have_js_property("naturalWidth", 8)  # retried until the photo has loaded

    # It is in My cases, status in words.
    page.goto("/cases/")
    assert page.locator("h1").inner_text() == words["my_cases"]
    row = page.locator("tr", has_text=case.number)
    assert row.count() == 1 and words["new"] in row.inner_text()

    # Staff answer while the page is open: the reply arrives without a reload; the note never does.
    with page.expect_navigation():
        row.get_by_role("link", name=case.number).click()
    page.evaluate("window.__notReloaded = true")
    agent = UserFactory(display_name="Service desk Amy")
    actions.case_post_message(case=case, actor=agent, body="Please send a photo of the label.", public=True)
    actions.case_post_message(case=case, actor=agent, body="INTERNAL: probably the drum bearing", public=False)
    expect(page.locator("#timeline")).to_contain_text("Please send a photo of the label.", timeout=20_000)
    assert page.evaluate("window.__notReloaded") is True
    assert "INTERNAL" not in page.locator("body").inner_text()
    expect(page.locator("#case-status")).to_have_text(words["open"])  # the same poll swaps the badge

    # The customer answers.
    page.fill("#id_body", "標籤照片在這裡。")
    with page.expect_navigation():
        page.locator("#reply button[type=submit]").click()
    expect(page.locator(".msg.mine").last).to_contain_text("標籤照片在這裡。")
    assert "INTERNAL" not in page.locator("body").inner_text()
    assert case.entries.filter(kind="message", from_customer=True).count() == 2
