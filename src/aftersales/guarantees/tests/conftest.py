from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases import actions as case_actions
from aftersales.core.tests.factories import (
    CustomerFactory,
    CustomerUserFactory,
    PurchaseFactory,
    TeamFactory,
    UserFactory,
)

ALL_CLAIMABLE = ["late_shipment", "counterfeit", "damage_in_transit", "arrival_promise", "return_promise"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def at(n: int) -> datetime:
    """Noon, `n` days ago, in the active time zone."""
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=n), time(12, 0)))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team():
    return TeamFactory(code="claims", name="Claims team")


@pytest.fixture
def agent(team):
    return UserFactory(role=Role.AGENT, teams=[team], display_name="Ada Agent")


@pytest.fixture
def technician(team):
    return UserFactory(role=Role.TECHNICIAN, teams=[team], display_name="Tom Technician")


@pytest.fixture
def supervisor():
    return UserFactory(role=Role.SUPERVISOR, display_name="Sam Supervisor")


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMINISTRATOR, display_name="Ann Admin")


@pytest.fixture
def users(agent, technician, supervisor, administrator, team):
    customer = CustomerUserFactory()
    return {"customer": customer, "technician": technician, "agent": agent, "supervisor": supervisor,
            "administrator": administrator}


@pytest.fixture
def order_case(team, agent):
    """A case on a marketplace order of `amount` yuan that offered `guarantees`; shipped and
    signed for `shipped`/`signed` days ago (None: not yet)."""
    def make(amount: str = "40.00", *, guarantees=None, shipped: int | None = None, signed: int | None = None,
             customer=None):
        customer = customer or CustomerFactory(name="Chen Jing")
        purchase = PurchaseFactory(customer=customer, amount=Decimal(amount), currency="CNY",
                                   guarantees=ALL_CLAIMABLE if guarantees is None else guarantees,
                                   paid_at=at(10), shipped_at=at(shipped) if shipped is not None else None,
                                   signed_at=at(signed) if signed is not None else None)
        return case_actions.case_open(customer=customer, subject="Where is my order?", body="Late.", actor=agent,
                                      team=team, type="guarantee_claim", purchase=purchase)
    return make


@pytest.fixture
def shipped_policies(transactional_db):
    """The shipped policies and guarantee mappings, for tests with real transactions: the
    database is emptied after each of those (not rolled back), which loses the data the
    migrations put in. Puts them back when they are missing."""
    import importlib

    from django.apps import apps

    from aftersales.policies.models import GuaranteePolicy

    if not GuaranteePolicy.objects.exists():
        importlib.import_module("aftersales.policies.migrations.0002_shipped_policies").forwards(apps, None)
