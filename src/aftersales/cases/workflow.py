"""The case status machine. Pure Python: no Django import, so it is tested exhaustively.

    new → open → waiting_customer / waiting_parts / in_repair → resolved → closed
    resolved or closed → open (reopen)

A case may also be closed straight from new, open or waiting_customer (withdrawn,
duplicate, spam), and resolved from any working state.
"""

from __future__ import annotations

NEW = "new"
OPEN = "open"
WAITING_CUSTOMER = "waiting_customer"
WAITING_PARTS = "waiting_parts"
IN_REPAIR = "in_repair"
RESOLVED = "resolved"
CLOSED = "closed"

STATUSES: tuple[str, ...] = (NEW, OPEN, WAITING_CUSTOMER, WAITING_PARTS, IN_REPAIR, RESOLVED, CLOSED)

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({OPEN, WAITING_CUSTOMER, RESOLVED, CLOSED}),
    OPEN: frozenset({WAITING_CUSTOMER, WAITING_PARTS, IN_REPAIR, RESOLVED, CLOSED}),
    WAITING_CUSTOMER: frozenset({OPEN, IN_REPAIR, RESOLVED, CLOSED}),
    WAITING_PARTS: frozenset({OPEN, IN_REPAIR, RESOLVED}),
    IN_REPAIR: frozenset({OPEN, WAITING_PARTS, WAITING_CUSTOMER, RESOLVED}),
    RESOLVED: frozenset({OPEN, CLOSED}),
    CLOSED: frozenset({OPEN}),
}

# A customer may withdraw or confirm (close) and reopen; everything else is the staff's.
CUSTOMER_TARGETS: dict[str, frozenset[str]] = {
    NEW: frozenset({CLOSED}),
    OPEN: frozenset({CLOSED}),
    WAITING_CUSTOMER: frozenset({CLOSED}),
    RESOLVED: frozenset({OPEN, CLOSED}),
    CLOSED: frozenset({OPEN}),
}

DONE = frozenset({RESOLVED, CLOSED})
PAUSED = frozenset({WAITING_CUSTOMER, WAITING_PARTS})


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def can_customer_move(source: str, target: str) -> bool:
    return can_move(source, target) and target in CUSTOMER_TARGETS.get(source, frozenset())


def is_reopen(source: str, target: str) -> bool:
    return source in DONE and target == OPEN


def status_after_message(status: str, *, from_staff: bool, public: bool) -> str | None:
    """The automatic move a message causes, if any.

    A staff reply picks up a new case; a customer's answer takes a case off waiting and
    reopens a resolved one. Internal notes move nothing.
    """
    if not public:
        return None
    if from_staff:
        return OPEN if status == NEW else None
    if status in (WAITING_CUSTOMER, RESOLVED):
        return OPEN
    return None
