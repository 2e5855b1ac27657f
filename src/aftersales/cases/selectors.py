from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce

from django.db.models import Prefetch, Q, QuerySet

from aftersales.cases import workflow
from aftersales.cases.access import Lane, case_lanes_visible_to, sees_internal
from aftersales.cases.models import Attachment, Case, CaseEntry
from aftersales.core.pagination import MAX_LIMIT, Page, after_cursor, decode_cursor, keyset_page, order_by

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
    product: int | None = None
    # Only cases whose soonest SLA due instant is at or before this (the "at risk" view).
    due_before: datetime | None = None


# What other rooms read along with every case in a list or on its page (the SLA's live
# clocks), added from their `AppConfig.ready` so `cases` never imports them.
DETAIL_HOOKS: list[Callable[[QuerySet[Case]], QuerySet[Case]]] = []


def with_case_details(qs: QuerySet[Case]) -> QuerySet[Case]:
    qs = qs.select_related("customer", "assignee", "team", "unit", "purchase").prefetch_related("tags")
    for hook in DETAIL_HOOKS:
        qs = hook(qs)
    return qs


def _narrowed(qs: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """Every filter except the ones that pick lanes (team, teams, assignee, unassigned)."""
    if filters.status:
        wanted = set(filters.status)
        # One indexed column instead of a sort over every open case. Written as IN (…): Django
        # renders `is_open=True` as a bare truth test, which SQLite cannot match to an index.
        if wanted == set(OPEN_STATUSES):
            qs = qs.filter(is_open__in=[True])
        elif wanted == set(workflow.DONE):
            qs = qs.filter(is_open__in=[False])
        else:
            qs = qs.filter(status__in=filters.status)
    if filters.type:
        qs = qs.filter(type__in=filters.type)
    if filters.severity:
        qs = qs.filter(severity__in=filters.severity)
    if filters.channel:
        qs = qs.filter(channel__in=filters.channel)
    if filters.customer is not None:
        qs = qs.filter(customer_id=filters.customer)
    if filters.product is not None:
        qs = qs.filter(product_model_id=filters.product)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.number:
        qs = qs.filter(number=filters.number)
    if filters.updated_since is not None:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    if filters.tier:
        qs = qs.filter(customer__tier__in=filters.tier)
    return qs


def _meet(a: Lane, b: Lane) -> Lane | None:
    """Both lanes at once, or None when they contradict (two different teams)."""
    for key in a.keys() & b.keys():
        if a[key] != b[key]:
            return None
    return {**a, **b}


def _lanes(user, filters: CaseFilters) -> list[Lane]:
    """What the person may see, met with the filters that choose a team or an assignee,
    as the fewest equality lanes: a lane that asks for more than another one is dropped."""
    visible = case_lanes_visible_to(user)
    lanes: list[Lane] = [{}] if visible is None else visible
    wanted: list[list[Lane]] = []
    teams = filters.teams if filters.teams is not None else None
    if filters.team is not None:
        teams = [filters.team] if teams is None else [t for t in teams if t == filters.team]
    if teams is not None:
        wanted.append([{"team_id": t} for t in teams])
    if filters.unassigned:
        wanted.append([{"assignee_id": None}])
    elif filters.assignee is not None:
        wanted.append([{"assignee_id": filters.assignee}])
    for choice in wanted:
        lanes = [m for lane in lanes for want in choice if (m := _meet(lane, want)) is not None]
    lanes = [dict(t) for t in {tuple(sorted(lane.items())) for lane in lanes}]
    return [lane for lane in lanes if not any(o != lane and o.items() <= lane.items() for o in lanes)]


KEYS = ("updated_at", "id")
KINDS = (datetime, int)
# "Due soonest": by the soonest SLA due instant (`Case.sla_due_at`, NO_DUE when no clock
# runs), read along the `*_due_idx` indexes exactly as the activity order reads the lanes.
DUE_KEYS = ("sla_due_at", "id")
ORDERS = ("newest", "oldest", "due")


def case_list(*, user, filters: CaseFilters, cursor: str | None, limit: int, oldest_first: bool = False,
              order: str | None = None) -> Page:
    """A page of the cases the person may see that match the filters, by last activity
    (`order` "newest" or "oldest") or by SLA due instant ("due", soonest first).

    With a single lane this is one indexed range read. With several (an agent's teams and
    own cases), each lane's next page is read in index order inside one query and the
    database sorts only those few rows (decision 0013)."""
    order = order or ("oldest" if oldest_first else "newest")
    lanes = _lanes(user, filters)
    narrowed = _narrowed(Case.objects.all(), filters)
    if filters.due_before is not None:
        narrowed = narrowed.filter(sla_due_at__lte=filters.due_before)
    descending = order == "newest"
    keys = DUE_KEYS if order == "due" else KEYS
    if not lanes:
        return Page(items=[], next_cursor=None)
    if len(lanes) == 1:
        return keyset_page(with_case_details(narrowed.filter(**lanes[0])), keys=keys, kinds=KINDS,
                           cursor=cursor, limit=limit, descending=descending)
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        narrowed = narrowed.filter(after_cursor(keys, decode_cursor(cursor, KINDS), descending=descending))
    ordering = order_by(keys, descending=descending)
    each = [Q(pk__in=narrowed.filter(**lane).order_by(*ordering).values("pk")[: limit + 1]) for lane in lanes]
    merged = Case.objects.filter(reduce(operator.or_, each))
    return keyset_page(with_case_details(merged), keys=keys, kinds=KINDS, cursor=None, limit=limit,
                       descending=descending)


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
