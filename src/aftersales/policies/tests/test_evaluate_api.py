"""POST /api/v1/entitlements/evaluate answers what the engine decides, with the version it used."""

from __future__ import annotations

import pytest

from aftersales.core.models import AuditEntry
from aftersales.policies.models import EntitlementDecision
from aftersales.policies.tests.support import RETURN_CLAIM, evaluate

pytestmark = pytest.mark.django_db

RETURN_ANSWER = {
    "policy": "test-return-promise",
    "policy_version": 1,
    "covered": True,
    "remedies": [{"kind": "return", "amount": "100.00", "currency": "CNY", "deadline": "2025-03-08"}],
    "periods": [{"name": "return", "start": "2025-03-01", "ends": "2025-03-08", "extended_by_days": 0}],
    "explanation": [
        {"rule": "cn.return_promise.window", "source": "Reference document 003",
         "text": "The return was asked for within the 7-day window, which ends on 2025-03-08."},
        {"rule": "cn.return_promise.refund", "source": "Reference document 003",
         "text": "Once the goods come back, the seller refunds 100.00 CNY within 7 days."},
    ],
}


def test_a_claim_gets_the_engines_decision_and_writes_nothing(test_policy, agent_client):
    decisions, audits = EntitlementDecision.objects.count(), AuditEntry.objects.count()
    response = evaluate(agent_client, RETURN_CLAIM)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == RETURN_ANSWER
    assert (EntitlementDecision.objects.count(), AuditEntry.objects.count()) == (decisions, audits)


def test_a_claim_after_the_window_gets_no_return(test_policy, agent_client):
    response = evaluate(agent_client, {**RETURN_CLAIM, "claim_date": "2025-03-09"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["covered"] is False
    assert body["remedies"] == []


def test_record_keeps_the_decision_with_its_version_and_an_audit_row(test_policy, world, agent_client):
    response = evaluate(agent_client, RETURN_CLAIM, "record=true")
    assert response.status_code == 200, response.content
    body = response.json()
    decision = EntitlementDecision.objects.get(pk=body.pop("decision_id"))
    assert body == RETURN_ANSWER
    assert decision.policy_version == test_policy.current_version
    assert decision.facts == RETURN_CLAIM
    assert decision.covered is True and decision.case is None
    assert decision.actor == world.users["agent"]
    assert decision.result["remedies"] == RETURN_ANSWER["remedies"]
    # Each explanation keeps its English template and parameters, to be read in any language later.
    stored = decision.result["explanation"]
    assert [{k: e[k] for k in ("rule", "source", "text")} for e in stored] == RETURN_ANSWER["explanation"]
    assert [e["template"] % e["params"] for e in stored] == [e["text"] for e in RETURN_ANSWER["explanation"]]
    audit = AuditEntry.objects.get(object_type="policies.entitlementdecision", object_id=str(decision.pk))
    assert audit.action == "entitlement_decided"
    assert audit.after == {"policy": "test-return-promise", "version": 1, "covered": True, "case": None}


def test_a_decision_on_a_case_is_kept_with_the_case_and_its_unit_and_purchase(test_policy, world, agent_client):
    case = world.own_case  # in the agent's team
    case.unit, case.purchase = world.own_unit, world.own_purchase
    case.save(update_fields=["unit", "purchase"])
    response = evaluate(agent_client, RETURN_CLAIM, f"case={case.pk}")
    assert response.status_code == 200, response.content
    decision = EntitlementDecision.objects.get(pk=response.json()["decision_id"])
    assert (decision.case, decision.unit, decision.purchase) == (case, world.own_unit, world.own_purchase)
