"""Marketplace guarantee: arrival promise (到货承诺, reference document 003).

The buyer claims within a set number of days after the order closes (document 003: 15);
the seller's deposit pays first. Document 003 names no amount: the compensation is the
platform's ruling unless the policy sets `compensation` (percent of the amount paid, with an
optional minimum and maximum), as a shop may.
"""

from __future__ import annotations

from ..context import Outcome, Policy, require
from ..money import clamp, fmt_money, percent_of, round_money
from ..types import Claim, Decision, gettext_noop
from .guarantee import amount_paid, platform

R = "cn.arrival_promise"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    closed = require(claim.order_closed_at, "order_closed_at")
    promised = require(claim.promised_delivery_by, "promised_delivery_by")
    arrived = claim.signed_at or closed
    end = policy.end("claim_window", closed)
    out.period("claim", closed, end)
    if arrived <= promised:
        out.explain(f"{R}.on_time", "claim_window", gettext_noop(
            "The order arrived on %(arrived)s, within the promised date %(promised)s."),
            arrived=arrived.isoformat(), promised=promised.isoformat())
        return out.decide()
    if claim.claim_date > end:
        out.explain(f"{R}.claim_window", "claim_window", gettext_noop(
            "A late arrival had to be claimed within %(days)s days after the order closed, by %(ends)s."),
            days=str(policy.number("claim_window", "days")), ends=end.isoformat())
        return out.decide()
    amount = None
    if policy.has("compensation"):
        raw = percent_of(amount_paid(claim), policy.decimal("compensation", "percent"))
        amount = round_money(clamp(raw, minimum=policy.optional_decimal("compensation", "minimum"),
                                   maximum=policy.optional_decimal("compensation", "maximum")), out.currency)
        out.explain(f"{R}.compensation", "compensation", gettext_noop(
            "The order arrived on %(arrived)s, after the promised %(promised)s, and was claimed by %(ends)s: the "
            "seller pays %(amount)s %(currency)s, from the deposit first."),
            arrived=arrived.isoformat(), promised=promised.isoformat(), ends=end.isoformat(),
            amount=fmt_money(amount, out.currency), currency=out.currency)
    else:
        out.explain(f"{R}.compensation", "claim_window", gettext_noop(
            "The order arrived on %(arrived)s, after the promised %(promised)s, and was claimed by %(ends)s: the "
            "platform sets the compensation, which the seller's deposit pays first."),
            arrived=arrived.isoformat(), promised=promised.isoformat(), ends=end.isoformat())
    out.offer("compensation", amount=amount, deadline=end)
    platform(out, R)
    return out.decide()
