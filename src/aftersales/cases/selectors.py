from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from aftersales.cases import workflow
from aftersales.cases.access import cases_visible_to, sees_internal
from aftersales.cases.models import Attachment, Case, CaseEntry
from aftersales.core.pagination import Page, keyset_page

# Open work as a positive list (not an exclusion), so the status indexes can seek.
OPEN_STATUSES = [s for s in workflow.STATUSES if s not in workflow.DONE]


@dataclass
class CaseFilters:
    status: list[str] | None = None
    type: list[str] | None = None
    severity: list[str] | None = None
    channel: list[str] | None = None
    team: int | None = None
    assignee: int | None = None
    unassigned: bool = False
    customer: int | None = None
    tag: str | None = None
    number: str | None = None
    updated_since: datetime | None = None
    teams: list[int] | None = None
    tier: list[str] | None = None


def with_case_details(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("customer", "assignee", "team", "unit", "purchase").prefetch_related("tags")


def case_list(*, user, filters: CaseFilters, cursor: str | None, limit: int) -> Page:
    qs = cases_visible_to(user)
    if filters.status:
        wanted = set(filters.status)
        if wanted == set(OPEN_STATUSES):
            qs = qs.filter(is_open=True)  # one indexed column instead of a sort over every open case
        elif wanted == set(workflow.DONE):
            qs = qs.filter(is_open=False)
        else:
            qs = qs.filter(status__in=filters.status)
    if filters.type:
        qs = qs.filter(type__in=filters.type)
    if filters.severity:
        qs = qs.filter(severity__in=filters.severity)
    if filters.channel:
        qs = qs.filter(channel__in=filters.channel)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.unassigned:
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee is not None:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.customer is not None:
        qs = qs.filter(customer_id=filters.customer)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.number:
        qs = qs.filter(number=filters.number)
    if filters.updated_since is not None:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    if filters.teams is not None:
        qs = qs.filter(team_id__in=filters.teams)
    if filters.tier:
        qs = qs.filter(customer__tier__in=filters.tier)
    return keyset_page(with_case_details(qs), keys=("updated_at", "id"), kinds=(datetime, int),
                       cursor=cursor, limit=limit)


def case_timeline(*, user, case: Case) -> list[CaseEntry]:
    """The case's timeline in order; customers see only what is public."""
    internal = sees_internal(user)
    entries = case.entries.select_related("author")
    attachments = Attachment.objects.order_by("id")
    if not internal:
        entries = entries.filter(is_public=True)
        attachments = attachments.filter(is_public=True)
    return list(entries.prefetch_related(Prefetch("attachments", queryset=attachments)).order_by("created_at", "id"))


def case_attachment(*, user, case: Case, attachment_id: int) -> Attachment | None:
    qs = case.attachments.filter(pk=attachment_id)
    if not sees_internal(user):
        qs = qs.filter(is_public=True)
    return qs.first()
