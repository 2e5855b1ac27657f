from __future__ import annotations

from django.utils.translation import gettext as _

from aftersales.accounts.permissions import Op, can
from aftersales.core.errors import ErrorCode, PermissionDenied


def require(user, op: Op) -> None:
    """Refuse an operation the user's role does not allow, on something they can already see."""
    if not can(user, op):
        raise PermissionDenied(ErrorCode.PERMISSION_DENIED, _("Your role does not allow this."))
