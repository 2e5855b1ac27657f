"""The entitlement panel on the desk's case page: what the customer may have today under the
product's policy, why, and how long each window stays open; the agent corrects the facts
the records cannot know and gives a remedy (one the policy offers, or any with a reason)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import access_case
from aftersales.cases.models import Case
from aftersales.catalog.models import localized_name
from aftersales.core.errors import DomainError
from aftersales.core.formvalues import ascii_int
from aftersales.desk.access import staff_required
from aftersales.policies.actions import entitlement_evaluate
from aftersales.policies.actions_case import case_give_remedy
from aftersales.policies.case_facts import facts_for_case
from aftersales.policies.labels import CAUSES, COMPONENTS, REMEDIES, label, period_label
from aftersales.policies.models import Policy
from aftersales.policies.selectors import decisions_for_case, policy_for

AMOUNT_LENGTH = 20


def _adjusted(facts: dict[str, Any], data) -> dict[str, Any]:
    """The facts with what the agent corrected; values outside the known words are ignored."""
    facts = {**facts, "fault": dict(facts["fault"])}
    component = data.get("component", "")
    if component in COMPONENTS:
        facts["fault"]["component"] = component
    cause = data.get("cause")
    if cause is not None and cause in CAUSES:
        facts["fault"]["cause"] = cause or None
    if data.get("adjusted"):
        facts["same_model_available"] = data.get("same_model_available") == "on"
        facts["fault"]["safety_critical"] = data.get("safety_critical") == "on"
    requested = data.get("requested")
    if requested is not None:
        if requested in REMEDIES:
            facts["requested"] = requested
        elif requested == "":
            facts.pop("requested", None)
    km = data.get("odometer_km", "").strip()
    if (odometer := ascii_int(km, max_digits=7)) is not None:
        facts["odometer_km"] = odometer
    return facts


def _windows(periods: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    out = []
    for period in periods:
        ends = date.fromisoformat(period["ends"])
        out.append({**period, "label": period_label(period["name"]), "ends_date": ends,
                    "days_left": (ends - today).days,
                    "open": ends >= today})
    return out


def _panel(request: HttpRequest, case: Case, *, data=None, error: str | None = None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {"case": case, "error": error, "can_apply": can(user, Op.ENTITLEMENT_APPLY),
                               "components": [(k, str(v)) for k, v in COMPONENTS.items()],
                               "causes": [(k, str(v)) for k, v in CAUSES.items()],
                               "remedy_choices": [(k, str(v)) for k, v in REMEDIES.items()],
                               "history": list(decisions_for_case(case).filter(applied_at__isnull=False)[:5])}
    policy: Policy | None = policy_for(unit=case.unit, purchase=case.purchase)
    facts = facts_for_case(case, claim_date=today)
    context["policy"] = policy
    context["policy_name"] = localized_name(policy, "names") if policy is not None else ""
    if policy is None or facts is None:
        return render(request, "desk/partials/entitlement.html", context, status=status)
    if policy.currency and facts["currency"] != policy.currency:
        # A policy of another jurisdiction (e.g. China's 三包 for a purchase paid in TWD)
        # does not apply; say so plainly instead of showing the engine's refusal.
        context["foreign_currency"] = facts["currency"]
        return render(request, "desk/partials/entitlement.html", context, status=status)
    facts = _adjusted({**facts, "policy": policy.code}, data or {})
    context["facts"] = facts
    known = (policy.current_version.document.get("components") if policy.current_version else None) or []
    if known:
        context["components"] = [(k, label(COMPONENTS, k)) for k in known]
    try:
        response = entitlement_evaluate(facts=facts, actor=user).response
    except DomainError as exc:
        context["error"] = error or str(exc.detail)
        return render(request, "desk/partials/entitlement.html", context, status=status)
    context["result"] = response
    context["remedies"] = [{**r, "label": label(REMEDIES, r["kind"])} for r in response["remedies"]]
    context["windows"] = _windows(response.get("periods", []), today)
    return render(request, "desk/partials/entitlement.html", context, status=status)


@staff_required
@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    if not can(request.user, Op.ENTITLEMENT_EVALUATE):
        return HttpResponse(_("Your role does not allow this."), status=403)
    return _panel(request, case, data=request.GET)


@staff_required
@require_POST
def give(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give the remedy picked: `kind` (+ `amount`) from the panel; anything the policy did
    not offer needs `reason`. The panel comes back with the outcome; the timeline polls."""
    user = request.user
    case = access_case(user=user, case_id=case_id)
    if not can(user, Op.ENTITLEMENT_APPLY):
        return _panel(request, case, error=_("Your role does not allow this."), status=403)
    policy = policy_for(unit=case.unit, purchase=case.purchase)
    facts = facts_for_case(case, claim_date=timezone.localdate())
    if policy is None or facts is None or (policy.currency and facts["currency"] != policy.currency):
        return _panel(request, case, error=_("No policy decides claims on this case's product."), status=409)
    facts = _adjusted({**facts, "policy": policy.code}, request.POST)
    kind = request.POST.get("kind", "")
    remedy: dict[str, Any] = {"kind": kind}
    amount = request.POST.get("amount", "").strip()
    if amount:
        remedy["amount"] = amount[:AMOUNT_LENGTH]
    if kind not in REMEDIES:
        return _panel(request, case, data=request.POST, error=_("Choose the remedy to give."), status=422)
    try:
        case_give_remedy(case=case, facts=facts, remedy=remedy, actor=user,
                                    reason=request.POST.get("reason", "")[:2000])
    except DomainError as exc:
        return _panel(request, case, data=request.POST, error=str(exc.detail), status=exc.status)
    return _panel(request, case, data=request.POST)
