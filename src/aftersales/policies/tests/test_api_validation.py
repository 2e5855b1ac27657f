"""Every wrong input to the entitlement endpoints is refused cleanly: a JSON error with a
stable code, the right status, nothing written — never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.accounts.models import Role, User
from aftersales.core.tests.api_support import (
    API,
    api_client,
    assert_error,
    body_contract_tests,
    build_world,
    refused,
    variant,
)
from aftersales.core.tests.factories import UserFactory
from aftersales.policies import actions
from aftersales.policies.models import EntitlementDecision
from aftersales.policies.tests.support import RETURN_CLAIM, evaluate, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w.policy = make_policy()
    return w


ENDPOINTS = {
    "evaluate": ("post", lambda w: "/entitlements/evaluate", lambda w: dict(RETURN_CLAIM)),
    "evaluate_and_record": ("post", lambda w: f"/entitlements/evaluate?case={w.own_case.pk}",
                            lambda w: dict(RETURN_CLAIM)),
}


def test_the_valid_bodies_are_accepted(world, admin):
    for name, (_method, path, body) in ENDPOINTS.items():
        response = evaluate(admin, body(world), path(world).partition("?")[2])
        assert response.status_code == 200, (name, response.content)


(
    test_garbage_bodies,
    test_unstorable_text_is_refused_in_every_string_field,
    test_nul_in_an_object_key_is_refused,
    test_a_body_over_the_upload_limit_is_413,
) = body_contract_tests(ENDPOINTS)


# ---- what the facts may not say -----------------------------------------------------------------

REFUSALS = [
    # (what, changes to the valid claim, code)
    ("no policy", {"policy": None}, "missing_field"),
    ("policy not a code", {"policy": 7}, "invalid_type"),
    ("unknown policy", {"policy": "no-such-policy"}, "unknown_policy"),
    ("policy code too long", {"policy": "x" * 500}, "unknown_policy"),
    ("no price", {"price": None}, "missing_field"),
    ("price as a float", {"price": 100.5}, "invalid_money"),
    ("price not a number", {"price": "a hundred"}, "invalid_money"),
    ("negative price", {"price": "-1.00"}, "invalid_money"),
    ("price finer than fen", {"price": "100.001"}, "invalid_money"),
    ("price in exponent form", {"price": "1e3"}, "invalid_money"),
    ("unknown currency", {"currency": "XYZ"}, "invalid_currency"),
    ("currency other than the policy's", {"currency": "KRW", "price": "100"}, "currency_mismatch"),
    ("no claim date", {"claim_date": None}, "missing_field"),
    ("impossible date", {"claim_date": "2025-02-30"}, "invalid_date"),
    ("date in another format", {"claim_date": "05/03/2025"}, "invalid_date"),
    ("date as a number", {"claim_date": 20250305}, "invalid_date"),
    ("claim before the purchase", {"claim_date": "2025-02-27"}, "claim_before_purchase"),
    ("repaired after the claim", {"repairs": [{"start": "2025-03-02", "end": "2025-03-07"}]}, "after_claim_date"),
    ("repair ends before it starts", {"repairs": [{"start": "2025-03-03", "end": "2025-03-02"}]}, "invalid_date"),
    ("boolean as text", {"same_model_available": "yes"}, "invalid_type"),
    ("count as text", {"reshipments": "1"}, "invalid_number"),
    ("negative count", {"odometer_km": -5}, "invalid_number"),
    ("dates not an object", {"dates": ["2025-03-01"]}, "invalid_type"),
    ("unknown key", {"deliverd": "2025-03-01"}, "unknown_field"),
    ("unknown key in dates", {"dates.signed": "2025-03-01"}, "unknown_field"),
    ("unknown remedy asked for", {"requested": "money"}, "invalid_choice"),
    ("unknown component", {"fault": {"component": "flux_capacitor"}}, "unknown_component"),
    ("repairs not a list", {"repairs": {"start": "2025-03-02"}}, "invalid_type"),
    ("too many repairs", {"repairs": [{"start": "2025-03-02"}] * 101}, "too_many"),
]


@pytest.mark.parametrize(("what", "changes", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_facts_the_engine_cannot_decide_on_are_422_with_its_code(world, admin, what, changes, code):
    body = variant(RETURN_CLAIM, **changes)
    error = refused(admin, "post", "/entitlements/evaluate", body, 422, code)
    assert "Traceback" not in error["detail"]


def test_an_inactive_policy_is_refused(world, admin):
    actions.policy_set_active(policy=world.policy, is_active=False, actor=None)
    error = refused(admin, "post", "/entitlements/evaluate", RETURN_CLAIM, 422, "policy_inactive")
    assert "test-return-promise" in error["detail"]


def test_a_refused_claim_on_a_case_keeps_no_decision(world, admin):
    response = evaluate(admin, {**RETURN_CLAIM, "claim_date": "2025-02-30"}, f"case={world.own_case.pk}")
    assert_error(response, 422, "invalid_date")
    assert EntitlementDecision.objects.count() == 0


@pytest.mark.parametrize(("query", "status", "code"), [
    ("case=987654321", 404, "not_found"),
    ("case=0", 422, "invalid_input"),
    ("case=abc", 422, "invalid_input"),
    ("case=99999999999999999999999", 422, "invalid_input"),
    ("record=maybe", 422, "invalid_input"),
])
def test_bad_query_parameters(world, admin, query, status, code):
    assert_error(evaluate(admin, RETURN_CLAIM, query), status, code)
    assert EntitlementDecision.objects.count() == 0


@pytest.mark.parametrize(("path", "method", "status", "code"), [
    ("/entitlements/evaluate", "get", 405, "method_not_allowed"),
    ("/entitlements/evaluate", "put", 405, "method_not_allowed"),
    ("/policies", "post", 405, "method_not_allowed"),
    ("/policies/no-such-policy", "get", 404, "not_found"),
    ("/policies/" + "x" * 300, "get", 404, "not_found"),
    ("/policies/%00", "get", 404, "not_found"),
])
def test_unknown_paths_and_methods(world, admin, path, method, status, code):
    assert_error(getattr(admin, method)(f"{API}{path}"), status, code)


# ---- never a 500 --------------------------------------------------------------------------------

CONTRACT_KEYS = sorted({*RETURN_CLAIM, "dates", "fault", "repairs", "exchanges", "odometer_km", "requested",
                        "amount_paid", "reshipments", "same_model_available", "proof_of_purchase"})
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
    | st.sampled_from(["2025-03-01", "2025-02-30", "0000-01-01", "9999-12-31", "100.00", "-0", "1e9", "CNY",
                       "main_unit", "misuse", "repair"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["start", "end", "component", "cause", "date", "delivered", "invoice", "x"]), children,
        max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(CONTRACT_KEYS), json_values, max_size=4))
def test_any_json_object_gets_a_decision_or_a_4xx(test_policy, changes):
    client = _client()
    response = evaluate(client, {**RETURN_CLAIM, **changes})
    assert response.status_code in (200, 422), (changes, response.status_code, response.content[:300])
    body = json.loads(response.content)
    if response.status_code == 422:
        assert set(body) <= {"code", "detail", "errors"} and body["code"] and body["detail"]
    else:
        assert body["policy"] == "test-return-promise"


def _client():
    user = User.objects.filter(username="fuzz").first() or UserFactory(username="fuzz", role=Role.AGENT)
    return api_client(user)
