"""Reads of guarantee claims: a case's claims, the approval queue, and what a purchase offers."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet

from aftersales.catalog.models import Purchase
from aftersales.core.pagination import Page, keyset_page
from aftersales.guarantees import workflow
from aftersales.guarantees.facts import CLAIMABLE
from aftersales.guarantees.models import GuaranteeClaim

QUEUE_KEYS = ("created_at", "id")


def _with_people(qs: QuerySet[GuaranteeClaim]) -> QuerySet[GuaranteeClaim]:
    return qs.select_related("created_by", "approved_by", "paid_by", "rejected_by", "escalated_by", "ruled_by",
                             "decision__policy_version__policy")


def claims_for_case(case) -> QuerySet[GuaranteeClaim]:
    """Newest first, with everything the case page shows (one query)."""
    return _with_people(GuaranteeClaim.objects.filter(case=case)).order_by("-created_at", "-id")


def claimable_guarantees(purchase: Purchase | None) -> list[str]:
    """The guarantees the seller offered on `purchase` that a claim is made under, in a
    stable order."""
    if purchase is None:
        return []
    offered = {g for g in (purchase.guarantees or []) if isinstance(g, str)}
    return [g for g in CLAIMABLE if g in offered]


def reshipments_made(purchase: Purchase) -> int:
    """Free re-shipments the seller already made on this order: the paid re-shipment claims."""
    return GuaranteeClaim.objects.filter(purchase=purchase, remedy="reshipment", status=workflow.PAID).count()


def claim_queue(*, status: str | None, cursor: str | None, limit: int = 50) -> Page:
    """The claims in `status` (all when None), for the supervisors' queue. Open claims come
    oldest first (they wait to be dealt with), settled ones newest first; keyset-paged along
    the `(status, created_at, id)` index. A fixed number of queries whatever the page."""
    qs = GuaranteeClaim.objects.select_related("case__customer", "created_by")
    if status is not None:
        qs = qs.filter(status=status)
    descending = status is None or status in workflow.FINAL
    return keyset_page(qs, keys=QUEUE_KEYS, kinds=(datetime, int), cursor=cursor, limit=limit,
                       descending=descending)


def status_counts() -> dict[str, int]:
    """How many claims are in each status (one grouped query over the status index)."""
    rows = GuaranteeClaim.objects.order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in workflow.STATUSES}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
