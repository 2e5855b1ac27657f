"""A policy is a series of immutable versions: editing adds one, a decision keeps the one it
used, and a policy edited later never rewrites an earlier decision."""

from __future__ import annotations

import pytest

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import UserFactory
from aftersales.policies import actions
from aftersales.policies.models import EntitlementDecision, ImmutableRow, Policy, PolicyVersion
from aftersales.policies.selectors import decision_explanation
from aftersales.policies.tests.support import RETURN_CLAIM, RETURN_PROMISE, document, evaluate

pytestmark = pytest.mark.django_db


def test_a_new_policy_starts_at_version_1_with_its_names_and_audit_rows(test_policy):
    assert test_policy.current_version.number == 1
    assert test_policy.current_version.document == RETURN_PROMISE
    assert (test_policy.family, test_policy.jurisdiction, test_policy.currency) == ("cn_return_promise", "CN", "CNY")
    assert dict(test_policy.names.values_list("language", "name")) == RETURN_PROMISE["names"]
    actions_logged = set(AuditEntry.objects.filter(object_type__startswith="policies.").values_list("action",
                                                                                                   flat=True))
    assert actions_logged == {"policy_created", "policy_version_created", "policy_changed"}


def test_editing_adds_a_version_and_makes_it_current(test_policy):
    editor = UserFactory(role="administrator")
    version = actions.policy_version_create(policy=test_policy, document=document(window=30), actor=editor,
                                            note="30 days from now on")
    test_policy.refresh_from_db()
    assert (version.number, version.created_by, version.note) == (2, editor, "30 days from now on")
    assert test_policy.current_version == version
    assert list(test_policy.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert test_policy.versions.get(number=1).document == RETURN_PROMISE  # the old one as it was
    audit = AuditEntry.objects.get(action="policy_version_created", object_id=str(version.pk))
    assert audit.actor == editor and audit.after == {"policy": "test-return-promise", "number": 2,
                                                     "note": "30 days from now on"}


def test_an_unchanged_document_adds_no_version(test_policy):
    # Same content, keys in another order.
    reordered = dict(reversed(list(RETURN_PROMISE.items())))
    version = actions.policy_version_create(policy=test_policy, document=reordered, actor=None)
    assert version == test_policy.current_version
    assert PolicyVersion.objects.filter(policy=test_policy).count() == 1


@pytest.mark.parametrize(("doc", "problem"), [
    (document(window=-1), "rules.window.days"),
    ({**RETURN_PROMISE, "rules": {}}, "rules.window: missing"),
    ({**RETURN_PROMISE, "currency": "EUR"}, "currency"),
    ({**RETURN_PROMISE, "code": "another-code"}, "test-return-promise"),
    ({**RETURN_PROMISE, "names": {"en": "Only English"}}, "names.ko"),
])
def test_an_invalid_document_is_refused_with_its_problems_and_adds_nothing(test_policy, doc, problem):
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        actions.policy_version_create(policy=test_policy, document=doc, actor=None)
    assert refused.value.code == "policy_invalid" and refused.value.status == 422
    assert any(problem in e["detail"] for e in refused.value.errors), refused.value.errors
    assert PolicyVersion.objects.filter(policy=test_policy).count() == 1
    assert AuditEntry.objects.count() == audits


def test_a_stored_version_cannot_be_changed(test_policy):
    version = test_policy.current_version
    version.note = "rewritten"
    with pytest.raises(ImmutableRow):
        version.save()
    with pytest.raises(ImmutableRow):
        PolicyVersion.objects.filter(pk=version.pk).update(document={"code": "x"})
    version.refresh_from_db()
    assert version.note == "test" and version.document == RETURN_PROMISE


def test_a_policy_edited_later_never_rewrites_an_earlier_decision(test_policy, agent_client):
    first = evaluate(agent_client, RETURN_CLAIM, "record=true").json()
    earlier = EntitlementDecision.objects.get(pk=first["decision_id"])
    snapshot = (earlier.facts, earlier.result, earlier.policy_version_id, earlier.covered)

    # The shop shortens the window to 3 days: the same claim (day 4) is no longer a return.
    actions.policy_version_create(policy=test_policy, document=document(window=3), actor=None)
    second = evaluate(agent_client, RETURN_CLAIM, "record=true").json()
    assert (first["policy_version"], second["policy_version"]) == (1, 2)
    assert first["covered"] is True and second["covered"] is False

    earlier.refresh_from_db()
    assert (earlier.facts, earlier.result, earlier.policy_version_id, earlier.covered) == snapshot
    assert earlier.policy_version.number == 1
    assert earlier.policy_version.document == RETURN_PROMISE
    assert earlier.result["remedies"] == first["remedies"]


def test_a_version_a_decision_used_cannot_be_deleted(test_policy, agent_client):
    from django.db.models import ProtectedError

    evaluate(agent_client, RETURN_CLAIM, "record=true")
    with pytest.raises(ProtectedError):
        test_policy.current_version.delete()


def test_load_brings_in_new_and_changed_documents_once(test_policy):
    new = {**RETURN_PROMISE, "code": "test-other"}
    assert actions.policy_load(document=new, actor=None)[1] == "created"
    assert actions.policy_load(document=new, actor=None)[1] == "unchanged"
    assert actions.policy_load(document=document(refund=10), actor=None)[1] == "new_version"
    assert actions.policy_load(document=document(refund=10), actor=None)[1] == "unchanged"
    assert Policy.objects.get(code="test-return-promise").current_version.number == 2
    assert Policy.objects.get(code="test-other").current_version.number == 1


def test_a_stored_decision_reads_in_the_language_of_whoever_reads_it_later(test_policy, agent_client):
    from django.utils import translation

    body = evaluate(agent_client, RETURN_CLAIM, "record=true").json()
    decision = EntitlementDecision.objects.get(pk=body["decision_id"])
    with translation.override("en"):
        assert decision_explanation(decision) == body["explanation"]
    with translation.override("ko"):
        korean = decision_explanation(decision)
    assert [e["rule"] for e in korean] == [e["rule"] for e in body["explanation"]]
    assert [e["text"] for e in korean] != [e["text"] for e in body["explanation"]]


# ---- applying a remedy (what the desk will call) -----------------------------------------------

def _decision(client) -> EntitlementDecision:
    return EntitlementDecision.objects.get(pk=evaluate(client, RETURN_CLAIM, "record=true").json()["decision_id"])


def test_a_remedy_the_decision_offers_is_applied_as_offered(test_policy, world, agent_client):
    decision = actions.decision_apply_remedy(decision=_decision(agent_client), remedy={"kind": "return"},
                                             actor=world.users["agent"])
    assert decision.applied_remedy == {"kind": "return", "amount": "100.00", "currency": "CNY",
                                       "deadline": "2025-03-08"}
    assert decision.applied_by == world.users["agent"] and decision.override_reason == ""
    assert AuditEntry.objects.filter(action="remedy_applied", object_id=str(decision.pk)).exists()


def test_an_override_needs_a_reason_and_is_audited(test_policy, world, agent_client):
    decision = _decision(agent_client)
    with pytest.raises(ValidationFailed) as refused:
        actions.decision_apply_remedy(decision=decision, remedy={"kind": "exchange"}, actor=world.users["agent"])
    assert refused.value.code == "override_needs_reason"
    decision = actions.decision_apply_remedy(decision=decision, remedy={"kind": "exchange"},
                                             actor=world.users["agent"], reason="Goodwill: loyal customer")
    assert decision.is_override and decision.applied_remedy == {"kind": "exchange"}
    audit = AuditEntry.objects.get(action="remedy_overridden", object_id=str(decision.pk))
    assert audit.after == {"remedy": {"kind": "exchange"}, "reason": "Goodwill: loyal customer"}
    with pytest.raises(Conflict):
        actions.decision_apply_remedy(decision=decision, remedy={"kind": "return"}, actor=world.users["agent"])
