"""Every input the customer endpoints take, refused cleanly when wrong: a JSON error with a
stable code, the right status, and nothing written."""

from __future__ import annotations

import pytest

from aftersales.core.tests.api_support import (
    API,
    DELETE,
    HOSTILE_TEXT,
    api_client,
    assert_error,
    body_contract_tests,
    build_world,
    db_state,
    refused,
    send,
    variant,
)
from aftersales.core.tests.factories import IdentityFactory
from aftersales.customers.models import Address, Customer, CustomerIdentity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def admin(world):
    return api_client(world.users["administrator"])


CREATE = {
    "name": "林美玲", "company": "美玲商行", "language": "zh-hant", "tier": "vip", "notes": "Prefers LINE.",
    "identities": [{"kind": "email", "value": "Lin.Meiling@Example.com", "is_primary": True},
                   {"kind": "phone", "value": "0912 345 678"},
                   {"kind": "marketplace", "value": "tb_lin88", "marketplace": "taobao"}],
    "addresses": [{"country": "tw", "line1": "忠孝東路四段 100 號 5 樓", "city": "台北市", "label": "Home",
                   "recipient": "林美玲", "phone": "0912345678", "region": "", "district": "大安區",
                   "line2": "", "postal_code": "106", "is_default": True}],
}
IDENTITY = {"kind": "email", "value": "second@example.com", "is_primary": False}
ADDRESS = {"country": "KR", "line1": "테헤란로 152", "city": "서울", "is_default": False}

ENDPOINTS = {
    "create_customer": ("post", lambda w: "/customers", lambda w: CREATE),
    "patch_customer": ("patch", lambda w: f"/customers/{w.me.pk}",
                       lambda w: {"name": "New name", "company": "Co", "language": "ko", "tier": "enterprise",
                                  "notes": "n"}),
    "add_identity": ("post", lambda w: f"/customers/{w.me.pk}/identities", lambda w: IDENTITY),
    "add_address": ("post", lambda w: f"/customers/{w.me.pk}/addresses", lambda w: ADDRESS),
}


def test_the_valid_bodies_are_accepted_and_normalised(world, admin):
    for name, (method, path, body) in ENDPOINTS.items():
        response = send(admin, method, path(world), body(world))
        assert response.status_code in (200, 201), (name, response.content)
    created = Customer.objects.get(name="林美玲")
    assert sorted(created.identities.values_list("kind", "marketplace", "value")) == [
        ("email", "", "lin.meiling@example.com"), ("marketplace", "taobao", "tb_lin88"), ("phone", "", "+886912345678")]
    assert created.addresses.get().country == "TW"


(
    test_garbage_bodies,
    test_unstorable_text_is_refused_in_every_string_field,
    test_nul_in_an_object_key_is_refused,
    test_a_body_over_the_upload_limit_is_413,
) = body_contract_tests(ENDPOINTS)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_and_returned_exactly(world, admin, text):
    response = send(admin, "post", "/customers", {"name": text, "company": text, "notes": text,
                                                  "addresses": [{"country": "CN", "line1": text}]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["company"], body["addresses"][0]["line1"]) == (text.strip(), text, text)
    assert Customer.objects.get(pk=body["id"]).notes == text
    # As a search term it is only text: it finds this customer, not everyone.
    found = admin.get(f"{API}/customers", {"q": text}).json()["items"]
    assert [c["id"] for c in found] == [body["id"]]


# ---- creating ------------------------------------------------------------------------------------

CREATE_REFUSALS = [
    ("no-name", {"name": DELETE}, 422, "invalid_input"),
    ("empty-name", {"name": ""}, 422, "invalid_input"),
    ("blank-name", {"name": "   "}, 422, "customer_invalid"),
    ("name-too-long", {"name": "x" * 201}, 422, "invalid_input"),
    ("name-number", {"name": 7}, 422, "invalid_input"),
    ("company-too-long", {"company": "x" * 201}, 422, "invalid_input"),
    ("notes-too-long", {"notes": "x" * 10_001}, 422, "invalid_input"),
    ("language-unknown", {"language": "ja"}, 422, "invalid_input"),
    ("tier-unknown", {"tier": "gold"}, 422, "invalid_input"),
    ("identities-not-a-list", {"identities": {"kind": "email"}}, 422, "invalid_input"),
    ("too-many-identities", {"identities": [{"kind": "email", "value": f"a{i}@example.com"} for i in range(21)]},
     422, "invalid_input"),
    ("identity-kind-unknown", {"identities.0.kind": "fax"}, 422, "invalid_input"),
    ("identity-no-value", {"identities.0.value": DELETE}, 422, "invalid_input"),
    ("identity-empty-value", {"identities.0.value": ""}, 422, "invalid_input"),
    ("identity-value-too-long", {"identities.0.value": "x" * 255}, 422, "invalid_input"),
    ("email-bad", {"identities.0.value": "not-an-email"}, 422, "identity_invalid"),
    ("email-two-ats", {"identities.0.value": "a@b@example.com"}, 422, "identity_invalid"),
    ("email-blank", {"identities.0.value": "   "}, 422, "identity_invalid"),
    ("phone-letters", {"identities.1.value": "call me"}, 422, "identity_invalid"),
    ("phone-too-short", {"identities.1.value": "12"}, 422, "identity_invalid"),
    ("phone-too-long", {"identities.1.value": "+8869123456789012345"}, 422, "identity_invalid"),
    ("marketplace-without-marketplace", {"identities.2.marketplace": DELETE}, 422, "identity_invalid"),
    ("marketplace-unknown", {"identities.2.marketplace": "ebay"}, 422, "invalid_input"),
    ("is-primary-not-bool", {"identities.0.is_primary": "perhaps"}, 422, "invalid_input"),
    ("too-many-addresses", {"addresses": [{"country": "TW", "line1": f"{i}"} for i in range(21)]},
     422, "invalid_input"),
    ("address-country-short", {"addresses.0.country": "T"}, 422, "invalid_input"),
    ("address-country-long", {"addresses.0.country": "TWN"}, 422, "invalid_input"),
    ("address-country-digits", {"addresses.0.country": "12"}, 422, "customer_invalid"),
    ("address-no-line1", {"addresses.0.line1": DELETE}, 422, "invalid_input"),
    ("address-blank-line1", {"addresses.0.line1": "  "}, 422, "customer_invalid"),
    ("address-line1-too-long", {"addresses.0.line1": "x" * 301}, 422, "invalid_input"),
    ("address-postal-code-too-long", {"addresses.0.postal_code": "1" * 21}, 422, "invalid_input"),
    ("address-default-not-bool", {"addresses.0.is_default": "yes please"}, 422, "invalid_input"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), CREATE_REFUSALS, ids=[c[0] for c in CREATE_REFUSALS])
def test_creating_a_customer_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", "/customers", variant(CREATE, **changes), status, code)


def test_an_identity_of_another_customer_refuses_the_whole_new_customer(world, admin):
    IdentityFactory(customer=world.other, kind="email", value="lin.meiling@example.com")
    refused(admin, "post", "/customers", CREATE, 409, "identity_taken")


# ---- changing -----------------------------------------------------------------------------------

PATCH_REFUSALS = [
    ("name-null", {"name": None}, 422, "invalid_input"),
    ("name-empty", {"name": ""}, 422, "invalid_input"),
    ("name-blank", {"name": "  "}, 422, "customer_invalid"),
    ("name-too-long", {"name": "x" * 201}, 422, "invalid_input"),
    ("company-null", {"company": None}, 422, "invalid_input"),
    ("company-too-long", {"company": "x" * 201}, 422, "invalid_input"),
    ("language-unknown", {"language": "en-US"}, 422, "invalid_input"),
    ("tier-null", {"tier": None}, 422, "invalid_input"),
    ("tier-unknown", {"tier": "platinum"}, 422, "invalid_input"),
    ("notes-too-long", {"notes": "x" * 10_001}, 422, "invalid_input"),
    ("good-then-blank-name", {"tier": "vip", "notes": "kept?", "name": "  "}, 422, "customer_invalid"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), PATCH_REFUSALS, ids=[c[0] for c in PATCH_REFUSALS])
def test_changing_a_customer_refuses(world, admin, label, changes, status, code):
    refused(admin, "patch", f"/customers/{world.me.pk}", changes, status, code)


# ---- identities and addresses ------------------------------------------------------------------

IDENTITY_REFUSALS = [
    ("no-kind", {"kind": DELETE}, 422, "invalid_input"),
    ("kind-unknown", {"kind": "wechat"}, 422, "invalid_input"),
    ("no-value", {"value": DELETE}, 422, "invalid_input"),
    ("value-empty", {"value": ""}, 422, "invalid_input"),
    ("value-too-long", {"value": "a" * 245 + "@example.com"}, 422, "invalid_input"),
    ("email-bad", {"value": "@example.com"}, 422, "identity_invalid"),
    ("email-spaces", {"value": "lin mei@example.com"}, 422, "identity_invalid"),
    ("phone-bad", {"kind": "phone", "value": "+1 (555) CALL-NOW-PLEASE"}, 422, "identity_invalid"),
    ("phone-letters", {"kind": "phone", "value": "abc"}, 422, "identity_invalid"),
    ("marketplace-missing", {"kind": "marketplace", "value": "buyer1"}, 422, "identity_invalid"),
    ("marketplace-unknown", {"kind": "marketplace", "value": "buyer1", "marketplace": "amazon"}, 422,
     "invalid_input"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), IDENTITY_REFUSALS,
                         ids=[c[0] for c in IDENTITY_REFUSALS])
def test_adding_an_identity_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", f"/customers/{world.me.pk}/identities", variant(IDENTITY, **changes), status, code)


@pytest.mark.parametrize("typed", ["taken@example.com", "  TAKEN@Example.COM "])
def test_an_identity_that_belongs_to_another_customer_is_409(world, admin, typed):
    IdentityFactory(customer=world.other, kind="email", value="taken@example.com")
    refused(admin, "post", f"/customers/{world.me.pk}/identities", {"kind": "email", "value": typed}, 409,
            "identity_taken")


def test_adding_an_identity_the_customer_already_has_adds_nothing(world, admin):
    existing = IdentityFactory(customer=world.me, kind="email", value="mine@example.com")
    response = send(admin, "post", f"/customers/{world.me.pk}/identities",
                    {"kind": "email", "value": "MINE@example.com"})
    assert response.status_code == 201
    assert response.json()["id"] == existing.pk
    assert CustomerIdentity.objects.filter(customer=world.me).count() == 1


ADDRESS_REFUSALS = [
    ("no-country", {"country": DELETE}, 422, "invalid_input"),
    ("country-one-letter", {"country": "K"}, 422, "invalid_input"),
    ("country-three-letters", {"country": "KOR"}, 422, "invalid_input"),
    ("country-digits", {"country": "82"}, 422, "customer_invalid"),
    ("country-blank", {"country": "  "}, 422, "customer_invalid"),
    ("no-line1", {"line1": DELETE}, 422, "invalid_input"),
    ("line1-empty", {"line1": ""}, 422, "invalid_input"),
    ("line1-blank", {"line1": "\t "}, 422, "customer_invalid"),
    ("line1-too-long", {"line1": "x" * 301}, 422, "invalid_input"),
    ("label-too-long", {"label": "x" * 61}, 422, "invalid_input"),
    ("recipient-too-long", {"recipient": "x" * 201}, 422, "invalid_input"),
    ("phone-too-long", {"phone": "1" * 41}, 422, "invalid_input"),
    ("city-too-long", {"city": "x" * 101}, 422, "invalid_input"),
    ("line2-number", {"line2": 5}, 422, "invalid_input"),
    ("default-not-bool", {"is_default": "maybe"}, 422, "invalid_input"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), ADDRESS_REFUSALS,
                         ids=[c[0] for c in ADDRESS_REFUSALS])
def test_adding_an_address_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", f"/customers/{world.me.pk}/addresses", variant(ADDRESS, **changes), status, code)


def test_a_new_default_address_replaces_the_old_default(world, admin):
    first = send(admin, "post", f"/customers/{world.me.pk}/addresses", {**ADDRESS, "is_default": True}).json()
    second = send(admin, "post", f"/customers/{world.me.pk}/addresses", {**ADDRESS, "is_default": True}).json()
    assert list(Address.objects.filter(customer=world.me, is_default=True).values_list("pk", flat=True)) == [
        second["id"]]
    assert first["id"] != second["id"]


# ---- listing ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "query", "code"), [
    ("q-too-long", {"q": "x" * 201}, "invalid_input"),
    ("q-nul", {"q": "lin\x00"}, "invalid_input"),
    ("tier-unknown", {"tier": "gold"}, "invalid_input"),
    ("limit-zero", {"limit": "0"}, "invalid_input"),
    ("limit-too-big", {"limit": "1000"}, "invalid_input"),
    ("cursor-garbage", {"cursor": "%%%"}, "invalid_cursor"),
    ("cursor-for-another-list", {"cursor": "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgNV0"}, "invalid_cursor"),
    ("cursor-too-long", {"cursor": "A" * 501}, "invalid_input"),
])
def test_listing_customers_refuses(world, admin, label, query, code):
    assert_error(admin.get(f"{API}/customers", query), 422, code)


@pytest.mark.parametrize("q", ["' OR 1=1 --", "%", "_", "' OR ''='", "\\"])
def test_an_sql_like_search_matches_nothing(world, admin, q):
    response = admin.get(f"{API}/customers", {"q": q})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_search_finds_by_exact_identity_and_pages_by_cursor(world, admin):
    IdentityFactory(customer=world.other, kind="email", value="found@example.com")
    assert [c["id"] for c in admin.get(f"{API}/customers", {"q": "found@example.com"}).json()["items"]] == [
        world.other.pk]
    first = admin.get(f"{API}/customers", {"limit": 1}).json()
    second = admin.get(f"{API}/customers", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [world.other.pk, world.me.pk]
    assert second["next_cursor"] is None
    assert db_state()["counts"]["customers.Customer"] == 2
