"""Reference document 001's after-sales procedure (售後服務管理辦法), walked end to end through
the actions, as the desk and the technician's phone drive them:

call-in register → service voucher → dispatch → on-site attempt fails → carry-in with a receipt
→ parts reserved and consumed → inspection sends the repair back once → passed → hand-back
against the customer's drawn signature → receipt voided → voucher archived.

A warranty job (class C, from the entitlement decision) ends with no invoice; an out-of-warranty
job (class A) is quoted, accepted, invoiced and paid. Every step is on the case timeline and in
the audit log."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.models import CaseEntry
from aftersales.charges.actions import quote_accept, quote_build_from_work, quote_send
from aftersales.charges.actions_invoices import invoice_issue, payment_record
from aftersales.charges.models_billing import Invoice
from aftersales.charges.tests.support import price_list
from aftersales.core.audit import AuditEntry
from aftersales.core.errors import Conflict
from aftersales.core.tests.factories import CustomerFactory, CustomerUserFactory, UnitFactory, UserFactory
from aftersales.parts.actions import stock_receive
from aftersales.parts.models import Reservation, StockLevel
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.policies.actions import entitlement_evaluate
from aftersales.repairs.actions import (
    custody_hand_back,
    custody_intake,
    custody_move,
    work_order_call_in,
    work_order_dispatch,
    work_order_move,
    work_order_reserve_part,
)
from aftersales.repairs.actions_work import (
    inspection_record,
    labour_add,
    part_use,
    repair_card_close,
    repair_card_open,
    visit_finish,
    visit_start,
    work_order_convert_to_carry_in,
)
from aftersales.repairs.selectors import custody_register
from aftersales.repairs.tests.support import signature_data_url

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def warranty_facts(claim_date: str) -> dict:
    """A washing machine bought on 2026-01-10 with its invoice; the main unit fails."""
    return {"policy": "cn-washing-machine", "price": "3299.00", "currency": "CNY",
            "dates": {"invoice": "2026-01-10", "delivered": "2026-01-10", "installed": None, "factory": None},
            "claim_date": claim_date, "proof_of_purchase": "invoice",
            "fault": {"component": "main_unit", "cause": None, "safety_critical": False}}


@pytest.fixture
def people():
    return {
        "agent": UserFactory(role=Role.AGENT, display_name="Hotline Zhou"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, display_name="Supervisor Wang"),
        "tech": UserFactory(role=Role.TECHNICIAN, display_name="Technician Li"),
    }


@pytest.fixture
def stock():
    part = PartFactory(sku="WM-PUMP-01", unit_cost=Decimal("85.00"), unit_price=Decimal("160.00"))
    warehouse = LocationFactory(code="main", name="Main warehouse")
    stock_receive(part=part, location=warehouse, quantity=1, actor=None, reference="PO-1")
    return part, warehouse


def timeline(case) -> list[str]:
    return list(CaseEntry.objects.filter(case=case).exclude(event="").order_by("created_at", "id")
                .values_list("event", flat=True))


def audited(wo) -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def walk(people, stock, *, covered: bool) -> dict:
    """Document 001, step by step, up to the hand-back. Returns what the checks need."""
    agent, supervisor, tech = people["agent"], people["supervisor"], people["tech"]
    part, warehouse = stock
    customer = CustomerUserFactory(language="zh-hant", customer__language="zh-hant").customer
    customer.name = "陳大文"
    customer.save(update_fields=["name"])
    unit = UnitFactory(serial_number="WM8-2026-0042")

    # ① The call, written in the call-in register: a phone case and its service voucher.
    wo = work_order_call_in(actor=agent, kind="on_site", customer=customer, unit=unit, contact_name="陳大文",
                            address="台北市信義區松仁路 100 號", phone="0912 345 678", model_text="WM-800",
                            problem="洗衣機不脫水\nE21 on the display", at=at("2026-06-01 09:00"))
    case = wo.case
    assert (case.channel, case.type, case.customer, case.unit) == ("phone", "repair", customer, unit)
    assert wo.number.startswith("WO-2026-") and wo.billing_class == "A"  # nothing decided yet

    # ② The entitlement decision sets the class the voucher is billed under (C or A).
    claim_date = "2026-06-01" if covered else "2028-06-01"
    decision = entitlement_evaluate(facts=warranty_facts(claim_date), actor=agent, case=case).decision
    assert decision.covered is covered
    wo.refresh_from_db()
    assert wo.billing_class == ("C" if covered else "A")

    # ③ The supervisor dispatches a technician for a window the customer is told about.
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-06-02 09:00"),
                        window_end=at("2026-06-02 12:00"), actor=supervisor, at=at("2026-06-01 09:30"))

    # ④ On site the repair cannot be done: the visit fails (the customer still signs for the
    # visit) and the machine is taken to the workshop.
    visit = visit_start(work_order=wo, actor=tech, at=at("2026-06-02 09:40"))
    visit_finish(visit=visit, outcome="failed", actor=tech, findings="Drain pump seized", work_done="Diagnosed",
                 at=at("2026-06-02 10:20"))
    work_order_convert_to_carry_in(work_order=wo, reason="Pump must be replaced on the bench", actor=tech,
                                   at=at("2026-06-02 10:25"))

    # ⑤ Carry-in: the receipt, with the serial checked against the unit, and the register.
    receipt = custody_intake(work_order=wo, condition="外殼刮傷", accessories=["進水管"], serial_seen="wm8-2026-0042",
                             location="Technician Li's van", actor=tech, at=at("2026-06-02 10:30"))
    assert receipt.number.startswith("RC-2026-") and receipt.serial_matches is True
    custody_move(receipt=receipt, move="sent_to_workshop", location="Workshop", holder="Bench 2", actor=tech,
                 at=at("2026-06-02 14:00"))

    # ⑥ The repair card: the unit's repair, labour, and the part reserved then consumed.
    card = repair_card_open(work_order=wo, actor=tech, at=at("2026-06-03 09:00"))
    reservation = work_order_reserve_part(work_order=wo, part=part, location=warehouse, quantity=1, actor=tech,
                                          at=at("2026-06-03 09:05"))
    labour_add(card=card, technician=tech, minutes=50, actor=tech, note="Pump replaced", at=at("2026-06-03 10:00"))
    return {"wo": wo, "case": case, "receipt": receipt, "card": card, "reservation": reservation,
            "customer": customer}


def finish(people, stock, state) -> None:
    """From the parts to the archived voucher."""
    supervisor, tech = people["supervisor"], people["tech"]
    part, warehouse = stock
    wo, card, receipt = state["wo"], state["card"], state["receipt"]
    if wo.billing_class == "A":
        # paid work: the customer agrees to the quote before parts are fitted
        with pytest.raises(Conflict) as unagreed:
            part_use(card=card, reservation=state["reservation"], actor=tech)
        assert unagreed.value.code == "quote_not_accepted"
        quote = quote_build_from_work(work_order=wo, actor=supervisor, at=at("2026-06-03 09:10"))
        quote_send(quote=quote, actor=supervisor, at=at("2026-06-03 09:15"))
        quote_accept(quote=quote, actor=state["customer"].user, channel="portal", at=at("2026-06-03 09:40"))
        state["quote"] = quote
    part_use(card=card, reservation=state["reservation"], actor=tech, at=at("2026-06-03 10:05"))
    level = StockLevel.objects.get(part=part, location=warehouse)
    assert (level.on_hand, level.reserved) == (0, 0)
    assert Reservation.objects.get(pk=state["reservation"].pk).state == "consumed"

    # ⑦ The supervisor inspects: sent back once, then passed.
    repair_card_close(card=card, result="fixed", fault_code="e21", root_cause="Drain pump bearing seized",
                      actor=tech, at=at("2026-06-03 11:00"))
    with pytest.raises(Conflict) as skipped:  # ready only through the card's inspection
        work_order_move(work_order=wo, target="ready", actor=supervisor)
    assert skipped.value.code == "work_order_invalid_transition"
    inspection_record(card=card, outcome="sent_back", note="Hose clamp loose", actor=supervisor,
                      at=at("2026-06-03 15:00"))
    wo.refresh_from_db()
    assert wo.status == "in_progress"
    labour_add(card=card, technician=tech, minutes=10, actor=tech, note="Clamp tightened", at=at("2026-06-03 16:00"))
    repair_card_close(card=card, result="fixed", fault_code="E21", root_cause="Drain pump bearing seized",
                      actor=tech, at=at("2026-06-03 16:10"))
    inspection_record(card=card, outcome="passed", actor=supervisor, at=at("2026-06-04 09:00"))
    wo.refresh_from_db()
    assert wo.status == "ready"
    custody_move(receipt=receipt, move="returned_to_shop", location="Front counter", holder="Hotline Zhou",
                 actor=supervisor, at=at("2026-06-04 09:30"))

    # ⑧ Hand-back against the customer's name and drawn signature: the receipt is voided.
    custody_hand_back(receipt=receipt, signed_by="陳大文", signature=signature_data_url(), actor=supervisor,
                      at=at("2026-06-04 17:00"))
    receipt.refresh_from_db()
    assert receipt.voided_at == at("2026-06-04 17:00") and receipt.voided_signed_by == "陳大文"
    assert receipt.voided_signature.name.endswith(".png")



def archive(people, state) -> None:
    """⑨ The voucher is completed and archived."""
    supervisor, wo = people["supervisor"], state["wo"]
    work_order_move(work_order=wo, target="completed", actor=supervisor, at=at("2026-06-04 17:05"))
    work_order_move(work_order=wo, target="archived", actor=supervisor, at=at("2026-06-05 09:00"))
    assert wo.archived_at == at("2026-06-05 09:00")
    with pytest.raises(Conflict):
        work_order_move(work_order=wo, target="in_progress", actor=supervisor)


def assert_on_the_timeline_and_audited(state) -> None:
    events = timeline(state["case"])
    statuses = list(CaseEntry.objects.filter(case=state["case"], event="work_order_status")
                    .order_by("created_at", "id").values_list("data__after", flat=True))
    custody = list(CaseEntry.objects.filter(case=state["case"], event="work_order_custody")
                   .order_by("created_at", "id").values_list("data__move", flat=True))
    inspections = list(CaseEntry.objects.filter(case=state["case"], event="repair_inspected")
                       .order_by("created_at", "id").values_list("data__outcome", flat=True))
    for step in ("work_order_opened", "work_order_dispatched", "visit_started", "visit_finished",
                 "work_order_kind", "repair_card_opened", "work_order_parts_reserved", "repair_labour",
                 "repair_part_used", "repair_card_closed"):
        assert step in events, step
    assert statuses == ["in_progress", "inspecting", "in_progress", "inspecting", "ready",
                        "completed", "archived"]
    assert custody == ["received", "sent_to_workshop", "returned_to_shop", "handed_to_customer"]
    assert inspections == ["sent_back", "passed"]
    actions = audited(state["wo"])
    for action in ("work_order.opened", "entitlement_decided", "work_order.dispatched", "visit.started",
                   "visit.finished", "work_order.converted_to_carry_in", "repair.card_opened", "stock.reserved",
                   "repair.labour_added", "stock.consumed", "repair.part_used", "repair.card_closed",
                   "repair.inspection_sent_back", "repair.inspection_passed", "work_order.status_changed"):
        assert action in actions, action
    assert sum(1 for a in actions if a.startswith("custody.")) == 4
    # the register for the days the item was with us reconciles: received, then handed back
    items = custody_register(start=at("2026-06-02 00:00"), end=at("2026-06-05 00:00"))
    assert [(i.receipt.number, i.handed_back) for i in items] == [(state["receipt"].number, True)]


def test_a_warranty_repair_runs_the_whole_procedure_and_is_not_invoiced(people, stock):
    price_list()
    state = walk(people, stock, covered=True)
    finish(people, stock, state)
    with pytest.raises(Conflict) as refused:  # C: free under warranty, never invoiced
        invoice_issue(work_order=state["wo"], actor=people["supervisor"])
    assert refused.value.code == "no_invoice_for_warranty_or_internal_work"
    archive(people, state)
    assert_on_the_timeline_and_audited(state)
    wo = state["wo"]
    wo.refresh_from_db()
    assert wo.billing_class == "C"
    assert not Invoice.objects.filter(work_order=wo).exists()
    billing = CaseEntry.objects.get(case=state["case"], event="work_order_billing_class")
    assert (billing.data["before"], billing.data["after"]) == ("A", "C")


def test_a_paid_repair_is_quoted_accepted_invoiced_and_paid(people, stock):
    price_list()  # labour 120.00 an hour, visit fee 20.00, 13 % VAT
    state = walk(people, stock, covered=False)
    finish(people, stock, state)
    wo, supervisor = state["wo"], people["supervisor"]
    invoice = invoice_issue(work_order=wo, actor=supervisor, at=at("2026-06-04 17:02"))
    # the accepted quote's lines: 50 min of labour billed as 0.83 h × 120.00 = 99.60, the pump
    # 160.00, one visit 20.00; 13 % VAT on the net, rounded half up
    assert invoice.number.startswith("INV-2026-") and invoice.quote == state["quote"]
    assert sorted((line.quantity, line.unit_price) for line in invoice.lines.all()) == [
        (Decimal("0.83"), Decimal("120.00")), (Decimal("1"), Decimal("20.00")), (Decimal("1"), Decimal("160.00"))]
    assert (invoice.net_total, invoice.tax_total, invoice.gross_total) == (
        Decimal("279.60"), Decimal("36.35"), Decimal("315.95"))
    payment_record(invoice=invoice, method="cash", amount=Decimal("315.95"), actor=supervisor,
                   at=at("2026-06-04 17:03"))
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    archive(people, state)
    assert_on_the_timeline_and_audited(state)
    events = timeline(state["case"])
    actions = audited(wo)
    assert wo.billing_class == "A"
    for name in ("quote.built", "quote.sent", "quote.accepted", "invoice.issued", "payment.recorded"):
        assert any(a == name or a.endswith(name) for a in actions), (name, actions)
    assert sum(1 for e in events if e.startswith(("quote", "charges_quote", "invoice", "charges_invoice",
                                                  "payment", "charges_payment"))) >= 5


def test_a_class_someone_chose_is_not_overridden_by_a_later_decision(people):
    agent, supervisor = people["agent"], people["supervisor"]
    from aftersales.repairs.actions import work_order_open, work_order_set_billing_class

    first = work_order_call_in(actor=agent, kind="carry_in", customer=CustomerFactory(), unit=UnitFactory(),
                               problem="No spin", at=at("2026-06-01 09:00"))
    contract = work_order_open(actor=agent, kind="maintenance", case=first.case, at=at("2026-06-01 09:05"))
    work_order_set_billing_class(work_order=contract, billing_class="B", reason="Service contract SC-7",
                                 actor=supervisor)
    entitlement_evaluate(facts=warranty_facts("2026-06-01"), actor=agent, case=first.case)
    first.refresh_from_db()
    contract.refresh_from_db()
    assert (first.billing_class, contract.billing_class) == ("C", "B")
    # a later decision that does not cover the claim moves the rule-set one back to A
    entitlement_evaluate(facts=warranty_facts("2028-06-01"), actor=agent, case=first.case)
    first.refresh_from_db()
    contract.refresh_from_db()
    assert (first.billing_class, contract.billing_class) == ("A", "B")
    assert AuditEntry.objects.filter(action="work_order.billing_class_changed", object_id=str(first.pk)).count() == 2


def test_work_with_no_card_is_made_ready_only_by_someone_who_may_inspect(people):
    from aftersales.core.errors import PermissionDenied
    from aftersales.repairs.actions import work_order_open

    agent, supervisor = people["agent"], people["supervisor"]
    wo = work_order_open(actor=agent, kind="installation", customer=CustomerFactory(), billing_class="C")
    for target in ("in_progress", "inspecting"):
        work_order_move(work_order=wo, target=target, actor=agent)
    with pytest.raises(PermissionDenied):
        work_order_move(work_order=wo, target="ready", actor=agent)
    work_order_move(work_order=wo, target="ready", actor=supervisor)
    assert wo.status == "ready"
