"""Who may read the business calendars and preview due instants: every staff role
(`sla.view`); customers get 403, anonymous callers 401; an unknown code is a 404."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role
from aftersales.accounts.permissions import ROLE_OPERATIONS, Op
from aftersales.core.tests.api_support import API, ROLES, api_client, assert_error, build_world

pytestmark = pytest.mark.django_db

DUE = f"{API}/sla/calendars/cn-workday/due?start=2025-03-04T11:30:00%2B08:00&minutes=60"
OPS = {
    "calendar.list": f"{API}/sla/calendars",
    "calendar.due": DUE,
    "calendar.due_missing": f"{API}/sla/calendars/no-such/due?start=2025-03-04T11:30:00%2B08:00&minutes=60",
}
#                          customer  agent  technician  supervisor  administrator
MATRIX = {
    "calendar.list":        (403,    200,   200,        200,        200),
    "calendar.due":         (403,    200,   200,        200,        200),
    "calendar.due_missing": (403,    404,   404,        404,        404),
}
CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}


def test_the_table_covers_every_operation_and_role():
    assert set(MATRIX) == set(OPS)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


def test_the_role_table_gives_sla_view_to_staff_only():
    for role, ops in ROLE_OPERATIONS.items():
        assert (Op.SLA_VIEW in ops) == (role != Role.CUSTOMER), role


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(op, role):
    world = build_world()
    response = api_client(world.users[role]).get(OPS[op])
    expected = MATRIX[op][ROLES.index(role)]
    if expected == 200:
        assert response.status_code == 200, response.content
    else:
        assert_error(response, expected, CODES[expected])


@pytest.mark.parametrize("op", sorted(OPS))
def test_anonymous_callers_are_not_authenticated(client, op):
    assert_error(client.get(OPS[op]), 401, "not_authenticated")


def test_an_inactive_staff_member_is_refused():
    world = build_world()
    user = world.users["agent"]
    token_client = api_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert token_client.get(DUE).status_code in (401, 403)
