"""Helpers shared by the API test suites: clients per user, the error-shape check, a
fingerprint of everything a write could touch, and small real files to upload."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from aftersales.accounts.actions import token_create
from aftersales.accounts.models import ApiToken
from aftersales.cases.models import Attachment, Case, CaseEntry, Tag
from aftersales.catalog.models import OrderLine, ProductModel, ProductModelName, Purchase, Unit
from aftersales.core.models import AuditEntry
from aftersales.customers.models import Address, Customer, CustomerIdentity

API = "/api/v1"


def api_client(user, **extra: Any) -> Client:
    """A client that authenticates as `user` with a fresh bearer token."""
    _token, secret = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", **extra)


def assert_error(response, status: int, code: str) -> dict:
    """The one error shape: JSON with a string `code` and `detail`, optionally an `errors` list."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) in ({"code", "detail"}, {"code", "detail", "errors"}), body
    assert isinstance(body["code"], str) and isinstance(body["detail"], str), body
    assert body["detail"], body
    if "errors" in body:
        assert isinstance(body["errors"], list), body
    assert body["code"] == code, body
    return body


def png_bytes(shade: int = 0) -> bytes:
    """A real 1×1 PNG; `shade` makes files with different bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00" + bytes([shade % 256, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


COUNTED = [Case, CaseEntry, Attachment, Tag, Case.tags.through, AuditEntry, Customer, CustomerIdentity, Address,
           ProductModel, ProductModelName, Unit, Purchase, OrderLine, ApiToken]


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def db_state() -> dict[str, Any]:
    """Row counts of everything the API writes, the fields its updates change, and the
    files in storage. Equal before and after a refused request means it wrote nothing."""
    return {
        "counts": {m._meta.label: m.objects.count() for m in COUNTED},
        "cases": list(Case.objects.order_by("pk").values_list(
            "pk", "status", "assignee_id", "team_id", "type", "severity", "subject", "language", "unit_id",
            "purchase_id", "updated_at")),
        "customers": list(Customer.objects.order_by("pk").values_list(
            "pk", "name", "company", "language", "tier", "notes", "updated_at")),
        "product_models": list(ProductModel.objects.order_by("pk").values_list(
            "pk", "brand", "is_active", "category_id", "updated_at")),
        "names": sorted(ProductModelName.objects.values_list("product_model_id", "language", "name")),
        "tokens": list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        "files": stored_files(),
    }


ROLES = ("customer", "agent", "technician", "supervisor", "administrator")


def build_world():
    """Two customers with a case, a unit and a purchase each, and one user per role.

    - `own_*` belong to the customer user's record `me`; `own_case` is in team A.
    - `other_*` belong to another customer, `other`; `other_case` is in team B, unassigned.
    - The agent and the technician are in team A; `agent_case` and `tech_case` are in team B
      but assigned to them.
    - Every case has a public message, an internal note, a public and an internal file.
    """
    from types import SimpleNamespace

    from aftersales.accounts.models import Role
    from aftersales.cases import actions as case_actions
    from aftersales.cases.attachments import check_upload
    from aftersales.core.tests.factories import (
        CustomerUserFactory,
        OrderLineFactory,
        ProductModelFactory,
        PurchaseFactory,
        TeamFactory,
        UnitFactory,
        UserFactory,
    )

    w = SimpleNamespace()
    w.team_a = TeamFactory(code="team-a", name="Team A")
    w.team_b = TeamFactory(code="team-b", name="Team B")
    customer_user = CustomerUserFactory(username="cust-me")
    other_user = CustomerUserFactory(username="cust-other")
    w.me, w.other = customer_user.customer, other_user.customer
    w.other_user = other_user
    w.users = {
        "customer": customer_user,
        "agent": UserFactory(username="agent", role=Role.AGENT, teams=[w.team_a]),
        "technician": UserFactory(username="technician", role=Role.TECHNICIAN, teams=[w.team_a]),
        "supervisor": UserFactory(username="supervisor", role=Role.SUPERVISOR),
        "administrator": UserFactory(username="administrator", role=Role.ADMINISTRATOR),
    }
    w.active_model = ProductModelFactory(sku="ACTIVE-1")
    w.inactive_model = ProductModelFactory(sku="INACTIVE-1", is_active=False)
    w.own_unit = UnitFactory(product_model=w.active_model, customer=w.me, serial_number="OWN-SN")
    w.other_unit = UnitFactory(product_model=w.active_model, customer=w.other, serial_number="OTHER-SN")
    w.own_purchase = PurchaseFactory(customer=w.me, order_number="OWN-ORDER")
    w.other_purchase = PurchaseFactory(customer=w.other, order_number="OTHER-ORDER")
    OrderLineFactory(purchase=w.own_purchase, product_model=w.active_model)
    OrderLineFactory(purchase=w.other_purchase, product_model=w.active_model)

    staff = w.users["administrator"]
    w.files = {}
    shade = iter(range(1, 100))

    def case(customer, actor, team, assignee=None):
        c = case_actions.case_open(customer=customer, subject=f"Case of {customer}", body="It is broken.",
                                   actor=actor, team=team, assignee=assignee, channel="portal")
        case_actions.case_post_message(case=c, actor=staff, body="Internal: check stock.", public=False)
        public = case_actions.case_attach(case=c, actor=actor, checked=check_upload(png_bytes(next(shade)), "a.png"))
        internal = case_actions.case_attach(case=c, actor=staff, public=False,
                                            checked=check_upload(png_bytes(next(shade)), "b.png"))
        w.files[c.pk] = {"public": public, "internal": internal}
        c.refresh_from_db()
        return c

    w.own_case = case(w.me, customer_user, w.team_a)
    w.other_case = case(w.other, other_user, w.team_b)
    w.agent_case = case(w.other, other_user, w.team_b, assignee=w.users["agent"])
    w.tech_case = case(w.other, other_user, w.team_b, assignee=w.users["technician"])
    # A second token per person, for the tests that revoke one.
    w.spare_tokens = {u.pk: token_create(user=u, name="spare")[0] for u in [*w.users.values(), other_user]}
    return w


# ---- validation helpers --------------------------------------------------------------------------

DELETE = object()  # in `variant`: remove the key


def variant(base: dict, **changes: Any) -> dict:
    """A copy of `base` with dotted paths changed: variant(b, **{"lines.0.sku": "X", "paid_at": DELETE})."""
    import copy

    body = copy.deepcopy(base)
    for path, value in changes.items():
        keys: list[Any] = path.split(".")
        target: Any = body
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last: Any = int(keys[-1]) if isinstance(target, list) else keys[-1]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return body


def string_paths(value: Any, prefix: str = "") -> list[str]:
    """The dotted paths of every string in a JSON body."""
    if isinstance(value, str):
        return [prefix]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in string_paths(v, f"{prefix}.{k}" if prefix else k)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in string_paths(v, f"{prefix}.{i}" if prefix else str(i))]
    return []


def send(client: Client, method: str, path: str, body: Any = None):
    """A JSON request; `body` may be raw bytes (sent as they are) or any JSON value."""
    import json

    url = path if path.startswith(API) else f"{API}{path}"
    if body is None:
        return getattr(client, method)(url)
    data = body if isinstance(body, bytes) else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json")


def refused(client: Client, method: str, path: str, body: Any, status: int, code: str) -> dict:
    """Send; expect the error; and prove nothing was written."""
    before = db_state()
    error = assert_error(send(client, method, path, body), status, code)
    assert db_state() == before, "a refused request wrote something"
    return error


# Bodies no endpoint may accept, whatever it expects.
GARBAGE_BODIES = [
    ("truncated", b'{"name": ', 400, "malformed_json"),
    ("single-quotes", b"{'name': 'x'}", 400, "malformed_json"),
    ("trailing-garbage", b'{"name": "x"} and more', 400, "malformed_json"),
    ("not-json", b"name=x&subject=y", 400, "malformed_json"),
    ("invalid-utf8", b'{"name": "caf\xc3\x28"}', 400, "malformed_json"),
    ("latin1", b'{"name": "caf\xe9"}', 400, "malformed_json"),
    ("list", b"[]", 422, "invalid_input"),
    ("list-of-object", b'[{"name": "x"}]', 422, "invalid_input"),
    ("string", b'"text"', 422, "invalid_input"),
    ("number", b"42", 422, "invalid_input"),
    ("null", b"null", 422, "invalid_input"),
    ("true", b"true", 422, "invalid_input"),
    ("empty", b"", 422, "invalid_input"),
]

# Strings PostgreSQL (and any UTF-8 store) cannot hold: refused with a 422, never a 500.
UNSTORABLE = [("nul", "a\x00b"), ("nul-only", "\x00"), ("lone-surrogate", "a\ud800b")]

# Strings that are only text: stored and given back exactly as sent.
HOSTILE_TEXT = [
    "' OR 1=1 --",
    "Robert'); DROP TABLE cases_case;--",
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }} ${7*7} %s %(x)s",
    "../../etc/passwd",
    "\u202egnp.exe",
    "洗衣机不脱水 – 세탁기 🧺",
]


# ---- query budgets -------------------------------------------------------------------------------

def count_queries(client: Client, url: str, params: dict | None = None):
    """The response to one GET and the number of SQL queries it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return response, len(ctx.captured_queries)


def check_budget(assert_num_queries, client: Client, url: str, *, grow, budget: int, params: dict | None = None,
                 rows=lambda body: body["items"], sizes=(3, 30)) -> None:
    """GET `url` with 3 rows and again with 30 (`grow(n)` tops the data up to n rows): the
    same exact number of queries both times, so no row costs a query of its own."""
    client.get(url, params or {})  # the first call with a new token records its use; later ones do not
    for size in sizes:
        grow(size)
        with assert_num_queries(budget):
            response = client.get(url, params or {})
        assert response.status_code == 200, response.content[:300]
        assert len(rows(response.json())) == size


def body_contract_tests(endpoints: dict) -> tuple:
    """The refusals every JSON endpoint owes, bound to one app's table of endpoints.

    `endpoints` maps a name to (method, path(world), valid_body(world)). A test module binds
    the returned functions to module-level `test_*` names so pytest collects them there."""

    @pytest.mark.parametrize("endpoint", endpoints)
    @pytest.mark.parametrize(("label", "raw", "status", "code"), GARBAGE_BODIES, ids=[g[0] for g in GARBAGE_BODIES])
    def garbage_bodies(world, admin, endpoint, label, raw, status, code):
        method, path, _body = endpoints[endpoint]
        refused(admin, method, path(world), raw, status, code)

    @pytest.mark.parametrize("endpoint", endpoints)
    @pytest.mark.parametrize(("label", "bad"), UNSTORABLE, ids=[u[0] for u in UNSTORABLE])
    def unstorable_text(world, admin, endpoint, label, bad):
        method, path, body = endpoints[endpoint]
        valid = body(world)
        fields = string_paths(valid)
        assert fields
        for field in fields:
            error = refused(admin, method, path(world), variant(valid, **{field: bad}), 422, "invalid_input")
            assert [e["field"] for e in error["errors"]] == [field]

    @pytest.mark.parametrize("endpoint", endpoints)
    def nul_in_a_key(world, admin, endpoint):
        method, path, body = endpoints[endpoint]
        refused(admin, method, path(world), {**body(world), "x\x00": 1}, 422, "invalid_input")

    @pytest.mark.parametrize("endpoint", endpoints)
    def body_over_the_limit(world, admin, endpoint, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
        method, path, body = endpoints[endpoint]
        refused(admin, method, path(world), {**body(world), "padding": "x" * 5000}, 413, "payload_too_large")

    return garbage_bodies, unstorable_text, nul_in_a_key, body_over_the_limit
