"""Bulk import of purchases: happy path, duplicates, and a partial failure that stores nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from aftersales.accounts.actions import token_create
from aftersales.accounts.models import Role
from aftersales.catalog.models import OrderLine, Purchase, Unit
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import IdentityFactory, ProductModelFactory, UserFactory
from aftersales.customers.models import Customer, CustomerIdentity

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchases/import"


@pytest.fixture
def client():
    _t, secret = token_create(user=UserFactory(role=Role.SUPERVISOR))
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def phone():
    return ProductModelFactory(sku="PH-X1")


def item(n: int, **over) -> dict:
    base = {
        "channel": "tmall", "order_number": f"TM-{n:05d}", "amount": "3299.00", "currency": "CNY",
        "paid_at": "2026-03-01T10:00:00+08:00", "shipped_at": "2026-03-02T09:00:00+08:00",
        "signed_at": "2026-03-04T15:00:00+08:00", "invoice_date": "2026-03-01",
        "guarantees": ["no_reason_return_7d", "late_shipment"],
        "customer": {"name": f"王{n}", "language": "zh-hans", "phone": f"+86 138 0000 {n:04d}",
                     "marketplace_buyer_id": f"tb_buyer_{n}"},
        "lines": [{"sku": "PH-X1", "quantity": 1, "unit_price": "3299.00",
                   "serials": [{"serial_number": f"SN-{n:06d}"}]}],
    }
    base.update(over)
    return base


def counts() -> tuple[int, ...]:
    return (Purchase.objects.count(), OrderLine.objects.count(), Unit.objects.count(), Customer.objects.count(),
            CustomerIdentity.objects.count(), AuditEntry.objects.count())


def test_hundreds_in_one_call(client, phone):
    response = client.post(URL, {"items": [item(n) for n in range(300)]}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["created"]) == 300 and body["updated"] == []
    assert Purchase.objects.count() == 300
    assert Customer.objects.count() == 300
    p = Purchase.objects.get(order_number="TM-00007")
    assert p.amount == Decimal("3299.00") and p.guarantees == ["late_shipment", "no_reason_return_7d"]
    assert p.customer.identities.get(kind="phone").value == "+8613800000007"
    assert p.customer.identities.get(kind="marketplace").marketplace == "tmall"
    unit = Unit.objects.get(serial_number="SN-000007")
    assert unit.customer == p.customer and unit.order_line.purchase == p


def test_existing_customers_are_matched_by_identity(client, phone):
    known = IdentityFactory(kind="email", value="mei@example.com").customer
    payload = item(1, customer={"name": "Mei", "email": "MEI@example.com "})
    assert client.post(URL, {"items": [payload]}, content_type="application/json").status_code == 200
    assert Purchase.objects.get().customer == known
    assert Customer.objects.count() == 1


def test_duplicate_is_rejected_by_default(client, phone):
    assert client.post(URL, {"items": [item(1)]}, content_type="application/json").status_code == 200
    before = counts()
    response = client.post(URL, {"items": [item(2), item(1)]}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_failed"
    assert body["errors"] == [{"index": 1, "code": "duplicate_order", "detail": body["errors"][0]["detail"]}]
    assert counts() == before


def test_duplicate_within_one_call_is_rejected(client, phone):
    response = client.post(URL, {"items": [item(1), item(1)]}, content_type="application/json")
    assert response.status_code == 422
    assert [e["index"] for e in response.json()["errors"]] == [1]
    assert Purchase.objects.count() == 0


def test_duplicate_is_updated_when_asked(client, phone):
    assert client.post(URL, {"items": [item(1)]}, content_type="application/json").status_code == 200
    original = Purchase.objects.get()
    changed = item(1, amount="2999.00", lines=[{"sku": "PH-X1", "quantity": 2, "unit_price": "1499.50",
                                                "serials": [{"serial_number": "SN-000001"}]}])
    response = client.post(URL, {"on_duplicate": "update", "items": [changed, item(2)]},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": [response.json()["created"][0]], "updated": [original.pk]}
    original.refresh_from_db()
    assert original.amount == Decimal("2999.00")
    line = original.lines.get()
    assert (line.quantity, line.unit_price) == (2, Decimal("1499.50"))
    assert Unit.objects.get(serial_number="SN-000001").order_line == line  # the unit is kept, re-linked
    assert AuditEntry.objects.filter(action="purchase.reimported", object_id=str(original.pk)).count() == 1


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"lines": [{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}]}, "unknown_sku"),
        ({"currency": "KRW", "amount": "1000.50"}, "purchase_invalid"),
        ({"shipped_at": "2026-02-01T00:00:00+08:00"}, "purchase_invalid"),
        ({"customer": {"name": "X", "email": "not-an-email"}}, "identity_invalid"),
        ({"customer": {"name": "X"}}, "purchase_invalid"),
        ({"lines": [{"sku": "PH-X1", "quantity": 1, "unit_price": "1.00",
                     "serials": [{"serial_number": "A"}, {"serial_number": "B"}]}]}, "purchase_invalid"),
    ],
)
def test_partial_failure_rolls_everything_back(client, phone, bad, code):
    before = counts()
    items = [item(1), item(2), item(3, **bad), item(4)]
    response = client.post(URL, {"items": items}, content_type="application/json")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "import_failed"
    assert [(e["index"], e["code"]) for e in body["errors"]] == [(2, code)]
    assert counts() == before


def test_a_conflict_seen_only_while_writing_rolls_back_too(client, phone):
    """Item 1 reuses a serial that item 0 gives to another customer: found at write time."""
    first = item(1)
    second = item(2, lines=[{"sku": "PH-X1", "quantity": 1, "unit_price": "1.00",
                             "serials": [{"serial_number": "SN-000001"}]}])
    before = counts()
    response = client.post(URL, {"items": [first, second]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["index"] == 1
    assert response.json()["errors"][0]["code"] == "serial_taken"
    assert counts() == before


def test_too_many_items_are_refused(client, phone):
    response = client.post(URL, {"items": [item(n) for n in range(1001)]}, content_type="application/json")
    assert response.status_code in (413, 422)
    assert response.json()["code"] in ("invalid_input", "payload_too_large")
    assert Purchase.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.AGENT, Role.TECHNICIAN])
def test_only_supervisors_and_administrators_import(role, phone):
    _t, secret = token_create(user=UserFactory(role=role))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(URL, {"items": [item(1)]},
                                                                  content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Purchase.objects.count() == 0
