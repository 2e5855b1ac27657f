"""What the marketplace guarantee families share."""

from __future__ import annotations

from decimal import Decimal

from ..context import Outcome
from ..types import Claim, gettext_noop


def amount_paid(claim: Claim) -> Decimal:
    """What the buyer actually paid for the goods (the price when not given)."""
    return claim.amount_paid if claim.amount_paid is not None else claim.price


def platform(out: Outcome, prefix: str) -> None:
    if out.policy.has("platform"):
        out.explain(f"{prefix}.platform", "platform", gettext_noop(
            "If the buyer and the seller cannot agree, the platform rules on the claim."))
