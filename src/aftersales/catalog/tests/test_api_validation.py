"""Every input the product, unit and purchase endpoints take, refused cleanly when wrong: a
JSON error with a stable code, the right status, and nothing written."""

from __future__ import annotations

import pytest

from aftersales.catalog.models import Purchase, Unit
from aftersales.core.tests.api_support import (
    API,
    DELETE,
    HOSTILE_TEXT,
    api_client,
    assert_error,
    body_contract_tests,
    build_world,
    refused,
    send,
    variant,
)
from aftersales.core.tests.factories import CategoryFactory, IdentityFactory, ProductModelFactory, UnitFactory

pytestmark = pytest.mark.django_db

MISSING = 987_654_321
GOOD_IMEI = "490154203237518"  # Luhn-valid
OTHER_IMEI = "356938035643809"  # Luhn-valid


@pytest.fixture
def world():
    w = build_world()
    CategoryFactory(code="washing-machine")
    return w


@pytest.fixture
def admin(world):
    return api_client(world.users["administrator"])


PRODUCT = {"sku": "WM-D80-2026", "category": "mobile-phone", "brand": "Acme",
           "names": {"zh-hans": "滚筒洗衣机 8 公斤", "en": "Front loader 8 kg"}}
PRODUCT_PATCH = {"category": "washing-machine", "brand": "Acme 2", "is_active": False, "names": {"ko": "드럼 세탁기"}}


def _unit(w) -> dict:
    return {"product_model_id": w.active_model.pk, "serial_number": "SN-NEW-1", "imei": GOOD_IMEI,
            "factory_date": "2025-12-01", "customer_id": w.me.pk}


def _purchase(w, currency: str = "CNY") -> dict:
    return {
        "customer_id": w.me.pk, "channel": "tmall", "order_number": "TM20260315-88812", "shop_name": "官方旗舰店",
        "amount": "3299.00" if currency != "KRW" else "329900", "currency": currency,
        "paid_at": "2026-03-15T10:00:00+08:00", "shipped_at": "2026-03-16T09:00:00+08:00",
        "signed_at": "2026-03-18T15:30:00+08:00", "installed_at": "2026-03-19T10:00:00+08:00",
        "invoice_date": "2026-03-15", "invoice_number": "INV-1", "guarantees": ["no_reason_return_7d"],
        "lines": [{"sku": "ACTIVE-1", "quantity": 2, "unit_price": "1649.50" if currency != "KRW" else "164950",
                   "serials": [{"serial_number": "SN-P-1", "imei": OTHER_IMEI, "factory_date": "2026-01-01"}]}],
    }


def _import_item(order: str = "JD-1", email: str = "buyer@example.com") -> dict:
    return {"channel": "jd", "order_number": order, "amount": "99.00", "currency": "CNY",
            "paid_at": "2026-03-01T12:00:00Z",
            "customer": {"name": "王小明", "language": "zh-hans", "email": email, "phone": "13800138000",
                         "marketplace_buyer_id": "jd_wang"},
            "lines": [{"sku": "ACTIVE-1", "unit_price": "99.00"}]}


def _import(*items, on_duplicate: str = "reject") -> dict:
    return {"on_duplicate": on_duplicate, "items": list(items) or [_import_item()]}


ENDPOINTS = {
    "create_product_model": ("post", lambda w: "/product-models", lambda w: PRODUCT),
    "patch_product_model": ("patch", lambda w: f"/product-models/{w.active_model.pk}", lambda w: PRODUCT_PATCH),
    "create_unit": ("post", lambda w: "/units", _unit),
    "create_purchase": ("post", lambda w: "/purchases", _purchase),
    "import_purchases": ("post", lambda w: "/purchases/import", lambda w: _import()),
}


def test_the_valid_bodies_are_accepted(world, admin):
    for name, (method, path, body) in ENDPOINTS.items():
        response = send(admin, method, path(world), body(world))
        assert response.status_code in (200, 201), (name, response.content)


(
    test_garbage_bodies,
    test_unstorable_text_is_refused_in_every_string_field,
    test_nul_in_an_object_key_is_refused,
    test_a_body_over_the_upload_limit_is_413,
) = body_contract_tests(ENDPOINTS)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_and_returned_exactly(world, admin, text):
    sku = text[:64]
    product = send(admin, "post", "/product-models", {**PRODUCT, "sku": sku, "brand": text, "names": {"en": text}})
    assert product.status_code == 201, product.content
    assert (product.json()["sku"], product.json()["brand"], product.json()["name"]) == (sku.strip(), text, text)
    assert [m["id"] for m in admin.get(f"{API}/product-models", {"sku": sku.strip()}).json()["items"]] == [
        product.json()["id"]]
    purchase = send(admin, "post", "/purchases", variant(_purchase(world), order_number=text[:64], shop_name=text,
                                                          invoice_number=text[:64]))
    assert purchase.status_code == 201, purchase.content
    assert purchase.json()["shop_name"] == text
    assert [p["id"] for p in admin.get(f"{API}/purchases", {"order_number": text[:64]}).json()["items"]] == [
        purchase.json()["id"]]


# ---- product models -----------------------------------------------------------------------------

PRODUCT_REFUSALS = [
    ("no-sku", {"sku": DELETE}, 422, "invalid_input"),
    ("empty-sku", {"sku": ""}, 422, "invalid_input"),
    ("blank-sku", {"sku": "   "}, 422, "product_invalid"),
    ("sku-too-long", {"sku": "S" * 65}, 422, "invalid_input"),
    ("sku-number", {"sku": 12345}, 422, "invalid_input"),
    ("sku-taken", {"sku": "ACTIVE-1"}, 409, "sku_taken"),
    ("no-category", {"category": DELETE}, 422, "invalid_input"),
    ("category-unknown", {"category": "spaceship"}, 422, "unknown_category"),
    ("category-too-long", {"category": "c" * 41}, 422, "invalid_input"),
    ("brand-too-long", {"brand": "b" * 101}, 422, "invalid_input"),
    ("no-names", {"names": DELETE}, 422, "invalid_input"),
    ("names-empty", {"names": {}}, 422, "product_invalid"),
    ("names-blank", {"names": {"en": "  ", "ko": ""}}, 422, "product_invalid"),
    ("names-unknown-language", {"names": {"fr": "Lave-linge"}}, 422, "invalid_input"),
    ("names-list", {"names": ["Washer"]}, 422, "invalid_input"),
    ("name-too-long", {"names": {"en": "n" * 201}}, 422, "invalid_input"),
    ("name-number", {"names": {"en": 5}}, 422, "invalid_input"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), PRODUCT_REFUSALS,
                         ids=[c[0] for c in PRODUCT_REFUSALS])
def test_creating_a_product_model_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", "/product-models", variant(PRODUCT, **changes), status, code)


PRODUCT_PATCH_REFUSALS = [
    ("category-unknown", {"category": "spaceship"}, 422, "unknown_category"),
    ("category-empty", {"category": ""}, 422, "invalid_input"),
    ("active-not-bool", {"is_active": "perhaps"}, 422, "invalid_input"),
    ("brand-too-long", {"brand": "b" * 101}, 422, "invalid_input"),
    ("names-unknown-language", {"names": {"de": "Waschmaschine"}}, 422, "invalid_input"),
    ("names-blank", {"names": {"en": " "}}, 422, "product_invalid"),
    ("name-too-long", {"names": {"en": "n" * 201}}, 422, "invalid_input"),
    ("good-then-bad-category", {"brand": "Kept?", "is_active": False, "category": "spaceship"}, 422,
     "unknown_category"),
    ("good-then-bad-names", {"brand": "Kept?", "category": "washing-machine", "names": {"en": ""}}, 422,
     "product_invalid"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), PRODUCT_PATCH_REFUSALS,
                         ids=[c[0] for c in PRODUCT_PATCH_REFUSALS])
def test_changing_a_product_model_refuses(world, admin, label, changes, status, code):
    refused(admin, "patch", f"/product-models/{world.active_model.pk}", changes, status, code)


# ---- units --------------------------------------------------------------------------------------

UNIT_REFUSALS = [
    ("no-model", {"product_model_id": DELETE}, 422, "invalid_input"),
    ("model-not-int", {"product_model_id": "ACTIVE-1"}, 422, "invalid_input"),
    ("model-unknown", {"product_model_id": MISSING}, 404, "not_found"),
    ("no-serial", {"serial_number": DELETE}, 422, "invalid_input"),
    ("serial-empty", {"serial_number": ""}, 422, "invalid_input"),
    ("serial-blank", {"serial_number": "  "}, 422, "product_invalid"),
    ("serial-too-long", {"serial_number": "S" * 65}, 422, "invalid_input"),
    ("serial-taken", {"serial_number": "OWN-SN"}, 409, "serial_taken"),
    ("serial-taken-with-spaces", {"serial_number": " OWN-SN "}, 409, "serial_taken"),
    ("imei-too-short", {"imei": "49015420323751"}, 422, "imei_invalid"),
    ("imei-letters", {"imei": "49015420323751X"}, 422, "imei_invalid"),
    ("imei-check-digit", {"imei": "490154203237517"}, 422, "imei_invalid"),
    ("imei-too-long", {"imei": "4" * 18}, 422, "invalid_input"),
    ("imei-17-digits", {"imei": "4" * 17}, 422, "imei_invalid"),
    ("imei-number", {"imei": 490154203237518}, 422, "invalid_input"),
    ("imei-full-width-digits", {"imei": "４９０１５４２０３２３７５１８"}, 422, "imei_invalid"),
    ("imei-arabic-indic-digits", {"imei": "٤٩٠١٥٤٢٠٣٢٣٧٥١٨"}, 422, "imei_invalid"),
    ("factory-date-impossible", {"factory_date": "2025-02-30"}, 422, "invalid_input"),
    ("factory-date-words", {"factory_date": "last spring"}, 422, "invalid_input"),
    ("customer-unknown", {"customer_id": MISSING}, 404, "not_found"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), UNIT_REFUSALS, ids=[c[0] for c in UNIT_REFUSALS])
def test_registering_a_unit_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", "/units", variant(_unit(world), **changes), status, code)


def test_an_imei_registered_on_another_unit_is_409(world, admin):
    UnitFactory(product_model=world.active_model, imei=GOOD_IMEI)
    refused(admin, "post", "/units", _unit(world), 409, "serial_taken")


@pytest.mark.parametrize("imei", [GOOD_IMEI, "4901542032375186", None, ""])
def test_valid_imeis_are_accepted(world, admin, imei):
    response = send(admin, "post", "/units", variant(_unit(world), imei=imei))
    assert response.status_code == 201, response.content
    assert response.json()["imei"] == (imei or None)


def test_staff_may_register_a_unit_of_an_inactive_model(world):
    """Units of discontinued models still come in for repair."""
    technician = api_client(world.users["technician"])
    response = send(technician, "post", "/units", variant(_unit(world), product_model_id=world.inactive_model.pk))
    assert response.status_code == 201, response.content
    assert response.json()["product_model_id"] == world.inactive_model.pk


# ---- purchases ----------------------------------------------------------------------------------

PURCHASE_REFUSALS = [
    ("no-customer", {"customer_id": DELETE}, 422, "invalid_input"),
    ("customer-unknown", {"customer_id": MISSING}, 404, "not_found"),
    ("no-channel", {"channel": DELETE}, 422, "invalid_input"),
    ("channel-unknown", {"channel": "ebay"}, 422, "invalid_input"),
    ("no-currency", {"currency": DELETE}, 422, "invalid_input"),
    ("currency-unknown", {"currency": "EUR"}, 422, "invalid_input"),
    ("currency-lowercase", {"currency": "cny"}, 422, "invalid_input"),
    ("no-order-number", {"order_number": DELETE}, 422, "invalid_input"),
    ("order-number-empty", {"order_number": ""}, 422, "invalid_input"),
    ("order-number-blank", {"order_number": "   "}, 422, "purchase_invalid"),
    ("order-number-too-long", {"order_number": "O" * 65}, 422, "invalid_input"),
    ("shop-name-too-long", {"shop_name": "s" * 201}, 422, "invalid_input"),
    ("invoice-number-too-long", {"invoice_number": "i" * 65}, 422, "invalid_input"),
    ("no-amount", {"amount": DELETE}, 422, "invalid_input"),
    ("amount-negative", {"amount": "-0.01"}, 422, "invalid_input"),
    ("amount-words", {"amount": "three thousand"}, 422, "invalid_input"),
    ("amount-nan", {"amount": "NaN"}, 422, "invalid_input"),
    ("amount-infinity", {"amount": "Infinity"}, 422, "invalid_input"),
    ("amount-three-decimals", {"amount": "3299.001"}, 422, "invalid_input"),
    ("amount-float-three-decimals", {"amount": 3299.125}, 422, "invalid_input"),
    ("amount-too-large", {"amount": "1000000000000"}, 422, "invalid_input"),
    ("amount-list", {"amount": ["1"]}, 422, "invalid_input"),
    ("paid-at-impossible", {"paid_at": "2026-02-30T10:00:00Z"}, 422, "invalid_input"),
    ("paid-at-words", {"paid_at": "last tuesday"}, 422, "invalid_input"),
    ("paid-at-naive", {"paid_at": "2026-03-15T10:00:00"}, 422, "invalid_input"),
    ("shipped-at-naive", {"shipped_at": "2026-03-16T09:00:00"}, 422, "invalid_input"),
    ("shipped-before-paid", {"shipped_at": "2026-03-15T09:59:59+08:00"}, 422, "purchase_invalid"),
    ("shipped-before-paid-other-zone", {"shipped_at": "2026-03-15T01:59:00Z"}, 422, "purchase_invalid"),
    ("signed-before-shipped", {"signed_at": "2026-03-15T12:00:00+08:00"}, 422, "purchase_invalid"),
    ("installed-before-signed", {"installed_at": "2026-03-18T15:00:00+08:00"}, 422, "purchase_invalid"),
    ("signed-before-paid-without-shipping", {"shipped_at": None, "signed_at": "2026-03-14T00:00:00Z"}, 422,
     "purchase_invalid"),
    ("invoice-date-impossible", {"invoice_date": "2026-13-01"}, 422, "invalid_input"),
    ("invoice-date-with-time-words", {"invoice_date": "tomorrow"}, 422, "invalid_input"),
    ("guarantee-unknown", {"guarantees": ["lifetime"]}, 422, "invalid_input"),
    ("too-many-guarantees", {"guarantees": ["counterfeit"] * 11}, 422, "invalid_input"),
    ("no-lines", {"lines": DELETE}, 422, "invalid_input"),
    ("lines-empty", {"lines": []}, 422, "invalid_input"),
    ("line-unknown-sku", {"lines.0.sku": "NO-SUCH-SKU"}, 422, "unknown_sku"),
    ("line-no-sku", {"lines.0.sku": DELETE}, 422, "invalid_input"),
    ("line-quantity-zero", {"lines.0.quantity": 0}, 422, "invalid_input"),
    ("line-quantity-negative", {"lines.0.quantity": -1}, 422, "invalid_input"),
    ("line-quantity-huge", {"lines.0.quantity": 10_001}, 422, "invalid_input"),
    ("line-quantity-fraction", {"lines.0.quantity": 1.5}, 422, "invalid_input"),
    ("line-price-negative", {"lines.0.unit_price": "-1"}, 422, "invalid_input"),
    ("line-price-three-decimals", {"lines.0.unit_price": "1.001"}, 422, "invalid_input"),
    ("line-no-price", {"lines.0.unit_price": DELETE}, 422, "invalid_input"),
    ("more-serials-than-items", {"lines.0.quantity": 1, "lines.0.serials": [{"serial_number": "A"},
                                                                           {"serial_number": "B"}]},
     422, "purchase_invalid"),
    ("serial-bad-imei", {"lines.0.serials.0.imei": "123"}, 422, "imei_invalid"),
    ("serial-empty", {"lines.0.serials.0.serial_number": ""}, 422, "invalid_input"),
    ("serial-of-another-customer", {"lines.0.serials.0.serial_number": "OTHER-SN", "lines.0.serials.0.imei": None},
     409, "serial_taken"),
    ("duplicate-order", {"channel": "tmall", "order_number": "OWN-ORDER"}, 409, "duplicate_order"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), PURCHASE_REFUSALS,
                         ids=[c[0] for c in PURCHASE_REFUSALS])
def test_recording_a_purchase_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", "/purchases", variant(_purchase(world), **changes), status, code)


@pytest.mark.parametrize(("label", "changes"), [
    ("amount-with-decimals", {"amount": "329900.50"}),
    ("amount-with-zero-decimals", {"amount": "329900.00"}),
    ("amount-float", {"amount": 329900.5}),
    ("unit-price-with-decimals", {"lines.0.unit_price": "164950.5"}),
])
def test_won_takes_no_decimals(world, admin, label, changes):
    """KRW has no minor unit: even `.00` is refused. The unit price is checked after the
    purchase row is written, so this also proves the whole purchase is rolled back."""
    refused(admin, "post", "/purchases", variant(_purchase(world, "KRW"), **changes), 422, "purchase_invalid")


def test_won_without_decimals_is_accepted(world, admin):
    response = send(admin, "post", "/purchases", _purchase(world, "KRW"))
    assert response.status_code == 201, response.content
    assert Purchase.objects.get(pk=response.json()["id"]).amount == 329900


def test_a_purchase_with_serials_registers_units_for_the_customer(world, admin):
    response = send(admin, "post", "/purchases", _purchase(world))
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(serial_number="SN-P-1")
    assert (unit.customer_id, unit.imei) == (world.me.pk, OTHER_IMEI)
    assert response.json()["lines"][0]["unit_ids"] == [unit.pk]


# ---- bulk import --------------------------------------------------------------------------------

IMPORT_REFUSALS = [
    ("no-items", {"items": DELETE}, 422, "invalid_input"),
    ("items-empty", {"items": []}, 422, "invalid_input"),
    ("items-not-a-list", {"items": {"0": {}}}, 422, "invalid_input"),
    ("on-duplicate-unknown", {"on_duplicate": "ignore"}, 422, "invalid_input"),
    ("item-no-customer", {"items.0.customer": DELETE}, 422, "invalid_input"),
    ("item-customer-no-name", {"items.0.customer.name": ""}, 422, "invalid_input"),
    ("item-customer-language", {"items.0.customer.language": "fr"}, 422, "invalid_input"),
    ("item-amount-negative", {"items.0.amount": "-5"}, 422, "invalid_input"),
    ("item-paid-at-naive", {"items.0.paid_at": "2026-03-01T12:00:00"}, 422, "invalid_input"),
    ("item-lines-empty", {"items.0.lines": []}, 422, "invalid_input"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), IMPORT_REFUSALS, ids=[c[0] for c in IMPORT_REFUSALS])
def test_importing_refuses_malformed_requests(world, admin, label, changes, status, code):
    refused(admin, "post", "/purchases/import", variant(_import(), **changes), status, code)


def test_importing_more_than_a_thousand_purchases_is_refused(world, admin):
    items = [_import_item(f"JD-{i}", f"b{i}@example.com") for i in range(1001)]
    error = refused(admin, "post", "/purchases/import", {"items": items}, 422, "invalid_input")
    assert error["errors"][0]["field"] == "items"


IMPORT_ITEM_REFUSALS = [
    ("unknown-sku", {"lines.0.sku": "NO-SUCH-SKU"}, "unknown_sku"),
    ("krw-decimals", {"currency": "KRW", "amount": "99.50", "lines.0.unit_price": "99"}, "purchase_invalid"),
    ("shipped-before-paid", {"shipped_at": "2026-03-01T11:00:00Z"}, "purchase_invalid"),
    ("no-identities", {"customer.email": None, "customer.phone": None, "customer.marketplace_buyer_id": None},
     "purchase_invalid"),
    ("bad-email", {"customer.email": "not an email"}, "identity_invalid"),
    ("bad-phone", {"customer.phone": "phone"}, "identity_invalid"),
    ("bad-serial-imei", {"lines.0.serials": [{"serial_number": "S1", "imei": "1"}]}, "imei_invalid"),
    ("serial-of-another-customer", {"lines.0.serials": [{"serial_number": "OTHER-SN"}]}, "serial_taken"),
    ("already-stored", {"channel": "tmall", "order_number": "OWN-ORDER"}, "duplicate_order"),
]


@pytest.mark.parametrize(("label", "changes", "code"), IMPORT_ITEM_REFUSALS, ids=[c[0] for c in IMPORT_ITEM_REFUSALS])
def test_one_bad_item_refuses_the_whole_import_and_names_its_index(world, admin, label, changes, code):
    good = _import_item("JD-GOOD", "good@example.com")
    bad = variant(_import_item("JD-BAD", "bad@example.com"), **changes)
    good_too = _import_item("JD-GOOD-2", "good2@example.com")
    good_too["customer"].update(phone="13900139000", marketplace_buyer_id="jd_other")
    error = refused(admin, "post", "/purchases/import", _import(good, bad, good_too), 422, "import_failed")
    assert [(e["index"], e["code"]) for e in error["errors"]] == [(1, code)]


def test_the_same_order_twice_in_one_import_is_refused(world, admin):
    item = _import_item("JD-TWICE")
    error = refused(admin, "post", "/purchases/import", _import(item, item), 422, "import_failed")
    assert [(e["index"], e["code"]) for e in error["errors"]] == [(1, "duplicate_order")]


def test_identities_of_two_different_customers_refuse_the_item(world, admin):
    IdentityFactory(customer=world.me, kind="email", value="buyer@example.com")
    IdentityFactory(customer=world.other, kind="phone", value="+8613800138000")
    error = refused(admin, "post", "/purchases/import", _import(_import_item()), 422, "import_failed")
    assert [(e["index"], e["code"]) for e in error["errors"]] == [(0, "purchase_invalid")]


def test_every_bad_item_is_listed(world, admin):
    items = [_import_item(f"JD-{i}", f"b{i}@example.com") for i in range(5)]
    items[1]["lines"][0]["sku"] = "NOPE"
    items[3]["shipped_at"] = "2026-01-01T00:00:00Z"
    error = refused(admin, "post", "/purchases/import", _import(*items), 422, "import_failed")
    assert [(e["index"], e["code"]) for e in error["errors"]] == [(1, "unknown_sku"), (3, "purchase_invalid")]


# ---- listing ------------------------------------------------------------------------------------

LIST_REFUSALS = [
    ("/product-models", {"category": "c" * 41}, "invalid_input"),
    ("/product-models", {"sku": "s" * 65}, "invalid_input"),
    ("/product-models", {"sku": "a\x00"}, "invalid_input"),
    ("/product-models", {"limit": "0"}, "invalid_input"),
    ("/product-models", {"limit": "201"}, "invalid_input"),
    ("/product-models", {"cursor": "@@@"}, "invalid_cursor"),
    ("/units", {"serial_number": "s" * 65}, "invalid_input"),
    ("/units", {"imei": "4" * 18}, "invalid_input"),
    ("/units", {"customer": "me"}, "invalid_input"),
    ("/units", {"customer": "0"}, "invalid_input"),
    ("/units", {"customer": "99999999999999999999"}, "invalid_input"),
    ("/units", {"serial_number": "\x00"}, "invalid_input"),
    ("/units", {"cursor": "WyJ4Il0"}, "invalid_cursor"),
    ("/units", {"limit": "-1"}, "invalid_input"),
    ("/purchases", {"channel": "ebay"}, "invalid_input"),
    ("/purchases", {"customer": "abc"}, "invalid_input"),
    ("/purchases", {"customer": str(2**63)}, "invalid_input"),
    ("/purchases", {"order_number": "o" * 65}, "invalid_input"),
    ("/purchases", {"order_number": "x\x00"}, "invalid_input"),
    ("/purchases", {"cursor": "eyJhIjogMX0"}, "invalid_cursor"),
    ("/purchases", {"limit": "lots"}, "invalid_input"),
]


@pytest.mark.parametrize(("path", "query", "code"), LIST_REFUSALS,
                         ids=[f"{p.strip('/')}-{next(iter(q))}-{i}" for i, (p, q, _c) in enumerate(LIST_REFUSALS)])
def test_listing_refuses(world, admin, path, query, code):
    assert_error(admin.get(f"{API}{path}", query), 422, code)


@pytest.mark.parametrize(("path", "query"), [
    ("/product-models", {"sku": "' OR 1=1 --"}), ("/product-models", {"category": "' OR 1=1 --"}),
    ("/units", {"serial_number": "' OR '1'='1"}), ("/units", {"imei": "%"}),
    ("/purchases", {"order_number": "' OR 1=1 --"}),
])
def test_an_sql_like_filter_matches_nothing(world, admin, path, query):
    response = admin.get(f"{API}{path}", query)
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_product_model_cursor_pages_through_every_model_once(world, admin):
    for i in range(3):
        ProductModelFactory(sku=f"PAGE-{i}")
    seen, cursor = [], None
    while True:
        page = admin.get(f"{API}/product-models", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
