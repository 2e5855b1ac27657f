"""Every write to a work order and its custody chain: checked, on the case timeline (when the
work order belongs to a case), audited, in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aftersales.accounts.access import require
from aftersales.accounts.models import Role, User
from aftersales.accounts.permissions import Op
from aftersales.cases.events import event_write
from aftersales.core.api_parser import reject_unstorable_text
from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.repairs import events, workflow
from aftersales.repairs.errors import RepairError
from aftersales.repairs.models import (
    Appointment,
    BillingClass,
    CustodyEntry,
    CustodyMove,
    IntakeReceipt,
    Kind,
    Status,
    WorkOrder,
)
from aftersales.repairs.numbering import next_number

AUDITED = ["status", "kind", "billing_class", "billing_reason", "technician", "window_start", "window_end"]
TECHNICIAN_ROLES = {Role.TECHNICIAN, Role.SUPERVISOR}
HAND_BACK_STATUSES = (Status.READY, Status.CANCELLED)


def _text(value: str, limit: int, what: str, *, required: bool = False) -> str:
    reject_unstorable_text(value)  # NUL is refused by PostgreSQL: a 422 here, not a 500 there
    value = " ".join((value or "").split()) if limit <= 500 else (value or "").strip()
    if required and not value:
        raise ValidationFailed(RepairError.INVALID, _("%(what)s is required.") % {"what": what})
    if len(value) > limit:
        raise ValidationFailed(RepairError.INVALID, _("%(what)s is longer than %(n)d characters.")
                               % {"what": what, "n": limit})
    return value


def _case_event(wo: WorkOrder, event: str, actor, data: dict[str, Any], at: datetime) -> None:
    if wo.case_id is not None:
        event_write(case=wo.case, event=event, actor=actor, data={"number": wo.number, **data}, at=at)


def billing_class_for(case) -> tuple[str, str]:
    """C when the case's latest entitlement decision covers it, else A; with the reason."""
    if case is None:
        return BillingClass.A, ""
    from aftersales.policies.models import EntitlementDecision

    decision = EntitlementDecision.objects.filter(case=case).order_by("-created_at", "-id").first()
    if decision is not None and decision.covered:
        return BillingClass.C, _("Covered: entitlement decision %(id)s") % {"id": decision.pk}
    if decision is not None:
        return BillingClass.A, _("Not covered: entitlement decision %(id)s") % {"id": decision.pk}
    return BillingClass.A, ""


@transaction.atomic
def work_order_open(*, actor, kind: str, case=None, customer=None, unit=None, contact_name: str = "",
                    address: str = "", phone: str = "", model_text: str = "", problem: str = "",
                    billing_class: str | None = None, billing_reason: str = "",
                    at: datetime | None = None) -> WorkOrder:
    """A service voucher, from a case or straight from a call (the call-in register)."""
    at = at or timezone.now()
    if kind not in Kind.values:
        raise ValidationFailed(RepairError.INVALID, _("Unknown kind of work: %(k)s") % {"k": kind})
    if case is not None:
        customer = case.customer
        unit = unit or case.unit
    if customer is None:
        raise ValidationFailed(RepairError.INVALID, _("A work order needs a customer."))
    by_rule = billing_class is None
    if by_rule:
        billing_class, reason = billing_class_for(case)
        billing_reason = billing_reason or reason
    elif billing_class not in BillingClass.values:
        raise ValidationFailed(RepairError.INVALID, _("Unknown billing class: %(c)s") % {"c": billing_class})
    wo = WorkOrder.objects.create(
        number=next_number("WO", timezone.localtime(at).year), case=case, customer=customer, unit=unit, kind=kind,
        billing_class=billing_class, billing_class_by_rule=by_rule,
        billing_reason=_text(billing_reason, 300, _("The billing reason")),
        contact_name=_text(contact_name or customer.name, 200, _("The contact name"), required=True),
        address=_text(address, 500, _("The address")), phone=_text(phone, 40, _("The phone number")),
        model_text=_text(model_text or (str(unit.product_model) if unit else ""), 200, _("The model")),
        problem=_text(problem, 5000, _("The problem")),
        created_by=actor if getattr(actor, "pk", None) else None, created_at=at, updated_at=at)
    _case_event(wo, events.WO_OPENED, actor, {"kind": kind, "billing_class": billing_class}, at)
    audit_record(actor=actor, obj=wo, action="work_order.opened", after=snapshot(wo, AUDITED + ["number"]))
    return wo


CASE_TYPE_OF_KIND = {Kind.ON_SITE: "repair", Kind.CARRY_IN: "repair", Kind.INSTALLATION: "installation",
                     Kind.MAINTENANCE: "maintenance"}


@transaction.atomic
def work_order_call_in(*, actor, kind: str, customer, contact_name: str = "", address: str = "", phone: str = "",
                       model_text: str = "", problem: str = "", unit=None, at: datetime | None = None) -> WorkOrder:
    """A phone call written into the call-in register (叫修登記簿): a phone case in the
    customer's own words, and the service voucher on it, so that every later step of the job
    reaches the case timeline and the customer's portal."""
    from aftersales.cases.actions import case_open

    at = at or timezone.now()
    if kind not in Kind.values:
        raise ValidationFailed(RepairError.INVALID, _("Unknown kind of work: %(k)s") % {"k": kind})
    problem = _text(problem, 5000, _("The problem"))
    first_line = problem.splitlines()[0] if problem else ""
    subject = (first_line[:120] or model_text[:120] or str(Kind(kind).label))
    case = case_open(customer=customer, subject=subject, actor=actor, body=problem, type=CASE_TYPE_OF_KIND[kind],
                     channel="phone", unit=unit, at=at)
    return work_order_open(actor=actor, kind=kind, case=case, unit=unit, contact_name=contact_name, address=address,
                           phone=phone, model_text=model_text, problem=problem, at=at)


def _check_technician(technician: User | None) -> User:
    if technician is None or not technician.is_active or technician.role not in TECHNICIAN_ROLES:
        raise ValidationFailed(RepairError.TECHNICIAN_INVALID, _("Choose an active technician."))
    return technician


@transaction.atomic
def work_order_dispatch(*, work_order: WorkOrder, technician: User | None, window_start: datetime,
                        window_end: datetime, actor, reason: str = "", at: datetime | None = None) -> Appointment:
    """Send a technician in a window (派工). Again for a re-schedule or another visit: each
    dispatch is kept, and the customer is told the window on the case timeline."""
    at = at or timezone.now()
    _check_technician(technician)
    if window_start.tzinfo is None or window_end.tzinfo is None or window_end <= window_start:
        raise ValidationFailed(RepairError.WINDOW_INVALID, _("The appointment must end after it starts."))
    wo = work_order
    if wo.status not in (Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS):
        raise Conflict(RepairError.INVALID_TRANSITION, _("This work order cannot be dispatched now."))
    before = snapshot(wo, AUDITED)
    appointment = Appointment.objects.create(
        work_order=wo, technician=technician, window_start=window_start, window_end=window_end,
        reason=_text(reason, 300, _("The reason")), created_by=actor if getattr(actor, "pk", None) else None,
        created_at=at)
    wo.technician, wo.window_start, wo.window_end = technician, window_start, window_end
    wo.status, wo.updated_at = Status.DISPATCHED, at
    wo.save(update_fields=["technician", "window_start", "window_end", "status", "updated_at"])
    zone = timezone.get_current_timezone()
    _case_event(wo, events.WO_DISPATCHED, actor, {
        "technician": str(technician), "start": window_start.isoformat(), "end": window_end.isoformat(),
        "start_text": date_format(window_start.astimezone(zone), "Y-m-d H:i"),
        "end_text": date_format(window_end.astimezone(zone), "H:i"), "reason": reason}, at)
    audit_changes(actor=actor, obj=wo, action="work_order.dispatched", before=before, after=snapshot(wo, AUDITED))
    return appointment


@transaction.atomic
def work_order_move(*, work_order: WorkOrder, target: str, actor, at: datetime | None = None,
                    inspected: bool = False) -> WorkOrder:
    """Move the work order along its status machine. Ready means the supervisor passed the
    work: a repair card is passed by `inspection_record` (which says `inspected`), and work
    with no card is moved to ready by someone who may inspect."""
    at = at or timezone.now()
    # Moved from the row as it is now (locked), not from the caller's copy, which may be stale.
    wo = WorkOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=work_order.pk)
    if target not in Status.values or not workflow.can_move(wo.status, target):
        raise Conflict(RepairError.INVALID_TRANSITION, _("A work order cannot go from “%(a)s” to “%(b)s”.")
                       % {"a": wo.get_status_display(), "b": target})
    if target == Status.READY and not inspected:
        from aftersales.repairs.models_work import RepairCard

        if RepairCard.objects.filter(work_order=wo).exists():
            raise Conflict(RepairError.INVALID_TRANSITION,
                           _("Pass the repair card's inspection to make work order %(number)s ready.")
                           % {"number": wo.number})
        require(actor, Op.REPAIR_INSPECT)
    if target == Status.COMPLETED and wo.kind == Kind.CARRY_IN:
        receipt = IntakeReceipt.objects.filter(work_order=wo).first()
        if receipt is not None and receipt.voided_at is None:
            raise Conflict(RepairError.INVALID_TRANSITION,
                           _("Hand the item back against the customer's signature first."))
    before = snapshot(wo, AUDITED)
    source = wo.status
    wo.status, wo.updated_at = target, at
    if target == Status.ARCHIVED:
        wo.archived_at = at
    if target == Status.COMPLETED:
        wo.completed_at = at
    wo.save(update_fields=["status", "updated_at", "archived_at", "completed_at"])
    _case_event(wo, events.WO_STATUS, actor, {"before": source, "after": target}, at)
    audit_changes(actor=actor, obj=wo, action="work_order.status_changed", before=before,
                  after=snapshot(wo, AUDITED))
    for name in ("status", "updated_at", "archived_at", "completed_at"):
        setattr(work_order, name, getattr(wo, name))
    return work_order


@transaction.atomic
def work_order_set_billing_class(*, work_order: WorkOrder, billing_class: str, reason: str, actor,
                                 at: datetime | None = None) -> WorkOrder:
    """Change A/B/C/D: only with a reason, which the audit log and the timeline keep."""
    at = at or timezone.now()
    wo = work_order
    if billing_class not in BillingClass.values:
        raise ValidationFailed(RepairError.INVALID, _("Unknown billing class: %(c)s") % {"c": billing_class})
    reason = _text(reason, 300, _("The reason"))
    if not reason:
        raise ValidationFailed(RepairError.REASON_REQUIRED, _("Say why the billing class changes."))
    if billing_class == wo.billing_class:
        return wo
    wo.billing_class_by_rule = False  # someone decided: later entitlement decisions leave it alone
    return _set_billing_class(wo, billing_class, reason, actor, at, extra_fields=["billing_class_by_rule"])


def _set_billing_class(wo: WorkOrder, billing_class: str, reason: str, actor, at: datetime, *,
                       extra_fields: list[str] = ()) -> WorkOrder:
    before = snapshot(wo, AUDITED)
    previous = wo.billing_class
    wo.billing_class, wo.billing_reason, wo.updated_at = billing_class, reason, at
    wo.save(update_fields=["billing_class", "billing_reason", "updated_at", *extra_fields])
    _case_event(wo, events.WO_BILLING, actor, {"before": previous, "after": billing_class, "reason": reason}, at)
    audit_changes(actor=actor, obj=wo, action="work_order.billing_class_changed", before=before,
                  after=snapshot(wo, AUDITED))
    return wo


def billing_follows_decision(sender, *, decision, actor, **kwargs) -> None:
    """A new entitlement decision on a case re-sets the billing class (C covered, A not) of its
    open work orders whose class was set by rule and is still A or C. A class someone chose
    (B contract, D internal, or any change with a reason) is left alone."""
    if decision.case_id is None:
        return
    billing_class, reason = billing_class_for(decision.case)
    orders = (WorkOrder.objects.select_for_update().filter(
        case_id=decision.case_id, billing_class_by_rule=True, status__in=list(workflow.OPEN),
        billing_class__in=[BillingClass.A, BillingClass.C]).exclude(billing_class=billing_class))
    for wo in orders:
        _set_billing_class(wo, billing_class, reason, actor, decision.created_at or timezone.now())


# ---- custody ---------------------------------------------------------------------------------

def _last_item_move(receipt: IntakeReceipt) -> str | None:
    return (receipt.entries.exclude(move__in=workflow.SIDE_ENTRIES).order_by("-at", "-id")
            .values_list("move", flat=True).first())


def _entry(receipt: IntakeReceipt, *, move: str, location: str, holder: str, actor, at: datetime, note: str = "",
           corrects: CustodyEntry | None = None) -> CustodyEntry:
    entry = CustodyEntry.objects.create(
        receipt=receipt, move=move, location=_text(location, 200, _("The location"), required=True),
        holder=_text(holder, 200, _("Who holds it"), required=True), note=_text(note, 500, _("The note")),
        corrects=corrects, actor=actor if getattr(actor, "pk", None) else None, at=at)
    wo = receipt.work_order
    _case_event(wo, events.CUSTODY, actor, {"move": move, "location": entry.location, "holder": entry.holder}, at)
    audit_record(actor=actor, obj=wo, action=f"custody.{move}",
                 after={"receipt": receipt.number, "entry": entry.pk, "location": entry.location,
                        "holder": entry.holder, "corrects": getattr(corrects, "pk", None)})
    return entry


def _normalise_serial(value: str) -> str:
    return "".join(value.split()).upper()


@transaction.atomic
def custody_intake(*, work_order: WorkOrder, condition: str, location: str, actor, accessories: list[str] = (),
                   serial_seen: str = "", at: datetime | None = None) -> IntakeReceipt:
    """Take a carried-in item: its receipt (own number) and the register's first line."""
    at = at or timezone.now()
    wo = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if wo.kind != Kind.CARRY_IN:
        raise Conflict(RepairError.NOT_CARRY_IN, _("Only a carry-in repair takes an item in."))
    if IntakeReceipt.objects.filter(work_order=wo).exists():
        raise Conflict(RepairError.RECEIPT_EXISTS, _("This work order has its receipt already."))
    accessories = [_text(str(a), 100, _("An accessory")) for a in accessories if str(a).strip()][:30]
    serial_seen = _text(serial_seen, 100, _("The serial number"))
    matches = None
    if serial_seen and wo.unit is not None:
        matches = _normalise_serial(serial_seen) == _normalise_serial(wo.unit.serial_number or "")
    receipt = IntakeReceipt.objects.create(
        number=next_number("RC", timezone.localtime(at).year), work_order=wo,
        condition=_text(condition, 2000, _("The condition"), required=True), accessories=accessories,
        serial_seen=serial_seen, serial_matches=matches,
        received_by=actor if getattr(actor, "pk", None) else None, created_at=at)
    _entry(receipt, move=CustodyMove.RECEIVED, location=location, holder=str(actor) if actor else location,
           actor=actor, at=at)
    return receipt


@transaction.atomic
def custody_move(*, receipt: IntakeReceipt, move: str, location: str, holder: str, actor, note: str = "",
                 corrects: CustodyEntry | None = None, at: datetime | None = None) -> CustodyEntry:
    """Record where the item (or its loaner) went and who has it. Hand-back has its own action."""
    at = at or timezone.now()
    receipt = (IntakeReceipt.objects.select_for_update(of=("self",)).select_related("work_order__case")
               .get(pk=receipt.pk))
    if move not in CustodyMove.values or move in (CustodyMove.RECEIVED, CustodyMove.HANDED_BACK):
        raise ValidationFailed(RepairError.CUSTODY_INVALID, _("Choose a movement of the register."))
    if move == CustodyMove.CORRECTION:
        if corrects is None or corrects.receipt_id != receipt.pk:
            raise ValidationFailed(RepairError.CUSTODY_INVALID, _("A correction names the entry it corrects."))
        if not (note or "").strip():
            raise ValidationFailed(RepairError.CUSTODY_INVALID, _("Say what the correction puts right."))
    elif receipt.voided_at is not None:
        raise Conflict(RepairError.RECEIPT_VOIDED, _("The item was handed back; its receipt is void."))
    if not workflow.item_can_move(_last_item_move(receipt), move):
        raise Conflict(RepairError.CUSTODY_INVALID, _("That movement cannot follow the item's last one."))
    return _entry(receipt, move=move, location=location, holder=holder, actor=actor, at=at, note=note,
                  corrects=corrects)


@transaction.atomic
def custody_hand_back(*, receipt: IntakeReceipt, signed_by: str, signature: bytes | str | None, actor,
                      location: str = "", at: datetime | None = None) -> CustodyEntry:
    """Give the item back against the customer's name and drawn signature (PNG); the receipt is
    voided. Only once the supervisor has passed the repair (work order ready), or when the job
    was cancelled and the customer takes the item back unrepaired."""
    from django.core.files.base import ContentFile

    from aftersales.repairs.actions_work import signature_png

    at = at or timezone.now()
    receipt = (IntakeReceipt.objects.select_for_update(of=("self",)).select_related("work_order__case")
               .get(pk=receipt.pk))
    signed_by = _text(signed_by, 200, _("The signature"))
    if receipt.voided_at is not None:
        raise Conflict(RepairError.RECEIPT_VOIDED, _("The item was handed back; its receipt is void."))
    if receipt.work_order.status not in HAND_BACK_STATUSES:
        raise Conflict(RepairError.NOT_READY, _("Work order %(number)s has not passed inspection; the item stays "
                                                "with us until it has.") % {"number": receipt.work_order.number})
    if not signed_by or signature is None or signature in ("", b""):
        raise ValidationFailed(RepairError.SIGNATURE_REQUIRED,
                               _("The customer signs for the item with their name and a drawn signature."))
    png = signature_png(signature)
    if not workflow.item_can_move(_last_item_move(receipt), CustodyMove.HANDED_BACK):
        raise Conflict(RepairError.CUSTODY_INVALID, _("That movement cannot follow the item's last one."))
    entry = _entry(receipt, move=CustodyMove.HANDED_BACK, location=location or _("counter"), holder=signed_by,
                   actor=actor, at=at)
    receipt.voided_at, receipt.voided_signed_by = at, signed_by
    receipt.voided_signature.save("signature.png", ContentFile(png), save=False)  # last: after every check
    receipt.save(update_fields=["voided_at", "voided_signed_by", "voided_signature"])
    return entry


# ---- parts set aside for the job -------------------------------------------------------------

@transaction.atomic
def work_order_reserve_part(*, work_order: WorkOrder, part, location, quantity: int, actor,
                            at: datetime | None = None):
    """Set stock aside for this job under its number (the repair card then consumes it). Stock
    refusals (`out_of_stock`, `part_inactive`, ...) pass through, and nothing is written."""
    from aftersales.parts.actions import stock_reserve

    at = at or timezone.now()
    wo = WorkOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=work_order.pk)
    if wo.status not in workflow.OPEN:
        raise Conflict(RepairError.NOT_WORKABLE, _("Work order %(number)s is not open for work.")
                       % {"number": wo.number})
    reservation = stock_reserve(part=part, location=location, quantity=quantity, reference=wo.number, actor=actor,
                                case=wo.case)
    _case_event(wo, events.PARTS_RESERVED, actor, {
        "reservation": reservation.pk, "sku": part.sku, "part": str(part), "quantity": quantity,
        "location": str(location)}, at)
    return reservation
