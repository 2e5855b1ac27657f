from __future__ import annotations

import pytest
from django.test import Client

from aftersales.accounts.actions import token_create
from aftersales.accounts.models import Role
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory


def api_client(user) -> Client:
    _token, secret = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def team():
    return TeamFactory(code="desk", name="Desk")


@pytest.fixture
def supervisor():
    return UserFactory(role=Role.SUPERVISOR)


@pytest.fixture
def agent(team):
    return UserFactory(role=Role.AGENT, teams=[team])


@pytest.fixture
def customer_user():
    return CustomerUserFactory()
