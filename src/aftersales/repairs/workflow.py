"""The work-order status machine and the custody chain's rules, as plain Python (no Django).

Document 001's procedure: call-in register → service voucher → dispatch → on-site work or
carry-in with a receipt → repair (parts, labour) → the supervisor inspects (pass, or send
back) → hand-back against the customer's signature, receipt voided → voucher archived.

    registered → dispatched → in_progress ⇄ waiting_parts
    in_progress → inspecting → ready → completed → archived
    inspecting → in_progress (sent back)        in_progress → dispatched (another visit)
    registered / dispatched / in_progress / waiting_parts → cancelled
"""

from __future__ import annotations

REGISTERED = "registered"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
WAITING_PARTS = "waiting_parts"
INSPECTING = "inspecting"
READY = "ready"
COMPLETED = "completed"
ARCHIVED = "archived"
CANCELLED = "cancelled"

STATUSES = (REGISTERED, DISPATCHED, IN_PROGRESS, WAITING_PARTS, INSPECTING, READY, COMPLETED, ARCHIVED, CANCELLED)

TRANSITIONS: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({DISPATCHED, IN_PROGRESS, CANCELLED}),
    DISPATCHED: frozenset({IN_PROGRESS, CANCELLED}),
    IN_PROGRESS: frozenset({WAITING_PARTS, INSPECTING, DISPATCHED, CANCELLED}),
    WAITING_PARTS: frozenset({IN_PROGRESS, CANCELLED}),
    INSPECTING: frozenset({READY, IN_PROGRESS}),
    READY: frozenset({COMPLETED}),
    COMPLETED: frozenset({ARCHIVED}),
    ARCHIVED: frozenset(),
    CANCELLED: frozenset(),
}

OPEN = frozenset(STATUSES) - {COMPLETED, ARCHIVED, CANCELLED}


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


# ---- custody --------------------------------------------------------------------------------
# Where a carried-in item is after each kind of register entry ("shop" = in our hands).
RECEIVED = "received"
TO_WORKSHOP = "sent_to_workshop"
TO_VENDOR = "sent_to_vendor"
BACK_TO_SHOP = "returned_to_shop"
HANDED_BACK = "handed_to_customer"
LOANER_OUT = "loaner_issued"
LOANER_BACK = "loaner_returned"
CORRECTION = "correction"

MOVES = (RECEIVED, TO_WORKSHOP, TO_VENDOR, BACK_TO_SHOP, HANDED_BACK, LOANER_OUT, LOANER_BACK, CORRECTION)

# Which entries may follow which (the item's own moves; loaners and corrections are
# recorded alongside and do not move the item).
ITEM_NEXT: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({TO_WORKSHOP, TO_VENDOR, HANDED_BACK}),
    TO_WORKSHOP: frozenset({BACK_TO_SHOP, TO_VENDOR, HANDED_BACK}),
    TO_VENDOR: frozenset({BACK_TO_SHOP}),
    BACK_TO_SHOP: frozenset({TO_WORKSHOP, TO_VENDOR, HANDED_BACK}),
    HANDED_BACK: frozenset(),
}
SIDE_ENTRIES = frozenset({LOANER_OUT, LOANER_BACK, CORRECTION})


def item_can_move(last_item_move: str | None, move: str) -> bool:
    """May `move` follow the item's last own move? The first entry is always `received`."""
    if move == CORRECTION:
        return last_item_move is not None  # a correction may come at any time, even after hand-back
    if move in SIDE_ENTRIES:
        return still_held(last_item_move)
    if last_item_move is None:
        return move == RECEIVED
    return move in ITEM_NEXT.get(last_item_move, frozenset())


def still_held(last_item_move: str | None) -> bool:
    return last_item_move is not None and last_item_move != HANDED_BACK
