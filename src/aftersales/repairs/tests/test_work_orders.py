"""Work orders and the custody chain, through the actions (document 001's procedure so far:
call-in, voucher, dispatch and re-dispatch, carry-in with a receipt, the in/out register,
hand-back against a signature, the voided receipt, the archived voucher)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.core.audit import AuditEntry
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.tests.factories import CustomerFactory, UnitFactory, UserFactory
from aftersales.repairs import workflow
from aftersales.repairs.actions import (
    custody_hand_back,
    custody_intake,
    custody_move,
    work_order_dispatch,
    work_order_move,
    work_order_open,
    work_order_set_billing_class,
)
from aftersales.repairs.models import AppendOnly
from aftersales.repairs.selectors import custody_register
from aftersales.repairs.tests.support import signature_bytes, signature_data_url

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def staff():
    return (UserFactory(role=Role.SUPERVISOR, display_name="Wang Supervisor"),
            UserFactory(role=Role.TECHNICIAN, display_name="Li Technician"))


def test_a_call_in_becomes_a_numbered_voucher_with_its_register_fields(staff):
    supervisor, _tech = staff
    customer = CustomerFactory(name="陳先生")
    wo = work_order_open(actor=supervisor, kind="on_site", customer=customer, address="台北市信義路五段 7 號",
                         phone="0912 345 678", model_text="WM-800", problem="不脫水", at=at("2026-03-02 09:00"))
    assert wo.number == "WO-2026-000001" and wo.status == "registered"
    assert (wo.contact_name, wo.billing_class) == ("陳先生", "A")  # no entitlement decision: paid
    second = work_order_open(actor=supervisor, kind="installation", customer=customer, at=at("2026-03-02 09:05"))
    assert second.number == "WO-2026-000002"
    assert AuditEntry.objects.filter(action="work_order.opened").count() == 2


def test_dispatch_and_re_dispatch_keep_every_promise(staff):
    supervisor, tech = staff
    case = case_open(customer=CustomerFactory(), subject="Washer will not drain", actor=None,
                     at=at("2026-03-02 08:00"))
    wo = work_order_open(actor=supervisor, kind="on_site", case=case, at=at("2026-03-02 09:00"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-03 12:00"), actor=supervisor, at=at("2026-03-02 09:10"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-04 14:00"),
                        window_end=at("2026-03-04 17:00"), actor=supervisor, reason="customer asked",
                        at=at("2026-03-02 15:00"))
    assert [a.window_start for a in wo.appointments.all()] == [at("2026-03-03 09:00"), at("2026-03-04 14:00")]
    assert (wo.status, wo.window_start) == ("dispatched", at("2026-03-04 14:00"))
    # the customer sees each window on the case timeline
    public = case.entries.filter(event="work_order_dispatched", is_public=True)
    assert public.count() == 2
    with pytest.raises(ValidationFailed) as bad:
        work_order_dispatch(work_order=wo, technician=supervisor, window_start=at("2026-03-05 12:00"),
                            window_end=at("2026-03-05 11:00"), actor=supervisor)
    assert bad.value.code == "appointment_window_invalid"
    with pytest.raises(ValidationFailed) as agent:
        work_order_dispatch(work_order=wo, technician=UserFactory(role=Role.AGENT), window_start=at("2026-03-05 09:00"),
                            window_end=at("2026-03-05 11:00"), actor=supervisor)
    assert agent.value.code == "technician_invalid"


def test_a_billing_class_change_needs_a_reason_and_is_audited(staff):
    supervisor, _tech = staff
    wo = work_order_open(actor=supervisor, kind="carry_in", customer=CustomerFactory())
    with pytest.raises(ValidationFailed) as missing:
        work_order_set_billing_class(work_order=wo, billing_class="C", reason="  ", actor=supervisor)
    assert missing.value.code == "reason_required"
    work_order_set_billing_class(work_order=wo, billing_class="C", reason="Invoice found: within 1 year",
                                 actor=supervisor)
    row = AuditEntry.objects.get(action="work_order.billing_class_changed")
    assert (row.before["billing_class"], row.after["billing_class"]) == ("A", "C")


def test_the_carry_in_custody_chain_from_receipt_to_hand_back(staff):
    supervisor, tech = staff
    unit = UnitFactory(serial_number="SN-0042")
    case = case_open(customer=CustomerFactory(), subject="Dryer noise", actor=None, unit=unit,
                     at=at("2026-03-02 08:00"))
    wo = work_order_open(actor=supervisor, kind="carry_in", case=case, at=at("2026-03-02 09:00"))
    receipt = custody_intake(work_order=wo, condition="scratched lid", accessories=["power cord", "hose"],
                             serial_seen="sn-00 42", location="front counter", actor=supervisor,
                             at=at("2026-03-02 09:30"))
    assert receipt.number == "RC-2026-000001" and receipt.serial_matches is True
    with pytest.raises(Conflict):
        custody_intake(work_order=wo, condition="again", location="x", actor=supervisor)
    custody_move(receipt=receipt, move="sent_to_workshop", location="workshop bench 2", holder=str(tech),
                 actor=supervisor, at=at("2026-03-02 10:00"))
    loaner = custody_move(receipt=receipt, move="loaner_issued", location="customer's home", holder="customer",
                          note="loaner dryer LD-3", actor=supervisor, at=at("2026-03-02 10:05"))
    with pytest.raises(Conflict) as wrong:
        custody_move(receipt=receipt, move="sent_to_workshop", location="bench 3", holder="x", actor=supervisor)
    assert wrong.value.code == "custody_move_invalid"  # it is in the workshop already
    # a mistake is corrected by a new line, never by editing the old one
    loaner.note = "loaner dryer LD-4"
    with pytest.raises(AppendOnly):
        loaner.save()
    with pytest.raises(AppendOnly):
        loaner.delete()
    custody_move(receipt=receipt, move="correction", location="customer's home", holder="customer",
                 note="the loaner was LD-4", corrects=loaner, actor=supervisor, at=at("2026-03-02 10:06"))
    custody_move(receipt=receipt, move="returned_to_shop", location="front counter", holder=str(supervisor),
                 actor=supervisor, at=at("2026-03-03 16:00"))
    # the work order cannot complete while the item is still held
    for target in ("in_progress", "inspecting", "ready"):
        work_order_move(work_order=wo, target=target, actor=supervisor)
    with pytest.raises(Conflict):
        work_order_move(work_order=wo, target="completed", actor=supervisor)
    with pytest.raises(ValidationFailed) as unsigned:
        custody_hand_back(receipt=receipt, signed_by=" ", signature=signature_bytes(), actor=supervisor)
    assert unsigned.value.code == "signature_required"
    with pytest.raises(ValidationFailed) as undrawn:
        custody_hand_back(receipt=receipt, signed_by="陳大文", signature="", actor=supervisor)
    assert undrawn.value.code == "signature_required"
    custody_hand_back(receipt=receipt, signed_by="陳大文", signature=signature_data_url(), actor=supervisor,
                      at=at("2026-03-04 10:00"))
    receipt.refresh_from_db()
    assert (receipt.voided_at, receipt.voided_signed_by) == (at("2026-03-04 10:00"), "陳大文")
    assert receipt.voided_signature.read() == signature_bytes()
    with pytest.raises(Conflict) as void:
        custody_move(receipt=receipt, move="sent_to_workshop", location="bench", holder="x", actor=supervisor)
    assert void.value.code == "receipt_voided"
    work_order_move(work_order=wo, target="completed", actor=supervisor)
    work_order_move(work_order=wo, target="archived", actor=supervisor)
    assert wo.archived_at is not None
    moves = list(case.entries.filter(event="work_order_custody").values_list("data__move", flat=True))
    assert moves == ["received", "sent_to_workshop", "loaner_issued", "correction", "returned_to_shop",
                     "handed_to_customer"]
    assert AuditEntry.objects.filter(action__startswith="custody.").count() == 6


def test_the_register_for_a_date_range_reconciles(staff):
    supervisor, tech = staff
    items = []
    for day in (2, 3, 4):
        wo = work_order_open(actor=supervisor, kind="carry_in", customer=CustomerFactory(),
                             at=at(f"2026-03-0{day} 09:00"))
        items.append(custody_intake(work_order=wo, condition="ok", location="counter", actor=supervisor,
                                    at=at(f"2026-03-0{day} 09:30")))
    custody_move(receipt=items[0], move="sent_to_vendor", location="vendor repair centre", holder="Vendor Ltd",
                 actor=supervisor, at=at("2026-03-05 10:00"))
    work_order_move(work_order=items[1].work_order, target="cancelled", actor=supervisor)  # taken back unrepaired
    custody_hand_back(receipt=items[1], signed_by="Customer B", signature=signature_bytes(), actor=supervisor,
                      at=at("2026-03-05 11:00"))
    register = custody_register(start=at("2026-03-05 00:00"), end=at("2026-03-06 00:00"))
    state = {r.receipt.number: (r.handed_back, r.location, r.holder, len(r.entries)) for r in register}
    assert state == {
        items[0].number: (False, "vendor repair centre", "Vendor Ltd", 1),
        items[1].number: (True, "counter", "Customer B", 1),
        items[2].number: (False, "counter", str(supervisor), 0),
    }
    # every item received is either handed back or still held somewhere named
    assert all(r.handed_back or r.location for r in register)
    # after the range, the handed-back item drops off the next day's register
    later = {r.receipt.number for r in custody_register(start=at("2026-03-06 00:00"), end=at("2026-03-07 00:00"))}
    assert later == {items[0].number, items[2].number}


def test_the_status_machine_has_no_dead_ends_but_the_ends():
    reachable = {workflow.REGISTERED}
    frontier = [workflow.REGISTERED]
    while frontier:
        for nxt in workflow.TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(workflow.STATUSES)
    assert {s for s, t in workflow.TRANSITIONS.items() if not t} == {workflow.ARCHIVED, workflow.CANCELLED}
    assert not workflow.item_can_move(None, workflow.TO_WORKSHOP)
    assert workflow.item_can_move(workflow.HANDED_BACK, workflow.CORRECTION)
    assert not workflow.item_can_move(workflow.HANDED_BACK, workflow.LOANER_OUT)
