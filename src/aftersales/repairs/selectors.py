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
