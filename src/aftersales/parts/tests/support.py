"""Checks shared by the parts tests: the ledger and the levels agree."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Sum

from aftersales.parts.models import Reservation, ReservationState, StockLevel, StockMovement


def ledger_matches_levels() -> None:
    """Every StockLevel equals the sum of its movements and of its active reservations; none
    is negative or over-reserved; and there is a level for every (part, location) that moved."""
    sums = {(r["part_id"], r["location_id"]): r["total"] for r in
            StockMovement.objects.values("part_id", "location_id").annotate(total=Sum("quantity"))}
    held: dict[tuple[int, int], int] = defaultdict(int)
    for r in Reservation.objects.filter(state=ReservationState.ACTIVE).values("part_id", "location_id", "quantity"):
        held[(r["part_id"], r["location_id"])] += r["quantity"]
    levels = {(lv.part_id, lv.location_id): lv for lv in StockLevel.objects.all()}
    assert set(sums) <= set(levels)
    for key, level in levels.items():
        assert (level.on_hand, level.reserved) == (sums.get(key, 0), held.get(key, 0)), key
        assert 0 <= level.reserved <= level.on_hand, key


def parts_state() -> dict[str, Any]:
    """Everything the stock endpoints write; equal before and after a refused request."""
    from aftersales.core.models import AuditEntry

    return {
        "movements": list(StockMovement.objects.order_by("pk").values_list("pk", "quantity")),
        "levels": list(StockLevel.objects.order_by("pk").values_list("pk", "on_hand", "reserved")),
        "reservations": list(Reservation.objects.order_by("pk").values_list("pk", "state", "quantity")),
        "audit": AuditEntry.objects.count(),
    }
