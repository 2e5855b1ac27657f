"""Hostile input to every form of the work-record pages: NUL characters, digits that are not
ASCII, numbers too long for any column, negative or out-of-range minutes and quantities, ids
of other work orders' visits, cards and reservations, oversized or forged signatures, files
that are not photos, steps out of order. With htmx each answer is a 4xx with the refusal
beside its form; without, a redirect with the message; never a 500, and nothing is written —
no row, no audit entry, no timeline event, no file."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aftersales.accounts.models import Role
from aftersales.cases.models import CaseEntry
from aftersales.core.audit import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.desk.tests.work_support import (
    bench_job,
    dispatched,
    image_bytes,
    signature_data_url,
    stock,
    waiting_for_inspection,
)
from aftersales.parts.actions import stock_reserve
from aftersales.parts.models import Reservation, StockLevel, StockMovement
from aftersales.repairs.actions_work import visit_finish, visit_start
from aftersales.repairs.models import WorkOrder
from aftersales.repairs.models_work import Inspection, LabourEntry, PartUsed, RepairCard, Visit, VisitPhoto

pytestmark = pytest.mark.django_db

BAD_IDS = ["a\x00b", "²", "١٢", "9" * 30, "9" * 5000, "-1", "", " ", "1.5", "0x10"]
BAD_TEXT = ["a\x00b", "x" * 20_000]
CLASS_C = {"billing_class": "C", "billing_reason": "Under warranty"}


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 0, 255)).save(out, "PNG")
    return out.getvalue()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


BIG_PNG = Image.frombytes("RGB", (700, 400), os.urandom(700 * 400 * 3))
_buffer = io.BytesIO()
BIG_PNG.save(_buffer, "PNG")
BAD_SIGNATURES = [
    "", "a\x00b", "²", "9" * 5000,
    "data:image/png;base64,",
    "data:image/png;base64,!!not base64!!",
    "data:image/png;base64," + _b64(b"plain text, not a picture"),
    "data:image/png;base64," + _b64(_png((2, 2))),  # not a drawn signature's size
    "data:image/png;base64," + _b64(_png((5000, 20))),  # wider than any screen
    "data:image/png;base64," + _b64(_png((240, 90))[:150]),  # truncated
    "data:image/png;base64," + _b64(b"\x89PNG\r\n\x1a\n" + b"<svg onload=alert(1)>" * 20),
    "data:image/gif;base64," + _b64(b"GIF89a" + b"\x00" * 64),
    "data:image/svg+xml;base64," + _b64(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    "data:image/png;base64," + _b64(_buffer.getvalue()),  # over 512 KB
    "data:image/png;base64," + "A" * 800_000,  # too long before it is even decoded
    "javascript:alert(1)",
]


@pytest.fixture
def world(supervisor, team):
    tech = UserFactory(role=Role.TECHNICIAN, teams=[team], display_name="Li Technician")
    onsite = dispatched(supervisor, tech)
    visit = visit_start(work_order=onsite, actor=tech)
    failed = dispatched(supervisor, tech)
    visit_finish(visit=visit_start(work_order=failed, actor=tech), outcome="failed", actor=tech)
    other_site = dispatched(supervisor, tech)
    other_visit = visit_start(work_order=other_site, actor=tech)
    bench = bench_job(supervisor, technician=tech, **CLASS_C)
    other = bench_job(supervisor, **CLASS_C)
    part, warehouse = stock(quantity=10)
    reservation = stock_reserve(part=part, location=warehouse, quantity=3, reference=bench.number, actor=supervisor)
    other_reservation = stock_reserve(part=part, location=warehouse, quantity=2, reference=other.number,
                                      actor=supervisor)
    inspecting = waiting_for_inspection(supervisor, **CLASS_C)
    return {"tech": tech, "onsite": onsite, "visit": visit, "failed": failed, "other_visit": other_visit,
            "bench": bench, "card": bench.repair_card, "other_card": other.repair_card, "part": part,
            "warehouse": warehouse, "reservation": reservation, "other_reservation": other_reservation,
            "inspecting": inspecting, "inspecting_card": inspecting.repair_card}


def _files() -> int:
    root = Path(django_settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def _state():
    return (Visit.objects.count(), Visit.objects.filter(departed_at__isnull=True).count(),
            sorted(Visit.objects.values_list("outcome", "signed_by", "refusal_reason")), VisitPhoto.objects.count(),
            RepairCard.objects.count(), RepairCard.objects.filter(closed_at__isnull=False).count(),
            LabourEntry.objects.count(), PartUsed.objects.count(), Inspection.objects.count(),
            StockMovement.objects.count(), sorted(Reservation.objects.values_list("pk", "state")),
            sorted(StockLevel.objects.values_list("on_hand", "reserved")),
            sorted(WorkOrder.objects.values_list("number", "status", "kind")),
            AuditEntry.objects.count(), CaseEntry.objects.count(), _files())


def _refused(client, url: str, data: dict, what) -> None:
    """The htmx answer is a 4xx shown beside a form; the plain one a redirect; neither writes."""
    before = _state()
    response = client.post(url, data, **HTMX)
    assert 400 <= response.status_code < 500, (what, response.status_code)
    assert 'role="alert"' in response.content.decode(), what
    plain = client.post(url, data)
    assert plain.status_code == 302, (what, plain.status_code)
    assert _state() == before, what


def _variants(base: dict, field: str, values) -> list[tuple[dict, str]]:
    return [({**base, field: value}, f"{field}={value!r:.40}") for value in values]


def test_the_visit_forms_refuse_hostile_input(supervisor, world):
    client = client_for(supervisor)
    onsite, visit = world["onsite"], world["visit"]
    finish = f"/desk/work-orders/{onsite.pk}/visit/finish/"
    good = {"visit": visit.pk, "outcome": "signed_off", "signed_by": "Chen", "signature": signature_data_url(),
            "findings": "ok", "work_done": "ok", "refusal_reason": ""}
    cases = (_variants(good, "visit", [*BAD_IDS, str(world["other_visit"].pk)])
             + _variants(good, "outcome", ["a\x00b", "²", "", "SIGNED_OFF", "x" * 20_000])
             + _variants(good, "signed_by", [*BAD_TEXT, "   "])
             + _variants(good, "findings", BAD_TEXT) + _variants(good, "work_done", BAD_TEXT)
             + _variants(good, "signature", BAD_SIGNATURES)
             + _variants({**good, "outcome": "refused", "signature": ""}, "refusal_reason", [*BAD_TEXT, ""]))
    cases.append(({k: v for k, v in good.items() if k != "signature"}, "no signature field"))
    for data, what in cases:
        _refused(client, finish, data, what)
    # the same form, well filled, is accepted: the refusals above were the input's
    assert client.post(finish, good, **HTMX).status_code == 200


def test_the_photo_form_refuses_what_is_not_a_photo(supervisor, world, settings):
    client = client_for(supervisor)
    onsite, visit = world["onsite"], world["visit"]
    url = f"/desk/work-orders/{onsite.pk}/visit/photos/"

    def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
        return SimpleUploadedFile(name, content, content_type)

    files = [
        ("text", upload(b"just some words", "notes.jpg")),
        ("pdf", upload(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.jpg")),
        ("html", upload(b"<html><script>alert(1)</script></html>", "x.png", "image/png")),
        ("svg", upload(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.svg", "image/svg+xml")),
        ("empty", upload(b"", "empty.jpg")),
        ("zip", upload(b"PK\x03\x04" + b"\x00" * 100, "photo.jpg")),
    ]
    for what, file in files:
        file.seek(0)
        _refused(client, url, {"visit": visit.pk, "caption": "", "photo": file}, what)
    _refused(client, url, {"visit": visit.pk, "caption": ""}, "no file")
    for value in [*BAD_IDS, str(world["other_visit"].pk)]:
        _refused(client, url, {"visit": value, "photo": upload(image_bytes("JPEG"))}, f"visit={value!r:.30}")
    for value in BAD_TEXT:
        _refused(client, url, {"visit": visit.pk, "caption": value, "photo": upload(image_bytes("JPEG"))}, "caption")
    settings.AFTERSALES_MAX_UPLOAD_BYTES = 1000
    _refused(client, url, {"visit": visit.pk, "photo": upload(image_bytes("PNG", (400, 400)), "big.png")}, "size")


def test_the_carry_in_form_and_steps_out_of_order_are_refused(supervisor, world):
    client = client_for(supervisor)
    failed, onsite, bench = world["failed"], world["onsite"], world["bench"]
    for value in [*BAD_TEXT, "", "   ", "x" * 301]:
        _refused(client, f"/desk/work-orders/{failed.pk}/visit/carry-in/", {"reason": value}, f"reason={value!r:.30}")
    # a visit still going on, or a carry-in job: nothing to convert
    _refused(client, f"/desk/work-orders/{onsite.pk}/visit/carry-in/", {"reason": "bench"}, "visit open")
    _refused(client, f"/desk/work-orders/{bench.pk}/visit/carry-in/", {"reason": "bench"}, "carry-in already")
    # a visit while one is open; a visit to a carry-in job
    _refused(client, f"/desk/work-orders/{onsite.pk}/visit/start/", {}, "second visit")
    _refused(client, f"/desk/work-orders/{bench.pk}/visit/start/", {}, "carry-in visit")
    # finishing on the wrong work order: the visit belongs to another one
    _refused(client, f"/desk/work-orders/{bench.pk}/visit/finish/",
             {"visit": world["visit"].pk, "outcome": "no_one_home"}, "visit of another work order")


def test_the_card_forms_refuse_hostile_input(supervisor, world):
    client = client_for(supervisor)
    bench, card = world["bench"], world["card"]
    other_ids = [*BAD_IDS, str(world["other_card"].pk), str(world["inspecting_card"].pk)]
    base = f"/desk/work-orders/{bench.pk}/card/"

    labour = {"card": card.pk, "technician": world["tech"].pk, "minutes": "30", "note": ""}
    customer = CustomerUserFactory()
    agent = UserFactory(role=Role.AGENT)
    cases = [("labour/", d, w) for d, w in (
        _variants(labour, "card", other_ids)
        + _variants(labour, "technician", [*BAD_IDS, str(customer.pk), str(agent.pk)])
        + _variants(labour, "minutes", [*BAD_IDS, "0", "-5", "1441", "1e3", "٣٠", "30.0"])
        + _variants(labour, "note", BAD_TEXT))]

    reserved = {"card": card.pk, "reservation": world["reservation"].pk, "quantity": "1", "note": ""}
    cases += [("parts/", d, w) for d, w in (
        _variants(reserved, "card", other_ids)
        + _variants(reserved, "reservation", [*BAD_IDS, str(world["other_reservation"].pk)])
        + _variants(reserved, "quantity", ["a\x00b", "²", "9" * 30, "9" * 5000, "-1", "0", "4", "1.5"])
        + _variants(reserved, "note", BAD_TEXT))]

    part, warehouse = world["part"], world["warehouse"]
    taken = {"card": card.pk, "stock": f"{part.pk}:{warehouse.pk}", "quantity": "1", "note": ""}
    cases += [("parts/", d, w) for d, w in (
        _variants(taken, "card", other_ids)
        + _variants(taken, "stock", [*BAD_IDS, "1:²", f"{part.pk}:", f":{warehouse.pk}", f"{part.pk}:999999",
                                     f"999999:{warehouse.pk}", f"{part.pk}:{warehouse.pk}:1", "9" * 5000 + ":1"])
        + _variants(taken, "quantity", [*BAD_IDS, "0", "6", "1000001", "9999999"])  # 5 are free
        + _variants(taken, "note", BAD_TEXT))]

    close = {"card": card.pk, "result": "fixed", "fault_code": "E1", "root_cause": "Belt"}
    cases += [("close/", d, w) for d, w in (
        _variants(close, "card", other_ids)
        + _variants(close, "result", ["a\x00b", "²", "", "FIXED", "x" * 20_000])
        + _variants(close, "fault_code", [*BAD_TEXT, "", "x" * 41])
        + _variants(close, "root_cause", BAD_TEXT))]

    for step, data, what in cases:
        _refused(client, base + step, data, (step, what))
    # a second card; inspecting a card that is still open
    _refused(client, base + "open/", {}, "second card")
    _refused(client, base + "inspect/", {"card": card.pk, "outcome": "passed"}, "open card inspected")
    # each form, well filled, is accepted: the refusals above were the input's
    for step, data in (("labour/", labour), ("parts/", reserved), ("parts/", taken), ("close/", close)):
        assert client.post(base + step, data, **HTMX).status_code == 200, step


def test_the_inspection_form_refuses_hostile_input(supervisor, world):
    client = client_for(supervisor)
    inspecting = world["inspecting"]
    url = f"/desk/work-orders/{inspecting.pk}/card/inspect/"
    good = {"card": world["inspecting_card"].pk, "outcome": "sent_back", "note": "Loose clamp"}
    cases = (_variants(good, "card", [*BAD_IDS, str(world["card"].pk)])
             + _variants(good, "outcome", ["a\x00b", "²", "", "PASSED", "x" * 20_000])
             + _variants(good, "note", [*BAD_TEXT, "", "   "]))
    for data, what in cases:
        _refused(client, url, data, what)
    assert client.post(url, good, **HTMX).status_code == 200


def test_a_body_over_the_limit_is_a_400(supervisor, world):
    client = client_for(supervisor)
    before = _state()
    response = client.post(f"/desk/work-orders/{world['onsite'].pk}/visit/finish/", {
        "visit": world["visit"].pk, "outcome": "signed_off", "signed_by": "Chen",
        "signature": "data:image/png;base64," + "A" * (6 * 1024 * 1024)}, **HTMX)
    assert response.status_code == 400
    assert _state() == before
