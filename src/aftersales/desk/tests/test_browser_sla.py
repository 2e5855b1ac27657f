"""In a real browser: an agent opens the "At risk" queue, sees the overdue case first with its
badge, opens it, reads the SLA panel and its history (which stays open while the panel is
redrawn), then reads and clears the notification the sweep sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role
from aftersales.cases.models import Status
from aftersales.core.tests.factories import TeamFactory, UserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.desk.tests.conftest import opened_ago
from aftersales.sla.sweep import sla_sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_works_the_at_risk_queue_and_reads_the_sla_history(page, sla_policy):
    team = TeamFactory(code="desk", name="Desk team")
    ada = UserFactory(username="ada", role=Role.AGENT, teams=[team], display_name="Ada Agent")
    overdue = opened_ago(635, team=team, assignee=ada, subject="Washer stops at E21")
    risky = opened_ago(510 - 0.5, team=team, subject="Fridge is warm")
    opened_ago(10, team=team, subject="Dryer is loud")
    waiting = opened_ago(100, team=team, subject="Which model?")
    from aftersales.cases.actions import case_change_status

    case_change_status(case=waiting, target=Status.WAITING_CUSTOMER, actor=ada)
    sla_sweep()  # the overdue case warned, breached, and its assignee was told

    sign_in(page, "ada")
    page.goto("/desk/?view=teams")
    queues = page.get_by_role("navigation", name="Queues")
    expect(queues.locator('[data-queue="at_risk"]')).to_have_text("2")
    shot(page, "sla-queue-desktop")
    queues.get_by_role("link", name=re.compile("At risk")).click()

    expect(page.locator("h1")).to_have_text("At risk")
    expect(page.get_by_label("Sort")).to_have_value("due")
    rows = page.locator("#queue-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(overdue.number)
    expect(rows.nth(1)).to_contain_text(risky.number)
    first_badge = rows.nth(0).locator("td.sla-cell .sla-badge")
    expect(first_badge).to_have_text(re.compile(r"^! ?First response · Overdue 3[5-9]m$"))
    expect(first_badge).to_have_attribute("data-sla-state", "overdue")
    risky_badge = rows.nth(1).locator("td.sla-cell .sla-badge")
    expect(risky_badge).to_have_attribute("data-sla-state", "at-risk")
    expect(risky_badge.locator(".sr-only")).to_have_text("At risk:")
    expect(page.locator("#desk-notifications .nav-count")).to_have_text("1")
    shot(page, "sla-at-risk-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    expect(rows.nth(0).locator(".show-narrow .sla-badge")).to_be_visible()
    shot(page, "sla-at-risk-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    rows.nth(0).get_by_role("link", name=overdue.number).click()
    expect(page.locator("#case-header h1")).to_contain_text("Washer stops at E21")
    expect(page.locator("html")).to_have_attribute("data-sla-ready", "1")  # sla.js has wired the panel
    panel = page.locator("#case-sla")
    expect(panel.get_by_role("heading", name="Service level")).to_be_visible()
    expect(panel.locator('.sla-clock[data-metric="first_response"] .sla-badge')).to_have_text(
        re.compile(r"Overdue 3[5-9]m"))
    expect(page.locator("#case-sla-badge .sla-badge")).to_contain_text("First response")
    history = panel.locator("#sla-history")
    expect(history).not_to_have_attribute("open", "")
    panel.get_by_text("SLA history").click()
    expect(history).to_have_attribute("open", "")
    first = history.locator('.sla-past[data-metric="first_response"]')
    expect(first).to_contain_text("Warning")
    expect(first).to_contain_text("Breach")
    expect(first).to_contain_text("Escalation: Notify the assignee")
    expect(page.locator("#timeline")).to_contain_text("SLA breached: First response is overdue")
    shot(page, "sla-case-desktop")

    # A change redraws the panel (now paused); the history the agent opened stays open.
    page.locator("#set-status").select_option("waiting_customer")
    page.locator("#set-status").locator("xpath=ancestor::form").get_by_role("button", name="Change").click()
    expect(panel.locator('.sla-clock[data-metric="first_response"] .sla-badge')).to_have_attribute(
        "data-sla-state", "paused")
    expect(page.locator("#case-sla #sla-history")).to_have_attribute("open", "")
    expect(page.locator("#case-sla .sla-pauses").first).to_contain_text("Waiting on customer")
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "sla-case-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("#desk-notifications").click()
    expect(page.locator("h1")).to_have_text("Notifications")
    item = page.locator(".notif").first
    expect(item).to_contain_text("SLA breach")
    expect(item).to_contain_text(overdue.number)
    shot(page, "sla-notifications-desktop")
    item.get_by_role("button", name=re.compile(rf"^Mark as read\W+SLA breach, {overdue.number}$")).click()
    expect(item).not_to_have_class(re.compile(r"\bunread\b"))
    expect(page.locator("#desk-notifications .nav-count")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Mark as read"))).to_have_count(0)
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "sla-notifications-phone")
