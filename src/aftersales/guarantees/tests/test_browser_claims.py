"""In a real browser: an agent opens a late-shipment claim on a ¥40 order (worked example 5,
¥2), then a supervisor approves it and marks it paid; the timeline tells each step."""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.accounts.models import Role
from aftersales.cases import actions as case_actions
from aftersales.core.tests.factories import CustomerFactory, PurchaseFactory, TeamFactory, UserFactory
from aftersales.guarantees.models import GuaranteeClaim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set to a folder to keep screenshots of the claims block and the queue.
SHOTS = os.environ.get("AFTERSALES_SCREENSHOTS")


def shot(locator, name: str, **options) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        locator.screenshot(path=str(Path(SHOTS) / f"{name}.png"), **options)


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_agent_opens_a_late_shipment_claim_and_a_supervisor_approves_and_pays_it(shipped_policies, page, browser,
                                                                                  live_server):
    team = TeamFactory(code="claims", name="Claims team")
    agent = UserFactory(username="ada", role=Role.AGENT, teams=[team], display_name="Ada Agent")
    UserFactory(username="sam", role=Role.SUPERVISOR, display_name="Sam Supervisor")
    customer = CustomerFactory(name="Chen Jing")
    paid_at = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=8), time(10, 0)))
    purchase = PurchaseFactory(customer=customer, amount=Decimal("40.00"), paid_at=paid_at,
                               guarantees=["late_shipment", "damage_in_transit"])
    case = case_actions.case_open(customer=customer, subject="Order not shipped", body="Still not shipped.",
                                  actor=agent, team=team,
                                  type="guarantee_claim", purchase=purchase)
    promised = (timezone.localdate() - timedelta(days=5)).isoformat()

    sign_in(page, "ada")
    page.goto(f"/desk/cases/{case.pk}/")
    block = page.locator("#guarantee-claims")
    expect(block.get_by_role("heading", name="Guarantee claims")).to_be_visible()
    block.get_by_text("Shipping-time promise").click()
    expect(page.locator("#gc-late_shipment-amount_paid")).to_have_value("40.00")
    page.fill("#gc-late_shipment-promised_ship_by", promised)
    shot(page.locator("aside.desk-side"), "guarantee-claims-open-form")
    block.get_by_role("button", name="Open the claim").first.click()
    claim_row = page.locator(".gc-claim").first
    expect(claim_row.locator(".badge")).to_have_text("Proposed")
    expect(claim_row.locator(".gc-amount")).to_contain_text("Compensation 2.00 CNY")
    expect(claim_row.get_by_role("button", name="Approve")).to_have_count(0)  # not the agent's to approve
    expect(page.locator("#timeline")).to_contain_text("opened under Shipping-time promise: Compensation 2.00 CNY")

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    boss = context.new_page()
    try:
        sign_in(boss, "sam")
        boss.get_by_role("link", name="Guarantee claims").click()
        expect(boss.locator("h1")).to_have_text("Guarantee claims")
        expect(boss.locator("table.gc-queue tbody tr")).to_have_count(1)
        boss.get_by_role("link", name=case.number).click()
        claim_row = boss.locator(".gc-claim").first
        expect(claim_row.get_by_role("button", name="Approve", exact=True)).to_be_visible()
        shot(boss.locator("#guarantee-claims"), "guarantee-claims-proposed")
        claim_row.get_by_role("button", name="Approve", exact=True).click()
        expect(claim_row.locator(".badge")).to_have_text("Approved")
        claim_row = boss.locator(".gc-claim").first
        claim_row.get_by_label("Payment reference").fill("ALIPAY-2025-0042")
        claim_row.get_by_role("button", name="Mark paid").click()
        expect(boss.locator(".gc-claim").first.locator(".badge")).to_have_text("Paid")
        expect(boss.locator(".gc-claim").first).to_contain_text("ALIPAY-2025-0042")
        expect(boss.locator("#timeline")).to_contain_text("paid: 2.00 CNY, reference ALIPAY-2025-0042")
        shot(boss, "guarantee-claims-case", full_page=True)
        boss.goto("/desk/guarantee-claims/?status=paid")
        expect(boss.locator("table.gc-queue tbody tr")).to_have_count(1)
        shot(boss, "guarantee-claims-queue", full_page=True)
    finally:
        context.close()

    claim = GuaranteeClaim.objects.get(case=case)
    assert (claim.status, claim.amount, claim.payment_reference) == ("paid", Decimal("2.00"), "ALIPAY-2025-0042")
    assert claim.created_by.username == "ada" and claim.approved_by.username == "sam"
