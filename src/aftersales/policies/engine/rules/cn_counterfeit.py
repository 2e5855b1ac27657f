"""Marketplace guarantee: counterfeit (假一赔三, reference document 003).

Once the platform confirms the goods are counterfeit: a refund of the amount paid plus
compensation of a multiple of it (document 003: twice), the seller bearing all carriage.
The explanation also states what statutory fraud would give (消费者权益保护法 art. 55:
three times the price, at least 500 yuan), which the customer may pursue instead.
"""

from __future__ import annotations

from ..context import Outcome, Policy
from ..money import clamp, fmt_money, refund_amount, round_money
from ..types import Claim, Decision, gettext_noop
from .guarantee import amount_paid, platform

R = "cn.counterfeit"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    if not claim.confirmed_counterfeit:
        out.explain(f"{R}.unconfirmed", "compensation", gettext_noop(
            "The goods have not been confirmed as counterfeit; compensation follows only that confirmation."))
        platform(out, R)
        return out.decide()
    paid = amount_paid(claim)
    refund = refund_amount(paid, price=claim.price, currency=out.currency)
    multiplier = policy.decimal("compensation", "multiplier")
    compensation = round_money(paid * multiplier, out.currency)
    out.explain(f"{R}.compensation", "compensation", gettext_noop(
        "The goods are confirmed counterfeit: the seller refunds %(refund)s %(currency)s and pays compensation of "
        "%(multiplier)s times the amount paid, %(amount)s %(currency)s."),
        refund=fmt_money(refund, out.currency), multiplier=str(multiplier.normalize()),
        amount=fmt_money(compensation, out.currency), currency=out.currency)
    out.offer("refund", amount=refund)
    out.offer("compensation", amount=compensation)
    if policy.has("carriage"):
        out.explain(f"{R}.carriage", "carriage", gettext_noop("The seller bears all the carriage of the claim."))
    fraud = policy.get("statutory_fraud")
    if fraud is not None:
        statutory = round_money(clamp(claim.price * policy.decimal("statutory_fraud", "multiplier"),
                                      minimum=policy.optional_decimal("statutory_fraud", "minimum")), out.currency)
        out.explain(f"{R}.statutory_fraud", "statutory_fraud", gettext_noop(
            "Where the seller committed fraud, the law gives extra compensation of %(multiplier)s times the price, "
            "at least %(minimum)s: here %(amount)s %(currency)s, which the customer may claim instead."),
            multiplier=str(policy.decimal("statutory_fraud", "multiplier").normalize()),
            minimum=fmt_money(policy.decimal("statutory_fraud", "minimum", 0), out.currency),
            amount=fmt_money(statutory, out.currency), currency=out.currency)
    platform(out, R)
    return out.decide()
