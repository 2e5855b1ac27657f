"""The facts of a guarantee claim: what the purchase record already says (amount paid, shipped
and signed-for dates, earlier re-shipments) and what only the agent can tell (the promised
date, whether the goods were confirmed counterfeit, when the order closed).

`FACTS` names, per guarantee, the engine's request fields the agent may enter; anything else
is refused, so a claim's facts are always the purchase's plus those few.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import Guarantee, Purchase
from aftersales.core.errors import ValidationFailed
from aftersales.guarantees.errors import GuaranteeError

FactKind = Literal["date", "money", "count", "bool"]


@dataclass(frozen=True)
class Fact:
    name: str  # the engine's request field
    kind: FactKind
    label: Promise
    required: bool = False
    help: Promise | str = ""


CLAIM_DATE = Fact("claim_date", "date", gettext_lazy("Claimed on"), required=True)
AMOUNT_PAID = Fact("amount_paid", "money", gettext_lazy("Amount paid"), required=True,
                   help=gettext_lazy("From the order; lower it when only part of the order is claimed."))
SIGNED_AT = Fact("signed_at", "date", gettext_lazy("Signed for on"))

# The guarantees a claim is made under: each pays compensation, a refund or a re-shipment.
# The return promises (7-day no-reason return, return promise) are returns: the entitlement
# panel gives them.
FACTS: dict[str, tuple[Fact, ...]] = {
    Guarantee.LATE_SHIPMENT: (
        Fact("promised_ship_by", "date", gettext_lazy("Promised to ship by"), required=True),
        Fact("shipped_at", "date", gettext_lazy("Shipped on"),
             help=gettext_lazy("Leave empty when it has not shipped yet.")),
    ),
    Guarantee.COUNTERFEIT: (
        Fact("confirmed_counterfeit", "bool", gettext_lazy("Confirmed counterfeit (by the platform or an appraisal)")),
        SIGNED_AT,
    ),
    Guarantee.DAMAGE_IN_TRANSIT: (
        SIGNED_AT,
        Fact("reshipments", "count", gettext_lazy("Free re-shipments already made"), required=True,
             help=gettext_lazy("Counted from the paid re-shipment claims on this order.")),
    ),
    Guarantee.ARRIVAL_PROMISE: (
        Fact("promised_delivery_by", "date", gettext_lazy("Promised to arrive by"), required=True),
        SIGNED_AT,
        Fact("order_closed_at", "date", gettext_lazy("Order closed on"), required=True),
    ),
}
CLAIMABLE: tuple[str, ...] = tuple(FACTS)


def fields_for(guarantee: str) -> tuple[Fact, ...]:
    return (*FACTS[guarantee], AMOUNT_PAID, CLAIM_DATE)


def _day(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def purchase_facts(*, purchase: Purchase, guarantee: str, policy: str, today: date,
                   reshipments: int = 0) -> dict[str, Any]:
    """The request the purchase record gives, before the agent adds what it cannot know."""
    facts: dict[str, Any] = {
        "policy": policy,
        "price": str(purchase.amount),
        "currency": purchase.currency,
        "amount_paid": str(purchase.amount),
        "claim_date": today.isoformat(),
    }
    for fact in FACTS[guarantee]:
        if fact.name == "shipped_at":
            facts["shipped_at"] = _day(purchase.shipped_at)
        elif fact.name == "signed_at":
            facts["signed_at"] = _day(purchase.signed_at)
        elif fact.name == "reshipments":
            facts["reshipments"] = reshipments
        elif fact.kind == "bool":
            facts[fact.name] = False
        else:
            facts[fact.name] = None
    return facts


def with_overrides(facts: dict[str, Any], overrides: dict[str, Any] | None, *, guarantee: str,
                   purchase: Purchase, today: date) -> dict[str, Any]:
    """`facts` with what the agent entered. A field this guarantee does not take, a missing
    promise, an amount paid above the order's total or a day in the future (other than a
    promised one) is a 422; the engine checks the rest (types, impossible dates, money)."""
    allowed = {fact.name: fact for fact in fields_for(guarantee)}
    out = dict(facts)
    for name, value in (overrides or {}).items():
        fact = allowed.get(name)
        if fact is None:
            raise ValidationFailed(GuaranteeError.FACT_NOT_ALLOWED,
                                   _("The fact %(field)s does not apply to this guarantee.") % {"field": name})
        if value is None and name in ("amount_paid", "claim_date", "reshipments"):
            continue  # nothing entered: the record's value stands
        out[name] = value
    for fact in FACTS[guarantee]:
        if fact.required and out.get(fact.name) in (None, ""):
            raise ValidationFailed(GuaranteeError.FACT_INVALID,
                                   _("Enter “%(field)s”: this guarantee needs it.") % {"field": fact.label})
    _check_amount_paid(out.get("amount_paid"), purchase)
    for fact in allowed.values():  # what happened (not what was promised) cannot be in the future
        day = _iso_day(out.get(fact.name)) if fact.kind == "date" and not fact.name.startswith("promised") else None
        if day is not None and day > today:
            raise ValidationFailed(GuaranteeError.FACT_INVALID,
                                   _("“%(field)s” cannot be in the future (today is %(today)s).")
                                   % {"field": fact.label, "today": today.isoformat()})
    return out


def _iso_day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_amount_paid(value: Any, purchase: Purchase) -> None:
    try:
        paid = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return  # the engine answers malformed money with its own code
    if paid.is_finite() and paid > purchase.amount:
        raise ValidationFailed(GuaranteeError.FACT_INVALID,
                               _("The amount paid cannot be more than the order's total, %(total)s %(currency)s.")
                               % {"total": purchase.amount, "currency": purchase.currency})
