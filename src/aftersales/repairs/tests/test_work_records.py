"""The work records of a work order, through the actions: visits (signed off with a drawn PNG,
refused with a reason, failed and turned into a carry-in), the repair card (labour, parts from
stock), the link to the unit's earlier repair and what the entitlement facts make of it, and
the supervisor's inspection (sent back, then passed)."""

from __future__ import annotations

import base64
import io
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.cases.models import CaseEntry
from aftersales.core.audit import AuditEntry
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.tests.factories import CaseFactory, CustomerFactory, OrderLineFactory, UnitFactory, UserFactory
from aftersales.parts.actions import stock_receive, stock_reserve
from aftersales.parts.models import Reservation, StockLevel
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.parts.tests.support import ledger_matches_levels, parts_state
from aftersales.policies.case_facts import facts_for_case
from aftersales.repairs.actions import work_order_dispatch, work_order_move, work_order_open
from aftersales.repairs.actions_work import (
    inspection_record,
    labour_add,
    part_use,
    repair_card_close,
    repair_card_open,
    visit_add_photo,
    visit_finish,
    visit_start,
    work_order_convert_to_carry_in,
)
from aftersales.repairs.models_work import Inspection, LabourEntry, PartUsed, RepairCard, Visit, VisitPhoto
from aftersales.repairs.selectors import unit_repair_history, work_records

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def png(size: tuple[int, int] = (240, 90), *, noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGBA", size, (255, 255, 255, 0))
        for x in range(min(20, size[0] - 1), min(200, size[0])):
            image.putpixel((x, min(45 + (x % 7), size[1] - 1)), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff():
    return (UserFactory(role=Role.SUPERVISOR, display_name="Wang Supervisor"),
            UserFactory(role=Role.TECHNICIAN, display_name="Li Technician"))


@pytest.fixture
def on_site(staff):
    """A dispatched on-site work order on a case about a unit."""
    supervisor, tech = staff
    unit = UnitFactory(serial_number="SN-7")
    case = case_open(customer=CustomerFactory(), subject="Washer leaks", actor=None, unit=unit,
                     at=at("2026-03-02 08:00"))
    wo = work_order_open(actor=supervisor, kind="on_site", case=case, at=at("2026-03-02 09:00"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-03 12:00"), actor=supervisor, at=at("2026-03-02 09:10"))
    return wo


def events_of(wo) -> list[str]:
    return list(CaseEntry.objects.filter(case=wo.case, event__isnull=False).exclude(event="")
                .order_by("created_at", "id").values_list("event", flat=True))


def actions_audited() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def in_progress(wo, tech, *, card: bool = True):
    visit = visit_start(work_order=wo, actor=tech, at=at("2026-03-03 09:20"))
    visit_finish(visit=visit, outcome="signed_off", signed_by="陳大文", signature=png(), actor=tech,
                 findings="drain pump blocked", work_done="cleared the pump", at=at("2026-03-03 10:30"))
    return repair_card_open(work_order=wo, actor=tech, at=at("2026-03-03 09:30")) if card else None


def accept_a_quote(wo, tech) -> None:
    """The customer agrees to the paid work on the spot (charges): a quote from the work so far."""
    from aftersales.charges.actions import quote_accept, quote_build_from_work, quote_send
    from aftersales.charges.tests.support import price_list

    price_list()
    quote = quote_build_from_work(work_order=wo, actor=tech)
    quote_send(quote=quote, actor=tech)
    quote_accept(quote=quote, actor=tech, channel="on_site", name="陳大文")


# ---- visits ------------------------------------------------------------------------------------

def test_a_visit_signed_off_with_a_drawn_signature(staff, on_site, media):
    _supervisor, tech = staff
    drawn = png()
    visit = visit_start(work_order=on_site, actor=tech, at=at("2026-03-03 09:20"))
    on_site.refresh_from_db()
    assert (visit.technician, visit.arrived_at, on_site.status) == (tech, at("2026-03-03 09:20"), "in_progress")
    visit_finish(visit=visit, outcome="signed_off", signed_by=" 陳大文 ", signature=data_url(drawn), actor=tech,
                 findings="drain pump blocked by a coin", work_done="cleared the pump, tested a cycle",
                 at=at("2026-03-03 10:30"))
    visit.refresh_from_db()
    assert (visit.outcome, visit.signed_by, visit.departed_at) == ("signed_off", "陳大文", at("2026-03-03 10:30"))
    assert visit.signature.name.startswith("repairs/signatures/") and visit.signature.name.endswith(".png")
    with visit.signature.open("rb") as stored:
        assert stored.read() == drawn
    assert events_of(on_site)[-3:] == ["work_order_status", "visit_started", "visit_finished"]
    assert CaseEntry.objects.get(case=on_site.case, event="visit_finished").is_public
    finished = AuditEntry.objects.get(action="visit.finished")
    assert (finished.object_id, finished.after["outcome"], finished.after["signed_by"]) == (
        str(visit.pk), "signed_off", "陳大文")
    assert actions_audited()[-3:] == ["work_order.status_changed", "visit.started", "visit.finished"]
    with pytest.raises(Conflict) as twice:
        visit_finish(visit=visit, outcome="no_one_home", actor=tech)
    assert twice.value.code == "visit_finished"


BIG = png((700, 400), noise=True)
assert len(BIG) > 512 * 1024


@pytest.mark.parametrize(("signature", "code"), [
    (b"GIF89a" + b"\x00" * 64, "signature_invalid"),  # not a PNG at all
    (b"\x89PNG\r\n\x1a\n" + b"<svg onload=alert(1)>" * 20, "signature_invalid"),  # PNG magic, then junk
    (png()[:120], "signature_invalid"),  # truncated: fails when decoded
    (png((2, 2)), "signature_invalid"),  # not a drawn signature's dimensions
    (BIG, "signature_too_large"),
    (data_url(BIG), "signature_too_large"),
    ("data:image/png;base64,!!not base64!!", "signature_invalid"),
    ("data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode(), "signature_invalid"),
    ("data:image/png;base64," + base64.b64encode(b"plain text").decode(), "signature_invalid"),
    (12345, "signature_invalid"),
    (b"", "signature_required"),
    (None, "signature_required"),
])
def test_a_bad_signature_is_refused_and_nothing_is_written(staff, on_site, media, signature, code):
    _supervisor, tech = staff
    visit = visit_start(work_order=on_site, actor=tech, at=at("2026-03-03 09:20"))
    audit_before, events_before = AuditEntry.objects.count(), CaseEntry.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        visit_finish(visit=visit, outcome="signed_off", signed_by="陳大文", signature=signature, actor=tech,
                     at=at("2026-03-03 10:30"))
    assert refused.value.code == code
    visit.refresh_from_db()
    assert (visit.departed_at, visit.outcome, visit.signed_by, visit.signature.name) == (None, "", "", "")
    assert (AuditEntry.objects.count(), CaseEntry.objects.count()) == (audit_before, events_before)
    assert not (media / "repairs").exists()


def test_sign_off_needs_a_name_and_a_refusal_needs_a_reason(staff, on_site):
    _supervisor, tech = staff
    visit = visit_start(work_order=on_site, actor=tech, at=at("2026-03-03 09:20"))
    with pytest.raises(ValidationFailed) as unnamed:
        visit_finish(visit=visit, outcome="signed_off", signed_by="  ", signature=png(), actor=tech)
    assert unnamed.value.code == "signature_required"
    with pytest.raises(ValidationFailed) as why:
        visit_finish(visit=visit, outcome="refused", refusal_reason="   ", actor=tech)
    assert why.value.code == "reason_required"
    with pytest.raises(ValidationFailed) as unknown:
        visit_finish(visit=visit, outcome="went_home", actor=tech)
    assert unknown.value.code == "visit_outcome_invalid"
    with pytest.raises(ValidationFailed) as early:
        visit_finish(visit=visit, outcome="no_one_home", actor=tech, at=at("2026-03-03 09:00"))
    assert early.value.code == "visit_times_invalid"
    visit_finish(visit=visit, outcome="refused", refusal_reason="wants the whole machine replaced",
                 signed_by="ignored", actor=tech, at=at("2026-03-03 10:00"))
    visit.refresh_from_db()
    assert (visit.outcome, visit.refusal_reason, visit.signed_by, visit.signature.name) == (
        "refused", "wants the whole machine replaced", "", "")
    assert AuditEntry.objects.get(action="visit.finished").after["refusal_reason"] == "wants the whole machine replaced"


def test_a_failed_visit_is_dispatched_again_or_turned_into_a_carry_in(staff, on_site):
    supervisor, tech = staff
    first = visit_start(work_order=on_site, actor=tech, at=at("2026-03-03 09:20"))
    with pytest.raises(Conflict) as open_visit:
        visit_start(work_order=on_site, actor=tech)
    assert open_visit.value.code == "visit_in_progress"
    with pytest.raises(Conflict) as busy:
        work_order_convert_to_carry_in(work_order=on_site, reason="needs the bench", actor=supervisor)
    assert busy.value.code == "visit_in_progress"
    visit_finish(visit=first, outcome="no_one_home", actor=tech, at=at("2026-03-03 09:25"))
    on_site.refresh_from_db()
    assert on_site.status == "in_progress"
    work_order_dispatch(work_order=on_site, technician=tech, window_start=at("2026-03-04 09:00"),
                        window_end=at("2026-03-04 12:00"), actor=supervisor, at=at("2026-03-03 11:00"))
    second = visit_start(work_order=on_site, actor=tech, at=at("2026-03-04 09:10"))
    visit_finish(visit=second, outcome="failed", findings="motor burnt; bench job", actor=tech,
                 at=at("2026-03-04 10:00"))
    on_site.refresh_from_db()
    assert on_site.status == "in_progress"
    with pytest.raises(ValidationFailed) as no_reason:
        work_order_convert_to_carry_in(work_order=on_site, reason=" ", actor=supervisor)
    assert no_reason.value.code == "reason_required"
    work_order_convert_to_carry_in(work_order=on_site, reason="motor must be rewound in the workshop",
                                   actor=supervisor, at=at("2026-03-04 11:00"))
    on_site.refresh_from_db()
    assert (on_site.kind, on_site.status) == ("carry_in", "in_progress")
    row = AuditEntry.objects.get(action="work_order.converted_to_carry_in")
    assert (row.before, row.after) == ({"kind": "on_site"},
                                       {"kind": "carry_in", "reason": "motor must be rewound in the workshop"})
    assert events_of(on_site)[-1] == "work_order_kind"
    with pytest.raises(Conflict) as carry_in:
        visit_start(work_order=on_site, actor=tech)
    assert carry_in.value.code == "work_order_not_on_site"
    with pytest.raises(Conflict) as again:
        work_order_convert_to_carry_in(work_order=on_site, reason="again", actor=supervisor)
    assert again.value.code == "work_order_not_on_site"
    assert [v.outcome for v in work_records(work_order=on_site)[0]] == ["no_one_home", "failed"]


def test_a_visit_needs_a_dispatched_order(staff):
    supervisor, tech = staff
    wo = work_order_open(actor=supervisor, kind="on_site", customer=CustomerFactory())
    with pytest.raises(Conflict) as registered:
        visit_start(work_order=wo, actor=tech)
    assert registered.value.code == "work_order_not_in_progress"
    assert not Visit.objects.exists()


def test_visit_photos_are_checked(staff, on_site):
    _supervisor, tech = staff
    visit = visit_start(work_order=on_site, actor=tech, at=at("2026-03-03 09:20"))
    photo = visit_add_photo(visit=visit, content=png((640, 480)), filename="../../pump.PNG", caption="the coin",
                            actor=tech)
    assert (photo.content_type, photo.filename, photo.caption) == ("image/png", "pump.PNG", "the coin")
    with pytest.raises(ValidationFailed) as text:
        visit_add_photo(visit=visit, content=b"just some words", filename="notes.png", actor=tech)
    assert text.value.code == "visit_photo_invalid"
    assert VisitPhoto.objects.count() == 1
    assert AuditEntry.objects.filter(action="visit.photo_added").count() == 1
    assert events_of(on_site).count("visit_photo") == 1


# ---- the repair card, labour and parts -------------------------------------------------------

@pytest.fixture
def stock(staff):
    supervisor, _tech = staff
    part = PartFactory(sku="PUMP-1")
    van = LocationFactory(code="van-li")
    stock_receive(part=part, location=van, quantity=5, actor=supervisor)
    return part, van


def test_a_repair_card_with_labour_and_parts_from_stock(staff, on_site, stock):
    supervisor, tech = staff
    part, van = stock
    with pytest.raises(Conflict) as not_yet:
        repair_card_open(work_order=on_site, actor=tech)  # dispatched, nobody there yet
    assert not_yet.value.code == "work_order_not_in_progress"
    card = in_progress(on_site, tech)
    assert card.repeat_of is None
    with pytest.raises(Conflict) as exists:
        repair_card_open(work_order=on_site, actor=tech)
    assert exists.value.code == "repair_card_exists"
    labour_add(card=card, technician=tech, minutes=70, note="diagnosis and pump", actor=tech)
    labour_add(card=card, technician=supervisor, minutes=15, actor=supervisor)
    for bad in (0, -5, 24 * 60 + 1, 1.5, True, "30"):
        with pytest.raises(ValidationFailed) as minutes:
            labour_add(card=card, technician=tech, minutes=bad, actor=tech)
        assert minutes.value.code == "labour_minutes_invalid"
    with pytest.raises(ValidationFailed) as agent:
        labour_add(card=card, technician=UserFactory(role=Role.AGENT), minutes=10, actor=tech)
    assert agent.value.code == "technician_invalid"

    # paid (class A) work: parts are fitted only once the customer has accepted a quote
    with pytest.raises(Conflict) as unagreed:
        part_use(card=card, part=part, location=van, quantity=2, actor=tech)
    assert unagreed.value.code == "quote_not_accepted"
    assert not Reservation.objects.exists()
    accept_a_quote(on_site, tech)

    part.unit_cost = "40.00"
    part.save()
    used = part_use(card=card, part=part, location=van, quantity=2, actor=tech, note="new pump")
    part.unit_cost = "99.00"  # a later price change does not touch what was used
    part.save()
    used.refresh_from_db()
    assert (used.quantity, str(used.unit_cost), used.reservation.state, used.reservation.reference) == (
        2, "40.00", "consumed", on_site.number)
    assert used.movement.case_id == on_site.case_id and used.movement.quantity == -2
    level = StockLevel.objects.get(part=part, location=van)
    assert (level.on_hand, level.reserved) == (3, 0)

    # a reservation made earlier for this work order is consumed (part of it; the rest released)
    held = stock_reserve(part=part, location=van, quantity=2, reference=on_site.number, actor=tech)
    part_use(card=card, reservation=held, quantity=1, actor=tech)
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (2, 0)
    other = stock_reserve(part=part, location=van, quantity=1, reference="WO-2026-999999", actor=tech)
    with pytest.raises(Conflict) as foreign:
        part_use(card=card, reservation=other, actor=tech)
    assert foreign.value.code == "reservation_other_work_order"
    ledger_matches_levels()

    # out of stock: the parts error passes through and nothing is half-written
    before = (parts_state(), PartUsed.objects.count(), CaseEntry.objects.count())
    with pytest.raises(Conflict) as short:
        part_use(card=card, part=part, location=van, quantity=5, actor=tech)
    assert short.value.code == "out_of_stock"
    assert (parts_state(), PartUsed.objects.count(), CaseEntry.objects.count()) == before
    assert not Reservation.objects.filter(quantity=5).exists()

    _visits, loaded = work_records(work_order=on_site)
    assert sum(e.minutes for e in loaded.labour.all()) == 85
    assert [(p.part.sku, p.quantity) for p in loaded.parts.all()] == [("PUMP-1", 2), ("PUMP-1", 1)]
    assert events_of(on_site).count("repair_labour") == 2 and events_of(on_site).count("repair_part_used") == 2
    audited = actions_audited()
    assert audited.count("repair.labour_added") == 2 and audited.count("repair.part_used") == 2
    assert audited.count("repair.card_opened") == 1


def test_closing_the_card_needs_result_fault_and_cause(staff, on_site):
    _supervisor, tech = staff
    card = in_progress(on_site, tech)
    for result, fault, cause in (("mended", "E21", "coin"), ("fixed", " ", "coin"), ("fixed", "E21", "")):
        with pytest.raises(ValidationFailed) as incomplete:
            repair_card_close(card=card, result=result, fault_code=fault, root_cause=cause, actor=tech)
        assert incomplete.value.code == "repair_card_incomplete"
    card.refresh_from_db()
    assert card.closed_at is None
    repair_card_close(card=card, result="no_fault_found", fault_code="nff", root_cause="", actor=tech)
    card.refresh_from_db()
    on_site.refresh_from_db()
    assert (card.result, card.fault_code, on_site.status) == ("no_fault_found", "NFF", "inspecting")


# ---- inspection ---------------------------------------------------------------------------------

def test_inspection_sends_back_once_then_passes(staff, on_site, stock):
    supervisor, tech = staff
    part, van = stock
    card = in_progress(on_site, tech)
    labour_add(card=card, technician=tech, minutes=60, actor=tech)
    with pytest.raises(Conflict) as open_card:
        inspection_record(card=card, outcome="passed", actor=supervisor)
    assert open_card.value.code == "repair_card_not_closed"
    repair_card_close(card=card, result="fixed", fault_code="E21", root_cause="coin in the drain pump", actor=tech,
                      at=at("2026-03-03 11:00"))
    on_site.refresh_from_db()
    assert on_site.status == "inspecting"
    for late in (lambda: labour_add(card=card, technician=tech, minutes=5, actor=tech),
                 lambda: part_use(card=card, part=part, location=van, quantity=1, actor=tech),
                 lambda: repair_card_close(card=card, result="fixed", fault_code="E1", root_cause="x", actor=tech)):
        with pytest.raises(Conflict) as closed:
            late()
        assert closed.value.code == "repair_card_closed"

    with pytest.raises(PermissionDenied) as tech_inspects:
        inspection_record(card=card, outcome="passed", actor=tech)
    assert tech_inspects.value.code == "permission_denied"
    assert not Inspection.objects.exists()
    with pytest.raises(ValidationFailed) as silent:
        inspection_record(card=card, outcome="sent_back", note=" ", actor=supervisor)
    assert silent.value.code == "reason_required"

    inspection_record(card=card, outcome="sent_back", note="hose clamp loose", actor=supervisor,
                      at=at("2026-03-03 12:00"))
    card.refresh_from_db()
    on_site.refresh_from_db()
    assert (card.closed_at, card.result, on_site.status) == (None, "fixed", "in_progress")
    labour_add(card=card, technician=tech, minutes=10, note="tightened the clamp", actor=tech)
    repair_card_close(card=card, result="fixed", fault_code="E21", root_cause="coin; clamp", actor=tech,
                      at=at("2026-03-03 13:00"))
    inspection_record(card=card, outcome="passed", actor=supervisor, at=at("2026-03-03 13:30"))
    on_site.refresh_from_db()
    assert on_site.status == "ready"
    with pytest.raises(Conflict) as twice:
        inspection_record(card=card, outcome="passed", actor=supervisor)
    assert twice.value.code == "work_order_invalid_transition"
    assert [(i.outcome, i.note) for i in Inspection.objects.order_by("at")] == [
        ("sent_back", "hose clamp loose"), ("passed", "")]
    assert LabourEntry.objects.filter(card=card).count() == 2

    statuses = list(CaseEntry.objects.filter(case=on_site.case, event="work_order_status")
                    .values_list("data__after", flat=True))
    assert statuses == ["in_progress", "inspecting", "in_progress", "inspecting", "ready"]
    assert events_of(on_site).count("repair_card_closed") == 2 and events_of(on_site).count("repair_inspected") == 2
    audited = actions_audited()
    assert audited.count("repair.card_closed") == 2
    assert (audited.count("repair.inspection_sent_back"), audited.count("repair.inspection_passed")) == (1, 1)


def test_an_administrator_may_inspect(staff, on_site):
    _supervisor, tech = staff
    card = in_progress(on_site, tech)
    repair_card_close(card=card, result="fixed", fault_code="E1", root_cause="x", actor=tech)
    for role in (Role.AGENT, Role.CUSTOMER):
        with pytest.raises(PermissionDenied):
            inspection_record(card=card, outcome="passed", actor=UserFactory(role=role))
    inspection_record(card=card, outcome="passed", actor=UserFactory(role=Role.ADMINISTRATOR))
    assert Inspection.objects.get().outcome == "passed"


# ---- the second failure of the same unit -----------------------------------------------------------

def _repair(unit, *, case, supervisor, tech, day: str, result: str = "fixed") -> RepairCard:
    wo = work_order_open(actor=supervisor, kind="carry_in", case=case, unit=unit,
                         customer=None if case else CustomerFactory(), at=at(f"{day} 09:00"))
    work_order_move(work_order=wo, target="in_progress", actor=supervisor, at=at(f"{day} 09:30"))
    card = repair_card_open(work_order=wo, actor=tech, at=at(f"{day} 10:00"))
    repair_card_close(card=card, result=result, fault_code="E21", root_cause="pump", actor=tech,
                      at=at(f"{day} 15:00"))
    inspection_record(card=card, outcome="passed", actor=supervisor, at=at(f"{day} 16:00"))
    return card


def test_a_second_failure_links_to_the_first_repair_and_feeds_the_facts(staff):
    supervisor, tech = staff
    line = OrderLineFactory()
    unit = UnitFactory(order_line=line)
    other_unit = UnitFactory()
    # the first repair came through a case that was resolved: counted once, by its card
    first_case = CaseFactory(unit=unit, purchase=line.purchase, customer=line.purchase.customer, status="resolved",
                             created_at=at("2026-01-05 08:00"), resolved_at=at("2026-01-09 08:00"))
    first = _repair(unit, case=first_case, supervisor=supervisor, tech=tech, day="2026-01-06")
    _repair(other_unit, case=None, supervisor=supervisor, tech=tech, day="2026-01-07")
    nff = _repair(unit, case=None, supervisor=supervisor, tech=tech, day="2026-02-01", result="no_fault_found")
    assert nff.repeat_of == first
    second_case = CaseFactory(unit=unit, purchase=line.purchase, customer=line.purchase.customer,
                              created_at=at("2026-03-01 08:00"))
    second = _repair(unit, case=second_case, supervisor=supervisor, tech=tech, day="2026-03-02")
    assert second.repeat_of == nff  # the latest earlier card of the unit
    assert second.repeat_of.repeat_of == first
    assert CaseEntry.objects.get(case=second_case, event="repair_card_opened").data["repeat_of"] == nff.pk

    history = unit_repair_history(unit=unit)
    assert [h.card_id for h in history] == [first.pk, second.pk]  # no fault found is not a repair
    assert [h.card_id for h in unit_repair_history(unit=unit, before=at("2026-03-01 00:00"))] == [first.pk]

    third_case = CaseFactory(unit=unit, purchase=line.purchase, customer=line.purchase.customer,
                             created_at=at("2026-04-01 08:00"))
    facts = facts_for_case(third_case)
    assert facts["repairs"] == [
        {"start": "2026-01-06", "end": "2026-01-06", "component": "main_unit", "same_problem": True,
         "waiting_parts_days": 0},
        {"start": "2026-03-02", "end": "2026-03-02", "component": "main_unit", "same_problem": True,
         "waiting_parts_days": 0},
    ]
    # the second case's own repair is not history for that case
    assert [r["start"] for r in facts_for_case(second_case)["repairs"]] == ["2026-01-06"]


def test_a_replaced_unit_counts_as_an_exchange(staff):
    supervisor, tech = staff
    line = OrderLineFactory()
    unit = UnitFactory(order_line=line)
    _repair(unit, case=None, supervisor=supervisor, tech=tech, day="2026-01-06", result="replaced_unit")
    case = CaseFactory(unit=unit, purchase=line.purchase, customer=line.purchase.customer,
                       created_at=at("2026-02-01 08:00"))
    facts = facts_for_case(case)
    assert (facts["repairs"], facts["exchanges"]) == ([], [{"date": "2026-01-06"}])
