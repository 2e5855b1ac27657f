"""Reads of the SLA notifications a member of staff receives: their inbox in the desk and
the unread count its header shows."""

from __future__ import annotations

from django.db.models import QuerySet

from aftersales.sla.models import SlaNotification

INBOX_LIMIT = 100
# The header shows "99+" past this: counting stops here, so the count stays one short index read.
UNREAD_CAP = 100


def notifications_for(*, user, limit: int = INBOX_LIMIT) -> list[SlaNotification]:
    """The person's newest notifications, newest first, each with its case."""
    rows: QuerySet[SlaNotification] = (SlaNotification.objects.filter(user=user).select_related("case")
                                       .order_by("-created_at", "-id"))
    return list(rows[:limit])


def unread_count(*, user, cap: int = UNREAD_CAP) -> int:
    """How many of the person's notifications are unread, counted up to `cap` (along the
    `(user, read_at, created_at)` index)."""
    if not getattr(user, "pk", None):
        return 0
    return SlaNotification.objects.filter(user=user, read_at__isnull=True)[:cap].count()
