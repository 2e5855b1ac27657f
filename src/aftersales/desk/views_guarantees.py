"""Guarantee claims in the desk: the block on the case page (the case's claims, the buttons
the person's role allows, a form per guarantee the order offers) and the supervisors'
queue at /desk/guarantee-claims/. Each write parses the form, fetches through `access_*`
(404 for a case the person may not see), calls one action and re-renders the block; a
refusal shows inline with its 4xx status and writes nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases.models import Case
from aftersales.catalog.models import Guarantee
from aftersales.core.errors import DomainError
from aftersales.core.formvalues import ascii_int
from aftersales.desk.access import staff_required
from aftersales.guarantees import actions, workflow
from aftersales.guarantees.access import access_case_claims, access_claim, may_approve, may_claim
from aftersales.guarantees.events import remedies_text
from aftersales.guarantees.facts import CLAIMABLE, fields_for, purchase_facts
from aftersales.guarantees.models import ClaimStatus, GuaranteeClaim
from aftersales.guarantees.selectors import (
    claim_queue,
    claimable_guarantees,
    claims_for_case,
    reshipments_made,
    status_counts,
)

INPUT_LENGTH = 40
TEXT_LENGTH = 2000


def overrides_from_form(guarantee: str, data) -> dict[str, Any]:
    """What the agent entered for `guarantee`, as the engine's request values: dates as ISO
    strings (None when left empty), money as a decimal string, counts as numbers, ticks as
    booleans. Anything malformed is passed on for the engine to refuse with its code."""
    out: dict[str, Any] = {}
    if guarantee not in CLAIMABLE:
        return out  # the action refuses the guarantee itself
    for fact in fields_for(guarantee):
        raw = data.get(fact.name)
        if fact.kind == "bool":
            out[fact.name] = raw in ("on", "true", "1")
            continue
        if raw is None:
            continue
        raw = raw.strip()[:INPUT_LENGTH]
        if fact.kind == "count":
            number = ascii_int(raw, max_digits=9)
            out[fact.name] = number if number is not None else (raw or None)
        else:
            out[fact.name] = raw or None
    return out


def _buttons(user, claim: GuaranteeClaim) -> set[str]:
    """The steps this person may take on the claim now: its status allows them and so does
    their role."""
    possible = workflow.operations_from(claim.status)
    steps = {workflow.APPROVE: ("approve", may_approve), workflow.REJECT: ("reject", may_approve),
             workflow.RULE_APPROVED: ("ruling", may_approve), workflow.PAY: ("pay", may_claim),
             workflow.ESCALATE: ("escalate", may_claim)}
    return {step for operation, (step, allowed) in steps.items() if operation in possible and allowed(user)}


def _open_forms(case: Case, data, today, *, pending: set[str]) -> list[dict[str, Any]]:
    """A form per guarantee the order offers, except those with a claim still open (`pending`)."""
    purchase = case.purchase
    forms = []
    for guarantee in claimable_guarantees(purchase):
        if guarantee in pending:
            continue
        reshipments = reshipments_made(purchase) if guarantee == Guarantee.DAMAGE_IN_TRANSIT else 0
        prefill = purchase_facts(purchase=purchase, guarantee=guarantee, policy="", today=today,
                                 reshipments=reshipments)
        posted = data if data is not None and data.get("guarantee") == guarantee else None
        fields = []
        for fact in fields_for(guarantee):
            value = prefill.get(fact.name)
            if posted is not None:
                value = (posted.get(fact.name) in ("on", "true", "1")) if fact.kind == "bool" \
                    else posted.get(fact.name, "")[:INPUT_LENGTH]
            fields.append({"name": fact.name, "kind": fact.kind, "label": fact.label, "help": fact.help,
                           "required": fact.required, "value": "" if value is None else value,
                           "id": f"gc-{guarantee}-{fact.name}"})
        forms.append({"code": guarantee, "label": Guarantee(guarantee).label, "fields": fields})
    return forms


def _panel(request: HttpRequest, case: Case, *, data=None, error: str | None = None, error_for: str = "",
           status: int = 200) -> HttpResponse:
    user = request.user
    claims = list(claims_for_case(case))
    for claim in claims:
        claim.buttons = _buttons(user, claim)
        claim.remedies_text = remedies_text(claim.remedies)
    offered = (_open_forms(case, data, timezone.localdate(), pending={c.guarantee for c in claims if c.is_open})
               if may_claim(user) else [])
    if error_for not in {form["code"] for form in offered} | {str(claim.pk) for claim in claims}:
        error_for = ""  # no form or claim to show it under: it goes on top
    context = {
        "case": case, "claims": claims, "may_claim": may_claim(user), "may_approve": may_approve(user),
        "offered": offered, "error": error, "error_for": error_for, "posted": data if error else None,
    }
    return render(request, "desk/partials/guarantee_claims.html", context, status=status)


@staff_required
@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_claims(user=request.user, case_id=case_id)
    case = Case.objects.select_related("purchase").get(pk=case.pk)
    return _panel(request, case)


@staff_required
@require_POST
def claim_open(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_claims(user=request.user, case_id=case_id)
    case = Case.objects.select_related("purchase").get(pk=case.pk)
    guarantee = request.POST.get("guarantee", "")[:INPUT_LENGTH]
    try:
        if guarantee not in Guarantee.values:
            require(request.user, Op.GUARANTEE_CLAIM)
            return _panel(request, case, error=_("Choose the guarantee to claim under."), status=422)
        actions.guarantee_claim_open(case=case, guarantee=guarantee, actor=request.user,
                                     facts_overrides=overrides_from_form(guarantee, request.POST))
    except DomainError as exc:
        return _panel(request, case, data=request.POST, error=str(exc.detail), error_for=guarantee,
                      status=exc.status)
    return _panel(request, case)


@staff_required
@require_POST
def claim_step(request: HttpRequest, case_id: int, claim_id: int, step: str) -> HttpResponse:
    """approve (optional `amount` + `reason`), reject (`reason`), pay (`reference`), escalate
    (`note`), ruling (`outcome`, `note`, optional `amount`)."""
    user = request.user
    claim = access_claim(user=user, case_id=case_id, claim_id=claim_id)
    case = Case.objects.select_related("purchase").get(pk=claim.case_id)
    post = request.POST
    text = {name: post.get(name, "")[:TEXT_LENGTH] for name in ("reason", "note", "reference", "amount", "outcome")}
    try:
        if step == "approve":
            actions.guarantee_claim_approve(claim=claim, actor=user, amount=text["amount"] or None,
                                            reason=text["reason"])
        elif step == "reject":
            actions.guarantee_claim_reject(claim=claim, actor=user, reason=text["reason"])
        elif step == "pay":
            actions.guarantee_claim_mark_paid(claim=claim, actor=user, reference=text["reference"])
        elif step == "escalate":
            actions.guarantee_claim_escalate(claim=claim, actor=user, note=text["note"])
        elif step == "ruling":
            actions.guarantee_claim_ruling(claim=claim, actor=user, outcome=text["outcome"], note=text["note"],
                                           amount=text["amount"] or None)
        else:
            raise Http404
    except DomainError as exc:
        return _panel(request, case, data=post, error=str(exc.detail), error_for=str(claim.pk), status=exc.status)
    return _panel(request, case)


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The supervisors' queue: claims by status, keyset-paged; `status=all` for every claim."""
    if not may_approve(request.user):
        raise PermissionDenied  # the 403 page
    wanted = request.GET.get("status", workflow.PROPOSED)
    context: dict[str, Any] = {"status": wanted, "claims": [], "next_url": None, "error": None,
                               "tabs": [], "first_url": None}
    http_status = 200
    if wanted != "all" and wanted not in workflow.STATUSES:
        context["error"], http_status = _("Unknown status: choose one of the tabs."), 422
    else:
        cursor = request.GET.get("cursor") or None
        try:
            page = claim_queue(status=None if wanted == "all" else wanted, cursor=cursor)
        except DomainError as exc:
            context["error"], http_status = str(exc.detail), exc.status
        else:
            for claim in page.items:
                claim.remedies_text = remedies_text(claim.remedies)
            context["claims"] = page.items
            if page.next_cursor:
                context["next_url"] = "?" + urlencode({"status": wanted, "cursor": page.next_cursor})
            if cursor:
                context["first_url"] = "?" + urlencode({"status": wanted})
    counts = status_counts()
    context["tabs"] = [{"key": key, "label": label, "count": counts[key]} for key, label in ClaimStatus.choices]
    context["tabs"].append({"key": "all", "label": _("All"), "count": sum(counts.values())})
    return render(request, "desk/guarantee_claims.html", context, status=http_status)
