"""Who may read policies and evaluate claims. A policy code that does not exist is a 404."""

from __future__ import annotations

from django.http import Http404

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.policies.models import Policy
from aftersales.policies.selectors import is_policy_code, policy_list


def policies_visible_to(user):
    require(user, Op.POLICY_VIEW)
    return policy_list()


def access_policy(*, user, code: str) -> Policy:
    require(user, Op.POLICY_VIEW)
    found = policy_list().filter(code=code).first() if is_policy_code(code) else None
    if found is None:
        raise Http404
    return found
