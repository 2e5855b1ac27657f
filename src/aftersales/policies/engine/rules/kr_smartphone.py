"""Korea: smartphones under 소비자분쟁해결기준 (Consumer Dispute Settlement Criteria).

Reading of RULES.md made here:
- A major defect (`fault.major`) within 10 days → exchange or refund (or repair, if the
  customer prefers); within 1 month → exchange or free repair; later, within the warranty
  (battery: its own shorter period) → free repair. A minor defect gets repair only.
- Recurrence, counting only repairs handed in within the latest year (and after the last
  exchange): the same defect repaired twice and back (3rd occurrence), or 4 repairs and a
  defect again (5th) → treated as repair impossible. So are missing parts within the
  warranty. Repair impossible → exchange when the same model is available, else a refund of
  the price.
- The exchanged unit needs major repair within 1 month of the exchange → refund.
- Parts unavailable after the warranty: refund = price − whole months used ÷ useful life ×
  price + a bonus percentage of the price, never above the price. Months used count from the
  start of the current unit's periods, in whole months.
- The exchange restarts the warranty; the 10-day and 1-month windows stay with the purchase.
"""

from __future__ import annotations

from datetime import date

from ..context import Outcome, Policy
from ..days import add_months, last_exchange, period_end, repairs_since, whole_months_between
from ..money import HUNDRED, fmt_money, fmt_percent, refund_amount
from ..types import Claim, Decision, Fault, gettext_noop
from .common import excluded, fault_of, start_date

R = "kr.smartphone"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    fault = fault_of(policy, claim)
    today = claim.claim_date
    price = claim.price
    start = start_date(policy, claim, out, R)
    exchanged = last_exchange(claim.exchanges)
    current = max(start, exchanged) if exchanged else start
    if exchanged:
        out.explain(f"{R}.exchange_restart", "exchange_restart", gettext_noop(
            "The phone was exchanged on %(date)s, so its warranty starts again from that day."),
            date=exchanged.isoformat())

    refund_end = policy.end("refund_window", start)
    exchange_end = policy.end("exchange_window", start)
    warranty_end = policy.end("warranty", current)
    out.period("refund", start, refund_end)
    out.period("exchange", start, exchange_end)
    out.period("warranty", current, warranty_end)
    parts = (policy.get("parts_warranty") or {}).get("parts") or {}
    governing = warranty_end
    for name, spec in parts.items():
        end = period_end(current, spec)
        out.period(name, current, end)
        if name == fault.component:
            governing = end

    if excluded(policy, fault, out, R):
        return out.decide()

    if today > governing:
        if claim.parts_unavailable and policy.has("depreciation_refund"):
            _depreciation_refund(policy, claim, out, current)
            return out.decide()
        out.explain(f"{R}.out_of_warranty", "warranty", gettext_noop(
            "The warranty ended on %(ends)s; the repair is paid."), ends=governing.isoformat())
        out.offer("paid_repair")
        return out.decide()

    full = refund_amount(price, price=price, currency=out.currency)
    if exchanged and fault.major and today <= policy.end("exchanged_unit", exchanged):
        out.explain(f"{R}.exchanged_unit", "exchanged_unit", gettext_noop(
            "The exchanged phone needs a major repair within %(months)s month(s) of the exchange: a refund of "
            "%(amount)s %(currency)s."), months=str(policy.number("exchanged_unit", "months")),
            amount=fmt_money(full, out.currency), currency=out.currency)
        out.offer("refund", amount=full, deadline=policy.end("exchanged_unit", exchanged))
    if fault.major and today <= refund_end:
        out.explain(f"{R}.refund_window", "refund_window", gettext_noop(
            "A major defect within %(days)s days of purchase (by %(ends)s): exchange or refund of %(amount)s "
            "%(currency)s."), days=str(policy.number("refund_window", "days")), ends=refund_end.isoformat(),
            amount=fmt_money(full, out.currency), currency=out.currency)
        out.offer("exchange", deadline=refund_end)
        out.offer("refund", amount=full, deadline=refund_end)
    elif fault.major and today <= exchange_end:
        out.explain(f"{R}.exchange_window", "exchange_window", gettext_noop(
            "A major defect within %(months)s month(s) of purchase (by %(ends)s): exchange or free repair."),
            months=str(policy.number("exchange_window", "months")), ends=exchange_end.isoformat())
        out.offer("exchange", deadline=exchange_end)
    else:
        out.explain(f"{R}.warranty", "warranty", gettext_noop(
            "The phone is within its warranty, which ends on %(ends)s: it is repaired free."),
            ends=governing.isoformat())
    out.offer("repair", deadline=governing)

    if _repair_impossible(policy, claim, out, fault, current, today):
        out.withdraw("repair")
        if claim.same_model_available:
            out.offer("exchange", deadline=governing)
        else:
            out.explain(f"{R}.refund_no_exchange", "repair_impossible", gettext_noop(
                "No phone of the same model is available to exchange: a refund of %(amount)s %(currency)s."),
                amount=fmt_money(full, out.currency), currency=out.currency)
            out.withdraw("exchange")
            out.offer("refund", amount=full, deadline=governing)
    return out.decide()


def _repair_impossible(policy: Policy, claim: Claim, out: Outcome, fault: Fault, current: date, today: date) -> bool:
    if claim.parts_unavailable:
        out.explain(f"{R}.parts_unavailable", "repair_impossible", gettext_noop(
            "The parts needed are not available within the warranty, so the repair counts as impossible."))
        return True
    rule = policy.get("recurrence")
    if rule is None:
        return False
    since = max(current, add_months(today, -int(rule["lookback_months"])))
    recent = repairs_since(claim.repairs, since)
    same = sum(1 for r in recent if r.same_problem)
    if same >= int(rule["same_defect_repairs"]):
        out.explain(f"{R}.recurrence", "recurrence", gettext_noop(
            "The same defect has been repaired %(count)s times within the latest year and is back: the repair "
            "counts as impossible."), count=str(same))
        return True
    if len(recent) >= int(rule["any_defect_repairs"]):
        out.explain(f"{R}.recurrence", "recurrence", gettext_noop(
            "The phone has been repaired %(count)s times within the latest year and has a defect again: the repair "
            "counts as impossible."), count=str(len(recent)))
        return True
    return False


def _depreciation_refund(policy: Policy, claim: Claim, out: Outcome, current: date) -> None:
    price = claim.price
    life = int(policy.number("depreciation_refund", "useful_life_months"))
    bonus = policy.decimal("depreciation_refund", "bonus_percent")
    months = whole_months_between(current, claim.claim_date)
    depreciation = price * months / life
    amount = refund_amount(price - depreciation + price * bonus / HUNDRED, price=price, currency=out.currency)
    out.explain(f"{R}.depreciation_refund", "depreciation_refund", gettext_noop(
        "The warranty is over and the parts are not available: the refund is %(price)s − %(months)s ÷ %(life)s "
        "months × %(price)s + %(bonus)s of the price = %(amount)s %(currency)s (never more than the price)."),
        price=fmt_money(price, out.currency), months=str(months), life=str(life), bonus=fmt_percent(bonus),
        amount=fmt_money(amount, out.currency), currency=out.currency)
    if policy.has("parts_retention"):
        out.explain(f"{R}.parts_retention", "parts_retention", gettext_noop(
            "The maker must keep parts for %(months)s months after the model's production ends."),
            months=str(policy.number("parts_retention", "months")))
    out.offer("refund", amount=amount)
