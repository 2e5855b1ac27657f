"""What each printable document of a work order shows (`repairs.documents`), read in a fixed
number of queries: the service voucher, the intake receipt and the repair card.

Every document is handed to the customer, so nothing here reads internal text: not the
customer's notes, not the case's internal notes, not the billing reason (its timeline event is
internal), not the supervisor's inspection notes, not the cost of parts. The repair card's root
cause is the customer's to read."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Prefetch
from django.utils.text import capfirst

from aftersales.repairs import workflow
from aftersales.repairs.models import Appointment, CustodyEntry, IntakeReceipt, WorkOrder
from aftersales.repairs.models_work import Inspection, LabourEntry, PartUsed, RepairCard, Visit, VisitOutcome

SIGNATURE_MAX_BYTES = 512 * 1024  # as `actions_work.SIGNATURE_MAX_BYTES`: a larger file is not ours


class Unavailable(Exception):
    """The work order has no such document (yet): no receipt for an on-site job, no repair card
    before the repair starts."""


def field_labels(model: type[Model], *names: str) -> dict[str, Any]:
    """The fields' own (translated, lazy) names, capitalised: "fault code" → "Fault code"."""
    return {name: capfirst(model._meta.get_field(name).verbose_name) for name in names}


def signature_data_url(file) -> str:
    """A stored signature PNG as a `data:` URL, so the print page and the PDF carry it without
    a request; empty when there is none, it is missing from storage, or it is not a PNG."""
    if not file or not getattr(file, "name", ""):
        return ""
    try:
        with file.storage.open(file.name, "rb") as handle:
            data = handle.read(SIGNATURE_MAX_BYTES + 1)
    except OSError:
        return ""
    if len(data) > SIGNATURE_MAX_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _order(work_order: WorkOrder) -> WorkOrder:
    """The work order with what every document's header shows, and the customer's account (their
    time zone). One query."""
    return (WorkOrder.objects.select_related("case", "customer__user", "unit__product_model", "technician",
                                             "created_by").get(pk=work_order.pk))


# ---- the service voucher ------------------------------------------------------------------------

@dataclass(frozen=True)
class PrintedVisit:
    visit: Visit
    signature: str  # a data: URL, or ""
    signed_off: bool
    refused: bool


def voucher_available(work_order: WorkOrder) -> bool:
    return True


def voucher_context(work_order: WorkOrder) -> tuple[str, dict[str, Any]]:
    """The service voucher (服務單): the call-in register fields as taken down, the billing
    class, the current technician and window with every earlier dispatch, and each visit with
    the customer's sign-off. Three queries, plus one file read per signed visit."""
    wo = _order(work_order)
    appointments = list(Appointment.objects.filter(work_order=wo).select_related("technician")
                        .order_by("created_at", "id"))
    visits = [PrintedVisit(visit=v, signed_off=v.outcome == VisitOutcome.SIGNED_OFF,
                           refused=v.outcome == VisitOutcome.REFUSED,
                           signature=signature_data_url(v.signature) if v.outcome == VisitOutcome.SIGNED_OFF else "")
              for v in Visit.objects.filter(work_order=wo).select_related("technician").order_by("arrived_at", "id")]
    return wo.number, {
        "wo": wo, "appointments": appointments, "visits": visits,
        "signed": any(v.signed_off for v in visits),
        "labels": {**field_labels(WorkOrder, "kind", "status", "created_at", "window_start", "window_end"),
                   **field_labels(Visit, "arrived_at", "departed_at", "findings", "work_done", "outcome",
                                  "signed_by", "refusal_reason")},
    }


# ---- the intake receipt -------------------------------------------------------------------------

def receipt_available(work_order: WorkOrder) -> bool:
    return IntakeReceipt.objects.filter(work_order_id=work_order.pk).exists()


def receipt_context(work_order: WorkOrder) -> tuple[str, dict[str, Any]]:
    """The intake receipt (客戶商品領取收據): condition, accessories, the serial seen and whether
    it matches the record, who received it, every line of the in/out register, and — once the
    item is handed back — the void mark with the name and drawn signature of who took it.
    Three queries, plus one file read when signed."""
    wo = _order(work_order)
    receipt = IntakeReceipt.objects.filter(work_order=wo).select_related("received_by").first()
    if receipt is None:
        raise Unavailable
    entries = list(CustodyEntry.objects.filter(receipt=receipt).select_related("actor").order_by("at", "id"))
    held = [e for e in entries if e.move not in workflow.SIDE_ENTRIES]
    last = held[-1] if held else None
    return receipt.number, {
        "wo": wo, "receipt": receipt, "entries": entries, "voided": receipt.voided_at is not None,
        "where": last,
        "signature": signature_data_url(receipt.voided_signature),
        "labels": {**field_labels(IntakeReceipt, "condition", "accessories", "serial_seen", "received_by",
                                  "created_at", "voided_at", "voided_signed_by"),
                   **field_labels(CustodyEntry, "at", "move", "location", "holder", "note")},
    }


# ---- the repair card ----------------------------------------------------------------------------

def repair_card_available(work_order: WorkOrder) -> bool:
    return RepairCard.objects.filter(work_order_id=work_order.pk).exists()


def repair_card_context(work_order: WorkOrder) -> tuple[str, dict[str, Any]]:
    """The repair card (維修卡): fault code, root cause and result, labour, the parts fitted
    (names in the reader's language; not their cost), the unit's earlier repair when this is a
    repeat, and each inspection's outcome (not the inspector's note). Six queries."""
    wo = _order(work_order)
    card = (RepairCard.objects.filter(work_order=wo)
            .select_related("repeat_of__work_order", "opened_by", "closed_by")
            .prefetch_related(
                Prefetch("labour", queryset=LabourEntry.objects.select_related("technician").order_by("at", "id")),
                Prefetch("parts", queryset=PartUsed.objects.select_related("part").prefetch_related("part__names")
                         .order_by("at", "id")),
                Prefetch("inspections", queryset=Inspection.objects.select_related("inspector").order_by("at", "id")))
            .first())
    if card is None:
        raise Unavailable
    labour = list(card.labour.all())
    minutes = sum(entry.minutes for entry in labour)
    return wo.number, {
        "wo": wo, "card": card, "labour": labour, "parts": list(card.parts.all()),
        "inspections": list(card.inspections.all()),
        "labour_minutes": minutes, "labour_h": minutes // 60, "labour_m": minutes % 60,
        "labels": {**field_labels(RepairCard, "fault_code", "root_cause", "result", "repeat_of", "opened_at",
                                  "closed_at"),
                   **field_labels(LabourEntry, "technician", "minutes", "note", "at"),
                   **field_labels(PartUsed, "part", "quantity"),
                   **field_labels(Inspection, "inspector", "outcome")},
    }
