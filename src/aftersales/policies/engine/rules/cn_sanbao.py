"""China 三包: repair, exchange and return of goods (部分商品修理更换退货责任规定 and the
product tables: mobile phones, personal computers, flat-panel TVs, air conditioners,
refrigerators, washing machines …). Every number comes from the policy document.

Reading of RULES.md made here:
- The 7-day return and 15-day exchange windows count from the original start date; an
  exchange restarts the 三包 periods (whole unit, main parts, accessories), not those windows.
- Time in repair (and waiting for parts) extends the 三包 periods, not the short windows.
- Repaired N times within the current period and failing again, parts not supplied in time,
  or the repairer's own delay: an exchange is due; the customer may take a refund instead
  (full when the same model is not available, less depreciation when it is). Free repair
  stays on offer while the warranty runs.
- Accessories (battery, charger, earphones) are replaced free within their own periods.
- Main parts are repaired free after the whole-unit warranty, until their own period ends.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..context import Outcome, Policy
from ..days import (
    add_days,
    days_between,
    last_exchange,
    period_end,
    repair_duration,
    repairs_since,
    total_repair_days,
)
from ..money import fmt_money, fmt_percent, percent_of, refund_amount
from ..types import Claim, Decision, Repair, gettext_noop
from .common import excluded, fault_of, start_date

R = "cn.sanbao"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    fault = fault_of(policy, claim)
    today = claim.claim_date
    no_proof = claim.proof_of_purchase == "none"

    if no_proof:
        rule = policy.get("no_proof")
        if rule is None or claim.dates.factory is None:
            out.explain(f"{R}.no_proof", "exclusions", gettext_noop(
                "Without a 三包 certificate or other proof of purchase the product is not covered; "
                "the repair is paid."))
            out.offer("paid_repair")
            return out.decide()
        start = add_days(claim.dates.factory, int(rule["days_after_factory"]))
        out.explain(f"{R}.no_proof", "no_proof", gettext_noop(
            "There is no proof of purchase, so the periods start %(days)s days after the factory date, on %(date)s, "
            "and only free repair is owed."), days=str(rule["days_after_factory"]), date=start.isoformat())
    else:
        start = start_date(policy, claim, out, R)

    exchanged = last_exchange(claim.exchanges)
    current = max(start, exchanged) if exchanged else start
    if exchanged:
        out.explain(f"{R}.exchange_restart", "exchange_restart", gettext_noop(
            "The product was exchanged on %(date)s, so the 三包 periods start again from that day."),
            date=exchanged.isoformat())
    repairs = repairs_since(claim.repairs, current)
    repair_days = total_repair_days(repairs, as_of=today)
    extension = repair_days if policy.has("repair_time") else 0
    if extension:
        out.explain(f"{R}.repair_time", "repair_time", gettext_noop(
            "%(days)s days in repair or waiting for parts extend the 三包 periods."), days=str(extension))

    # The windows and periods.
    return_end = exchange_end = None
    if not no_proof:
        return_end = policy.end("return", start)
        exchange_end = policy.end("exchange", start)
        out.period("return", start, return_end)
        out.period("exchange", start, exchange_end)
    warranty_end = add_days(policy.end("warranty", current), extension)
    out.period("warranty", current, warranty_end, extension)
    main_parts = policy.get("main_parts")
    main_parts_end = None
    if main_parts is not None:
        main_parts_end = add_days(policy.end("main_parts", current), extension)
        out.period("main_parts", current, main_parts_end, extension)
    accessories = (policy.get("accessories") or {}).get("parts") or {}
    accessory_end: date | None = None
    for name, spec in accessories.items():
        end = add_days(period_end(current, spec), extension)
        out.period(name, current, end, extension)
        if name == fault.component:
            accessory_end = end

    if excluded(policy, fault, out, R):
        return out.decide()

    if fault.component in accessories and accessory_end is not None:
        if today <= accessory_end:
            out.explain(f"{R}.accessory", "accessories", gettext_noop(
                "The accessory is within its 三包 period, which ends on %(ends)s: it is replaced free."),
                ends=accessory_end.isoformat())
            out.offer("repair" if no_proof else "replace_part", deadline=accessory_end)
        else:
            out.explain(f"{R}.accessory", "accessories", gettext_noop(
                "The accessory's 三包 period ended on %(ends)s; a replacement or repair is paid."),
                ends=accessory_end.isoformat())
            out.offer("paid_repair")
        return _carriage(out)

    is_main_part = main_parts is not None and fault.component in (main_parts.get("components") or ())
    if today > warranty_end:
        if is_main_part and main_parts_end is not None and today <= main_parts_end:
            out.explain(f"{R}.main_parts", "main_parts", gettext_noop(
                "The whole-unit warranty ended on %(warranty_ends)s, but this main part is covered until %(ends)s: "
                "it is repaired free."), warranty_ends=warranty_end.isoformat(), ends=main_parts_end.isoformat())
            out.offer("repair", deadline=main_parts_end)
            return _carriage(out)
        out.explain(f"{R}.out_of_warranty", "warranty", gettext_noop(
            "The 三包 warranty ended on %(ends)s; the repair is paid."), ends=warranty_end.isoformat())
        out.offer("paid_repair")
        return out.decide()

    price = claim.price
    if return_end is not None and today <= return_end:
        out.explain(f"{R}.return_window", "return", gettext_noop(
            "The fault appeared within %(days)s days (by %(ends)s): the customer may choose a return with a full "
            "refund of %(amount)s %(currency)s, an exchange or a repair."),
            days=str(policy.number("return", "days")), ends=return_end.isoformat(),
            amount=fmt_money(price, out.currency), currency=out.currency)
        out.offer("return", amount=refund_amount(price, price=price, currency=out.currency), deadline=return_end)
        out.offer("exchange", deadline=exchange_end)
    elif exchange_end is not None and today <= exchange_end:
        out.explain(f"{R}.exchange_window", "exchange", gettext_noop(
            "The fault appeared within %(days)s days (by %(ends)s): the customer may choose an exchange or a repair."),
            days=str(policy.number("exchange", "days")), ends=exchange_end.isoformat())
        out.offer("exchange", deadline=exchange_end)
        if not claim.same_model_available:
            out.explain(f"{R}.refund_full", "refund", gettext_noop(
                "The same model is not available and the customer need not take another: a full refund of "
                "%(amount)s %(currency)s."), amount=fmt_money(price, out.currency), currency=out.currency)
            out.offer("refund", amount=refund_amount(price, price=price, currency=out.currency),
                      deadline=exchange_end)
    else:
        out.explain(f"{R}.warranty", "warranty", gettext_noop(
            "The product is within its 三包 warranty, which ends on %(ends)s: it is repaired free."),
            ends=warranty_end.isoformat())
    out.offer("repair", deadline=warranty_end)

    if not no_proof and _exchange_due(policy, claim, out, repairs, today):
        out.offer("exchange", deadline=warranty_end)
        out.offer("refund", amount=_refund(policy, claim, out, current, repair_days), deadline=warranty_end)
    return _carriage(out)


def _exchange_due(policy: Policy, claim: Claim, out: Outcome, repairs: tuple[Repair, ...], today: date) -> bool:
    due = False
    times = int(policy.number("repeat_failure", "repairs"))
    if len(repairs) >= times:
        out.explain(f"{R}.repeat_failure", "repeat_failure", gettext_noop(
            "The product has been repaired %(count)s times within the period and has failed again: "
            "an exchange or a refund is due."), count=str(len(repairs)))
        due = True
    if policy.has("parts_supply"):
        limit = int(policy.number("parts_supply", "days"))
        if any(r.waiting_parts_days > limit for r in repairs):
            out.explain(f"{R}.parts_supply", "parts_supply", gettext_noop(
                "Parts were not supplied within %(days)s days of the repair request: an exchange is due."),
                days=str(limit))
            due = True
    if policy.has("repair_delay"):
        limit = int(policy.number("repair_delay", "days"))
        if any(repair_duration(r, as_of=today) > limit for r in repairs):
            out.explain(f"{R}.repair_delay", "repair_delay", gettext_noop(
                "The repairer took more than %(days)s days over a repair: an exchange is due."), days=str(limit))
            due = True
    return due


def _refund(policy: Policy, claim: Claim, out: Outcome, current: date, repair_days: int) -> Decimal:
    price = claim.price
    if not claim.same_model_available:
        out.explain(f"{R}.refund_full", "refund", gettext_noop(
            "The same model is not available and the customer need not take another: a full refund of "
            "%(amount)s %(currency)s."), amount=fmt_money(price, out.currency), currency=out.currency)
        return refund_amount(price, price=price, currency=out.currency)
    rate = policy.decimal("refund", "daily_depreciation_percent")
    used = max(0, days_between(current, claim.claim_date) - repair_days)
    deduction = percent_of(price, rate) * used
    amount = refund_amount(price - deduction, price=price, currency=out.currency)
    out.explain(f"{R}.refund_depreciation", "refund", gettext_noop(
        "The same model is available, so a refund deducts depreciation: %(days)s days used (not counting "
        "%(repair_days)s days in repair) × %(rate)s × %(price)s = %(deduction)s; the refund is %(amount)s "
        "%(currency)s."),
        days=str(used), repair_days=str(repair_days), rate=fmt_percent(rate), price=fmt_money(price, out.currency),
        deduction=fmt_money(deduction, out.currency), amount=fmt_money(amount, out.currency), currency=out.currency)
    return amount


def _carriage(out: Outcome) -> Decision:
    if out.policy.has("carriage") and any(k != "paid_repair" for k in out.remedies):
        out.explain(f"{R}.carriage", "carriage", gettext_noop(
            "The seller pays the carriage for returns, exchanges and repairs under these rules."))
    return out.decide()
