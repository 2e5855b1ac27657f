"""The admin: price lists with their items and part prices, service contracts with quotas
(a number given when left empty; a quota never below what was drawn), every save audited
through `actions_setup`; quotes, invoices and payments read-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.charges.actions_contracts import contract_draw
from aftersales.charges.models import ContractQuota, PriceList, ServiceContract
from aftersales.charges.tests.support import contract, price_list, work_order
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def browser(boss) -> Client:
    client = Client()
    client.force_login(boss)
    return client


def inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.mark.parametrize("model", ["pricelist", "servicecontract", "quote", "invoice", "payment"])
def test_every_list_opens(browser, model):
    price_list()
    contract(CustomerFactory())
    assert browser.get(f"/admin/charges/{model}/").status_code == 200


def test_a_price_list_is_added_with_its_items_and_audited(browser):
    response = browser.post("/admin/charges/pricelist/add/", {
        "name": "2026 standard", "currency": "CNY", "tax_rate": "13.00", "valid_from": "2026-01-01",
        "valid_until": "", "is_active": "on",
        **inline("items", [{"kind": "labour_hour", "work_order_kind": "", "unit_price": "120.00"},
                           {"kind": "visit_fee", "work_order_kind": "", "unit_price": "20.00"}]),
        **inline("part_prices", []),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    pl = PriceList.objects.get(name="2026 standard")
    assert sorted(pl.items.values_list("kind", "unit_price")) == [
        ("labour_hour", Decimal("120.00")), ("visit_fee", Decimal("20.00"))]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "pricelist.created", "pricelistitem.created", "pricelistitem.created"]


def test_a_bad_tax_rate_is_refused_by_the_form(browser):
    response = browser.post("/admin/charges/pricelist/add/", {
        "name": "x", "currency": "CNY", "tax_rate": "100.00", "valid_from": "2026-01-01", "is_active": "on",
        **inline("items", []), **inline("part_prices", [])})
    assert response.status_code == 200 and not PriceList.objects.exists()


def test_a_contract_gets_a_number_and_a_quota_is_not_cut_below_what_was_used(browser, boss):
    customer = CustomerFactory(name="Acme Trading")
    response = browser.post("/admin/charges/servicecontract/add/", {
        "number": "", "customer": customer.pk, "period_start": "2026-01-01", "period_end": "2026-12-31",
        "is_active": "on", "note": "web upkeep",
        **inline("quotas", [{"kind": "product_update", "quantity": "60"}, {"kind": "article_update",
                                                                           "quantity": "100"}]),
        **inline("draws", []),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    sc = ServiceContract.objects.get(customer=customer)
    assert sc.number.startswith("SC-") and sc.quotas.count() == 2
    wo = work_order(billing_class="B", customer=customer, actor=boss)
    contract_draw(work_order=wo, contract=sc, kind="product_update", quantity=5, actor=boss)
    quota = ContractQuota.objects.get(contract=sc, kind="product_update")
    other = ContractQuota.objects.get(contract=sc, kind="article_update")
    response = browser.post(f"/admin/charges/servicecontract/{sc.pk}/change/", {
        "number": sc.number, "customer": customer.pk, "period_start": "2026-01-01", "period_end": "2026-12-31",
        "is_active": "on", "note": "web upkeep",
        **inline("quotas", [{"id": quota.pk, "contract": sc.pk, "kind": "product_update", "quantity": "4"},
                            {"id": other.pk, "contract": sc.pk, "kind": "article_update", "quantity": "100"}],
                 initial=2),
        **inline("draws", [], initial=1),
    }, follow=True)
    quota.refresh_from_db()
    assert quota.quantity == 60 and "5 have been used already" in response.content.decode()
    assert "servicecontract.created" in AuditEntry.objects.values_list("action", flat=True)


def test_quotes_invoices_and_payments_are_read_only(browser):
    for model in ("quote", "invoice", "payment"):
        assert browser.get(f"/admin/charges/{model}/add/").status_code == 403
