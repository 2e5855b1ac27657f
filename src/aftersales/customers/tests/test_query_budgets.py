"""The customer list costs a fixed number of queries, however many customers it shows:
the token lookup, the customers, their identities, their addresses."""

from __future__ import annotations

import itertools

import pytest

from aftersales.accounts.models import Role
from aftersales.core.tests.api_support import API, api_client, check_budget
from aftersales.core.tests.factories import CustomerFactory, IdentityFactory, TeamFactory, UserFactory
from aftersales.customers.models import Address, Customer

pytestmark = pytest.mark.django_db

serial = itertools.count()


def _grow(size: int) -> None:
    while Customer.objects.count() < size:
        n = next(serial)
        customer = CustomerFactory(name=f"Customer {n}")
        IdentityFactory(customer=customer, kind="email", value=f"c{n}@example.com")
        IdentityFactory(customer=customer, kind="phone", value=f"+8869123{n:05d}")
        Address.objects.create(customer=customer, country="TW", line1=f"Road {n}", is_default=True)
        Address.objects.create(customer=customer, country="TW", line1=f"Office {n}")


@pytest.mark.parametrize(("role", "budget"), [("agent", 4), ("technician", 4), ("supervisor", 4)])
def test_the_customer_list_costs_the_same_for_3_and_30_customers(role, budget, django_assert_num_queries):
    user = UserFactory(role=role, teams=[TeamFactory(code="desk")])
    check_budget(django_assert_num_queries, api_client(user), f"{API}/customers", grow=_grow, budget=budget)


def test_a_search_costs_the_same_for_3_and_30_matches(django_assert_num_queries):
    user = UserFactory(role=Role.AGENT)
    check_budget(django_assert_num_queries, api_client(user), f"{API}/customers", grow=_grow, budget=4,
                 params={"q": "Customer"})
