from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router

from aftersales.core.schemas import ERRORS
from aftersales.guarantees.access import access_case_claims
from aftersales.guarantees.models import GuaranteeClaim
from aftersales.guarantees.schemas import GuaranteeClaimOut
from aftersales.guarantees.selectors import claims_for_case

router = Router(tags=["guarantee claims"])


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _step(at, by) -> dict[str, Any] | None:
    if at is None:
        return None
    return {"at": at, "by": {"id": by.pk, "name": str(by)} if by is not None else None}


def claim_out(claim: GuaranteeClaim) -> dict[str, Any]:
    version = claim.decision.policy_version
    return {
        "id": claim.pk, "guarantee": claim.guarantee, "status": claim.status, "remedy": claim.remedy,
        "remedies": claim.remedies, "amount": _money(claim.amount), "currency": claim.currency,
        "override_amount": _money(claim.override_amount), "override_reason": claim.override_reason,
        "payable": _money(claim.payable), "decision_id": claim.decision_id, "policy": version.policy.code,
        "policy_version": version.number, "facts": claim.facts,
        "opened": _step(claim.created_at, claim.created_by),
        "approved": _step(claim.approved_at, claim.approved_by),
        "escalated": _step(claim.escalated_at, claim.escalated_by), "escalation_note": claim.escalation_note,
        "ruled": _step(claim.ruled_at, claim.ruled_by), "ruling": claim.ruling, "ruling_note": claim.ruling_note,
        "rejected": _step(claim.rejected_at, claim.rejected_by), "rejection_reason": claim.rejection_reason,
        "paid": _step(claim.paid_at, claim.paid_by), "payment_reference": claim.payment_reference,
    }


@router.get("/cases/{case_id}/guarantee-claims", response={200: list[GuaranteeClaimOut], **ERRORS},
            summary="List a case's guarantee claims")
def list_case_claims(request: HttpRequest, case_id: int):
    """The claims under the sellers' guarantees on a case, newest first, each with the amount
    the engine computed, the decision and policy version it came from, and who took each
    step when. Staff only: a customer gets 403 on their own case and 404 on any other."""
    case = access_case_claims(user=request.auth, case_id=case_id)
    return [claim_out(c) for c in claims_for_case(case)]
