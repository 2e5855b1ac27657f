"""Marketplace guarantee: late shipment (发货时间承诺, reference document 003).

Late when shipped after the promised date, or not shipped by the claim date when that is
past the promise. Compensation: a percentage of the amount paid, between a minimum and a
maximum (document 003: 5 %, at least 1, at most 30 yuan; other years' rules say minimum 5).
"""

from __future__ import annotations

from ..context import Outcome, Policy, require
from ..money import clamp, fmt_money, fmt_percent, percent_of, round_money
from ..types import Claim, Decision, gettext_noop
from .guarantee import amount_paid, platform

R = "cn.late_shipment"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    promised = require(claim.promised_ship_by, "promised_ship_by")
    shipped = claim.shipped_at
    late = (shipped or claim.claim_date) > promised
    if not late:
        if shipped is None:
            out.explain(f"{R}.on_time", "compensation", gettext_noop(
                "The promised shipping date, %(promised)s, has not passed yet."), promised=promised.isoformat())
        else:
            out.explain(f"{R}.on_time", "compensation", gettext_noop(
                "The goods were shipped on %(shipped)s, within the promised date %(promised)s."),
                shipped=shipped.isoformat(), promised=promised.isoformat())
        return out.decide()
    paid = amount_paid(claim)
    rate = policy.decimal("compensation", "percent")
    raw = percent_of(paid, rate)
    amount = round_money(clamp(raw, minimum=policy.optional_decimal("compensation", "minimum"),
                               maximum=policy.optional_decimal("compensation", "maximum")), out.currency)
    out.explain(f"{R}.compensation", "compensation", gettext_noop(
        "The goods were promised to ship by %(promised)s and did not: compensation of %(rate)s of %(paid)s is "
        "%(raw)s; with the minimum of %(minimum)s and the maximum of %(maximum)s the seller pays %(amount)s "
        "%(currency)s."),
        promised=promised.isoformat(), rate=fmt_percent(rate), paid=fmt_money(paid, out.currency),
        raw=fmt_money(raw, out.currency), minimum=_opt(policy, "minimum", out.currency),
        maximum=_opt(policy, "maximum", out.currency), amount=fmt_money(amount, out.currency), currency=out.currency)
    out.offer("compensation", amount=amount)
    platform(out, R)
    return out.decide()


def _opt(policy: Policy, key: str, currency: str) -> str:
    value = policy.optional_decimal("compensation", key)
    return "—" if value is None else fmt_money(value, currency)
