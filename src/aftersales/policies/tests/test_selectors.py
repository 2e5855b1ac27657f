"""Which policy decides a claim on a unit, a purchase or a product model: the model's own,
else its category's, else the nearest parent category's."""

from __future__ import annotations

import pytest

from aftersales.catalog.models import ProductCategory
from aftersales.core.tests.factories import OrderLineFactory, ProductModelFactory, PurchaseFactory, UnitFactory
from aftersales.policies import actions
from aftersales.policies.models import Policy
from aftersales.policies.selectors import policy_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone():
    return ProductModelFactory(category=ProductCategory.objects.get(code="mobile-phone"))


def test_a_model_follows_its_category(phone):
    assert policy_for(product_model=phone).code == "cn-mobile-phone"
    assert policy_for(unit=UnitFactory(product_model=phone)).code == "cn-mobile-phone"


def test_a_models_own_policy_overrides_the_category_and_can_be_removed(phone, test_policy):
    actions.model_policy_set(product_model=phone, policy=test_policy, actor=None)
    assert policy_for(product_model=phone) == test_policy
    assert policy_for(unit=UnitFactory(product_model=phone)) == test_policy
    other = ProductModelFactory(category=phone.category)
    assert policy_for(product_model=other).code == "cn-mobile-phone"
    actions.model_policy_set(product_model=phone, policy=None, actor=None)
    assert policy_for(product_model=phone).code == "cn-mobile-phone"


def test_a_sub_category_without_a_policy_follows_its_parent():
    phones = ProductCategory.objects.get(code="mobile-phone")
    gaming = ProductCategory.objects.create(code="gaming-phone", parent=phones)
    assert policy_for(product_model=ProductModelFactory(category=gaming)).code == "cn-mobile-phone"
    actions.category_policy_set(category=gaming, policy=Policy.objects.get(code="cn-general"), actor=None)
    assert policy_for(product_model=ProductModelFactory(category=gaming)).code == "cn-general"


def test_a_category_without_any_policy_gives_none():
    cosmetics = ProductCategory.objects.get(code="cosmetics")
    assert policy_for(product_model=ProductModelFactory(category=cosmetics)) is None
    assert policy_for() is None


def test_a_purchase_of_one_model_follows_that_model_and_a_mixed_one_none(phone):
    purchase = PurchaseFactory()
    OrderLineFactory(purchase=purchase, product_model=phone)
    OrderLineFactory(purchase=purchase, product_model=phone)
    assert policy_for(purchase=purchase).code == "cn-mobile-phone"
    OrderLineFactory(purchase=purchase, product_model=ProductModelFactory(
        category=ProductCategory.objects.get(code="refrigerator")))
    assert policy_for(purchase=purchase) is None
    # The unit says more than the purchase.
    assert policy_for(unit=UnitFactory(product_model=phone), purchase=purchase).code == "cn-mobile-phone"
