"""The JSON contract of `POST /api/v1/entitlements/evaluate`: request → `Claim`, `Decision` → response.

`claim_from_json` is strict: an unknown key, a wrong type, an impossible date, money that is
negative, not a number or finer than the currency's minor unit, a word outside the
vocabulary, or a claim dated before the purchase → `ClaimError(code, template, **params)`.
The `policy` key is allowed and ignored (the caller resolves it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .money import MINOR_UNITS
from .types import Claim, ClaimError, Dates, Decision, Exchange, Fault, Repair, gettext_noop
from .vocabulary import CAUSES, COMPONENTS, EXCLUDED_GOODS, PROOFS, REMEDIES

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ITEMS = 100
MAX_DIGITS = 15  # integer digits of an amount
MAX_DAYS = 36_500  # waiting-for-parts days
MAX_KM = 10_000_000
MAX_RESHIPMENTS = 1_000
YEARS = (1900, 2200)  # dates outside are refused (periods computed from them stay representable)

CLAIM_KEYS = {
    "policy", "price", "currency", "dates", "claim_date", "proof_of_purchase", "fault", "repairs", "exchanges",
    "odometer_km", "same_model_available", "requested", "amount_paid", "promised_ship_by", "shipped_at", "signed_at",
    "order_closed_at", "reshipments", "confirmed_counterfeit", "excluded_goods", "condition_ok",
    "exclusion_confirmed", "returned_at", "bundle_list_total", "bundle_discount", "free_shipping_threshold",
    "shipping_fee", "not_as_described", "promised_delivery_by", "parts_unavailable",
}
DATES_KEYS = {"invoice", "delivered", "installed", "factory"}
FAULT_KEYS = {"component", "cause", "safety_critical", "major"}
REPAIR_KEYS = {"start", "end", "component", "same_problem", "waiting_parts_days"}
EXCHANGE_KEYS = {"date"}
MONEY_KEYS = ("amount_paid", "bundle_list_total", "bundle_discount", "free_shipping_threshold", "shipping_fee")
DATE_KEYS = ("promised_ship_by", "shipped_at", "signed_at", "order_closed_at", "returned_at", "promised_delivery_by")
BOOL_KEYS = ("confirmed_counterfeit", "condition_ok", "exclusion_confirmed", "not_as_described", "parts_unavailable")


def claim_from_json(data: Any) -> Claim:
    obj = _object(data, "request")
    currency = obj.get("currency")
    if currency is None:
        raise _missing("currency")
    if not isinstance(currency, str) or currency not in MINOR_UNITS:
        raise ClaimError("invalid_currency", gettext_noop("The currency %(value)s is not one of %(known)s."),
                         value=str(currency), known=", ".join(MINOR_UNITS))
    if "price" not in obj or obj["price"] is None:
        raise _missing("price")
    if "claim_date" not in obj or obj["claim_date"] is None:
        raise _missing("claim_date")
    price = _money(obj["price"], "price", currency)
    claim_date = _date(obj["claim_date"], "claim_date")
    dates_obj = _object(obj.get("dates") or {}, "dates", DATES_KEYS)
    dates = Dates(**{k: _opt_date(dates_obj.get(k), f"dates.{k}") for k in DATES_KEYS})
    fault = None
    if obj.get("fault") is not None:
        f = _object(obj["fault"], "fault", FAULT_KEYS)
        fault = Fault(
            component=_component(f.get("component", "main_unit"), "fault.component"),
            cause=_choice(f.get("cause"), "fault.cause", CAUSES, nullable=True),  # type: ignore[arg-type]
            safety_critical=_bool(f.get("safety_critical", False), "fault.safety_critical"),
            major=_bool(f.get("major", True), "fault.major"),
        )
    repairs = tuple(_repair(item, f"repairs[{i}]") for i, item in enumerate(_list(obj.get("repairs"), "repairs")))
    exchanges = tuple(
        Exchange(date=_date(_object(item, f"exchanges[{i}]", EXCHANGE_KEYS).get("date"), f"exchanges[{i}].date"))
        for i, item in enumerate(_list(obj.get("exchanges"), "exchanges"))
    )
    odometer = obj.get("odometer_km")
    claim = Claim(
        price=price,
        currency=currency,
        claim_date=claim_date,
        dates=dates,
        proof_of_purchase=_choice(obj.get("proof_of_purchase", "invoice"), "proof_of_purchase", PROOFS),  # type: ignore[arg-type]
        fault=fault,
        repairs=repairs,
        exchanges=exchanges,
        odometer_km=None if odometer is None else _count(odometer, "odometer_km", MAX_KM),
        same_model_available=_bool(obj.get("same_model_available", True), "same_model_available"),
        requested=_choice(obj.get("requested"), "requested", REMEDIES, nullable=True),  # type: ignore[arg-type]
        reshipments=_count(obj.get("reshipments", 0), "reshipments", MAX_RESHIPMENTS),
        excluded_goods=_choice(obj.get("excluded_goods"), "excluded_goods", EXCLUDED_GOODS, nullable=True),
        **{k: _opt_money(obj.get(k), k, currency) for k in MONEY_KEYS},
        **{k: _opt_date(obj.get(k), k) for k in DATE_KEYS},
        **{k: _bool(obj[k], k) for k in BOOL_KEYS if k in obj},
    )
    _check_order(claim)
    return claim


def _check_order(claim: Claim) -> None:
    bought = [d for d in (claim.dates.invoice, claim.dates.delivered) if d is not None]
    if bought and claim.claim_date < min(bought):
        raise ClaimError("claim_before_purchase", gettext_noop(
            "The claim date %(claim_date)s is before the purchase on %(purchase)s."),
            claim_date=claim.claim_date.isoformat(), purchase=min(bought).isoformat())
    if claim.dates.factory is not None and bought and claim.dates.factory > min(bought):
        raise ClaimError("invalid_date", gettext_noop("The date %(field)s must not be after %(other)s."),
                         field="dates.factory", other="dates.invoice/dates.delivered")
    for i, repair in enumerate(claim.repairs):
        if repair.end is not None and repair.end < repair.start:
            raise ClaimError("invalid_date", gettext_noop("The date %(field)s must not be after %(other)s."),
                             field=f"repairs[{i}].start", other=f"repairs[{i}].end")
        if (repair.end or repair.start) > claim.claim_date:
            raise ClaimError("after_claim_date", gettext_noop(
                "The date %(field)s is after the claim date; only what happened before the claim counts."),
                field=f"repairs[{i}]")
    for i, exchange in enumerate(claim.exchanges):
        if exchange.date > claim.claim_date:
            raise ClaimError("after_claim_date", gettext_noop(
                "The date %(field)s is after the claim date; only what happened before the claim counts."),
                field=f"exchanges[{i}].date")
    supplied = claim.signed_at or claim.dates.delivered
    if claim.returned_at is not None and supplied is not None and claim.returned_at < supplied:
        raise ClaimError("invalid_date", gettext_noop("The date %(field)s must not be after %(other)s."),
                         field="signed_at", other="returned_at")
    # Shipping, signing, closing and return dates may follow the claim date: a late-shipment
    # claim is often made before the goods ship, and the facts are read when the claim is decided.
    if claim.bundle_list_total is not None and claim.bundle_list_total < claim.price:
        raise ClaimError("invalid_money", gettext_noop("The amount %(field)s must not be less than the price."),
                         field="bundle_list_total")


def decision_to_json(decision: Decision, *, translate: Callable[[str], str] = lambda template: template) -> dict:
    return {
        "policy": decision.policy_code,
        "policy_version": decision.policy_version,
        "covered": decision.covered,
        "remedies": [
            {
                "kind": r.kind,
                "amount": None if r.amount is None else str(r.amount),
                "currency": r.currency,
                "deadline": None if r.deadline is None else r.deadline.isoformat(),
            }
            for r in decision.remedies
        ],
        "periods": [
            {"name": p.name, "start": p.start.isoformat(), "ends": p.ends.isoformat(),
             "extended_by_days": p.extended_by_days}
            for p in decision.periods
        ],
        "explanation": [
            {"rule": e.rule, "source": e.source,
             "text": translate(e.template) % e.params if e.params else translate(e.template)}
            for e in decision.explanation
        ],
    }


# ---- field parsers ----------------------------------------------------------------------------

def _missing(name: str) -> ClaimError:
    return ClaimError("missing_field", gettext_noop("The field %(field)s is required for this policy."), field=name)


def _not_object(name: str) -> ClaimError:
    return ClaimError("invalid_type", gettext_noop("The field %(field)s must be an object."), field=name)


def _object(value: Any, name: str, keys: set[str] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _not_object(name)
    allowed = CLAIM_KEYS if keys is None else keys
    for key in value:
        if key not in allowed:
            where = str(key) if name == "request" else f"{name}.{key}"
            raise ClaimError("unknown_field", gettext_noop("The field %(field)s is not known."), field=where)
    return value


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ClaimError("invalid_type", gettext_noop("The field %(field)s must be a list."), field=name)
    if len(value) > MAX_ITEMS:
        raise ClaimError("too_many", gettext_noop("The list %(field)s has more than %(limit)s items."),
                         field=name, limit=str(MAX_ITEMS))
    return value


def _date(value: Any, name: str) -> date:
    if value is None:
        raise _missing(name)
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ClaimError("invalid_date", gettext_noop("The date %(field)s must be written as YYYY-MM-DD."),
                         field=name)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ClaimError("invalid_date", gettext_noop("The date %(field)s does not exist."), field=name) from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ClaimError("invalid_date", gettext_noop("The date %(field)s must fall between %(first)s and %(last)s."),
                         field=name, first=f"{YEARS[0]}-01-01", last=f"{YEARS[1]}-12-31")
    return day


def _opt_date(value: Any, name: str) -> date | None:
    return None if value is None else _date(value, name)


def _money(value: Any, name: str, currency: str) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        raise ClaimError("invalid_money", gettext_noop(
            "The amount %(field)s must be a decimal number written as text, such as \"12.50\"."), field=name)
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
        raise ClaimError("invalid_money", gettext_noop(
            "The amount %(field)s must be a decimal number written as text, such as \"12.50\"."), field=name) from None
    if amount < 0:
        raise ClaimError("invalid_money", gettext_noop("The amount %(field)s must not be negative."), field=name)
    if amount.as_tuple().exponent < -MINOR_UNITS[currency]:  # type: ignore[operator]
        raise ClaimError("invalid_money", gettext_noop(
            "The amount %(field)s has more decimal places than %(currency)s allows (%(places)s)."),
            field=name, currency=currency, places=str(MINOR_UNITS[currency]))
    if amount.adjusted() >= MAX_DIGITS:
        raise ClaimError("invalid_money", gettext_noop("The amount %(field)s is too large."), field=name)
    return amount


def _opt_money(value: Any, name: str, currency: str) -> Decimal | None:
    return None if value is None else _money(value, name, currency)


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ClaimError("invalid_type", gettext_noop("The field %(field)s must be true or false."), field=name)
    return value


def _count(value: Any, name: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ClaimError("invalid_number", gettext_noop(
            "The field %(field)s must be a whole number from 0 to %(limit)s."), field=name, limit=str(limit))
    return value


def _choice(value: Any, name: str, known: frozenset[str], *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or value not in known:
        raise ClaimError("invalid_choice", gettext_noop("The value of %(field)s must be one of %(known)s."),
                         field=name, known=", ".join(sorted(known)))
    return value


def _component(value: Any, name: str) -> str:
    if not isinstance(value, str) or value not in COMPONENTS:
        raise ClaimError("unknown_component", gettext_noop("The component %(component)s is not known."),
                         component=str(value)[:50], field=name)
    return value


def _repair(item: Any, name: str) -> Repair:
    r = _object(item, name, REPAIR_KEYS)
    return Repair(
        start=_date(r.get("start"), f"{name}.start"),
        end=_opt_date(r.get("end"), f"{name}.end"),
        component=_component(r.get("component", "main_unit"), f"{name}.component"),
        same_problem=_bool(r.get("same_problem", True), f"{name}.same_problem"),
        waiting_parts_days=_count(r.get("waiting_parts_days", 0), f"{name}.waiting_parts_days", MAX_DAYS),
    )
