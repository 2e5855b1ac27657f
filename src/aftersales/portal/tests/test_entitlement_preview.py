"""Before sending a return, exchange, refund or repair request, the customer sees what the
product's policy gives them today, in their language, for their own products only."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.catalog.models import ProductCategory
from aftersales.core.tests.factories import (
    CustomerUserFactory,
    OrderLineFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
)
from aftersales.policies.models import EntitlementDecision
from aftersales.portal.tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _phone_unit(customer, days_ago: int):
    signed = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12)))
    phone = ProductModelFactory(category=ProductCategory.objects.get(code="mobile-phone"))
    purchase = PurchaseFactory(customer=customer, amount=Decimal("4000.00"), signed_at=signed)
    line = OrderLineFactory(purchase=purchase, product_model=phone, unit_price=Decimal("4000.00"))
    return UnitFactory(product_model=phone, customer=customer, order_line=line)


@pytest.fixture
def me():
    return CustomerUserFactory(language="en")


def test_a_return_request_on_day_three_shows_the_full_refund(me):
    unit = _phone_unit(me.customer, 3)
    response = signed_in(me).get("/help/new/entitlement/", {"product": f"unit:{unit.pk}", "kind": "return"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [r["kind"] for r in response.context["remedies"]] == ["return", "exchange", "repair"]
    assert "Return for a full refund" in html and "4000.00 CNY" in html
    assert "Return window: until" in html and "(4 days left)" in html
    assert not EntitlementDecision.objects.exists()  # a preview stores nothing


def test_after_the_windows_only_repair_is_shown(me):
    unit = _phone_unit(me.customer, 40)
    response = signed_in(me).get("/help/new/entitlement/", {"product": f"unit:{unit.pk}", "kind": "exchange"})
    assert [r["kind"] for r in response.context["remedies"]] == ["repair"]


def test_in_the_customers_language(me):
    unit = _phone_unit(me.customer, 3)
    me.language = "zh-hant"
    me.save()
    html = signed_in(me).get("/help/new/entitlement/", {"product": f"unit:{unit.pk}", "kind": "return"},
                             HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "What you are entitled to" not in html and "4000.00" in html


@pytest.mark.parametrize("params", [{"kind": "return"}, {"product": "unit:999999", "kind": "return"},
                                    {"product": "unit:abc", "kind": "refund"}, {"product": "nonsense"},
                                    {"kind": "consultation"}])
def test_nothing_is_shown_for_no_product_or_someone_elses(me, params):
    response = signed_in(me).get("/help/new/entitlement/", params)
    assert response.status_code == 200
    assert "entitlement-preview" not in response.content.decode()


def test_another_customers_unit_shows_nothing(me):
    other = CustomerUserFactory()
    theirs = _phone_unit(other.customer, 3)
    response = signed_in(me).get("/help/new/entitlement/", {"product": f"unit:{theirs.pk}", "kind": "return"})
    assert "entitlement-preview" not in response.content.decode()


def test_the_form_asks_for_the_preview(me):
    html = signed_in(me).get("/help/new/").content.decode()
    assert 'hx-get="/help/new/entitlement/"' in html
