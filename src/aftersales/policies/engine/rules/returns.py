"""No-reason returns, shared by three families that differ only in their data and sources:
China's online 7-day return (`cn_online_return`), a seller's return promise
(`cn_return_promise`) and Korea's online withdrawal (`kr_online_withdrawal`, 청약철회).

- The window counts from the day after the goods were signed for / supplied (`signed_at`,
  else the delivery date).
- Goods the policy always excludes are not returnable; goods excluded only when the buyer
  confirmed it at purchase are returnable unless `exclusion_confirmed`.
- Goods not in a returnable condition (seal broken, activated, tags cut …) are not returnable.
- The refund is the price, less the item's share of a discount shared across a bundle, less
  the shipping that a free-shipping threshold waived when the return breaks the threshold
  (where the policy allows it). Never negative, never above the price.
- With `returned_at`, the refund deadline is counted from it (days, or working days on the
  policy's calendar); without it the remedy is the return, due by the window's end.
"""

from __future__ import annotations

from decimal import Decimal

from ..context import Outcome, Policy
from ..money import fmt_money, refund_amount
from ..types import Claim, ClaimError, Decision, gettext_noop


def evaluate(policy: Policy, claim: Claim, prefix: str) -> Decision:
    out = Outcome(policy, claim)
    today = claim.claim_date
    supplied = claim.signed_at or claim.dates.delivered
    if supplied is None:
        raise ClaimError("missing_field", gettext_noop("The field %(field)s is required for this policy."),
                         field="signed_at")
    end = policy.end("window", supplied)
    out.period("return", supplied, end)

    goods = claim.excluded_goods
    if goods is not None and policy.has("excluded_goods"):
        if goods in policy.words("excluded_goods", "always"):
            out.explain(f"{prefix}.excluded_goods", "excluded_goods", gettext_noop(
                "These goods are excluded from no-reason returns."))
            return out.decide()
        if goods in policy.words("excluded_goods", "if_confirmed"):
            if claim.exclusion_confirmed:
                out.explain(f"{prefix}.excluded_goods", "excluded_goods", gettext_noop(
                    "The buyer confirmed at purchase that these goods cannot be returned without a reason."))
                return out.decide()
            out.explain(f"{prefix}.excluded_goods", "excluded_goods", gettext_noop(
                "These goods are excluded only when the buyer confirmed it at purchase, which the buyer did not: "
                "they can be returned."))
    if not claim.condition_ok:
        out.explain(f"{prefix}.condition", "condition", gettext_noop(
            "The goods are not in a returnable condition (opened beyond reasonable testing: seal broken, "
            "activated, tags cut or similar)."))
        return out.decide()
    if today > end:
        out.explain(f"{prefix}.window", "window", gettext_noop(
            "The return window of %(days)s days ended on %(ends)s."), days=_days(policy), ends=end.isoformat())
        return out.decide()
    out.explain(f"{prefix}.window", "window", gettext_noop(
        "The return was asked for within the %(days)s-day window, which ends on %(ends)s."),
        days=_days(policy), ends=end.isoformat())

    amount = _amount(policy, claim, out, prefix)
    _carriage(policy, claim, out, prefix)
    if claim.returned_at is not None:
        deadline = policy.end("refund", claim.returned_at)
        out.explain(f"{prefix}.refund", "refund", gettext_noop(
            "The goods came back on %(date)s: the seller must refund %(amount)s %(currency)s by %(deadline)s."),
            date=claim.returned_at.isoformat(), amount=fmt_money(amount, out.currency), currency=out.currency,
            deadline=deadline.isoformat())
        out.offer("refund", amount=amount, deadline=deadline)
    else:
        refund = policy.rule("refund")
        if "working_days" in refund:
            out.explain(f"{prefix}.refund", "refund", gettext_noop(
                "Once the goods come back, the seller refunds %(amount)s %(currency)s within %(n)s working days."),
                amount=fmt_money(amount, out.currency), currency=out.currency, n=str(refund["working_days"]))
        else:
            out.explain(f"{prefix}.refund", "refund", gettext_noop(
                "Once the goods come back, the seller refunds %(amount)s %(currency)s within %(n)s days."),
                amount=fmt_money(amount, out.currency), currency=out.currency, n=str(refund.get("days", "")))
        out.offer("return", amount=amount, deadline=end)
    return out.decide()


def _amount(policy: Policy, claim: Claim, out: Outcome, prefix: str) -> Decimal:
    price = claim.price
    amount = price
    if claim.bundle_discount and claim.bundle_list_total:
        share = claim.bundle_discount * price / claim.bundle_list_total
        amount -= share
        out.explain(f"{prefix}.bundle", "bundle", gettext_noop(
            "The bundle discount of %(discount)s is shared by price: this item's part is %(share)s, so it refunds "
            "%(amount)s."), discount=fmt_money(claim.bundle_discount, out.currency),
            share=fmt_money(share, out.currency), amount=fmt_money(amount, out.currency))
    rule = policy.get("carriage") or {}
    if (rule.get("free_shipping_deduction") and claim.free_shipping_threshold is not None
            and claim.shipping_fee and claim.amount_paid is not None):
        remaining = claim.amount_paid - amount
        if remaining < claim.free_shipping_threshold:
            amount -= claim.shipping_fee
            out.explain(f"{prefix}.free_shipping", "carriage", gettext_noop(
                "What stays in the order (%(remaining)s) falls below the free-shipping threshold of %(threshold)s, "
                "so the waived shipping of %(fee)s is deducted."),
                remaining=fmt_money(remaining, out.currency),
                threshold=fmt_money(claim.free_shipping_threshold, out.currency),
                fee=fmt_money(claim.shipping_fee, out.currency))
    return refund_amount(amount, price=price, currency=out.currency)


def _carriage(policy: Policy, claim: Claim, out: Outcome, prefix: str) -> None:
    rule = policy.get("carriage")
    if rule is None:
        return
    if claim.not_as_described or rule.get("return_payer") == "seller":
        out.explain(f"{prefix}.carriage", "carriage", gettext_noop("The seller pays the return carriage."))
    else:
        out.explain(f"{prefix}.carriage", "carriage", gettext_noop("The buyer pays the return carriage."))
    if rule.get("first_shipping_payer") == "seller":
        out.explain(f"{prefix}.carriage", "carriage", gettext_noop(
            "The seller bears the cost of the first shipping."))
    elif rule.get("first_shipping_payer") == "buyer":
        out.explain(f"{prefix}.carriage", "carriage", gettext_noop(
            "The first shipping is not refunded."))


def _days(policy: Policy) -> str:
    return str(policy.rule("window").get("days", ""))

