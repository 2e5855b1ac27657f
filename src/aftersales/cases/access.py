"""Who sees which case, and who may do what to it. The only place these rules live.

Customers see their own cases; agents and technicians see their teams' cases and the
cases assigned to them; supervisors and administrators see all. A case someone may not
see answers 404, exactly as a case that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op, can
from aftersales.accounts.selectors import user_team_ids
from aftersales.cases import workflow
from aftersales.cases.errors import CaseError
from aftersales.cases.models import Case, CaseCounter
from aftersales.core.errors import PermissionDenied


def cases_visible_to(user) -> QuerySet[Case]:
    if not can(user, Op.CASE_VIEW):
        return Case.objects.none()
    if can(user, Op.CASE_SEE_ALL):
        return Case.objects.all()
    if user.is_customer:
        return Case.objects.filter(customer__user=user)
    return Case.objects.filter(Q(team_id__in=user_team_ids(user)) | Q(assignee=user))


Lane = dict[str, object]


def case_lanes_visible_to(user) -> list[Lane] | None:
    """The same rule as `cases_visible_to`, as a union of equality "lanes" (one per team,
    one for the person's own cases), each of which an index answers in order; None = all.
    The case list reads lane by lane instead of asking the database for an OR it would
    answer by scanning (decision 0013)."""
    if not can(user, Op.CASE_VIEW):
        return []
    if can(user, Op.CASE_SEE_ALL):
        return None
    if user.is_customer:
        return [{"customer__user": user.pk}]
    return [*({"team_id": t} for t in user_team_ids(user)), {"assignee_id": user.pk}]


def counters_visible_to(user) -> QuerySet[CaseCounter]:
    """The count buckets (`cases/counters.py`) of exactly the cases `cases_visible_to` gives
    staff. Customers have no buckets: theirs are counted from their own few cases."""
    if not can(user, Op.CASE_VIEW) or user.is_customer:
        return CaseCounter.objects.none()
    if can(user, Op.CASE_SEE_ALL):
        return CaseCounter.objects.all()
    return CaseCounter.objects.filter(Q(team_key__in=user_team_ids(user)) | Q(assignee_key=user.pk))


def access_case(*, user, case_id: int, for_update: bool = False) -> Case:
    qs = cases_visible_to(user).filter(pk=case_id)
    if for_update:
        qs = qs.select_for_update()
    case = qs.first()
    if case is None:
        raise Http404
    return case


def check_transition_allowed(user, case: Case, target: str) -> None:
    require(user, Op.CASE_CHANGE_STATUS)
    if user.is_customer and not workflow.can_customer_move(case.status, target):
        raise PermissionDenied(CaseError.TRANSITION_NOT_ALLOWED,
                               _("You can close or reopen your case; the rest is done by our staff."))


def sees_internal(user) -> bool:
    return can(user, Op.CASE_VIEW_INTERNAL)
