"""Who may do what through the API: every role against every operation, written out as tables.

The rules (accounts/permissions.py ROLE_OPERATIONS; the `access.py` of each app):
- customers see only their own cases, units, purchases and customer record, and only
  active product models; agents and technicians see their teams' cases and the cases
  assigned to them; supervisors and administrators see every case; all staff see every
  customer, unit and purchase;
- an operation the role may not do on something it can see → 403 `permission_denied`;
- something the person may not see (another customer's id, a case outside an agent's
  teams, an inactive product model for a customer) → 404 `not_found` through every
  endpoint that takes the id, exactly as for an id that does not exist;
- a refused request writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.accounts.actions import token_create, token_revoke
from aftersales.cases.models import Attachment, CaseEntry
from aftersales.core.tests.api_support import API, ROLES, api_client, assert_error, build_world, db_state, png_bytes

pytestmark = pytest.mark.django_db

DEFAULT_CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}

Op = Callable[[Any, Client, Any], Any]


# ---- how each operation is called -------------------------------------------------------------

def _json(client: Client, method: str, path: str, data: dict) -> Any:
    return getattr(client, method)(f"{API}{path}", data, content_type="application/json")


def _upload(client: Client, case, *, internal: bool, name: str = "photo.jpg") -> Any:
    file = SimpleUploadedFile(name, png_bytes(200 if internal else 201), content_type="image/jpeg")
    data = {"file": file, "internal": "true" if internal else "false"}
    return client.post(f"{API}/cases/{case.pk}/attachments", data)


def _case_ops(case_attr: str) -> dict[str, Op]:
    """Everything that can be done to one case (the case named by `case_attr` in the world)."""

    def case(w):
        return getattr(w, case_attr)

    return {
        "case.read": lambda w, c, u: c.get(f"{API}/cases/{case(w).pk}"),
        "case.patch.status_close": lambda w, c, u: _json(c, "patch", f"/cases/{case(w).pk}", {"status": "closed"}),
        "case.patch.status_open": lambda w, c, u: _json(c, "patch", f"/cases/{case(w).pk}", {"status": "open"}),
        "case.patch.assignee": lambda w, c, u: _json(c, "patch", f"/cases/{case(w).pk}",
                                                     {"assignee_id": w.users["supervisor"].pk}),
        "case.patch.team": lambda w, c, u: _json(
            c, "patch", f"/cases/{case(w).pk}",
            {"team_id": (w.team_b if case(w).team_id == w.team_a.pk else w.team_a).pk}),
        "case.patch.classify": lambda w, c, u: _json(c, "patch", f"/cases/{case(w).pk}",
                                                     {"type": "complaint", "severity": "urgent"}),
        "case.patch.tags": lambda w, c, u: _json(c, "patch", f"/cases/{case(w).pk}", {"tags": ["matrix"]}),
        "case.timeline": lambda w, c, u: c.get(f"{API}/cases/{case(w).pk}/timeline"),
        "case.message.public": lambda w, c, u: _json(c, "post", f"/cases/{case(w).pk}/messages", {"body": "Hello"}),
        "case.message.internal": lambda w, c, u: _json(c, "post", f"/cases/{case(w).pk}/messages",
                                                       {"body": "Note", "internal": True}),
        "case.attachment.upload": lambda w, c, u: _upload(c, case(w), internal=False),
        "case.attachment.upload_internal": lambda w, c, u: _upload(c, case(w), internal=True),
        "case.attachment.download": lambda w, c, u: c.get(
            f"{API}/cases/{case(w).pk}/attachments/{w.files[case(w).pk]['public'].pk}"),
        "case.attachment.download_internal": lambda w, c, u: c.get(
            f"{API}/cases/{case(w).pk}/attachments/{w.files[case(w).pk]['internal'].pk}"),
    }


def _purchase_body(customer, order: str, sku: str) -> dict:
    return {"customer_id": customer.pk, "channel": "jd", "order_number": order, "amount": "10.00", "currency": "CNY",
            "lines": [{"sku": sku, "unit_price": "10.00"}]}


OWN_OPS: dict[str, Op] = {
    "case.list": lambda w, c, u: c.get(f"{API}/cases"),
    "case.create": lambda w, c, u: _json(c, "post", "/cases", {"subject": "New case", "customer_id": w.me.pk}),
    **_case_ops("own_case"),
    "customer.list": lambda w, c, u: c.get(f"{API}/customers"),
    "customer.read": lambda w, c, u: c.get(f"{API}/customers/{w.me.pk}"),
    "customer.create": lambda w, c, u: _json(c, "post", "/customers", {"name": "Someone new"}),
    "customer.patch": lambda w, c, u: _json(c, "patch", f"/customers/{w.me.pk}", {"tier": "vip"}),
    "customer.identity.add": lambda w, c, u: _json(c, "post", f"/customers/{w.me.pk}/identities",
                                                   {"kind": "email", "value": "new@example.com"}),
    "customer.address.add": lambda w, c, u: _json(c, "post", f"/customers/{w.me.pk}/addresses",
                                                  {"country": "TW", "line1": "Road 1"}),
    "product_model.list": lambda w, c, u: c.get(f"{API}/product-models"),
    "product_model.read": lambda w, c, u: c.get(f"{API}/product-models/{w.active_model.pk}"),
    "product_model.read_inactive": lambda w, c, u: c.get(f"{API}/product-models/{w.inactive_model.pk}"),
    "product_model.create": lambda w, c, u: _json(c, "post", "/product-models",
                                                  {"sku": "NEW-1", "category": "mobile-phone", "names": {"en": "New"}}),
    "product_model.patch": lambda w, c, u: _json(c, "patch", f"/product-models/{w.active_model.pk}",
                                                 {"brand": "Other"}),
    "product_model.patch_inactive": lambda w, c, u: _json(c, "patch", f"/product-models/{w.inactive_model.pk}",
                                                          {"brand": "Other"}),
    "unit.list": lambda w, c, u: c.get(f"{API}/units"),
    "unit.read": lambda w, c, u: c.get(f"{API}/units/{w.own_unit.pk}"),
    "unit.create": lambda w, c, u: _json(c, "post", "/units", {"product_model_id": w.active_model.pk,
                                                               "serial_number": "NEW-SN", "customer_id": w.me.pk}),
    "purchase.list": lambda w, c, u: c.get(f"{API}/purchases"),
    "purchase.read": lambda w, c, u: c.get(f"{API}/purchases/{w.own_purchase.pk}"),
    "purchase.create": lambda w, c, u: _json(c, "post", "/purchases", _purchase_body(w.me, "NEW-1", "ACTIVE-1")),
    "purchase.import": lambda w, c, u: _json(c, "post", "/purchases/import", {"items": [{
        "channel": "jd", "order_number": "IMP-1", "amount": "1.00", "currency": "CNY",
        "customer": {"name": "Imported", "email": "imported@example.com"},
        "lines": [{"sku": "ACTIVE-1", "unit_price": "1.00"}]}]}),
    "me": lambda w, c, u: c.get(f"{API}/me"),
    "token.list": lambda w, c, u: c.get(f"{API}/tokens"),
    "token.create": lambda w, c, u: _json(c, "post", "/tokens", {"name": "laptop"}),
    "token.revoke": lambda w, c, u: c.delete(f"{API}/tokens/{w.spare_tokens[u.pk].pk}"),
}

FOREIGN_OPS: dict[str, Op] = {
    **_case_ops("other_case"),
    "case.attachment.download_via_wrong_case": lambda w, c, u: c.get(
        f"{API}/cases/{w.own_case.pk}/attachments/{w.files[w.other_case.pk]['public'].pk}"),
    "case.create.for_other_customer": lambda w, c, u: _json(c, "post", "/cases",
                                                            {"subject": "New", "customer_id": w.other.pk}),
    "case.create.with_other_unit": lambda w, c, u: _json(
        c, "post", "/cases", {"subject": "New", "customer_id": w.me.pk, "unit_id": w.other_unit.pk}),
    "case.create.with_other_purchase": lambda w, c, u: _json(
        c, "post", "/cases", {"subject": "New", "customer_id": w.me.pk, "purchase_id": w.other_purchase.pk}),
    "case.list.other_customer": lambda w, c, u: c.get(f"{API}/cases", {"customer": w.other.pk}),
    "customer.read": lambda w, c, u: c.get(f"{API}/customers/{w.other.pk}"),
    "customer.patch": lambda w, c, u: _json(c, "patch", f"/customers/{w.other.pk}", {"tier": "vip"}),
    "customer.identity.add": lambda w, c, u: _json(c, "post", f"/customers/{w.other.pk}/identities",
                                                   {"kind": "email", "value": "new@example.com"}),
    "customer.address.add": lambda w, c, u: _json(c, "post", f"/customers/{w.other.pk}/addresses",
                                                  {"country": "TW", "line1": "Road 1"}),
    "unit.read": lambda w, c, u: c.get(f"{API}/units/{w.other_unit.pk}"),
    "unit.create.for_other_customer": lambda w, c, u: _json(
        c, "post", "/units", {"product_model_id": w.active_model.pk, "serial_number": "NEW-SN",
                              "customer_id": w.other.pk}),
    "purchase.read": lambda w, c, u: c.get(f"{API}/purchases/{w.other_purchase.pk}"),
    "purchase.create.for_other_customer": lambda w, c, u: _json(c, "post", "/purchases",
                                                                _purchase_body(w.other, "NEW-1", "ACTIVE-1")),
    "token.revoke.someone_elses": lambda w, c, u: c.delete(f"{API}/tokens/{w.spare_tokens[w.other_user.pk].pk}"),
}

# ---- the expected outcomes ---------------------------------------------------------------------
# A cell is a status, or (status, code) when the code is not the default for the status.
TRANSITION = (403, "transition_not_allowed")

#                                       customer    agent  technician  supervisor  administrator
OWN_MATRIX: dict[str, tuple] = {
    "case.list":                         (200,       200,   200,        200,        200),
    "case.create":                       (201,       201,   403,        201,        201),
    "case.read":                         (200,       200,   200,        200,        200),
    "case.patch.status_close":           (200,       200,   200,        200,        200),
    "case.patch.status_open":            (TRANSITION, 200,  200,        200,        200),
    "case.patch.assignee":               (403,       200,   403,        200,        200),
    "case.patch.team":                   (403,       200,   403,        200,        200),
    "case.patch.classify":               (403,       200,   403,        200,        200),
    "case.patch.tags":                   (403,       200,   200,        200,        200),
    "case.timeline":                     (200,       200,   200,        200,        200),
    "case.message.public":               (201,       201,   201,        201,        201),
    "case.message.internal":             (403,       201,   201,        201,        201),
    "case.attachment.upload":            (201,       201,   201,        201,        201),
    "case.attachment.upload_internal":   (403,       201,   201,        201,        201),
    "case.attachment.download":          (200,       200,   200,        200,        200),
    "case.attachment.download_internal": (404,       200,   200,        200,        200),
    "customer.list":                     (200,       200,   200,        200,        200),
    "customer.read":                     (200,       200,   200,        200,        200),
    "customer.create":                   (403,       201,   403,        201,        201),
    "customer.patch":                    (403,       200,   403,        200,        200),
    "customer.identity.add":             (403,       201,   403,        201,        201),
    "customer.address.add":              (403,       201,   403,        201,        201),
    "product_model.list":                (200,       200,   200,        200,        200),
    "product_model.read":                (200,       200,   200,        200,        200),
    "product_model.read_inactive":       (404,       200,   200,        200,        200),
    "product_model.create":              (403,       403,   403,        201,        201),
    "product_model.patch":               (403,       403,   403,        200,        200),
    "product_model.patch_inactive":      (404,       403,   403,        200,        200),
    "unit.list":                         (200,       200,   200,        200,        200),
    "unit.read":                         (200,       200,   200,        200,        200),
    "unit.create":                       (403,       201,   201,        201,        201),
    "purchase.list":                     (200,       200,   200,        200,        200),
    "purchase.read":                     (200,       200,   200,        200,        200),
    "purchase.create":                   (403,       201,   403,        201,        201),
    "purchase.import":                   (403,       403,   403,        200,        200),
    "me":                                (200,       200,   200,        200,        200),
    "token.list":                        (200,       200,   200,        200,        200),
    "token.create":                      (201,       201,   201,        201,        201),
    "token.revoke":                      (204,       204,   204,        204,        204),
}

# Someone else's objects: another customer's case (in team B, assigned to nobody, so outside
# the agent's and technician's teams too), unit, purchase, customer record and API token.
UNIT_INVALID = (422, "unit_invalid")
PURCHASE_INVALID = (422, "purchase_invalid")
#                                              customer  agent  technician  supervisor  administrator
FOREIGN_MATRIX: dict[str, tuple] = {
    "case.read":                                (404,     404,   404,        200,        200),
    "case.patch.status_close":                  (404,     404,   404,        200,        200),
    "case.patch.status_open":                   (404,     404,   404,        200,        200),
    "case.patch.assignee":                      (404,     404,   404,        200,        200),
    "case.patch.team":                          (404,     404,   404,        200,        200),
    "case.patch.classify":                      (404,     404,   404,        200,        200),
    "case.patch.tags":                          (404,     404,   404,        200,        200),
    "case.timeline":                            (404,     404,   404,        200,        200),
    "case.message.public":                      (404,     404,   404,        201,        201),
    "case.message.internal":                    (404,     404,   404,        201,        201),
    "case.attachment.upload":                   (404,     404,   404,        201,        201),
    "case.attachment.upload_internal":          (404,     404,   404,        201,        201),
    "case.attachment.download":                 (404,     404,   404,        200,        200),
    "case.attachment.download_internal":        (404,     404,   404,        200,        200),
    "case.attachment.download_via_wrong_case":  (404,     404,   404,        404,        404),
    "case.create.for_other_customer":           (404,     201,   403,        201,        201),
    "case.create.with_other_unit":              (404,     UNIT_INVALID, 403, UNIT_INVALID, UNIT_INVALID),
    "case.create.with_other_purchase":          (404,     PURCHASE_INVALID, 403, PURCHASE_INVALID, PURCHASE_INVALID),
    "case.list.other_customer":                 (200,     200,   200,        200,        200),
    "customer.read":                            (404,     200,   200,        200,        200),
    "customer.patch":                           (404,     200,   403,        200,        200),
    "customer.identity.add":                    (404,     201,   403,        201,        201),
    "customer.address.add":                     (404,     201,   403,        201,        201),
    "unit.read":                                (404,     200,   200,        200,        200),
    # Customers may not register units or record purchases at all: 403 whatever the id.
    "unit.create.for_other_customer":           (403,     201,   201,        201,        201),
    "purchase.read":                            (404,     200,   200,        200,        200),
    "purchase.create.for_other_customer":       (403,     201,   403,        201,        201),
    "token.revoke.someone_elses":               (404,     404,   404,        404,        404),
}


def _cells(matrix: dict[str, tuple]) -> list:
    return [pytest.param(op, role, expected, id=f"{op}-{role}")
            for op, row in matrix.items() for role, expected in zip(ROLES, row, strict=True)]


def _expect(expected) -> tuple[int, str | None]:
    if isinstance(expected, tuple):
        return expected
    return expected, DEFAULT_CODES.get(expected)


def _finish(response) -> None:
    # Reading a streamed file to the end closes it (the test client's wrapper does, without
    # closing the database connection, which a second close() would do on PostgreSQL).
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def _check(w, op: Op, role: str, expected, *, client: Client | None = None):
    user = w.users[role]
    client = client or api_client(user)
    before = db_state()
    response = op(w, client, user)
    _finish(response)
    status, code = _expect(expected)
    after = db_state()
    if status >= 400:
        assert_error(response, status, code)
        assert after == before, "a refused request wrote something"
    else:
        assert response.status_code == status, (response.status_code, response.content[:400])
        if response.request["REQUEST_METHOD"] == "GET":
            assert after == before, "a read wrote something"
        else:
            assert after != before, "an accepted write changed nothing"
    return response


def test_the_tables_cover_every_operation_and_role():
    assert set(OWN_MATRIX) == set(OWN_OPS)
    assert set(FOREIGN_MATRIX) == set(FOREIGN_OPS)
    assert all(len(row) == len(ROLES) for row in [*OWN_MATRIX.values(), *FOREIGN_MATRIX.values()])


@pytest.mark.parametrize(("op", "role", "expected"), _cells(OWN_MATRIX))
def test_own_and_visible_objects(op, role, expected):
    w = build_world()
    _check(w, OWN_OPS[op], role, expected)


@pytest.mark.parametrize(("op", "role", "expected"), _cells(FOREIGN_MATRIX))
def test_someone_elses_objects(op, role, expected):
    w = build_world()
    _check(w, FOREIGN_OPS[op], role, expected)


# ---- what each role sees in lists --------------------------------------------------------------

VISIBLE_CASES = {
    "customer": {"own_case"},
    "agent": {"own_case", "agent_case"},
    "technician": {"own_case", "tech_case"},
    "supervisor": {"own_case", "other_case", "agent_case", "tech_case"},
    "administrator": {"own_case", "other_case", "agent_case", "tech_case"},
}
EVERYONE = {"customer": "own", "agent": "all", "technician": "all", "supervisor": "all", "administrator": "all"}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_exactly_what_the_role_may_see(role):
    w = build_world()
    client = api_client(w.users[role])
    assert _ids(client.get(f"{API}/cases")) == {getattr(w, name).pk for name in VISIBLE_CASES[role]}
    own = EVERYONE[role] == "own"
    assert _ids(client.get(f"{API}/customers")) == ({w.me.pk} if own else {w.me.pk, w.other.pk})
    assert _ids(client.get(f"{API}/units")) == ({w.own_unit.pk} if own else {w.own_unit.pk, w.other_unit.pk})
    assert _ids(client.get(f"{API}/purchases")) == (
        {w.own_purchase.pk} if own else {w.own_purchase.pk, w.other_purchase.pk})
    assert _ids(client.get(f"{API}/product-models")) == (
        {w.active_model.pk} if own else {w.active_model.pk, w.inactive_model.pk})
    # Filtering by another customer's id finds nothing for a customer, and no error that
    # would tell the id exists.
    assert _ids(client.get(f"{API}/cases", {"customer": w.other.pk})) == (
        set() if own else {getattr(w, n).pk for n in VISIBLE_CASES[role] if getattr(w, n).customer_id == w.other.pk})
    assert _ids(client.get(f"{API}/units", {"customer": w.other.pk})) == (set() if own else {w.other_unit.pk})
    assert _ids(client.get(f"{API}/purchases", {"customer": w.other.pk})) == (
        set() if own else {w.other_purchase.pk})


@pytest.mark.parametrize(("role", "case_name", "status"), [
    ("agent", "agent_case", 200), ("agent", "tech_case", 404),
    ("technician", "tech_case", 200), ("technician", "agent_case", 404),
])
def test_staff_see_cases_assigned_to_them_outside_their_teams(role, case_name, status):
    w = build_world()
    client = api_client(w.users[role])
    case = getattr(w, case_name)
    for path in (f"/cases/{case.pk}", f"/cases/{case.pk}/timeline",
                 f"/cases/{case.pk}/attachments/{w.files[case.pk]['public'].pk}"):
        response = client.get(f"{API}{path}")
        _finish(response)
        if status == 200:
            assert response.status_code == 200, (path, response.content)
        else:
            assert_error(response, 404, "not_found")


# ---- 404 means "not found", whatever the reason -----------------------------------------------

MISSING = 987_654_321


def _id_endpoints(w) -> list[tuple[str, str, dict | None]]:
    """Every endpoint that takes an id, with the id of a missing row."""
    case, attachment = w.own_case.pk, w.files[w.own_case.pk]["public"].pk
    return [
        ("get", f"/cases/{MISSING}", None),
        ("patch", f"/cases/{MISSING}", {"status": "closed"}),
        ("get", f"/cases/{MISSING}/timeline", None),
        ("post", f"/cases/{MISSING}/messages", {"body": "Hello"}),
        ("post", f"/cases/{MISSING}/attachments", "upload"),
        ("get", f"/cases/{MISSING}/attachments/{attachment}", None),
        ("get", f"/cases/{case}/attachments/{MISSING}", None),
        ("get", f"/customers/{MISSING}", None),
        ("patch", f"/customers/{MISSING}", {"tier": "vip"}),
        ("post", f"/customers/{MISSING}/identities", {"kind": "email", "value": "x@example.com"}),
        ("post", f"/customers/{MISSING}/addresses", {"country": "TW", "line1": "Road 1"}),
        ("get", f"/units/{MISSING}", None),
        ("get", f"/purchases/{MISSING}", None),
        ("get", f"/product-models/{MISSING}", None),
        ("patch", f"/product-models/{MISSING}", {"brand": "x"}),
        ("delete", f"/tokens/{MISSING}", None),
        ("post", "/cases", {"subject": "x", "customer_id": MISSING}),
        ("post", "/units", {"product_model_id": MISSING, "serial_number": "X"}),
        ("post", "/purchases", {"customer_id": MISSING, "channel": "jd", "order_number": "O", "amount": "1",
                                "currency": "CNY", "lines": [{"sku": "ACTIVE-1", "unit_price": "1"}]}),
    ]


def _send(client: Client, method: str, path: str, data) -> Any:
    if data == "upload":
        file = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
        return client.post(f"{API}{path}", {"file": file})
    if data is None:
        return getattr(client, method)(f"{API}{path}")
    return _json(client, method, path, data)


@pytest.mark.parametrize("index", range(19))
def test_a_missing_id_is_404_for_the_role_that_sees_everything(index):
    w = build_world()
    assert len(_id_endpoints(w)) == 19
    method, path, data = _id_endpoints(w)[index]
    client = api_client(w.users["administrator"])
    before = db_state()
    assert_error(_send(client, method, path, data), 404, "not_found")
    assert db_state() == before


FOREIGN_FOR_CUSTOMER = [
    ("get", "/cases/{other_case}"), ("patch", "/cases/{other_case}"), ("get", "/cases/{other_case}/timeline"),
    ("post", "/cases/{other_case}/messages"), ("post", "/cases/{other_case}/attachments"),
    ("get", "/cases/{other_case}/attachments/{other_file}"), ("get", "/customers/{other}"),
    ("patch", "/customers/{other}"), ("post", "/customers/{other}/identities"),
    ("post", "/customers/{other}/addresses"), ("get", "/units/{other_unit}"),
    ("get", "/purchases/{other_purchase}"), ("get", "/product-models/{inactive_model}"),
    ("patch", "/product-models/{inactive_model}"),
]
BODIES = {"patch": {"tier": "vip", "status": "closed", "brand": "x"},
          "post": {"body": "Hi", "kind": "email", "value": "x@example.com", "country": "TW", "line1": "Road"}}


@pytest.mark.parametrize(("method", "template"), FOREIGN_FOR_CUSTOMER)
def test_another_customers_id_answers_exactly_like_a_missing_one(method, template):
    """No difference a customer could use to learn that someone else's row exists."""
    w = build_world()
    ids = {"other_case": w.other_case.pk, "other_file": w.files[w.other_case.pk]["public"].pk,
           "other": w.other.pk, "other_unit": w.other_unit.pk, "other_purchase": w.other_purchase.pk,
           "inactive_model": w.inactive_model.pk}
    client = api_client(w.users["customer"])
    data = "upload" if template.endswith("/attachments") else BODIES.get(method)
    before = db_state()
    foreign = _send(client, method, template.format(**ids), data)
    missing = _send(client, method, template.format(**dict.fromkeys(ids, MISSING)), data)
    assert_error(foreign, 404, "not_found")
    assert (missing.status_code, missing.json()) == (foreign.status_code, foreign.json())
    assert db_state() == before


# ---- the timeline hides internal matters from customers ----------------------------------------

def test_customers_never_see_internal_notes_or_files_in_the_timeline():
    w = build_world()
    case = w.own_case
    internal_file, public_file = w.files[case.pk]["internal"], w.files[case.pk]["public"]
    note = CaseEntry.objects.get(case=case, kind="note")

    staff_view = api_client(w.users["agent"]).get(f"{API}/cases/{case.pk}/timeline").json()
    customer_view = api_client(w.users["customer"]).get(f"{API}/cases/{case.pk}/timeline").json()

    def attachment_ids(view):
        return {a["id"] for e in view for a in e["attachments"]}

    assert note.pk in {e["id"] for e in staff_view}
    assert attachment_ids(staff_view) == {internal_file.pk, public_file.pk}
    assert {e["id"] for e in customer_view} == set(
        CaseEntry.objects.filter(case=case, is_public=True).values_list("pk", flat=True))
    assert note.pk not in {e["id"] for e in customer_view}
    assert all(e["is_public"] and e["kind"] != "note" for e in customer_view)
    assert attachment_ids(customer_view) == {public_file.pk}
    assert "Internal: check stock." not in str(customer_view)


def test_a_public_message_with_an_internal_file_shows_the_message_but_not_the_file():
    w = build_world()
    case = w.own_case
    entry = CaseEntry.objects.get(case=case, kind="message")
    hidden = Attachment.objects.create(case=case, entry=entry, filename="x.png", content_type="image/png",
                                       size=1, sha256="0" * 64, is_public=False)
    staff_view = api_client(w.users["agent"]).get(f"{API}/cases/{case.pk}/timeline").json()
    customer_view = api_client(w.users["customer"]).get(f"{API}/cases/{case.pk}/timeline").json()
    assert hidden.pk in {a["id"] for a in next(e for e in staff_view if e["id"] == entry.pk)["attachments"]}
    assert hidden.pk not in {a["id"] for a in next(e for e in customer_view if e["id"] == entry.pk)["attachments"]}
    assert_error(api_client(w.users["customer"]).get(f"{API}/cases/{case.pk}/attachments/{hidden.pk}"),
                 404, "not_found")


# ---- authentication ----------------------------------------------------------------------------

OPS_FOR_401 = {**OWN_OPS, **{f"foreign:{k}": v for k, v in FOREIGN_OPS.items()}}


@pytest.mark.parametrize("op", list(OPS_FOR_401))
def test_no_credentials_is_401_everywhere(op):
    w = build_world()
    client = Client(enforce_csrf_checks=True)  # as a real integration: no CSRF cookie
    before = db_state()
    response = OPS_FOR_401[op](w, client, w.users["administrator"])
    assert_error(response, 401, "not_authenticated")
    assert db_state() == before


@pytest.mark.parametrize("op", list(OWN_OPS))
def test_a_revoked_token_is_401_everywhere(op):
    w = build_world()
    admin = w.users["administrator"]
    token, secret = token_create(user=admin)
    token_revoke(token=token, actor=admin)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    before = db_state()
    assert_error(OWN_OPS[op](w, client, admin), 401, "not_authenticated")
    assert db_state() == before


@pytest.mark.parametrize("header", [
    "Bearer ", "Bearer nonsense", "Bearer ast_000000000000_wrongsecret", "Basic dXNlcjpwdw==", "Token abc",
    "Bearer ast_zz\x00zz_secret", "Bearer " + "a" * 500,
])
def test_bad_authorization_headers_are_401(header):
    token_create(user=build_world().users["administrator"])
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=header)
    before = db_state()
    assert_error(client.get(f"{API}/me"), 401, "not_authenticated")
    assert_error(_json(client, "post", "/tokens", {}), 401, "not_authenticated")
    assert db_state() == before


def test_a_token_of_a_deactivated_user_is_401():
    w = build_world()
    agent = w.users["agent"]
    client = api_client(agent)
    assert client.get(f"{API}/me").status_code == 200
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert_error(client.get(f"{API}/me"), 401, "not_authenticated")


def test_a_token_stops_working_the_moment_it_is_revoked_through_the_api():
    w = build_world()
    user = w.users["customer"]
    token, secret = token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(f"{API}/me").status_code == 200
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert_error(client.get(f"{API}/me"), 401, "not_authenticated")


# ---- the browser session needs the CSRF token for writes ---------------------------------------

WRITE_OPS = [name for name in OWN_OPS if name not in {
    "case.list", "case.read", "case.timeline", "case.attachment.download", "case.attachment.download_internal",
    "customer.list", "customer.read", "product_model.list", "product_model.read", "product_model.read_inactive",
    "unit.list", "unit.read", "purchase.list", "purchase.read", "me", "token.list"}]


def _session_client(user, *, with_csrf: bool) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")  # the login page sets the CSRF cookie
    client.force_login(user)
    if with_csrf:
        client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


@pytest.mark.parametrize("op", WRITE_OPS)
def test_a_session_write_without_the_csrf_token_is_refused(op):
    w = build_world()
    admin = w.users["administrator"]
    before = db_state()
    response = OWN_OPS[op](w, _session_client(admin, with_csrf=False), admin)
    assert_error(response, 403, "csrf_failed")
    assert db_state() == before


@pytest.mark.parametrize("op", WRITE_OPS)
def test_a_session_write_with_the_csrf_token_goes_through(op):
    w = build_world()
    expected = OWN_MATRIX[op][ROLES.index("administrator")]
    _check(w, OWN_OPS[op], "administrator", expected, client=_session_client(w.users["administrator"], with_csrf=True))


def test_session_reads_need_no_csrf_token_and_a_wrong_one_is_refused():
    w = build_world()
    admin = w.users["administrator"]
    client = _session_client(admin, with_csrf=False)
    assert client.get(f"{API}/me").json()["id"] == admin.pk
    client.defaults["HTTP_X_CSRFTOKEN"] = "x" * 32
    before = db_state()
    assert_error(_json(client, "post", "/tokens", {}), 403, "csrf_failed")
    assert db_state() == before


def test_a_session_of_a_deactivated_user_is_401():
    w = build_world()
    agent = w.users["agent"]
    client = _session_client(agent, with_csrf=True)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert_error(client.get(f"{API}/me"), 401, "not_authenticated")


def test_a_bearer_token_needs_no_csrf_token_even_with_enforced_checks():
    w = build_world()
    client = api_client(w.users["agent"], enforce_csrf_checks=True)
    response = _json(client, "post", f"/cases/{w.own_case.pk}/messages", {"body": "Hello"})
    assert response.status_code == 201, response.content
