"""The product model, unit and purchase lists cost a fixed number of queries, however many
rows they show. Every row has its own product model, category, names, customer, lines and
units, so anything loaded row by row shows as a difference between 3 rows and 30."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from aftersales.accounts.models import Role
from aftersales.catalog.access import purchases_visible_to, units_visible_to
from aftersales.catalog.models import ProductModel
from aftersales.core.tests.api_support import API, api_client, check_budget
from aftersales.core.tests.factories import (
    CategoryFactory,
    CustomerUserFactory,
    OrderLineFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

serial = itertools.count()


def _model(active: bool = True) -> ProductModel:
    n = next(serial)
    return ProductModelFactory(sku=f"M-{n}", category=CategoryFactory(code=f"cat-{n}"), is_active=active,
                               names={"en": f"Model {n}", "zh-hans": f"型号 {n}"})


def _user(role: str):
    return CustomerUserFactory() if role == "customer" else UserFactory(role=role)


ROLES = ["customer", "technician", "agent", "supervisor"]


# token, models (with their category), names
@pytest.mark.parametrize("role", ROLES)
def test_the_product_model_list_costs_the_same_for_3_and_30_models(role, django_assert_num_queries):
    user = _user(role)
    if role == "customer":
        _model(active=False)  # not shown to customers, and no extra cost

    def grow(size):
        while ProductModel.objects.filter(**({"is_active": True} if role == "customer" else {})).count() < size:
            _model()

    check_budget(django_assert_num_queries, api_client(user), f"{API}/product-models", grow=grow, budget=3)


# token, units (with their product model)
@pytest.mark.parametrize("role", ROLES)
def test_the_unit_list_costs_the_same_for_3_and_30_units(role, django_assert_num_queries):
    user = _user(role)
    if role == "customer":
        UnitFactory(customer=CustomerUserFactory().customer)  # someone else's

    def grow(size):
        while units_visible_to(user).count() < size:
            owner = user.customer if role == "customer" else CustomerUserFactory().customer
            UnitFactory(product_model=_model(), customer=owner)

    check_budget(django_assert_num_queries, api_client(user), f"{API}/units", grow=grow, budget=2)


# token, purchases, lines (with their product model), units of the lines
@pytest.mark.parametrize("role", ROLES)
def test_the_purchase_list_costs_the_same_for_3_and_30_purchases(role, django_assert_num_queries):
    user = _user(role)
    if role == "customer":
        PurchaseFactory(customer=CustomerUserFactory().customer)  # someone else's

    def grow(size):
        while purchases_visible_to(user).count() < size:
            owner = user.customer if role == "customer" else CustomerUserFactory().customer
            purchase = PurchaseFactory(customer=owner, guarantees=["counterfeit"])
            for _line in range(2):
                model = _model()
                line = OrderLineFactory(purchase=purchase, product_model=model, quantity=2,
                                        unit_price=Decimal("10.00"))
                UnitFactory(product_model=model, customer=owner, order_line=line)
                UnitFactory(product_model=model, customer=owner, order_line=line)

    check_budget(django_assert_num_queries, api_client(user), f"{API}/purchases", grow=grow, budget=4)


def test_filters_do_not_change_the_cost(django_assert_num_queries):
    user = UserFactory(role=Role.SUPERVISOR)
    customer = CustomerUserFactory().customer

    def grow(size):
        while units_visible_to(user).filter(customer=customer).count() < size:
            UnitFactory(product_model=_model(), customer=customer)

    check_budget(django_assert_num_queries, api_client(user), f"{API}/units", grow=grow, budget=2,
                 params={"customer": customer.pk})
