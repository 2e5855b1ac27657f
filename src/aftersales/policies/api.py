from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Body, Query, Router

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases.access import access_case
from aftersales.catalog.models import localized_name
from aftersales.core.schemas import ERRORS
from aftersales.policies import actions
from aftersales.policies.access import access_policy, policies_visible_to
from aftersales.policies.models import Policy
from aftersales.policies.schemas import (
    LATE_SHIPMENT_EXAMPLE,
    PHONE_EXAMPLE,
    EvaluateOut,
    EvaluateQuery,
    FactsBody,
    PolicyDetailOut,
    PolicyListOut,
)
from aftersales.policies.selectors import policy_versions

router = Router(tags=["entitlements"])

# The worked examples 1 and 5 of the rules (RULES.md), answered by the shipped policies;
# `tests/test_contract.py` sends each request and compares the answer with these.
PHONE_ANSWER: dict[str, Any] = {
    "policy": "cn-mobile-phone",
    "policy_version": 1,
    "covered": True,
    "remedies": [
        {"kind": "return", "amount": "4000.00", "currency": "CNY", "deadline": "2025-03-10"},
        {"kind": "exchange", "amount": None, "currency": None, "deadline": "2025-03-18"},
        {"kind": "repair", "amount": None, "currency": None, "deadline": "2026-03-03"},
    ],
    "periods": [
        {"name": "return", "start": "2025-03-03", "ends": "2025-03-10", "extended_by_days": 0},
        {"name": "exchange", "start": "2025-03-03", "ends": "2025-03-18", "extended_by_days": 0},
        {"name": "warranty", "start": "2025-03-03", "ends": "2026-03-03", "extended_by_days": 0},
        {"name": "battery", "start": "2025-03-03", "ends": "2025-09-03", "extended_by_days": 0},
        {"name": "charger", "start": "2025-03-03", "ends": "2026-03-03", "extended_by_days": 0},
        {"name": "earphones", "start": "2025-03-03", "ends": "2025-06-03", "extended_by_days": 0},
    ],
    "explanation": [
        {"rule": "cn.sanbao.start",
         "source": "消费者权益保护法实施条例 (2024) art. 18: from delivery, or installation for installed goods",
         "text": "The periods start on the delivery date, 2025-03-03."},
        {"rule": "cn.sanbao.return_window",
         "source": "部分商品修理更换退货责任规定 art. 8: performance fault within 7 days, return, exchange or repair",
         "text": "The fault appeared within 7 days (by 2025-03-10): the customer may choose a return with a full "
                 "refund of 4000.00 CNY, an exchange or a repair."},
        {"rule": "cn.sanbao.carriage",
         "source": "消费者权益保护法 art. 24: the seller pays carriage for quality returns, exchanges and repairs",
         "text": "The seller pays the carriage for returns, exchanges and repairs under these rules."},
    ],
}
LATE_SHIPMENT_ANSWER: dict[str, Any] = {
    "policy": "cn-late-shipment",
    "policy_version": 1,
    "covered": True,
    "remedies": [{"kind": "compensation", "amount": "2.00", "currency": "CNY", "deadline": None}],
    "periods": [],
    "explanation": [
        {"rule": "cn.late_shipment.compensation",
         "source": "发货时间承诺 (document 003): 5 % of the amount paid, at least 1 and at most 30 yuan "
                   "(other years' rules say minimum 5)",
         "text": "The goods were promised to ship by 2025-06-01 and did not: compensation of 5% of 40.00 is 2.00; "
                 "with the minimum of 1.00 and the maximum of 30.00 the seller pays 2.00 CNY."},
        {"rule": "cn.late_shipment.platform",
         "source": "Document 003: a claim buyer and seller cannot settle goes to the platform for a ruling",
         "text": "If the buyer and the seller cannot agree, the platform rules on the claim."},
    ],
}
EXAMPLES = {
    "phone_day_6": ("Phone ¥4,000, delivered 2025-03-03, performance fault on 2025-03-09 (worked example 1)",
                    PHONE_EXAMPLE, PHONE_ANSWER),
    "late_shipment": ("Late shipment of a ¥40 order: 5 % = ¥2 (worked example 5)",
                      LATE_SHIPMENT_EXAMPLE, LATE_SHIPMENT_ANSWER),
}
_OPENAPI = {
    "requestBody": {"content": {"application/json": {"examples": {
        key: {"summary": summary, "value": request} for key, (summary, request, _a) in EXAMPLES.items()}}}},
    "responses": {200: {"content": {"application/json": {"examples": {
        key: {"summary": summary, "value": answer} for key, (summary, _r, answer) in EXAMPLES.items()}}}}},
}


def json_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    """The evaluation exactly as `actions.entitlement_evaluate` gives it (the CLI prints the same)."""
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


@router.post("/entitlements/evaluate", response={200: EvaluateOut, **ERRORS}, summary="Evaluate a claim",
             openapi_extra=_OPENAPI)
def evaluate_claim(request: HttpRequest, payload: Body[FactsBody], q: Query[EvaluateQuery]):
    """What the customer is entitled to under the current version of a policy: the remedies
    to choose from with amounts and deadlines, the periods computed, and an explanation
    citing each rule applied, in the reader's language — an explicit `Accept-Language`
    header (an integration speaking for a customer), else the account's language.

    Refusals are 422 with a stable `code`: `unknown_policy`, `policy_inactive`, or the
    engine's own code for facts it cannot decide on: `missing_field`, `missing_start_date`,
    `unknown_field`, `invalid_type`, `invalid_number`, `invalid_date`, `invalid_money`,
    `invalid_currency`, `currency_mismatch`, `invalid_choice`, `unknown_component`,
    `too_many`, `claim_before_purchase`, `after_claim_date`. A body that is not a JSON object
    is 400 `malformed_json` or 422 `invalid_input`; one over the size limit, 413.

    `?record=true` or `?case=ID` keeps the decision with the policy version it used (its id
    comes back as `decision_id`); a later edit of the policy never changes it. The same JSON
    comes from `aftersales entitlement evaluate FILE.json`."""
    user = request.auth
    require(user, Op.ENTITLEMENT_EVALUATE)
    case = access_case(user=user, case_id=q.case) if q.case is not None else None
    with translation.override(explanation_language(request)):
        evaluation = actions.entitlement_evaluate(facts=payload, actor=user, case=case,
                                                  record=q.record or case is not None)
    return json_response(evaluation.response)


def explanation_language(request: HttpRequest) -> str:
    """The first language of an explicit `Accept-Language` the interface speaks, else the
    language already active (the account's)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:200]) if header else ():
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return translation.get_language() or settings.LANGUAGE_CODE


def policy_out(policy: Policy) -> dict[str, Any]:
    return {
        "code": policy.code, "name": localized_name(policy, "names"),
        "names": {n.language: n.name for n in policy.names.all()},
        "family": policy.family, "jurisdiction": policy.jurisdiction, "currency": policy.currency,
        "is_active": policy.is_active, "based_on": policy.based_on.code if policy.based_on else None,
        "version": policy.current_version.number if policy.current_version else None,
    }


@router.get("/policies", response={200: PolicyListOut, **ERRORS}, summary="List policies")
def list_policies(request: HttpRequest):
    """Every policy (a few dozen at most, so no paging), with its current version number."""
    return {"items": [policy_out(p) for p in policies_visible_to(request.auth)]}


@router.get("/policies/{code}", response={200: PolicyDetailOut, **ERRORS}, summary="Read a policy")
def read_policy(request: HttpRequest, code: str):
    """The current version's document and the list of versions."""
    policy = access_policy(user=request.auth, code=code)
    versions = [{"number": v.number, "created_at": v.created_at, "note": v.note,
                 "created_by": {"id": v.created_by.pk, "name": str(v.created_by)} if v.created_by else None}
                for v in policy_versions(policy)]
    return {**policy_out(policy), "document": policy.current_version.document if policy.current_version else {},
            "versions": versions}
