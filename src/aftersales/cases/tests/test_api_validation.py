"""Every input the cases endpoints take, refused cleanly when wrong: a JSON error with a
stable code, the right status, and nothing written. Plus the API-wide rules (bodies that
are not JSON objects, text a database cannot store, oversized bodies, unknown paths and
methods), here for the cases endpoints and in the other apps' suites for theirs."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.accounts.models import Role
from aftersales.cases import actions as case_actions
from aftersales.cases.models import Attachment, Case, CaseEntry
from aftersales.core.tests.api_support import (
    API,
    DELETE,
    HOSTILE_TEXT,
    api_client,
    assert_error,
    body_contract_tests,
    build_world,
    db_state,
    png_bytes,
    refused,
    send,
    variant,
)
from aftersales.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987_654_321


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def admin(world):
    return api_client(world.users["administrator"])


def _create_body(w) -> dict:
    return {"subject": "Washer does not spin", "customer_id": w.me.pk, "body": "Error E21 since yesterday.",
            "type": "repair", "severity": "urgent", "channel": "phone", "language": "zh-hans",
            "unit_id": w.own_unit.pk, "purchase_id": w.own_purchase.pk, "team_id": w.team_a.pk,
            "assignee_id": w.users["agent"].pk, "tags": ["washer", "e21"]}


def _patch_body(w) -> dict:
    return {"status": "open", "severity": "major", "type": "complaint", "subject": "Still broken", "language": "ko",
            "tags": ["x"], "team_id": w.team_b.pk, "assignee_id": w.users["supervisor"].pk}


# name: (method, path, a valid body)
ENDPOINTS = {
    "create_case": ("post", lambda w: "/cases", _create_body),
    "patch_case": ("patch", lambda w: f"/cases/{w.own_case.pk}", _patch_body),
    "post_message": ("post", lambda w: f"/cases/{w.own_case.pk}/messages",
                     lambda w: {"body": "Please send a photo of the invoice.", "internal": False, "language": "en"}),
}


def test_the_valid_bodies_are_accepted(world, admin):
    """The bodies the tests below spoil are themselves good, so each refusal is the spoiling's doing."""
    for name, (method, path, body) in ENDPOINTS.items():
        response = send(admin, method, path(world), body(world))
        assert response.status_code in (200, 201), (name, response.content)


(
    test_garbage_bodies,
    test_unstorable_text_is_refused_in_every_string_field,
    test_nul_in_an_object_key_is_refused,
    test_a_body_over_the_upload_limit_is_413,
) = body_contract_tests(ENDPOINTS)


def test_a_body_over_the_default_limit_is_413(world, admin, settings):
    from aftersales import settings as project_settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == project_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    refused(admin, "post", "/cases", {**_create_body(world), "body": "x" * size}, 413, "payload_too_large")


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_and_returned_exactly(world, admin, text):
    created = send(admin, "post", "/cases", {"subject": text, "body": text, "customer_id": world.me.pk,
                                             "tags": [text[:50]]})
    assert created.status_code == 201, created.content
    assert created["Content-Type"].startswith("application/json")
    case = Case.objects.get(pk=created.json()["id"])
    assert case.subject == " ".join(text.split()) == created.json()["subject"]
    assert CaseEntry.objects.get(case=case, kind="message").body == text
    message = send(admin, "post", f"/cases/{case.pk}/messages", {"body": text})
    assert message.json()["body"] == text
    timeline = admin.get(f"{API}/cases/{case.pk}/timeline").json()
    assert [e["body"] for e in timeline if e["kind"] == "message"] == [text, text]
    # Searching with it finds this case only, not everything.
    found = admin.get(f"{API}/cases", {"tag": text[:50]}).json()["items"]
    assert [c["id"] for c in found] == [case.pk]


# ---- opening a case -----------------------------------------------------------------------------

CREATE_REFUSALS = [
    ("no-subject", {"subject": DELETE}, 422, "invalid_input"),
    ("empty-subject", {"subject": ""}, 422, "invalid_input"),
    ("blank-subject", {"subject": " \t\n "}, 422, "case_invalid"),
    ("subject-too-long", {"subject": "x" * 301}, 422, "invalid_input"),
    ("subject-number", {"subject": 123}, 422, "invalid_input"),
    ("subject-null", {"subject": None}, 422, "invalid_input"),
    ("body-too-long", {"body": "x" * 50_001}, 422, "invalid_input"),
    ("body-list", {"body": ["x"]}, 422, "invalid_input"),
    ("type-unknown", {"type": "complaint!"}, 422, "invalid_input"),
    ("severity-unknown", {"severity": "critical"}, 422, "invalid_input"),
    ("channel-unknown", {"channel": "fax"}, 422, "invalid_input"),
    ("language-unknown", {"language": "fr"}, 422, "invalid_input"),
    ("language-wrong-case", {"language": "ZH-HANS"}, 422, "invalid_input"),
    ("customer-not-int", {"customer_id": "abc"}, 422, "invalid_input"),
    ("customer-fraction", {"customer_id": 1.5}, 422, "invalid_input"),
    ("customer-missing", {"customer_id": DELETE}, 422, "case_invalid"),
    ("customer-unknown", {"customer_id": MISSING}, 404, "not_found"),
    ("unit-unknown", {"unit_id": MISSING}, 404, "not_found"),
    ("purchase-unknown", {"purchase_id": MISSING}, 404, "not_found"),
    ("team-unknown", {"team_id": MISSING}, 422, "team_invalid"),
    ("assignee-unknown", {"assignee_id": MISSING}, 422, "assignee_invalid"),
    ("tags-not-a-list", {"tags": "washer"}, 422, "invalid_input"),
    ("tags-numbers", {"tags": [1, 2]}, 422, "invalid_input"),
    ("too-many-tags", {"tags": [f"t{i}" for i in range(21)]}, 422, "invalid_input"),
    ("tag-too-long", {"tags": ["x" * 51]}, 422, "tag_invalid"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), CREATE_REFUSALS, ids=[c[0] for c in CREATE_REFUSALS])
def test_opening_a_case_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", "/cases", variant(_create_body(world), **changes), status, code)


@pytest.mark.parametrize(("label", "attr", "code"), [
    ("unit-of-another-customer", "unit_id", "unit_invalid"),
    ("purchase-of-another-customer", "purchase_id", "purchase_invalid"),
])
def test_a_case_cannot_link_another_customers_unit_or_purchase(world, admin, label, attr, code):
    other = {"unit_id": world.other_unit.pk, "purchase_id": world.other_purchase.pk}[attr]
    refused(admin, "post", "/cases", variant(_create_body(world), **{attr: other}), 422, code)


@pytest.mark.parametrize("who", ["customer", "inactive-agent"])
def test_a_case_is_assigned_to_active_staff_only(world, admin, who):
    if who == "customer":
        assignee = world.users["customer"]
    else:
        assignee = UserFactory(role=Role.AGENT, is_active=False)
    refused(admin, "post", "/cases", variant(_create_body(world), assignee_id=assignee.pk), 422, "assignee_invalid")
    refused(admin, "patch", f"/cases/{world.own_case.pk}", {"assignee_id": assignee.pk}, 422, "assignee_invalid")


def test_twenty_tags_are_allowed_and_duplicates_and_spaces_collapse(world, admin):
    tags = [f"t{i}" for i in range(18)] + ["t0", "  t1  "]
    response = send(admin, "post", "/cases", variant(_create_body(world), tags=tags))
    assert response.status_code == 201, response.content
    assert sorted(response.json()["tags"]) == sorted(f"t{i}" for i in range(18))


def test_twenty_one_tags_are_refused_even_when_some_repeat(world, admin):
    """The limit counts what was sent, before duplicates are dropped."""
    tags = [f"t{i}" for i in range(20)] + ["t0"]
    refused(admin, "post", "/cases", variant(_create_body(world), tags=tags), 422, "invalid_input")


# ---- changing a case ----------------------------------------------------------------------------

PATCH_REFUSALS = [
    ("status-unknown", {"status": "done"}, 422, "invalid_input"),
    ("status-null", {"status": None}, 422, "invalid_input"),
    ("status-impossible-move", {"status": "in_repair"}, 409, "invalid_transition"),
    ("subject-null", {"subject": None}, 422, "invalid_input"),
    ("subject-empty", {"subject": ""}, 422, "invalid_input"),
    ("subject-blank", {"subject": "   "}, 422, "case_invalid"),
    ("subject-too-long", {"subject": "x" * 301}, 422, "invalid_input"),
    ("type-null", {"type": None}, 422, "invalid_input"),
    ("type-unknown", {"type": "bogus"}, 422, "invalid_input"),
    ("severity-null", {"severity": None}, 422, "invalid_input"),
    ("severity-unknown", {"severity": "bogus"}, 422, "invalid_input"),
    ("language-null", {"language": None}, 422, "invalid_input"),
    ("language-unknown", {"language": "xx"}, 422, "invalid_input"),
    ("assignee-unknown", {"assignee_id": MISSING}, 422, "assignee_invalid"),
    ("assignee-not-int", {"assignee_id": "me"}, 422, "invalid_input"),
    ("team-unknown", {"team_id": MISSING}, 422, "team_invalid"),
    ("team-not-int", {"team_id": [1]}, 422, "invalid_input"),
    ("unit-unknown", {"unit_id": MISSING}, 404, "not_found"),
    ("purchase-unknown", {"purchase_id": MISSING}, 404, "not_found"),
    ("tags-not-a-list", {"tags": "x"}, 422, "invalid_input"),
    ("too-many-tags", {"tags": [f"t{i}" for i in range(21)]}, 422, "invalid_input"),
    ("tag-too-long", {"tags": ["x" * 51]}, 422, "tag_invalid"),
    # One bad field spoils the whole change: the good ones before it are not kept.
    ("good-then-bad-team", {"severity": "major", "subject": "New", "team_id": MISSING}, 422, "team_invalid"),
    ("good-then-bad-assignee", {"type": "refund", "team_id": "TEAM_B", "assignee_id": MISSING}, 422,
     "assignee_invalid"),
    ("good-then-impossible-move", {"tags": ["kept?"], "severity": "major", "status": "in_repair"}, 409,
     "invalid_transition"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), PATCH_REFUSALS, ids=[c[0] for c in PATCH_REFUSALS])
def test_changing_a_case_refuses(world, admin, label, changes, status, code):
    body = {k: (world.team_b.pk if v == "TEAM_B" else v) for k, v in changes.items()}
    refused(admin, "patch", f"/cases/{world.own_case.pk}", body, status, code)


@pytest.mark.parametrize(("label", "attr", "code"), [
    ("unit-of-another-customer", "unit_id", "unit_invalid"),
    ("purchase-of-another-customer", "purchase_id", "purchase_invalid"),
])
def test_a_change_cannot_link_another_customers_unit_or_purchase(world, admin, label, attr, code):
    other = {"unit_id": world.other_unit.pk, "purchase_id": world.other_purchase.pk}[attr]
    refused(admin, "patch", f"/cases/{world.own_case.pk}", {attr: other, "severity": "major"}, 422, code)


def test_an_empty_change_changes_nothing(world, admin):
    before = db_state()
    response = send(admin, "patch", f"/cases/{world.own_case.pk}", {})
    assert response.status_code == 200
    assert db_state() == before


# ---- messages -----------------------------------------------------------------------------------

MESSAGE_REFUSALS = [
    ("no-body", {"body": DELETE}, 422, "invalid_input"),
    ("empty-body", {"body": ""}, 422, "invalid_input"),
    ("blank-body", {"body": " \n\t "}, 422, "message_empty"),
    ("body-too-long", {"body": "x" * 50_001}, 422, "invalid_input"),
    ("body-number", {"body": 5}, 422, "invalid_input"),
    ("internal-not-bool", {"internal": "perhaps"}, 422, "invalid_input"),
    ("internal-list", {"internal": [True]}, 422, "invalid_input"),
    ("language-unknown", {"language": "de"}, 422, "invalid_input"),
]


@pytest.mark.parametrize(("label", "changes", "status", "code"), MESSAGE_REFUSALS,
                         ids=[c[0] for c in MESSAGE_REFUSALS])
def test_posting_a_message_refuses(world, admin, label, changes, status, code):
    refused(admin, "post", f"/cases/{world.own_case.pk}/messages", variant({"body": "Hello"}, **changes), status, code)


def _close(w):
    case_actions.case_change_status(case=w.own_case, target="closed", actor=w.users["supervisor"])


@pytest.mark.parametrize(("role", "internal", "status"), [
    ("customer", False, 409), ("agent", False, 409), ("agent", True, 201),
])
def test_a_closed_case_takes_only_internal_notes(world, role, internal, status):
    _close(world)
    client = api_client(world.users[role])
    body = {"body": "After closing", "internal": internal}
    if status == 409:
        refused(client, "post", f"/cases/{world.own_case.pk}/messages", body, 409, "case_closed")
    else:
        assert send(client, "post", f"/cases/{world.own_case.pk}/messages", body).status_code == 201


# ---- files --------------------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<circle r='4'/></svg>")
BARE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, case, content: bytes | None, name: str = "photo.jpg", **form):
    data = dict(form)
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(f"{API}/cases/{case.pk}/attachments", data)


def _refused_upload(client, case, content, name, status, code, **form):
    before = db_state()
    assert_error(_upload(client, case, content, name, **form), status, code)
    assert db_state() == before


UPLOAD_REFUSALS = [
    ("no-file", None, "x", 422, "invalid_input"),
    ("empty", b"", "photo.jpg", 422, "attachment_empty"),
    ("exe-as-jpg", EXE, "photo.jpg", 415, "unsupported_file_type"),
    ("elf-as-jpg", ELF, "photo.jpg", 415, "unsupported_file_type"),
    ("zip-as-pdf", ZIP, "invoice.pdf", 415, "unsupported_file_type"),
    ("html-as-jpg", HTML, "photo.jpg", 415, "unsupported_file_type"),
    ("html-as-txt", HTML, "notes.txt", 415, "unsupported_file_type"),
    ("svg-as-jpg", SVG, "photo.jpg", 415, "unsupported_file_type"),
    ("bare-svg-as-png", BARE_SVG, "photo.png", 415, "unsupported_file_type"),
    ("binary-junk", bytes(range(256)) * 4, "photo.jpg", 415, "unsupported_file_type"),
]


@pytest.mark.parametrize(("label", "content", "name", "status", "code"), UPLOAD_REFUSALS,
                         ids=[u[0] for u in UPLOAD_REFUSALS])
def test_uploads_that_are_refused(world, admin, label, content, name, status, code):
    _refused_upload(admin, world.own_case, content, name, status, code)


def test_the_internal_flag_must_be_a_boolean(world, admin):
    _refused_upload(admin, world.own_case, png_bytes(), "a.png", 422, "invalid_input", internal="perhaps")


@pytest.mark.parametrize(("content", "name", "content_type", "stored_name"), [
    (png_bytes(7), "x.txt", "image/png", "x.txt.png"),
    (png_bytes(8), "photo.jpg", "image/png", "photo.jpg.png"),
    (png_bytes(9), "photo.PNG", "image/png", "photo.PNG"),
    (PDF, "invoice", "application/pdf", "invoice.pdf"),
    (b"Model WM-D80, serial 123\n", "notes.html", "text/plain", "notes.html.txt"),
    (png_bytes(10), "../../etc/passwd", "image/png", "passwd.png"),
    (png_bytes(11), "C:\\Users\\me\\photo.png", "image/png", "photo.png"),
    (png_bytes(12), "...", "image/png", "attachment.png"),
    (png_bytes(13), "a\x01b\x1fc.png", "image/png", "abc.png"),
    (png_bytes(14), "x" * 300 + ".png", "image/png", "x" * 196 + ".png"),
])
def test_the_type_comes_from_the_bytes_and_the_name_says_so(world, admin, content, name, content_type, stored_name):
    response = _upload(admin, world.own_case, content, name)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["content_type"], body["filename"]) == (content_type, stored_name)
    stored = Attachment.objects.get(pk=body["id"])
    assert (stored.content_type, stored.filename, stored.size) == (content_type, stored_name, len(content))
    download = admin.get(body["url"])
    assert download["Content-Type"] == content_type
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content  # reading to the end closes the file


def test_a_file_over_the_size_limit_is_413_and_one_at_the_limit_is_accepted(world, admin, settings):
    content = png_bytes(3)
    settings.AFTERSALES_MAX_UPLOAD_BYTES = len(content) - 1
    _refused_upload(admin, world.own_case, content, "a.png", 413, "attachment_too_large")
    settings.AFTERSALES_MAX_UPLOAD_BYTES = len(content)
    assert _upload(admin, world.own_case, content, "a.png").status_code == 201


def test_a_customer_cannot_attach_to_a_closed_case(world):
    _close(world)
    _refused_upload(api_client(world.users["customer"]), world.own_case, png_bytes(4), "a.png", 409, "case_closed")


# ---- listing cases ------------------------------------------------------------------------------

def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


LIST_REFUSALS = [
    ("status-unknown", {"status": "done"}, "invalid_input"),
    ("one-of-two-statuses-unknown", {"status": ["open", "done"]}, "invalid_input"),
    ("type-unknown", {"type": "x"}, "invalid_input"),
    ("severity-unknown", {"severity": "x"}, "invalid_input"),
    ("channel-unknown", {"channel": "fax"}, "invalid_input"),
    ("team-not-int", {"team": "a"}, "invalid_input"),
    ("team-zero", {"team": "0"}, "invalid_input"),
    ("team-huge", {"team": str(2**63)}, "invalid_input"),
    ("assignee-huge", {"assignee": "99999999999999999999999"}, "invalid_input"),
    ("customer-negative", {"customer": "-1"}, "invalid_input"),
    ("unassigned-not-bool", {"unassigned": "perhaps"}, "invalid_input"),
    ("tag-too-long", {"tag": "x" * 51}, "invalid_input"),
    ("number-too-long", {"number": "A" * 25}, "invalid_input"),
    ("tag-nul", {"tag": "a\x00b"}, "invalid_input"),
    ("number-nul", {"number": "\x00"}, "invalid_input"),
    ("limit-zero", {"limit": "0"}, "invalid_input"),
    ("limit-negative", {"limit": "-5"}, "invalid_input"),
    ("limit-too-big", {"limit": "201"}, "invalid_input"),
    ("limit-not-int", {"limit": "ten"}, "invalid_input"),
    ("updated-since-naive", {"updated_since": "2026-01-01T00:00:00"}, "invalid_input"),
    ("updated-since-garbage", {"updated_since": "yesterday"}, "invalid_input"),
    ("updated-since-impossible", {"updated_since": "2026-02-30T00:00:00Z"}, "invalid_input"),
    ("cursor-too-long", {"cursor": "A" * 501}, "invalid_input"),
    ("cursor-garbage", {"cursor": "!!!not base64!!!"}, "invalid_cursor"),
    ("cursor-not-json", {"cursor": base64.urlsafe_b64encode(b"\xff\xfe").decode()}, "invalid_cursor"),
    ("cursor-object", {"cursor": _cursor({"a": 1})}, "invalid_cursor"),
    ("cursor-wrong-length", {"cursor": _cursor(["2026-01-01T00:00:00+00:00"])}, "invalid_cursor"),
    ("cursor-naive-time", {"cursor": _cursor(["2026-01-01T00:00:00", 5])}, "invalid_cursor"),
    ("cursor-bad-time", {"cursor": _cursor(["tomorrow", 5])}, "invalid_cursor"),
    ("cursor-id-not-int", {"cursor": _cursor(["2026-01-01T00:00:00+00:00", "5"])}, "invalid_cursor"),
    ("cursor-id-bool", {"cursor": _cursor(["2026-01-01T00:00:00+00:00", True])}, "invalid_cursor"),
]


@pytest.mark.parametrize(("label", "query", "code"), LIST_REFUSALS, ids=[c[0] for c in LIST_REFUSALS])
def test_listing_cases_refuses(world, admin, label, query, code):
    assert_error(admin.get(f"{API}/cases", query), 422, code)


def test_the_cursor_pages_through_every_case_once(world, admin):
    seen, cursor = [], None
    for _ in range(10):
        page = admin.get(f"{API}/cases", {"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(Case.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 4


@pytest.mark.parametrize(("query", "status"), [
    ({"tag": "' OR 1=1 --"}, 200), ({"number": "' OR '1'='1"}, 200), ({"tag": "%"}, 200), ({"number": "_"}, 200),
    ({"status": "open' OR 1=1 --"}, 422),
])
def test_an_sql_like_filter_matches_nothing(world, admin, query, status):
    response = admin.get(f"{API}/cases", query)
    if status == 200:
        assert response.status_code == 200
        assert response.json()["items"] == []
    else:
        assert_error(response, 422, "invalid_input")


# ---- paths and methods --------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/nope", "/v2/cases", f"/cases/{MISSING}/nope", "/Cases", "/cases/1/attachments", "/customers/1/identities/1",
    "/cases/", "/api/v1/cases", "/tokens/1/2",
])
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_unknown_paths_are_404_json(world, admin, path, signed_in):
    from django.test import Client

    client = admin if signed_in else Client()
    url = f"{API}{path}" if path != "/cases/1/attachments" else f"{API}/cases/1/attachments/"
    assert_error(client.get(url), 404, "not_found")


@pytest.mark.parametrize("path", [
    "/cases/abc", "/cases/1.5", "/cases/%00", "/cases/1e3/timeline", "/cases/1/attachments/x", "/customers/abc",
    "/units/%20", "/purchases/0x10", "/product-models/one",
])
def test_an_id_that_is_not_a_number_is_422_once_signed_in_and_401_before(world, admin, path):
    from django.test import Client

    error = assert_error(admin.get(f"{API}{path}"), 422, "invalid_input")
    assert error["errors"][0]["type"] == "int_parsing"
    assert_error(Client().get(f"{API}{path}"), 401, "not_authenticated")


@pytest.mark.parametrize(("method", "path"), [
    ("put", "/cases/{case}"), ("delete", "/cases/{case}"), ("delete", "/cases"), ("put", "/cases"),
    ("post", "/cases/{case}/timeline"), ("patch", "/cases/{case}/messages"), ("get", "/cases/{case}/messages"),
    ("get", "/cases/{case}/attachments"), ("delete", "/cases/{case}/attachments/1"), ("post", "/me"),
    ("put", "/tokens"), ("get", "/tokens/1"), ("delete", "/customers/{customer}"), ("put", "/units/1"),
    ("delete", "/purchases/1"), ("get", "/purchases/import"), ("delete", "/product-models/1"),
])
def test_wrong_methods_are_405_json(world, admin, method, path):
    url = API + path.format(case=world.own_case.pk, customer=world.me.pk)
    before = db_state()
    response = getattr(admin, method)(url)
    assert_error(response, 405, "method_not_allowed")
    assert response.has_header("Allow")
    assert method.upper() not in response["Allow"]
    assert db_state() == before
