"""My products: my units and purchases only; registering a unit with optional proof of purchase."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.catalog.models import Unit
from aftersales.core.tests.factories import (
    CustomerUserFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
)
from aftersales.portal.models import PurchaseProof
from aftersales.portal.tests.helpers import png_bytes, signed_in

pytestmark = pytest.mark.django_db


def test_my_products_in_my_language_and_only_mine():
    me, other = CustomerUserFactory(language="zh-hant"), CustomerUserFactory()
    model = ProductModelFactory(names={"en": "Washer W9", "zh-hant": "W9 滾筒洗衣機"})
    UnitFactory(customer=me.customer, product_model=model, serial_number="SN-MINE-1")
    UnitFactory(customer=other.customer, serial_number="SN-THEIRS")
    PurchaseFactory(customer=me.customer, order_number="TM-123", amount=Decimal("2999.00"), currency="CNY")
    PurchaseFactory(customer=me.customer, channel="coupang", order_number="CP-9", amount=Decimal("459000"),
                    currency="KRW")
    PurchaseFactory(customer=other.customer, order_number="TM-OTHER")

    html = signed_in(me).get("/products/").content.decode()

    assert "W9 滾筒洗衣機" in html and "SN-MINE-1" in html and "SN-THEIRS" not in html
    assert "TM-123" in html and "TM-OTHER" not in html
    assert "2999.00 CNY" in html and "459000 KRW" in html  # KRW has no minor unit
    me.language = "en"
    me.save()
    english = signed_in(me).get("/products/").content.decode()
    assert "2,999.00 CNY" in english and "459,000 KRW" in english


def test_register_a_product_with_proof_of_purchase():
    me = CustomerUserFactory()
    model = ProductModelFactory(names={"en": "Washer W9"})
    client = signed_in(me)
    assert f'<option value="{model.pk}">Washer W9 ({model.sku})</option>' in client.get(
        "/products/register/").content.decode()
    invoice = SimpleUploadedFile("receipt.png", png_bytes(), content_type="image/png")

    response = client.post("/products/register/", {
        "product_model": model.pk, "serial_number": " W9-0001 ", "order_number": "TM-777",
        "purchase_date": "2026-01-15", "invoice": invoice}, follow=True)

    unit = Unit.objects.get()
    assert (unit.customer, unit.product_model, unit.serial_number) == (me.customer, model, "W9-0001")
    proof = PurchaseProof.objects.get()
    assert (proof.unit, proof.order_number, proof.purchase_date) == (unit, "TM-777", datetime.date(2026, 1, 15))
    html = response.content.decode()
    assert "Your product is registered." in html and "W9-0001" in html
    url = f"/products/proofs/{proof.pk}/invoice/"
    assert url in html
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert signed_in(CustomerUserFactory()).get(url).status_code == 404


def test_register_without_proof_writes_only_the_unit():
    me = CustomerUserFactory()
    model = ProductModelFactory()
    signed_in(me).post("/products/register/", {"product_model": model.pk, "serial_number": "X1"})
    assert Unit.objects.get().customer == me.customer
    assert PurchaseProof.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [({"serial_number": ""}, "This field is required."),
     ({"serial_number": "TAKEN-1"}, "Serial number TAKEN-1 is already registered."),
     ({"purchase_date": "2999-01-01"}, "The purchase date is in the future."),
     ({"product_model": "999999"}, "Select a valid choice.")],
)
def test_bad_registrations_re_render_and_write_nothing(data, message):
    me = CustomerUserFactory()
    model = ProductModelFactory()
    UnitFactory(product_model=model, serial_number="TAKEN-1")
    response = signed_in(me).post("/products/register/", {"product_model": model.pk, "serial_number": "NEW-1",
                                                            "order_number": "kept-order", **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "kept-order" in html
    assert Unit.objects.filter(customer=me.customer).count() == 0
    assert PurchaseProof.objects.count() == 0


def test_inactive_models_cannot_be_registered():
    me = CustomerUserFactory()
    retired = ProductModelFactory(is_active=False)
    response = signed_in(me).post("/products/register/", {"product_model": retired.pk, "serial_number": "Z"})
    assert response.status_code == 200
    assert Unit.objects.count() == 0
