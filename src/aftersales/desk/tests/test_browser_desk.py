"""In a real browser: an agent picks an unassigned case, takes it, replies, writes a note, and
sees the customer's answer arrive without reloading; then reads the page in Traditional Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role, User
from aftersales.cases import actions
from aftersales.core.tests.api_support import png_bytes
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_takes_a_case_replies_and_sees_the_customer_answer_live(page):
    team = TeamFactory(code="desk", name="Desk team")
    agent = UserFactory(username="ada", role=Role.AGENT, teams=[team], display_name="Ada Agent")
    customer_user = CustomerUserFactory(username="buyer")
    case = actions.case_open(customer=customer_user.customer, subject="洗衣機不脫水 E21", team=team,
                             body="The drum does not spin.", actor=customer_user)
    actions.case_open(customer=customer_user.customer, subject="Someone took this", team=team,
                      assignee=UserFactory(role=Role.AGENT, teams=[team]), actor=customer_user)

    page.goto("/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    page.goto("/desk/")
    page.get_by_role("navigation", name="Queues").get_by_role("link", name="Unassigned").click()
    expect(page.locator("h1")).to_have_text("Unassigned")
    rows = page.locator("#queue-list tbody tr")
    expect(rows).to_have_count(1)
    row = page.locator("tr", has_text=case.number)
    page.keyboard.press("j")  # keyboard: j/k move through the queue
    expect(row).to_have_class("kb-current")
    expect(row.locator(".badge.status-new")).to_have_text("New")
    row.get_by_role("link", name=case.number).click()

    expect(page.locator("#case-header h1")).to_contain_text("洗衣機不脫水 E21")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator('#case-header [data-field="assignee"]')).to_have_text("Ada Agent")
    expect(page.locator("#timeline")).to_contain_text("Assigned to Ada Agent (was nobody)")

    page.fill("#reply-body", "We will send a technician on Monday.")
    page.get_by_role("button", name="Reply to customer").click()
    expect(page.locator("#timeline .entry.staff")).to_contain_text("We will send a technician on Monday.")
    expect(page.locator("#reply-body")).to_have_value("")
    expect(page.locator('#case-header [data-field="status"]')).to_have_text("Open")

    page.fill("#reply-body", "Check the drive belt first.")
    page.set_input_files("#reply-file", files=[{"name": "belt.png", "mimeType": "image/png", "buffer": png_bytes(9)}])
    page.get_by_role("button", name="Add internal note").click()
    note = page.locator("#timeline .entry.note", has_text="Check the drive belt first.")
    expect(note).to_be_visible()
    expect(note.locator(".note-label").first).to_have_text("Internal note")
    preview = note.locator("img[alt='belt.png']")
    expect(preview).to_have_attribute("src", re.compile(r"^/api/v1/cases/\d+/attachments/\d+$"))
    page.wait_for_function(  # the preview really loads through the API with the session
        "() => { const i = document.querySelector(\"#timeline img[alt='belt.png']\"); "
        "return i && i.complete && i.naturalWidth === 1; }")

    actions.case_post_message(case=case, actor=customer_user, body="Monday works, thank you!", public=True)
    expect(page.locator("#timeline .entry.customer", has_text="Monday works, thank you!")).to_be_visible(
        timeout=10_000)

    User.objects.filter(pk=agent.pk).update(language="zh-hant")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator('#case-header [data-field="status"]')).to_have_text("處理中")
    expect(note.locator(".note-label").first).to_have_text("內部備註")
    page.goto("/desk/?view=teams")
    expect(page.locator("tr", has_text="Someone took this").locator(".badge.status-new")).to_have_text("新案件")
