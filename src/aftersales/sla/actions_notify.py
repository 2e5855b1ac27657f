"""Writes on the SLA notifications: the person they were sent to marks them read."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import NotFound
from aftersales.sla.errors import SlaError
from aftersales.sla.models import SlaNotification


def notification_mark_read(*, user, notification_id: int, at: datetime | None = None) -> SlaNotification:
    """Mark one of the person's own notifications read (already read: left as it was).
    Someone else's notification is not found, exactly like one that does not exist."""
    notification = SlaNotification.objects.select_related("case").filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFound(SlaError.NOTIFICATION_NOT_FOUND, _("That notification does not exist."))
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        # Conditional, so two tabs marking it at once keep the first instant.
        SlaNotification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user, at: datetime | None = None) -> int:
    """Mark every unread notification of the person read; returns how many there were."""
    return SlaNotification.objects.filter(user=user, read_at__isnull=True).update(read_at=at or timezone.now())
