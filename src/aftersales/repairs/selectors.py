"""Reads of the repairs room: the custody register for a date range, reconciled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from aftersales.repairs import workflow
from aftersales.repairs.models import CustodyEntry, IntakeReceipt


@dataclass(frozen=True)
class HeldItem:
    receipt: IntakeReceipt
    entries: list[CustodyEntry]  # the register lines inside the range
    handed_back: bool
    location: str  # where it is at the end of the range (or was handed back)
    holder: str


def custody_register(*, start: datetime, end: datetime) -> list[HeldItem]:
    """Every item received before `end` and not handed back before `start`, with the lines of
    the range and where each stood at `end`. Reconciles: each is handed back or still held."""
    entries = CustodyEntry.objects.filter(at__lt=end).order_by("at", "id")
    receipts = (IntakeReceipt.objects.filter(created_at__lt=end).exclude(voided_at__lt=start)
                .select_related("work_order").prefetch_related(Prefetch("entries", queryset=entries))
                .order_by("created_at", "id"))
    out = []
    for receipt in receipts:
        lines = list(receipt.entries.all())
        own = [e for e in lines if e.move not in workflow.SIDE_ENTRIES]
        last = own[-1] if own else None
        out.append(HeldItem(receipt=receipt, entries=[e for e in lines if e.at >= start],
                            handed_back=last is not None and last.move == workflow.HANDED_BACK,
                            location=last.location if last else "", holder=last.holder if last else ""))
    return out


# ---- the work records --------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitRepair:
    """One closed repair of a unit, as the entitlement facts need it."""

    card_id: int
    work_order_number: str
    case_id: int | None
    started_at: datetime  # the work order was registered (the unit reported faulty)
    closed_at: datetime
    result: str
    fault_code: str
    repeat_of_id: int | None


def unit_repair_history(*, unit, before: datetime | None = None, exclude_case: int | None = None,
                        results=None) -> list[UnitRepair]:
    """The unit's closed repair cards, oldest first: those closed before `before`, not on the
    case `exclude_case`, with a result in `results` (default: the ones that count as a repair —
    fixed, not fixed, unit replaced; finding no fault is not a repair)."""
    from aftersales.repairs.models_work import REPAIR_RESULTS, RepairCard

    if unit is None:
        return []
    cards = RepairCard.objects.filter(work_order__unit_id=getattr(unit, "pk", unit), closed_at__isnull=False,
                                      result__in=list(results if results is not None else REPAIR_RESULTS))
    if before is not None:
        cards = cards.filter(closed_at__lt=before)
    if exclude_case is not None:
        cards = cards.exclude(work_order__case_id=exclude_case)
    rows = cards.order_by("closed_at", "id").values_list(
        "pk", "work_order__number", "work_order__case_id", "work_order__created_at", "closed_at", "result",
        "fault_code", "repeat_of_id")
    return [UnitRepair(*row) for row in rows]


def work_records(*, work_order):
    """The visits (with photos) and the repair card (with labour, parts and inspections) of a
    work order, in a fixed number of queries."""
    from aftersales.repairs.models_work import RepairCard, Visit

    visits = list(Visit.objects.filter(work_order=work_order).select_related("technician")
                  .prefetch_related("photos").order_by("arrived_at", "id"))
    card = (RepairCard.objects.filter(work_order=work_order)
            .select_related("repeat_of__work_order")
            .prefetch_related("labour__technician", "parts__part", "parts__location", "inspections__inspector")
            .first())
    return visits, card
