"""Entitlements on a case: decide with the facts the agent confirmed, and give the customer
a remedy, recorded with the decision it came from on the case's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.cases.events import event_write
from aftersales.cases.models import Case
from aftersales.core.errors import ValidationFailed
from aftersales.policies.actions import decision_apply_remedy, entitlement_evaluate
from aftersales.policies.errors import PolicyError
from aftersales.policies.models import EntitlementDecision


def _amount(value: Any) -> str:
    """A remedy's amount as the engine writes money: a plain non-negative decimal."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(PolicyError.REMEDY_INVALID, _("The amount must be a number, e.g. 120.50.")) from exc
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e12"):
        raise ValidationFailed(PolicyError.REMEDY_INVALID,
                               _("The amount must be zero or more, with at most two decimals."))
    return str(amount)


@transaction.atomic
def case_give_remedy(*, case: Case, facts: dict[str, Any], remedy: Mapping[str, Any], actor,
                     reason: str = "") -> EntitlementDecision:
    """Decide again with `facts` (so the record is exactly what the agent saw), keep the
    decision on the case, apply `remedy` (one the policy gives, or any with a reason), and
    write the timeline event. All or nothing."""
    remedy = dict(remedy)
    if "amount" in remedy:
        remedy["amount"] = _amount(remedy["amount"])
    evaluation = entitlement_evaluate(facts=facts, actor=actor, case=case, record=True)
    decision = decision_apply_remedy(decision=evaluation.decision, remedy=remedy, actor=actor, reason=reason)
    version = decision.policy_version
    event_write(case=case, actor=actor, event="remedy_overridden" if decision.override_reason else "remedy_applied",
                data={"decision": decision.pk, "policy": facts.get("policy"), "version": version.number,
                      "remedy": decision.applied_remedy, "reason": decision.override_reason})
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return decision
