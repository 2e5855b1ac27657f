"""The parts and stock endpoints: what they answer, every malformed or hostile input refused
with a stable code and nothing written, who may call what, and fixed query counts."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role
from aftersales.accounts.permissions import ROLE_OPERATIONS, Op
from aftersales.core.tests.api_support import (
    API,
    DELETE,
    HOSTILE_TEXT,
    ROLES,
    api_client,
    assert_error,
    body_contract_tests,
    build_world,
    check_budget,
    db_state,
    send,
    variant,
)
from aftersales.core.tests.factories import ProductModelFactory, UserFactory
from aftersales.parts import actions
from aftersales.parts.models import Part, StockLevel, StockMovement
from aftersales.parts.tests.factories import LocationFactory, MinimumFactory, PartFactory
from aftersales.parts.tests.support import ledger_matches_levels, parts_state

pytestmark = pytest.mark.django_db

MISSING = 987_654_321


@pytest.fixture
def world():
    w = build_world()
    boss = w.users["administrator"]
    w.part = PartFactory(sku="PUMP-01", names={"en": "Drain pump", "zh-hans": "排水泵", "ko": "배수 펌프"},
                         fits=[w.active_model])
    w.other_part = PartFactory(sku="BELT-02", names={"en": "Drive belt"})
    w.wh = LocationFactory(code="wh-main", name="Main warehouse")
    w.van = LocationFactory(code="van-1", name="Van 1", kind="technician_van", technician=w.users["technician"])
    actions.stock_receive(part=w.part, location=w.wh, quantity=10, actor=boss)
    w.res_release = actions.stock_reserve(part=w.part, location=w.wh, quantity=1, reference="WO-2026-000001",
                                          actor=boss)
    w.res_consume = actions.stock_reserve(part=w.part, location=w.wh, quantity=2, reference="WO-2026-000002",
                                          case=w.own_case, actor=boss)
    return w


@pytest.fixture
def admin(world):
    return api_client(world.users["administrator"])


def refused(client, method: str, path: str, body, status: int, code: str) -> dict:
    """Send; expect the error; prove nothing was written, in the parts tables or elsewhere."""
    before = (db_state(), parts_state())
    error = assert_error(send(client, method, path, body), status, code)
    assert (db_state(), parts_state()) == before, "a refused request wrote something"
    return error


def _receive(w):
    return {"part_id": w.part.pk, "location_id": w.van.pk, "quantity": 2, "reference": "PO-77", "note": "Box 3"}


def _transfer(w):
    return {"part_id": w.part.pk, "from_location_id": w.wh.pk, "to_location_id": w.van.pk, "quantity": 2,
            "reference": "WO-2026-000123", "note": "For tomorrow"}


def _reserve(w):
    return {"part_id": w.part.pk, "location_id": w.wh.pk, "quantity": 1, "reference": "WO-2026-000123",
            "case_id": w.own_case.pk}


def _release(w):
    return {"reservation_id": w.res_release.pk, "note": "Customer cancelled"}


def _consume_reserved(w):
    return {"reservation_id": w.res_consume.pk, "note": "Fitted"}


def _consume(w):
    return {"part_id": w.part.pk, "location_id": w.wh.pk, "quantity": 1, "reference": "WO-2026-000124",
            "case_id": w.own_case.pk, "note": "Fitted"}


def _return(w):
    return {"part_id": w.part.pk, "location_id": w.wh.pk, "quantity": 1, "reference": "WO-2026-000124",
            "note": "Not needed"}


def _adjust(w):
    return {"part_id": w.part.pk, "location_id": w.wh.pk, "quantity": -1, "reason": "Stock-take: one cracked"}


ENDPOINTS = {
    "receive": ("post", lambda w: "/stock/receive", _receive),
    "transfer": ("post", lambda w: "/stock/transfer", _transfer),
    "reserve": ("post", lambda w: "/stock/reserve", _reserve),
    "release": ("post", lambda w: "/stock/release", _release),
    "consume_reserved": ("post", lambda w: "/stock/consume", _consume_reserved),
    "consume": ("post", lambda w: "/stock/consume", _consume),
    "return": ("post", lambda w: "/stock/return", _return),
    "adjust": ("post", lambda w: "/stock/adjust", _adjust),
}


def test_the_valid_bodies_are_accepted_and_the_ledger_adds_up(world, admin):
    for name, (method, path, body) in ENDPOINTS.items():
        response = send(admin, method, path(world), body(world))
        assert response.status_code in (200, 201), (name, response.content)
    ledger_matches_levels()
    # 10 received; −2 +2 transfer; −2 consumed (reservation); −1 consumed; +1 returned; −1 adjusted
    assert StockLevel.objects.get(part=world.part, location=world.wh).on_hand == 5
    assert StockLevel.objects.get(part=world.part, location=world.van).on_hand == 4


(
    test_garbage_bodies,
    test_unstorable_text_is_refused_in_every_string_field,
    test_nul_in_an_object_key_is_refused,
    test_a_body_over_the_upload_limit_is_413,
) = body_contract_tests(ENDPOINTS)


def test_a_transfer_answers_both_movements_and_both_levels(world, admin):
    response = send(admin, "post", "/stock/transfer", _transfer(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(m["kind"], m["quantity"], m["location_code"]) for m in body["movements"]] == [
        ("transferred_out", -2, "wh-main"), ("transferred_in", 2, "van-1")]
    assert body["reservation"] is None
    assert [(s["location"]["code"], s["on_hand"], s["reserved"], s["available"]) for s in body["stock"]] == [
        ("van-1", 2, 0, 2), ("wh-main", 8, 3, 5)]


def test_reserving_too_many_is_a_409_with_a_clear_message(world, admin):
    error = refused(admin, "post", "/stock/reserve", variant(_reserve(world), quantity=8), 409, "out_of_stock")
    assert error["detail"] == ("Only 7 of part PUMP-01 available at wh-main (on hand minus reserved); "
                               "8 asked for.")


def test_consuming_a_reservation_answers_it_consumed(world, admin):
    body = send(admin, "post", "/stock/consume", _consume_reserved(world)).json()
    assert body["reservation"]["state"] == "consumed"
    assert [(m["quantity"], m["reference"], m["case_id"]) for m in body["movements"]] == [
        (-2, "WO-2026-000002", world.own_case.pk)]
    assert body["stock"][0]["on_hand"] == 8 and body["stock"][0]["reserved"] == 1


REFUSALS = [
    ("receive", "no-part", {"part_id": DELETE}, 422, "invalid_input"),
    ("receive", "part-missing", {"part_id": MISSING}, 404, "not_found"),
    ("receive", "part-zero", {"part_id": 0}, 422, "invalid_input"),
    ("receive", "part-huge", {"part_id": 2**64}, 422, "invalid_input"),
    ("receive", "location-missing", {"location_id": MISSING}, 404, "not_found"),
    ("receive", "quantity-zero", {"quantity": 0}, 422, "invalid_quantity"),
    ("receive", "quantity-negative", {"quantity": -3}, 422, "invalid_quantity"),
    ("receive", "quantity-too-many", {"quantity": 1_000_001}, 422, "invalid_quantity"),
    ("receive", "quantity-beyond-int", {"quantity": 2**40}, 422, "invalid_input"),
    ("receive", "quantity-fraction", {"quantity": 1.5}, 422, "invalid_input"),
    ("receive", "quantity-float", {"quantity": 1.0}, 422, "invalid_input"),
    ("receive", "quantity-string", {"quantity": "2"}, 422, "invalid_input"),
    ("receive", "quantity-true", {"quantity": True}, 422, "invalid_input"),
    ("receive", "quantity-null", {"quantity": None}, 422, "invalid_input"),
    ("receive", "reference-too-long", {"reference": "R" * 65}, 422, "invalid_input"),
    ("receive", "note-too-long", {"note": "n" * 1001}, 422, "invalid_input"),
    ("receive", "note-object", {"note": {"a": 1}}, 422, "invalid_input"),
    ("transfer", "same-location", {"to_location_id": "same"}, 422, "same_location"),
    ("transfer", "more-than-available", {"quantity": 8}, 409, "out_of_stock"),
    ("transfer", "no-target", {"to_location_id": DELETE}, 422, "invalid_input"),
    ("reserve", "no-reference", {"reference": DELETE}, 422, "invalid_input"),
    ("reserve", "blank-reference", {"reference": "   "}, 422, "reference_required"),
    ("reserve", "case-missing", {"case_id": MISSING}, 404, "not_found"),
    ("reserve", "case-negative", {"case_id": -1}, 422, "invalid_input"),
    ("release", "reservation-missing", {"reservation_id": MISSING}, 404, "not_found"),
    ("release", "no-reservation", {"reservation_id": DELETE}, 422, "invalid_input"),
    ("consume_reserved", "with-a-part-too", {"part_id": "part"}, 422, "invalid_input"),
    ("consume_reserved", "more-than-reserved", {"quantity": 3}, 422, "invalid_quantity"),
    ("consume", "no-location", {"location_id": DELETE}, 422, "invalid_input"),
    ("consume", "no-quantity", {"quantity": DELETE}, 422, "invalid_input"),
    ("consume", "no-reference", {"reference": DELETE}, 422, "reference_required"),
    ("consume", "more-than-available", {"quantity": 8}, 409, "out_of_stock"),
    ("return", "location-missing", {"location_id": MISSING}, 404, "not_found"),
    ("adjust", "no-reason", {"reason": DELETE}, 422, "invalid_input"),
    ("adjust", "blank-reason", {"reason": "  "}, 422, "reason_required"),
    ("adjust", "zero", {"quantity": 0}, 422, "invalid_quantity"),
    ("adjust", "below-reserved", {"quantity": -8}, 409, "below_reserved"),
    ("adjust", "below-zero", {"quantity": -11}, 409, "out_of_stock"),
]


@pytest.mark.parametrize(("endpoint", "label", "changes", "status", "code"), REFUSALS,
                         ids=[f"{r[0]}-{r[1]}" for r in REFUSALS])
def test_stock_changes_refuse(world, admin, endpoint, label, changes, status, code):
    method, path, body = ENDPOINTS[endpoint]
    changes = {k: {"same": world.wh.pk, "part": world.part.pk}.get(v, v) if isinstance(v, str) else v
               for k, v in changes.items()}
    refused(admin, method, path(world), variant(body(world), **changes), status, code)


def test_inactive_parts_and_locations_are_409(world, admin):
    Part.objects.filter(pk=world.part.pk).update(is_active=False)
    refused(admin, "post", "/stock/reserve", _reserve(world), 409, "part_inactive")
    Part.objects.filter(pk=world.part.pk).update(is_active=True)
    world.van.is_active = False
    world.van.save()
    refused(admin, "post", "/stock/transfer", _transfer(world), 409, "location_inactive")


def test_a_used_reservation_is_not_active(world, admin):
    assert send(admin, "post", "/stock/release", _release(world)).status_code == 200
    refused(admin, "post", "/stock/release", _release(world), 409, "reservation_not_active")
    refused(admin, "post", "/stock/consume", {"reservation_id": world.res_release.pk}, 409,
            "reservation_not_active")


def test_a_technician_cannot_name_a_case_they_may_not_see(world):
    tech = api_client(world.users["technician"])
    refused(tech, "post", "/stock/reserve", variant(_reserve(world), case_id=world.other_case.pk), 404, "not_found")
    response = send(tech, "post", "/stock/reserve", variant(_reserve(world), case_id=world.tech_case.pk))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_and_returned_exactly(world, admin, text):
    body = send(admin, "post", "/stock/receive", variant(_receive(world), reference=text[:64], note=text)).json()
    assert (body["movements"][0]["reference"], body["movements"][0]["note"]) == (text[:64].strip(), text.strip())
    listed = admin.get(f"{API}/parts", {"q": text[:200]}).json()["items"]
    assert listed == []


# ---- reads --------------------------------------------------------------------------------------

def test_parts_search_by_sku_prefix_name_and_product_model(world, admin):
    def skus(**params):
        response = admin.get(f"{API}/parts", params)
        assert response.status_code == 200, response.content
        return [p["sku"] for p in response.json()["items"]]

    assert skus() == ["BELT-02", "PUMP-01"]
    assert skus(q="pump") == ["PUMP-01"]
    assert skus(q="排水") == ["PUMP-01"]
    assert skus(q="be") == ["BELT-02"]
    assert skus(q="drive BELT") == ["BELT-02"]
    assert skus(product_model=world.active_model.pk) == ["PUMP-01"]
    assert skus(product_model=world.inactive_model.pk) == []
    assert skus(q="%") == [] and skus(q="_") == []


def test_a_part_is_answered_in_the_readers_language(world):
    world.users["agent"].language = "ko"
    world.users["agent"].save()
    item = next(p for p in api_client(world.users["agent"]).get(f"{API}/parts").json()["items"]
                if p["sku"] == "PUMP-01")
    assert item["name"] == "배수 펌프"
    assert item["compatible_model_ids"] == [world.active_model.pk]
    assert (item["unit_cost"], item["unit_price"], item["currency"]) == ("12.50", "30.00", "CNY")


def test_the_stock_of_a_part_per_location(world, admin):
    MinimumFactory(part=world.part, location=world.wh, minimum=4)
    send(admin, "post", "/stock/transfer", _transfer(world))
    body = admin.get(f"{API}/parts/{world.part.pk}/stock").json()
    assert [(s["location"]["code"], s["on_hand"], s["reserved"], s["available"], s["minimum"])
            for s in body["locations"]] == [("van-1", 2, 0, 2, None), ("wh-main", 8, 3, 5, 4)]
    assert_error(admin.get(f"{API}/parts/{MISSING}/stock"), 404, "not_found")


def test_movements_filter_and_page_newest_first(world, admin):
    for _ in range(3):
        send(admin, "post", "/stock/transfer", variant(_transfer(world), quantity=1))
    everything = admin.get(f"{API}/stock/movements", {"part": world.part.pk}).json()["items"]
    assert [m["kind"] for m in everything] == ["transferred_in", "transferred_out"] * 3 + ["received"]
    van = admin.get(f"{API}/stock/movements", {"location": world.van.pk}).json()["items"]
    assert [m["quantity"] for m in van] == [1, 1, 1]
    seen, cursor = [], None
    while True:
        page = admin.get(f"{API}/stock/movements", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(StockMovement.objects.order_by("-id").values_list("id", flat=True))


def test_below_minimum_counts_what_is_available(world, admin):
    MinimumFactory(part=world.part, location=world.wh, minimum=7)  # 10 on hand, 3 reserved: 7, not below
    MinimumFactory(part=world.part, location=world.van, minimum=2)  # none at all
    MinimumFactory(part=world.other_part, location=world.wh, minimum=1)  # never stocked
    items = admin.get(f"{API}/stock/below-minimum").json()["items"]
    assert sorted((i["sku"], i["location"]["code"], i["available"], i["short"]) for i in items) == [
        ("BELT-02", "wh-main", 0, 1), ("PUMP-01", "van-1", 0, 2)]
    send(admin, "post", "/stock/reserve", _reserve(world))
    items = admin.get(f"{API}/stock/below-minimum").json()["items"]
    assert ("PUMP-01", "wh-main", 6, 1) in [(i["sku"], i["location"]["code"], i["available"], i["short"])
                                           for i in items]


LIST_REFUSALS = [
    ("/parts", {"q": "q" * 201}, "invalid_input"),
    ("/parts", {"q": "a\x00"}, "invalid_input"),
    ("/parts", {"product_model": "x"}, "invalid_input"),
    ("/parts", {"product_model": "0"}, "invalid_input"),
    ("/parts", {"product_model": str(2**64)}, "invalid_input"),
    ("/parts", {"limit": "0"}, "invalid_input"),
    ("/parts", {"cursor": "@@@"}, "invalid_cursor"),
    ("/stock/movements", {"part": "abc"}, "invalid_input"),
    ("/stock/movements", {"location": "-1"}, "invalid_input"),
    ("/stock/movements", {"cursor": "WyJ4Il0"}, "invalid_cursor"),
    ("/stock/movements", {"limit": "201"}, "invalid_input"),
    ("/stock/below-minimum", {"cursor": "eyJhIjogMX0"}, "invalid_cursor"),
    ("/stock/below-minimum", {"limit": "lots"}, "invalid_input"),
]


@pytest.mark.parametrize(("path", "query", "code"), LIST_REFUSALS,
                         ids=[f"{p.strip('/')}-{next(iter(q))}-{i}" for i, (p, q, _c) in enumerate(LIST_REFUSALS)])
def test_listing_refuses(world, admin, path, query, code):
    assert_error(admin.get(f"{API}{path}", query), 422, code)


def test_a_part_id_beyond_64_bits_in_the_path_is_not_a_500(world, admin):
    response = admin.get(f"{API}/parts/{2**70}/stock")
    assert response.status_code in (404, 422), response.content


# ---- who may do what ----------------------------------------------------------------------------

READS = {
    "parts.list": lambda w: f"{API}/parts",
    "parts.stock": lambda w: f"{API}/parts/{w.part.pk}/stock",
    "stock.movements": lambda w: f"{API}/stock/movements",
    "stock.below_minimum": lambda w: f"{API}/stock/below-minimum",
}
WRITES = {name: ENDPOINTS[name] for name in ("receive", "transfer", "reserve", "consume", "return", "adjust")}
#              customer  agent  technician  supervisor  administrator
MATRIX = {
    **{name: (403, 200, 200, 200, 200) for name in READS},
    "receive": (403, 403, 201, 201, 201),
    "transfer": (403, 403, 201, 201, 201),
    "reserve": (403, 403, 201, 201, 201),
    "consume": (403, 403, 201, 201, 201),
    "return": (403, 403, 201, 201, 201),
    "adjust": (403, 403, 403, 201, 201),
}


def test_the_role_table_gives_parts_operations_to_the_right_roles():
    expected = {
        Role.CUSTOMER: set(),
        Role.AGENT: {Op.PARTS_VIEW},
        Role.TECHNICIAN: {Op.PARTS_VIEW, Op.PARTS_MOVE},
        Role.SUPERVISOR: {Op.PARTS_VIEW, Op.PARTS_MOVE, Op.PARTS_ADMIN},
        Role.ADMINISTRATOR: {Op.PARTS_VIEW, Op.PARTS_MOVE, Op.PARTS_ADMIN},
    }
    for role, ops in ROLE_OPERATIONS.items():
        assert ops & {Op.PARTS_VIEW, Op.PARTS_MOVE, Op.PARTS_ADMIN} == expected[role], role
    assert set(MATRIX) == set(READS) | set(WRITES)


@pytest.mark.parametrize("op", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, op, role):
    client = api_client(world.users[role])
    expected = MATRIX[op][ROLES.index(role)]
    if op in READS:
        response = client.get(READS[op](world))
    else:
        method, path, body = WRITES[op]
        payload = body(world)
        if "case_id" in payload:
            payload["case_id"] = world.tech_case.pk  # a case every staff role in the table may see
        if expected != 201:
            refused(client, method, path(world), payload, expected, "permission_denied")
            return
        response = send(client, method, path(world), payload)
    assert response.status_code == expected, response.content
    if expected == 403:
        assert_error(response, 403, "permission_denied")


@pytest.mark.parametrize("path", ["/parts", "/stock/movements", "/stock/below-minimum"])
def test_anonymous_callers_are_not_authenticated(client, path):
    assert_error(client.get(f"{API}{path}"), 401, "not_authenticated")


def test_anonymous_writes_are_not_authenticated(world, client):
    before = parts_state()
    assert_error(send(client, "post", "/stock/receive", _receive(world)), 401, "not_authenticated")
    assert parts_state() == before


# ---- query budgets ------------------------------------------------------------------------------

@pytest.fixture
def staff():
    return UserFactory(role=Role.AGENT)


# token, parts, their names, their compatible models
@pytest.mark.parametrize("params", [{}, {"q": "part"}, {"product_model": "fit"}])
def test_the_parts_list_costs_the_same_for_3_and_30_parts(staff, django_assert_num_queries, params):
    fits = ProductModelFactory(sku="FIT-1")
    params = {k: (fits.pk if v == "fit" else v) for k, v in params.items()}

    def grow(size):
        while Part.objects.count() < size:
            PartFactory(names={"en": "A part", "ko": "부품"}, fits=[fits, ProductModelFactory()])

    check_budget(django_assert_num_queries, api_client(staff), f"{API}/parts", grow=grow, budget=4,
                 params=params)


# token, movements with part and location
def test_the_movement_list_costs_the_same_for_3_and_30_movements(staff, django_assert_num_queries):
    boss = UserFactory(role=Role.ADMINISTRATOR)

    def grow(size):
        while StockMovement.objects.count() < size:
            actions.stock_receive(part=PartFactory(), location=LocationFactory(), quantity=1, actor=boss)

    check_budget(django_assert_num_queries, api_client(staff), f"{API}/stock/movements", grow=grow, budget=2)


# token, minimums with part, location and levels (subqueries), part names
def test_the_below_minimum_list_costs_the_same_for_3_and_30_rows(staff, django_assert_num_queries):
    def grow(size):
        from aftersales.parts.models import MinimumStock

        while MinimumStock.objects.count() < size:
            MinimumFactory()

    check_budget(django_assert_num_queries, api_client(staff), f"{API}/stock/below-minimum", grow=grow, budget=3)


# token, part, levels with location and minimum
def test_the_stock_of_a_part_costs_the_same_for_3_and_30_locations(staff, django_assert_num_queries):
    boss = UserFactory(role=Role.ADMINISTRATOR)
    part = PartFactory()

    def grow(size):
        while StockLevel.objects.filter(part=part).count() < size:
            location = LocationFactory()
            actions.stock_receive(part=part, location=location, quantity=3, actor=boss)
            MinimumFactory(part=part, location=location, minimum=2)

    check_budget(django_assert_num_queries, api_client(staff), f"{API}/parts/{part.pk}/stock", grow=grow,
                 budget=3, rows=lambda body: body["locations"])
