"""The facts of a claim, read off a case: the engine's request body (without `policy`) built
from the case's purchase, unit and the unit's earlier cases. The agent can then correct
what the records cannot know (the faulty component, the cause, whether the same model is
in stock) before the engine decides.

The unit's history comes from two records. A closed repair card of a work order on the unit
(`repairs.selectors.unit_repair_history`) is one repair (from the day the work order was
registered to the day the card closed) when it was fixed or not fixed, and one exchange when
the unit was replaced; a card that found no fault is neither. Earlier cases without such a
card still count as before: a resolved repair case is one repair (handed in when the case
opened, back when it was resolved), a resolved exchange case is one exchange.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales.cases.models import Case, CaseType
from aftersales.catalog.models import Purchase, Unit

# What a customer asks for, by the kind of case they opened.
REQUESTED = {CaseType.RETURN: "return", CaseType.EXCHANGE: "exchange", CaseType.REFUND: "refund",
             CaseType.REPAIR: "repair"}


def _day(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _price(purchase: Purchase | None, unit: Unit | None) -> Decimal | None:
    if unit is not None and unit.order_line_id is not None:
        return unit.order_line.unit_price
    if purchase is None:
        return None
    lines = list(purchase.lines.all()[:2])
    if len(lines) == 1:
        return lines[0].unit_price
    return purchase.amount


def _history(unit: Unit | None, before: datetime,
             exclude: int | None) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    if unit is None:
        return [], []
    from aftersales.repairs.selectors import unit_repair_history

    # A case whose work order has a closed repair card is told by the card, not by the case.
    earlier = (Case.objects.filter(unit_id=unit.pk, created_at__lt=before,
                                   type__in=[CaseType.REPAIR, CaseType.EXCHANGE], resolved_at__isnull=False)
               .exclude(pk=exclude).exclude(work_orders__repair_card__closed_at__isnull=False)
               .order_by("created_at", "id").only("type", "created_at", "resolved_at"))
    found: list[tuple[str, datetime, datetime]] = []  # ("repair" or "exchange", start, end)
    for old in earlier:
        found.append(("repair" if old.type == CaseType.REPAIR else "exchange", old.created_at, old.resolved_at))
    for card in unit_repair_history(unit=unit, before=before, exclude_case=exclude,
                                    results=["fixed", "not_fixed", "replaced_unit"]):
        found.append(("exchange" if card.result == "replaced_unit" else "repair", card.started_at, card.closed_at))
    repairs, exchanges = [], []
    for kind, start, end in sorted(found, key=lambda f: (f[1], f[2])):
        if kind == "repair":
            repairs.append({"start": _day(start), "end": _day(end), "component": "main_unit",
                            "same_problem": True, "waiting_parts_days": 0})
        else:
            exchanges.append({"date": _day(end)})
    return repairs, exchanges


def facts_for_case(case: Case, *, claim_date: date | None = None) -> dict[str, Any] | None:
    """The claim as the records tell it, or None when the case has no purchase or unit
    (nothing to decide on)."""
    return facts_for(unit=case.unit, purchase=case.purchase, case_type=case.type, before=case.created_at,
                     exclude_case=case.pk,
                     claim_date=claim_date or timezone.localtime(case.created_at).date())


def facts_for(*, unit: Unit | None, purchase: Purchase | None, case_type: str, claim_date: date,
              before: datetime | None = None, exclude_case: int | None = None) -> dict[str, Any] | None:
    """The claim a customer would make today about a unit or purchase (e.g. in the portal,
    before the case exists), from the same records."""
    if purchase is None and unit is not None and unit.order_line_id is not None:
        purchase = unit.order_line.purchase
    if purchase is None and unit is None:
        return None
    price = _price(purchase, unit)
    if price is None:
        return None
    repairs, exchanges = _history(unit, before or timezone.now(), exclude_case)
    if purchase is not None and (purchase.invoice_date or purchase.invoice_number):
        proof = "invoice"
    elif purchase is not None:
        proof = "other"
    else:
        proof = "none"
    facts: dict[str, Any] = {
        "price": str(price),
        "currency": purchase.currency if purchase is not None else "CNY",
        "dates": {
            "invoice": _day(purchase.invoice_date) if purchase else None,
            "delivered": _day(purchase.signed_at) if purchase else None,
            "installed": _day(purchase.installed_at) if purchase else None,
            "factory": _day(unit.factory_date) if unit else None,
        },
        "claim_date": claim_date.isoformat(),
        "proof_of_purchase": proof,
        "fault": {"component": "main_unit", "cause": None, "safety_critical": False},
        "repairs": repairs,
        "exchanges": exchanges,
        "same_model_available": True,
    }
    if case_type in REQUESTED:
        facts["requested"] = REQUESTED[case_type]
    if purchase is not None:
        facts["amount_paid"] = str(purchase.amount)
        facts["shipped_at"] = _day(purchase.shipped_at)
        facts["signed_at"] = _day(purchase.signed_at)
    return facts
