"""China household cars: 家用汽车产品修理更换退货责任规定 (2021). Every number from the policy.

Reading of RULES.md made here:
- Both the 包修 (`warranty`) and the 三包 (`sanbao`) period end at whichever comes first,
  the date or the mileage; the odometer is the current car's (an exchanged car starts anew).
- The 7-day rule applies when one of the listed major units fails; the 60-day / 3,000 km
  rule gives exchange or refund for a listed *safety-critical* failure (steering, brakes,
  body cracking, fuel leak, battery fire: `fault.safety_critical`), and a free replacement
  of the major unit for another defect in one.
- Exchange or refund within the 三包 period also when: a safety-critical fault still fails
  after N repairs of that component; a major unit repaired (replaced) N times still fails;
  cumulative days in repair exceed N; or the same problem was repaired more than N times.
  Free repair stays on offer.
- A single repair over N days (hand-in to back; parts-waiting days recorded separately are not
  at the repairer) gives a replacement car (or transport compensation) from day N + 1 for the
  rest of that repair, within the 包修 period.
- Periods are not extended by repair time (the car rules do not say so); a policy can turn
  that on with a `repair_time` rule.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..context import Outcome, Policy, require
from ..days import add_days, last_exchange, repair_duration, repairs_since, total_repair_days
from ..money import fmt_money, fmt_percent, percent_of, refund_amount
from ..types import Claim, Decision, Fault, Repair, gettext_noop
from .common import excluded, fault_of, start_date

R = "cn.car"


def evaluate(policy: Policy, claim: Claim) -> Decision:
    out = Outcome(policy, claim)
    fault = fault_of(policy, claim)
    km = int(require(claim.odometer_km, "odometer_km"))
    today = claim.claim_date
    start = start_date(policy, claim, out, R)
    exchanged = last_exchange(claim.exchanges)
    current = max(start, exchanged) if exchanged else start
    if exchanged:
        out.explain(f"{R}.exchange_restart", "exchange_restart", gettext_noop(
            "The car was exchanged on %(date)s, so the 包修 and 三包 periods start again from that day."),
            date=exchanged.isoformat())
    repairs = repairs_since(claim.repairs, current)
    extension = total_repair_days(repairs, as_of=today) if policy.has("repair_time") else 0
    warranty_end = add_days(policy.end("warranty", current), extension)
    sanbao_end = add_days(policy.end("sanbao", current), extension)
    warranty_km = int(policy.number("warranty", "km"))
    sanbao_km = int(policy.number("sanbao", "km"))
    out.period("warranty", current, warranty_end, extension)
    out.period("sanbao", current, sanbao_end, extension)

    if excluded(policy, fault, out, R):
        return out.decide()
    if today > warranty_end or km > warranty_km:
        out.explain(f"{R}.out_of_warranty", "warranty", gettext_noop(
            "The 包修 period ended (on %(ends)s or at %(km_limit)s km, whichever comes first; the car has "
            "%(km)s km): the repair is paid."), ends=warranty_end.isoformat(), km_limit=str(warranty_km), km=str(km))
        out.offer("paid_repair")
        return out.decide()

    _replacement_car(policy, out, repairs, today)
    if today > sanbao_end or km > sanbao_km:
        out.explain(f"{R}.warranty", "warranty", gettext_noop(
            "The 三包 period is over, but the car is within its 包修 period (until %(ends)s or %(km_limit)s km): "
            "it is repaired free."), ends=warranty_end.isoformat(), km_limit=str(warranty_km))
        out.offer("repair", deadline=warranty_end)
        return _carriage(out)

    out.explain(f"{R}.sanbao", "sanbao", gettext_noop(
        "The car is within its 三包 period (until %(ends)s or %(km_limit)s km; it has %(km)s km): "
        "it is repaired free."), ends=sanbao_end.isoformat(), km_limit=str(sanbao_km), km=str(km))
    out.offer("repair", deadline=sanbao_end)
    due = _early_faults(policy, out, fault, current, today, km)
    due = _repeated(policy, out, fault, repairs, today) or due
    if due:
        out.offer("exchange", deadline=sanbao_end)
        out.offer("refund", amount=_refund(policy, claim, out, km), deadline=sanbao_end)
    return _carriage(out)


def _early_faults(policy: Policy, out: Outcome, fault: Fault, current: date, today: date, km: int) -> bool:
    due = False
    if policy.has("return_7d"):
        end = policy.end("return_7d", current)
        out.period("return_7d", current, end)
        if today <= end and fault.component in policy.words("return_7d", "components"):
            out.explain(f"{R}.return_7d", "return_7d", gettext_noop(
                "A major unit (engine, gearbox, power battery or drive motor) failed within %(days)s days (by "
                "%(ends)s): the customer may choose an exchange or a refund."),
                days=str(policy.number("return_7d", "days")), ends=end.isoformat())
            due = True
    early = policy.get("serious_60d")
    if early is not None:
        end = policy.end("serious_60d", current)
        limit = int(early["km"])
        out.period("serious_60d", current, end)
        if today <= end and km <= limit:
            if fault.safety_critical and fault.component in policy.words("serious_60d", "components"):
                out.explain(f"{R}.serious_60d", "serious_60d", gettext_noop(
                    "A serious safety failure (steering, brakes, body cracking, fuel leak or battery fire) within "
                    "%(days)s days or %(km_limit)s km: the customer may choose an exchange or a refund."),
                    days=str(early["days"]), km_limit=str(limit))
                due = True
            elif policy.has("major_unit_60d") and fault.component in policy.words("major_unit_60d", "components"):
                out.explain(f"{R}.major_unit_60d", "major_unit_60d", gettext_noop(
                    "A defect in a major unit within %(days)s days or %(km_limit)s km: the unit is replaced free."),
                    days=str(early["days"]), km_limit=str(limit))
                out.offer("replace_part", deadline=end)
    return due


def _repeated(policy: Policy, out: Outcome, fault: Fault, repairs: tuple[Repair, ...], today: date) -> bool:
    due = False
    same_component = [r for r in repairs if r.component == fault.component]
    rule = policy.get("safety_repairs")
    if rule is not None and fault.safety_critical and len(same_component) >= int(rule["repairs"]):
        out.explain(f"{R}.safety_repairs", "safety_repairs", gettext_noop(
            "A serious safety fault was repaired %(count)s times and is still not cured: an exchange or a refund "
            "is due."), count=str(len(same_component)))
        due = True
    rule = policy.get("major_unit_replacements")
    if (rule is not None and fault.component in (rule.get("components") or ())
            and len(same_component) >= int(rule["times"])):
        out.explain(f"{R}.major_unit_replacements", "major_unit_replacements", gettext_noop(
            "The same major unit or main part was replaced %(count)s times and still fails: an exchange or a "
            "refund is due."), count=str(len(same_component)))
        due = True
    rule = policy.get("cumulative_repair")
    if rule is not None:
        total = total_repair_days(repairs, as_of=today)
        if total > int(rule["days"]):
            out.explain(f"{R}.cumulative_repair", "cumulative_repair", gettext_noop(
                "The car has spent %(total)s days in repair in the period, more than %(days)s: an exchange or a "
                "refund is due."), total=str(total), days=str(rule["days"]))
            due = True
    rule = policy.get("same_problem_repairs")
    if rule is not None:
        count = sum(1 for r in repairs if r.same_problem)
        if count > int(rule["more_than"]):
            out.explain(f"{R}.same_problem_repairs", "same_problem_repairs", gettext_noop(
                "The same problem has been repaired %(count)s times, more than %(limit)s: an exchange or a refund "
                "is due."), count=str(count), limit=str(rule["more_than"]))
            due = True
    return due


def _replacement_car(policy: Policy, out: Outcome, repairs: tuple[Repair, ...], today: date) -> None:
    rule = policy.get("replacement_car")
    if rule is None:
        return
    after = int(rule["after_days"])
    for repair in repairs:
        days = repair_duration(repair, as_of=today)  # the car is at the repairer: hand-in to back
        if days <= after:
            continue
        first = add_days(repair.start, after)
        last = repair.end if repair.end is not None else today
        out.period("replacement_car", first, last)
        out.explain(f"{R}.replacement_car", "replacement_car", gettext_noop(
            "The repair that started on %(start)s took %(total)s days, more than %(days)s: a replacement car or "
            "transport compensation is owed from %(first)s, %(count)s days."),
            start=repair.start.isoformat(), total=str(days), days=str(after), first=first.isoformat(),
            count=str(days - after))
        out.offer("replacement_car")


def _refund(policy: Policy, claim: Claim, out: Outcome, km: int) -> Decimal:
    price = claim.price
    rate = policy.decimal("refund", "usage_percent_per_1000_km")
    deduction = percent_of(price, rate) * Decimal(km) / Decimal(1000)
    amount = refund_amount(price - deduction, price=price, currency=out.currency)
    out.explain(f"{R}.refund_usage", "refund", gettext_noop(
        "A refund deducts compensation for use: %(price)s × %(km)s km ÷ 1000 × %(rate)s = %(deduction)s; the "
        "refund is %(amount)s %(currency)s."),
        price=fmt_money(price, out.currency), km=str(km), rate=fmt_percent(rate),
        deduction=fmt_money(deduction, out.currency), amount=fmt_money(amount, out.currency), currency=out.currency)
    return amount


def _carriage(out: Outcome) -> Decision:
    if out.policy.has("carriage") and any(k != "paid_repair" for k in out.remedies):
        out.explain(f"{R}.carriage", "carriage", gettext_noop(
            "The seller pays the carriage for returns, exchanges and repairs under these rules."))
    return out.decide()
