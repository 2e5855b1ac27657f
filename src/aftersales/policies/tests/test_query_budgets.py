"""The entitlement endpoint costs a fixed number of queries whatever the claim and the policy,
and the policy reads do not grow with the number of policies or versions.

Budgets: the bearer-token lookup (1); the policy with its current version (1). Keeping the
decision adds a savepoint pair, the decision and its audit row (4). Reading a case first adds the
case lookup (1). The first call with a new token also records the token's use, so each
measurement is made after one warm-up call.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import Role
from aftersales.core.tests.api_support import API, api_client, check_budget
from aftersales.core.tests.factories import UserFactory
from aftersales.policies import actions
from aftersales.policies.models import Policy
from aftersales.policies.tests.support import EVALUATE, RETURN_CLAIM, RETURN_PROMISE, document
from aftersales.policies.tests.test_case_files import CASES

pytestmark = pytest.mark.django_db

EVALUATE_BUDGET = 2
RECORD_BUDGET = EVALUATE_BUDGET + 4


@pytest.fixture
def client():
    client = api_client(UserFactory(role=Role.SUPERVISOR))
    client.get(f"{API}/policies")  # the token's first use is recorded once
    return client


def _queries(client, body, query: str = "") -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(EVALUATE + query, json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 422), response.content[:300]
    return len(ctx.captured_queries)


def test_every_case_costs_the_same(client):
    """Whatever the policy, the facts or the outcome (a decision or a refusal)."""
    costs = {case["name"]: _queries(client, case["request"]) for case in CASES}
    assert set(costs.values()) == {EVALUATE_BUDGET}, costs


def test_unknown_policies_cost_the_same(client):
    assert _queries(client, {**RETURN_CLAIM, "policy": "no-such-policy"}) == EVALUATE_BUDGET


def test_keeping_the_decision_costs_a_fixed_amount_more(client, test_policy, django_assert_num_queries):
    with django_assert_num_queries(RECORD_BUDGET):
        client.post(EVALUATE + "?record=true", json.dumps(RETURN_CLAIM), content_type="application/json")
    # A policy with many versions costs the same.
    for days in range(2, 12):
        actions.policy_version_create(policy=test_policy, document=document(window=days), actor=None)
    with django_assert_num_queries(RECORD_BUDGET):
        client.post(EVALUATE + "?record=true", json.dumps(RETURN_CLAIM), content_type="application/json")


def test_the_policy_list_costs_the_same_for_3_and_30_more_policies(client, django_assert_num_queries):
    shipped = Policy.objects.count()

    def grow(n):
        while Policy.objects.count() < shipped + n:
            i = Policy.objects.count()
            actions.policy_create(document={**RETURN_PROMISE, "code": f"test-{i}"}, actor=None)

    # token, policies (with current version and based-on), names
    check_budget(django_assert_num_queries, client, f"{API}/policies", grow=grow, budget=3,
                 rows=lambda body: body["items"][shipped:])


def test_reading_a_policy_costs_the_same_with_1_and_20_versions(client, test_policy, django_assert_num_queries):
    url = f"{API}/policies/test-return-promise"
    # token, policy (with current version, based-on), names, versions (with who made them)
    with django_assert_num_queries(4):
        assert len(client.get(url).json()["versions"]) == 1
    for days in range(2, 21):
        actions.policy_version_create(policy=test_policy, document=document(window=days), actor=None)
    with django_assert_num_queries(4):
        assert len(client.get(url).json()["versions"]) == 20
