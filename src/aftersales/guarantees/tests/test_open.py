"""Opening a claim: the amount is the engine's, exactly (RULES.md worked example 5 and the
other guarantees), kept with the decision and policy version, audited and on the timeline;
every refusal is a 4xx that leaves nothing behind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.cases.models import CaseEntry
from aftersales.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEntry
from aftersales.guarantees import actions
from aftersales.guarantees.models import GuaranteeClaim
from aftersales.guarantees.tests.conftest import days_ago
from aftersales.policies.models import EntitlementDecision

pytestmark = pytest.mark.django_db


def late(case, agent, **facts):
    return actions.guarantee_claim_open(case=case, guarantee="late_shipment", actor=agent,
                                        facts_overrides={"promised_ship_by": days_ago(5), **facts})


def written(case) -> dict:
    """Everything opening a claim writes, to compare before and after a refusal."""
    return {"claims": GuaranteeClaim.objects.count(), "decisions": EntitlementDecision.objects.count(),
            "audit": AuditEntry.objects.count(),
            "events": CaseEntry.objects.filter(case=case, event__startswith="guarantee").count()}


@pytest.mark.parametrize(("paid", "owed"), [
    ("40.00", "2.00"),      # 5 % of ¥40
    ("10.00", "1.00"),      # 5 % = ¥0.50, raised to the ¥1 minimum
    ("1000.00", "30.00"),   # 5 % = ¥50, capped at ¥30
    ("30.10", "1.51"),      # ¥1.505, rounded half up
])
def test_late_shipment_pays_the_worked_example_amounts(order_case, agent, paid, owed):
    case = order_case(paid, shipped=2)
    claim = late(case, agent)
    assert claim.remedy == "compensation" and claim.amount == Decimal(owed) and claim.currency == "CNY"
    assert claim.remedies == [{"kind": "compensation", "amount": owed, "currency": "CNY"}]
    assert claim.status == "proposed" and claim.created_by == agent and claim.payable == Decimal(owed)


def test_the_claim_keeps_the_decision_the_policy_version_and_the_facts_sent(order_case, agent):
    case = order_case("40.00", shipped=2)
    claim = late(case, agent)
    decision = claim.decision
    assert decision.case == case and decision.purchase == case.purchase
    assert decision.policy_version.policy.code == "cn-late-shipment" and decision.policy_version.number == 1
    assert claim.facts == decision.facts == {
        "policy": "cn-late-shipment", "price": "40.00", "currency": "CNY", "amount_paid": "40.00",
        "claim_date": days_ago(0), "shipped_at": days_ago(2), "promised_ship_by": days_ago(5)}
    assert decision.result["remedies"][0]["amount"] == "2.00"


def test_opening_is_audited_and_written_on_the_timeline_as_an_internal_event(order_case, agent):
    case = order_case("40.00")  # not shipped yet, and the promised date has passed
    claim = late(case, agent)
    audit = AuditEntry.objects.get(object_type="guarantees.guaranteeclaim", object_id=str(claim.pk))
    assert audit.action == "guarantee_claim_opened" and audit.actor == agent
    assert audit.after["amount"] == "2.00" and audit.after["policy"] == "cn-late-shipment"
    assert audit.after["decision"] == claim.decision_id
    event = CaseEntry.objects.get(case=case, event="guarantee_claim_opened")
    assert not event.is_public and event.author == agent
    assert event.data["claim"] == claim.pk and event.data["amount"] == "2.00"
    from aftersales.cases.events import event_text
    assert event_text(event) == (f"Guarantee claim #{claim.pk} opened under Shipping-time promise: Compensation "
                                 "2.00 CNY (policy cn-late-shipment, version 1)")


def test_counterfeit_pays_the_refund_and_twice_the_price_together(order_case, agent):
    case = order_case("200.00", signed=3)
    claim = actions.guarantee_claim_open(case=case, guarantee="counterfeit", actor=agent,
                                         facts_overrides={"confirmed_counterfeit": True})
    assert claim.remedies == [{"kind": "refund", "amount": "200.00", "currency": "CNY"},
                              {"kind": "compensation", "amount": "400.00", "currency": "CNY"}]
    assert claim.remedy == "compensation" and claim.amount == Decimal("600.00")


def test_counterfeit_not_confirmed_gives_nothing_yet(order_case, agent):
    case = order_case("200.00", signed=3)
    before = written(case)
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_open(case=case, guarantee="counterfeit", actor=agent, facts_overrides={})
    assert caught.value.code == "nothing_payable" and caught.value.status == 422
    assert "not been confirmed as counterfeit" in str(caught.value.detail)
    assert written(case) == before


def test_damage_in_transit_reships_first_then_refunds_after_a_second_damage(order_case, agent, supervisor):
    case = order_case("200.00", signed=2)
    first = actions.guarantee_claim_open(case=case, guarantee="damage_in_transit", actor=agent)
    assert first.remedy == "reshipment" and first.amount is None and first.in_kind
    assert first.facts["reshipments"] == 0
    actions.guarantee_claim_approve(claim=first, actor=supervisor)
    actions.guarantee_claim_mark_paid(claim=first, actor=agent, reference="SF1234567890")

    second = actions.guarantee_claim_open(case=case, guarantee="damage_in_transit", actor=agent)
    assert second.facts["reshipments"] == 1  # counted from the paid re-shipment
    assert second.remedies == [{"kind": "return", "amount": "200.00", "currency": "CNY"}]
    assert second.remedy == "return" and second.amount == Decimal("200.00")


def test_an_arrival_claim_leaves_the_amount_to_the_platform(order_case, agent):
    case = order_case("520.00", signed=3)
    claim = actions.guarantee_claim_open(case=case, guarantee="arrival_promise", actor=agent, facts_overrides={
        "promised_delivery_by": days_ago(6), "order_closed_at": days_ago(2)})
    assert claim.remedy == "compensation" and claim.amount is None and claim.payable is None
    assert claim.remedies == [{"kind": "compensation", "amount": None, "currency": None}]
    assert claim.currency == "CNY"


def test_shipped_on_time_is_nothing_payable_and_nothing_is_written(order_case, agent):
    case = order_case("40.00", shipped=6)
    before = written(case)
    with pytest.raises(ValidationFailed) as caught:
        late(case, agent)
    assert caught.value.code == "nothing_payable"
    assert "within the promised date" in str(caught.value.detail)
    assert written(case) == before


@pytest.mark.parametrize(("guarantees", "guarantee", "code"), [
    (["counterfeit"], "late_shipment", "guarantee_not_offered"),
    ([], "late_shipment", "guarantee_not_offered"),
    (["return_promise"], "return_promise", "guarantee_not_claimable"),
    (["late_shipment"], "nonsense", "guarantee_not_claimable"),
])
def test_a_guarantee_the_seller_did_not_offer_or_that_is_not_a_claim_is_refused(
        order_case, agent, guarantees, guarantee, code):
    case = order_case("40.00", guarantees=guarantees)
    before = written(case)
    with pytest.raises(ValidationFailed) as caught:
        actions.guarantee_claim_open(case=case, guarantee=guarantee, actor=agent,
                                     facts_overrides={"promised_ship_by": days_ago(5)})
    assert caught.value.code == code and caught.value.status == 422
    assert written(case) == before


def test_a_case_without_a_purchase_has_nothing_to_claim_on(team, agent):
    from aftersales.cases import actions as case_actions
    from aftersales.core.tests.factories import CustomerFactory

    case = case_actions.case_open(customer=CustomerFactory(), subject="No order", actor=agent, team=team)
    with pytest.raises(ValidationFailed) as caught:
        late(case, agent)
    assert caught.value.code == "no_purchase"


def test_one_open_claim_per_guarantee_on_a_case(order_case, agent, supervisor):
    case = order_case("40.00")
    first = late(case, agent)
    before = written(case)
    with pytest.raises(Conflict) as caught:
        late(case, agent)
    assert caught.value.code == "claim_already_open" and caught.value.status == 409
    assert written(case) == before
    actions.guarantee_claim_reject(claim=first, actor=supervisor, reason="Duplicate of the platform's claim")
    assert late(case, agent).pk != first.pk  # settled: a new claim may be made


@pytest.mark.parametrize(("facts", "code"), [
    ({"promised_ship_by": None}, "fact_invalid"),                # the promise is needed
    ({"promised_ship_by": "2025-02-30"}, "invalid_date"),        # the engine's own code
    ({"promised_ship_by": "soon"}, "invalid_date"),
    ({"amount_paid": "41.00"}, "fact_invalid"),                   # more than the order's total
    ({"amount_paid": "-1"}, "invalid_money"),
    ({"amount_paid": "1.234"}, "invalid_money"),
    ({"claim_date": days_ago(-1)}, "fact_invalid"),               # in the future
    ({"shipped_at": days_ago(-2)}, "fact_invalid"),
    ({"shipped_at": "2025-13-01"}, "invalid_date"),
    ({"confirmed_counterfeit": True}, "fact_not_allowed"),        # another guarantee's fact
    ({"price": "1"}, "fact_not_allowed"),                         # the record's, not the agent's
])
def test_bad_facts_are_a_422_and_nothing_is_written(order_case, agent, facts, code):
    case = order_case("40.00")
    before = written(case)
    with pytest.raises(ValidationFailed) as caught:
        late(case, agent, **facts)
    assert caught.value.code == code, caught.value.detail
    assert written(case) == before


def test_the_agent_may_claim_on_part_of_the_order(order_case, agent):
    case = order_case("1000.00")
    claim = late(case, agent, amount_paid="100.00")
    assert claim.amount == Decimal("5.00") and claim.facts["amount_paid"] == "100.00"


def test_a_policy_in_another_currency_is_refused(order_case, agent):
    case = order_case("40.00")
    case.purchase.currency = "KRW"
    case.purchase.amount = Decimal("40000")
    case.purchase.save()
    with pytest.raises(ValidationFailed) as caught:
        late(case, agent)
    assert caught.value.code == "currency_mismatch"


@pytest.mark.parametrize("role", ["customer", "technician"])
def test_only_agents_and_up_open_claims(order_case, users, role):
    case = order_case("40.00")
    before = written(case)
    with pytest.raises(PermissionDenied):
        late(case, users[role])
    assert written(case) == before


@pytest.mark.parametrize("role", ["agent", "supervisor", "administrator"])
def test_agents_supervisors_and_administrators_open_claims(order_case, users, role):
    claim = late(order_case("40.00"), users[role])
    assert claim.created_by == users[role]


def test_every_refusal_is_a_domain_error_with_a_4xx(order_case, agent):
    case = order_case("40.00", guarantees=[])
    with pytest.raises(DomainError) as caught:
        late(case, agent)
    assert 400 <= caught.value.status < 500
