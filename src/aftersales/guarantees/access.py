"""Who sees and settles guarantee claims. A claim is reached through its case: a case the
person may not see, or a claim that is not on it, is a 404."""

from __future__ import annotations

from django.http import Http404

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import access_case
from aftersales.cases.models import Case
from aftersales.guarantees.models import GuaranteeClaim


def access_case_claims(*, user, case_id: int) -> Case:
    """The case whose claims `user` reads: staff who see the case (claims are internal)."""
    case = access_case(user=user, case_id=case_id)
    require(user, Op.CASE_VIEW_INTERNAL)
    return case


def access_claim(*, user, case_id: int, claim_id: int) -> GuaranteeClaim:
    case = access_case_claims(user=user, case_id=case_id)
    claim = GuaranteeClaim.objects.filter(case=case, pk=claim_id).first()
    if claim is None:
        raise Http404
    claim.case = case
    return claim


def may_claim(user) -> bool:
    """Open a claim, send it to the platform, record its payment: agents and up."""
    return can(user, Op.GUARANTEE_CLAIM)


def may_approve(user) -> bool:
    """Approve or reject a claim, record the platform's ruling: supervisors and administrators."""
    return can(user, Op.GUARANTEE_APPROVE)
