"""Approve, reject, pay, escalate and the platform's ruling: who may, from which status, what
each records (who, when, why), its audit row and timeline event, and that nothing is paid
twice."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from aftersales.cases.events import event_text
from aftersales.cases.models import CaseEntry
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEntry
from aftersales.guarantees import actions
from aftersales.guarantees import workflow as w
from aftersales.guarantees.models import GuaranteeClaim
from aftersales.guarantees.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(order_case, agent):
    """A proposed ¥2 late-shipment claim (worked example 5)."""
    case = order_case("40.00")
    return actions.guarantee_claim_open(case=case, guarantee="late_shipment", actor=agent,
                                        facts_overrides={"promised_ship_by": days_ago(5)})


def audit_of(claim) -> list[str]:
    return list(AuditEntry.objects.filter(object_type="guarantees.guaranteeclaim", object_id=str(claim.pk))
                .order_by("id").values_list("action", flat=True))


def events_of(claim) -> list[CaseEntry]:
    return list(CaseEntry.objects.filter(case_id=claim.case_id, event__startswith="guarantee_claim")
                .order_by("id"))


def row(claim) -> GuaranteeClaim:
    return GuaranteeClaim.objects.get(pk=claim.pk)


def test_approve_then_pay_records_who_when_and_the_reference(claim, agent, supervisor):
    approved = actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    assert approved.status == "approved" and approved.approved_by == supervisor and approved.approved_at
    assert approved.override_amount is None and approved.payable == Decimal("2.00")
    paid = actions.guarantee_claim_mark_paid(claim=claim, actor=agent, reference="  ALIPAY-2025-0042 ")
    stored = row(claim)
    assert stored.status == "paid" and stored.paid_by == agent and stored.paid_at >= stored.approved_at
    assert stored.payment_reference == "ALIPAY-2025-0042" and paid.amount == Decimal("2.00")
    assert audit_of(claim) == ["guarantee_claim_opened", "guarantee_claim_approved", "guarantee_claim_paid"]
    pay_audit = AuditEntry.objects.get(object_id=str(claim.pk), action="guarantee_claim_paid")
    assert pay_audit.before["status"] == "approved" and pay_audit.after["status"] == "paid"
    assert pay_audit.after["payment_reference"] == "ALIPAY-2025-0042" and pay_audit.actor == agent
    texts = [event_text(e) for e in events_of(claim)]
    assert texts[1:] == [f"Guarantee claim #{claim.pk} (Shipping-time promise) approved: 2.00 CNY",
                         f"Guarantee claim #{claim.pk} (Shipping-time promise) paid: 2.00 CNY, reference "
                         "ALIPAY-2025-0042"]
    assert not any(e.is_public for e in events_of(claim))


def test_reject_needs_a_reason_and_keeps_it(claim, supervisor):
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_reject(claim=claim, actor=supervisor, reason="   ")
    assert caught.value.code == "reason_required"
    assert row(claim).status == "proposed" and audit_of(claim) == ["guarantee_claim_opened"]
    actions.guarantee_claim_reject(claim=claim, actor=supervisor, reason="Shipped on time per the courier")
    stored = row(claim)
    assert (stored.status, stored.rejected_by, stored.rejection_reason) == (
        "rejected", supervisor, "Shipped on time per the courier")
    assert event_text(events_of(claim)[-1]) == (
        f"Guarantee claim #{claim.pk} (Shipping-time promise) rejected. Reason: Shipped on time per the courier")


def test_a_different_amount_is_an_override_with_a_reason_and_the_computed_one_stays(claim, supervisor):
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_approve(claim=claim, actor=supervisor, amount="5.00")
    assert caught.value.code == "reason_required" and row(claim).status == "proposed"
    for bad in ("-1", "abc", "1.234", "1e20", "NaN"):
        with pytest.raises(ValidationFailed) as caught:
            actions.guarantee_claim_approve(claim=claim, actor=supervisor, amount=bad, reason="x")
        assert caught.value.code == "amount_invalid", bad
    actions.guarantee_claim_approve(claim=claim, actor=supervisor, amount="5.00", reason="Goodwill: VIP customer")
    stored = row(claim)
    assert stored.amount == Decimal("2.00") and stored.override_amount == Decimal("5.00")
    assert stored.payable == Decimal("5.00") and stored.override_reason == "Goodwill: VIP customer"
    assert "approved for 5.00 CNY instead of the computed amount. Reason: Goodwill" in event_text(events_of(claim)[-1])


def test_the_computed_amount_given_back_is_no_override(claim, supervisor):
    actions.guarantee_claim_approve(claim=claim, actor=supervisor, amount="2.00")
    assert row(claim).override_amount is None and row(claim).override_reason == ""


def test_escalate_and_the_platforms_ruling(claim, agent, supervisor):
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_escalate(claim=claim, actor=agent, note="")
    assert caught.value.code == "note_required"
    actions.guarantee_claim_escalate(claim=claim, actor=agent, note="The seller says it shipped on time")
    stored = row(claim)
    assert (stored.status, stored.escalated_by, stored.escalation_note) == (
        "escalated", agent, "The seller says it shipped on time")
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_ruling(claim=claim, actor=supervisor, outcome="maybe", note="x")
    assert caught.value.code == "ruling_outcome_invalid"
    actions.guarantee_claim_ruling(claim=claim, actor=supervisor, outcome="approved", note="Platform case 88: pay")
    stored = row(claim)
    assert (stored.status, stored.ruling, stored.ruling_note, stored.ruled_by) == (
        "approved", "approved", "Platform case 88: pay", supervisor)
    assert stored.payable == Decimal("2.00")
    assert event_text(events_of(claim)[-1]) == (
        f"The platform approved guarantee claim #{claim.pk} (Shipping-time promise): 2.00 CNY. "
        "Note: Platform case 88: pay")
    actions.guarantee_claim_mark_paid(claim=claim, actor=agent, reference="P-88")
    assert row(claim).status == "paid"


def test_an_approved_claim_can_still_go_to_the_platform_which_may_reject_it(claim, agent, supervisor):
    actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    actions.guarantee_claim_escalate(claim=claim, actor=agent, note="The buyer wants more")
    actions.guarantee_claim_ruling(claim=claim, actor=supervisor, outcome="rejected", note="Platform: no")
    stored = row(claim)
    assert stored.status == "rejected" and stored.ruling == "rejected"
    assert audit_of(claim)[-1] == "guarantee_claim_ruled"


def test_a_claim_the_policy_leaves_to_the_platform_needs_the_amount_agreed(order_case, agent, supervisor):
    case = order_case("520.00", signed=3)
    claim = actions.guarantee_claim_open(case=case, guarantee="arrival_promise", actor=agent, facts_overrides={
        "promised_delivery_by": days_ago(6), "order_closed_at": days_ago(2)})
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    assert caught.value.code == "amount_required"
    actions.guarantee_claim_escalate(claim=claim, actor=agent, note="Amount for the platform to set")
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_ruling(claim=claim, actor=supervisor, outcome="approved", note="Pay")
    assert caught.value.code == "amount_required" and row(claim).status == "escalated"
    actions.guarantee_claim_ruling(claim=claim, actor=supervisor, outcome="approved", amount="26.00",
                                   note="Platform ruling 2025-0301: 5 % of the order")
    stored = row(claim)
    assert stored.amount is None and stored.override_amount == Decimal("26.00") and stored.payable == Decimal("26")
    assert stored.override_reason == "Platform ruling 2025-0301: 5 % of the order"


def test_a_reshipment_carries_no_amount(order_case, agent, supervisor):
    claim = actions.guarantee_claim_open(case=order_case("200.00", signed=1), guarantee="damage_in_transit",
                                         actor=agent)
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_approve(claim=claim, actor=supervisor, amount="10", reason="x")
    assert caught.value.code == "amount_invalid"
    actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    actions.guarantee_claim_mark_paid(claim=claim, actor=agent, reference="SF100")
    assert event_text(events_of(claim)[-1]) == (
        f"Guarantee claim #{claim.pk} (Damaged-in-transit re-shipment): goods re-shipped, reference SF100")


def test_a_reference_is_needed_to_mark_paid(claim, agent, supervisor):
    actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    for bad in ("", "   ", "x" * 101):
        with pytest.raises(ValidationFailed) as caught:
            actions.guarantee_claim_mark_paid(claim=claim, actor=agent, reference=bad)
        assert caught.value.code == "payment_reference_required"
    assert row(claim).status == "approved"


def test_a_second_payment_is_a_409_and_nothing_changes(claim, agent, supervisor):
    actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    actions.guarantee_claim_mark_paid(claim=claim, actor=agent, reference="PAY-1")
    stale = claim  # the object the second click still holds says "proposed"
    with pytest.raises(Conflict) as caught:
        actions.guarantee_claim_mark_paid(claim=stale, actor=supervisor, reference="PAY-2")
    assert caught.value.code == "claim_invalid_transition" and caught.value.status == 409
    assert "Only an approved claim can be marked paid (this one: Paid)." == str(caught.value.detail)
    assert row(claim).payment_reference == "PAY-1" and row(claim).paid_by == agent
    assert audit_of(claim).count("guarantee_claim_paid") == 1
    assert [e.event for e in events_of(claim)].count("guarantee_claim_paid") == 1


STEP_CALLS = {
    w.APPROVE: lambda c, u: actions.guarantee_claim_approve(claim=c, actor=u),
    w.REJECT: lambda c, u: actions.guarantee_claim_reject(claim=c, actor=u, reason="r"),
    w.PAY: lambda c, u: actions.guarantee_claim_mark_paid(claim=c, actor=u, reference="ref"),
    w.ESCALATE: lambda c, u: actions.guarantee_claim_escalate(claim=c, actor=u, note="n"),
    w.RULE_APPROVED: lambda c, u: actions.guarantee_claim_ruling(claim=c, actor=u, outcome="approved", note="n"),
    w.RULE_REJECTED: lambda c, u: actions.guarantee_claim_ruling(claim=c, actor=u, outcome="rejected", note="n"),
}
# The steps that bring a fresh (proposed) claim to each status.
PATHS = {w.PROPOSED: [], w.APPROVED: [w.APPROVE], w.ESCALATED: [w.ESCALATE], w.PAID: [w.APPROVE, w.PAY],
         w.REJECTED: [w.REJECT]}


@pytest.mark.parametrize("status", w.STATUSES)
@pytest.mark.parametrize("operation", list(STEP_CALLS))
def test_every_step_from_every_status_through_the_actions(claim, administrator, status, operation):
    for step in PATHS[status]:
        STEP_CALLS[step](claim, administrator)
    assert row(claim).status == status
    audits, entries = len(audit_of(claim)), len(events_of(claim))
    if w.can(status, operation):
        assert STEP_CALLS[operation](claim, administrator).status == w.after(status, operation)
        assert (len(audit_of(claim)), len(events_of(claim))) == (audits + 1, entries + 1)
    else:
        with pytest.raises(Conflict) as caught:
            STEP_CALLS[operation](claim, administrator)
        assert caught.value.code == "claim_invalid_transition"
        assert row(claim).status == status
        assert (len(audit_of(claim)), len(events_of(claim))) == (audits, entries)


# Which role may take each step: customers and technicians none; agents open, escalate and pay;
# supervisors and administrators everything.
ROLE_STEPS = {
    "customer": set(), "technician": set(), "agent": {w.PAY, w.ESCALATE},
    "supervisor": set(STEP_CALLS), "administrator": set(STEP_CALLS),
}


@pytest.mark.parametrize("role", list(ROLE_STEPS))
@pytest.mark.parametrize("operation", list(STEP_CALLS))
def test_role_matrix_of_the_steps(claim, users, administrator, role, operation):
    start = {w.APPROVE: w.PROPOSED, w.REJECT: w.PROPOSED, w.PAY: w.APPROVED, w.ESCALATE: w.PROPOSED,
             w.RULE_APPROVED: w.ESCALATED, w.RULE_REJECTED: w.ESCALATED}[operation]
    for step in PATHS[start]:
        STEP_CALLS[step](claim, administrator)
    audits = len(audit_of(claim))
    if operation in ROLE_STEPS[role]:
        assert STEP_CALLS[operation](claim, users[role]).status == w.after(start, operation)
    else:
        with pytest.raises(PermissionDenied):
            STEP_CALLS[operation](claim, users[role])
        assert row(claim).status == start and len(audit_of(claim)) == audits


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_pay_once(shipped_policies, order_case, agent, supervisor):
    case = order_case("40.00")
    claim = actions.guarantee_claim_open(case=case, guarantee="late_shipment", actor=agent,
                                         facts_overrides={"promised_ship_by": days_ago(5)})
    actions.guarantee_claim_approve(claim=claim, actor=supervisor)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(reference: str) -> None:
        try:
            barrier.wait(timeout=10)
            actions.guarantee_claim_mark_paid(claim=claim, actor=agent, reference=reference)
            outcomes.append("paid")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(f"PAY-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "paid"]
    assert audit_of(claim).count("guarantee_claim_paid") == 1
    assert [e.event for e in events_of(claim)].count("guarantee_claim_paid") == 1
