"""The guarantee claim's status machine. Pure Python: no Django import, tested exhaustively.

    proposed ─► approved ─► paid
    proposed ─► rejected
    proposed, approved ─► escalated (to the platform)
    escalated ─► approved | rejected (the platform's ruling)

Each step is an *operation* a person performs (approve, reject, pay, escalate, rule); an
operation is legal from some statuses only and always lands on one status. `paid` and
`rejected` are final: a different outcome is a new claim.
"""

from __future__ import annotations

PROPOSED = "proposed"
APPROVED = "approved"
PAID = "paid"
REJECTED = "rejected"
ESCALATED = "escalated"

STATUSES: tuple[str, ...] = (PROPOSED, APPROVED, ESCALATED, PAID, REJECTED)
OPEN: frozenset[str] = frozenset({PROPOSED, APPROVED, ESCALATED})  # at most one per case and guarantee
FINAL: frozenset[str] = frozenset({PAID, REJECTED})

APPROVE = "approve"
REJECT = "reject"
PAY = "pay"
ESCALATE = "escalate"
RULE_APPROVED = "rule_approved"  # the platform's ruling, recorded with a note
RULE_REJECTED = "rule_rejected"

OPERATIONS: dict[str, dict[str, str]] = {
    APPROVE: {PROPOSED: APPROVED},
    REJECT: {PROPOSED: REJECTED},
    PAY: {APPROVED: PAID},
    ESCALATE: {PROPOSED: ESCALATED, APPROVED: ESCALATED},
    RULE_APPROVED: {ESCALATED: APPROVED},
    RULE_REJECTED: {ESCALATED: REJECTED},
}

TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(targets[status] for targets in OPERATIONS.values() if status in targets) for status in STATUSES
}


class IllegalTransition(ValueError):
    """The operation is not possible from the claim's status (the caller answers 409)."""

    def __init__(self, status: str, operation: str) -> None:
        super().__init__(f"{operation} is not possible from {status}")
        self.status = status
        self.operation = operation


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def can(status: str, operation: str) -> bool:
    return status in OPERATIONS.get(operation, {})


def after(status: str, operation: str) -> str:
    """The status `operation` leads to from `status`; IllegalTransition when it may not."""
    target = OPERATIONS.get(operation, {}).get(status)
    if target is None:
        raise IllegalTransition(status, operation)
    return target


def operations_from(status: str) -> tuple[str, ...]:
    """The operations possible from `status`, in a stable order (for buttons)."""
    return tuple(op for op in OPERATIONS if status in OPERATIONS[op])


def is_open(status: str) -> bool:
    return status in OPEN
