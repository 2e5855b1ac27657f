"""Who may evaluate claims and read policies: every role against every operation, as a table.

- Every staff role (technician, agent, supervisor, administrator) holds `entitlement.evaluate`
  and `policy.view`; customers hold neither (403 `permission_denied`, nothing written).
- Keeping a decision on a case goes through `access_case`: a case outside an agent's or a
  technician's teams is a 404, as for a case that does not exist.
- The same authentication as every endpoint: a bearer token, or the session with its CSRF token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.accounts.permissions import ROLE_OPERATIONS, Op
from aftersales.core.models import AuditEntry
from aftersales.core.tests.api_support import API, ROLES, api_client, assert_error, build_world
from aftersales.policies.models import EntitlementDecision, PolicyVersion
from aftersales.policies.tests.support import EVALUATE, RETURN_CLAIM, make_policy

pytestmark = pytest.mark.django_db

Call = Callable[[Any, Client], Any]


def _post(client: Client, query: str = "") -> Any:
    return client.post(EVALUATE + query, json.dumps(RETURN_CLAIM), content_type="application/json")


OPS: dict[str, Call] = {
    "evaluate": lambda w, c: _post(c),
    "evaluate.record": lambda w, c: _post(c, "?record=true"),
    "evaluate.on_own_case": lambda w, c: _post(c, f"?case={w.own_case.pk}"),
    "evaluate.on_other_case": lambda w, c: _post(c, f"?case={w.other_case.pk}"),
    "evaluate.on_missing_case": lambda w, c: _post(c, "?case=987654321"),
    "policy.list": lambda w, c: c.get(f"{API}/policies"),
    "policy.read": lambda w, c: c.get(f"{API}/policies/test-return-promise"),
    "policy.read_missing": lambda w, c: c.get(f"{API}/policies/no-such-policy"),
}

#                              customer  agent  technician  supervisor  administrator
MATRIX: dict[str, tuple] = {
    "evaluate":                (403,     200,   200,        200,        200),
    "evaluate.record":         (403,     200,   200,        200,        200),
    "evaluate.on_own_case":    (403,     200,   200,        200,        200),
    "evaluate.on_other_case":  (403,     404,   404,        200,        200),
    "evaluate.on_missing_case": (403,    404,   404,        404,        404),
    "policy.list":             (403,     200,   200,        200,        200),
    "policy.read":             (403,     200,   200,        200,        200),
    "policy.read_missing":     (403,     404,   404,        404,        404),
}
WRITES = {"evaluate.record", "evaluate.on_own_case", "evaluate.on_other_case"}
CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}


def _state() -> tuple:
    return (EntitlementDecision.objects.count(), AuditEntry.objects.count(), PolicyVersion.objects.count())


@pytest.fixture
def world():
    w = build_world()
    w.policy = make_policy()
    return w


def test_the_table_covers_every_operation_and_role():
    assert set(MATRIX) == set(OPS)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


def test_the_role_table_gives_the_new_operations_to_staff_only():
    for role, ops in ROLE_OPERATIONS.items():
        expected = role != Role.CUSTOMER
        assert (Op.ENTITLEMENT_EVALUATE in ops, Op.POLICY_VIEW in ops) == (expected, expected), role


@pytest.mark.parametrize(("op", "role", "expected"), [
    pytest.param(op, role, expected, id=f"{op}-{role}")
    for op, row in MATRIX.items() for role, expected in zip(ROLES, row, strict=True)])
def test_role_matrix(world, op, role, expected):
    client = api_client(world.users[role])
    before = _state()
    response = OPS[op](world, client)
    after = _state()
    if expected >= 400:
        assert_error(response, expected, CODES[expected])
        assert after == before, "a refused request wrote something"
        return
    assert response.status_code == expected, response.content[:300]
    if op in WRITES:
        assert after[0] == before[0] + 1
        decision = EntitlementDecision.objects.latest("id")
        assert decision.actor == world.users[role]
        assert response.json()["decision_id"] == decision.pk
    else:
        assert after == before, "a read wrote something"


@pytest.mark.parametrize("path", [EVALUATE, f"{API}/policies", f"{API}/policies/test-return-promise"])
def test_without_credentials_it_is_401(world, path):
    client = Client()
    response = _post(client) if path == EVALUATE else client.get(path)
    assert_error(response, 401, "not_authenticated")
    assert_error(Client(HTTP_AUTHORIZATION="Bearer not-a-token").get(f"{API}/policies"), 401, "not_authenticated")


def test_the_browser_session_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["agent"])
    assert_error(_post(client), 403, "csrf_failed")
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(EVALUATE, json.dumps(RETURN_CLAIM), content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_a_deactivated_account_loses_access(world):
    user = world.users["agent"]
    client = api_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(_post(client), 401, "not_authenticated")
