"""The account endpoints (/me, /tokens) refuse bad input cleanly and write nothing."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import ApiToken, Role
from aftersales.core.tests.api_support import (
    API,
    GARBAGE_BODIES,
    UNSTORABLE,
    api_client,
    assert_error,
    refused,
    send,
)
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(role=Role.AGENT, teams=[TeamFactory(code="desk")])


@pytest.fixture
def client(user):
    return api_client(user)


@pytest.mark.parametrize(("label", "raw", "status", "code"), GARBAGE_BODIES, ids=[g[0] for g in GARBAGE_BODIES])
def test_creating_a_token_refuses_garbage_bodies(client, label, raw, status, code):
    """Every field of a token is optional, so these used to create a token."""
    refused(client, "post", "/tokens", raw, status, code)


@pytest.mark.parametrize(("label", "body", "status", "code"), [
    ("name-too-long", {"name": "n" * 101}, 422, "invalid_input"),
    ("name-number", {"name": 5}, 422, "invalid_input"),
    ("name-list", {"name": ["a"]}, 422, "invalid_input"),
    *[(f"name-{label}", {"name": bad}, 422, "invalid_input") for label, bad in UNSTORABLE],
])
def test_creating_a_token_refuses(client, label, body, status, code):
    refused(client, "post", "/tokens", body, status, code)


def test_a_new_token_is_shown_once_and_works(client, user):
    response = send(client, "post", "/tokens", {"name": "<script>laptop</script>"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "<script>laptop</script>"
    assert body["token"].startswith(f"ast_{body['prefix']}_")
    listed = client.get(f"{API}/tokens").json()
    assert body["id"] in {t["id"] for t in listed}
    assert all("token" not in t for t in listed)
    from django.test import Client

    assert Client(HTTP_AUTHORIZATION=f"Bearer {body['token']}").get(f"{API}/me").json()["id"] == user.pk


@pytest.mark.parametrize("token_id", ["0", "-1", "987654321"])
def test_revoking_a_missing_token_is_404(client, token_id):
    before = ApiToken.objects.filter(revoked_at__isnull=False).count()
    assert_error(client.delete(f"{API}/tokens/{token_id}"), 404, "not_found")
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == before


def test_revoking_twice_is_harmless(client, user):
    from aftersales.accounts.actions import token_create

    token, _secret = token_create(user=user)
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


def test_me_tells_who_is_calling(user, client):
    me = client.get(f"{API}/me").json()
    assert (me["id"], me["role"], me["teams"], me["customer_id"]) == (user.pk, "agent", ["desk"], None)
    customer = CustomerUserFactory()
    assert api_client(customer).get(f"{API}/me").json()["customer_id"] == customer.customer.pk
