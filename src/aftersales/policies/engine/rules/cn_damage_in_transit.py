"""Marketplace guarantee: goods damaged in transit (破损补寄, reference document 003).

The seller re-ships the damaged goods free a set number of times (document 003: once);
damaged again after that, the buyer returns them for a refund of the amount paid. An
optional `claim_window` (days from signing) limits when the damage can be reported.
"""

from __future__ import annotations

from ..context import Outcome, Policy
from ..money import fmt_money, refund_amount
from ..types import Claim, Decision, gettext_noop
from .guarantee import amount_paid, platform

R = "cn.damage_in_transit"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    signed = claim.signed_at or claim.dates.delivered
    if policy.has("claim_window") and signed is not None:
        end = policy.end("claim_window", signed)
        out.period("claim", signed, end)
        if claim.claim_date > end:
            out.explain(f"{R}.claim_window", "claim_window", gettext_noop(
                "Damage had to be reported by %(ends)s."), ends=end.isoformat())
            return out.decide()
    free = int(policy.number("reshipment", "free_reshipments"))
    if claim.reshipments < free:
        out.explain(f"{R}.reshipment", "reshipment", gettext_noop(
            "The goods arrived damaged: the seller re-ships the damaged goods free (%(used)s of %(free)s free "
            "re-shipments used so far)."), used=str(claim.reshipments), free=str(free))
        out.offer("reshipment")
    else:
        refund = refund_amount(amount_paid(claim), price=claim.price, currency=out.currency)
        out.explain(f"{R}.refund", "refund", gettext_noop(
            "The goods arrived damaged again after %(used)s re-shipments: the buyer returns them for a refund of "
            "%(amount)s %(currency)s."), used=str(claim.reshipments), amount=fmt_money(refund, out.currency),
            currency=out.currency)
        out.offer("return", amount=refund)
    platform(out, R)
    return out.decide()
