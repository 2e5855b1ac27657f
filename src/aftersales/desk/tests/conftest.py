from __future__ import annotations

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def team():
    return TeamFactory(code="desk", name="Desk team")


@pytest.fixture
def other_team():
    return TeamFactory(code="elsewhere", name="Elsewhere")


@pytest.fixture
def agent(team):
    return UserFactory(role=Role.AGENT, teams=[team], display_name="Ada Agent")


@pytest.fixture
def technician(team):
    return UserFactory(role=Role.TECHNICIAN, teams=[team], display_name="Tom Technician")


@pytest.fixture
def supervisor():
    return UserFactory(role=Role.SUPERVISOR)


@pytest.fixture
def customer_user():
    return CustomerUserFactory()
