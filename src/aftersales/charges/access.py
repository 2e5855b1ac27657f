"""Fetch-by-id with the permission check built in. A quote the person may not see is a 404,
exactly like one that does not exist."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from aftersales.charges.models import Quote, QuoteLine, QuoteStatus


def access_customer_quote(*, user, quote_id: int) -> Quote:
    """One of the signed-in customer's own quotes, once it has been sent to them (drafts are
    staff's business), with its lines and work order."""
    found = None
    if user.is_authenticated and user.is_active and getattr(user, "is_customer", False):
        found = (Quote.objects.filter(pk=quote_id, work_order__customer__user=user)
                 .exclude(status=QuoteStatus.DRAFT)
                 .select_related("work_order", "work_order__case", "decided_by")
                 .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "id")))
                 .first())
    if found is None:
        raise Http404
    return found
