"""Reads for the desk pages: the queues and their counts, a case with what the page shows
around it, and the customer panel. A fixed number of queries each, whatever the row count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Prefetch, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.permissions import Op, can
from aftersales.accounts.selectors import staff_users, user_team_ids
from aftersales.cases import workflow
from aftersales.cases.access import cases_visible_to, counters_visible_to
from aftersales.cases.events import event_text
from aftersales.cases.models import Case, CaseEntry, EntryKind
from aftersales.cases.selectors import OPEN_STATUSES, CaseFilters, case_timeline, with_case_details
from aftersales.catalog.models import OrderLine, ProductModel, Purchase, Unit
from aftersales.customers.access import customers_visible_to
from aftersales.customers.models import Customer
from aftersales.desk.models import SavedView
from aftersales.desk.selectors_sla import at_risk_cutoff


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise
    statuses: tuple[str, ...]
    # The order the queue shows when none is chosen: "recent", "oldest" or "due" (the sort field's values).
    default_sort: str = "recent"
    # Only cases overdue or due within AT_RISK_MINUTES (wall-clock).
    at_risk: bool = False


AT_RISK = "at_risk"
QUEUES: tuple[Queue, ...] = (
    Queue("mine", _("My cases"), tuple(OPEN_STATUSES)),
    Queue(AT_RISK, _("At risk"), tuple(OPEN_STATUSES), default_sort="due", at_risk=True),
    Queue("teams", _("My teams"), tuple(OPEN_STATUSES)),
    Queue("unassigned", _("Unassigned"), tuple(OPEN_STATUSES)),
    Queue("waiting", _("Waiting on customer"), (workflow.WAITING_CUSTOMER,)),
    Queue("open", _("All open"), tuple(OPEN_STATUSES)),
    Queue("closed", _("Closed"), (workflow.RESOLVED, workflow.CLOSED)),
)
QUEUE_BY_KEY = {q.key: q for q in QUEUES}
DEFAULT_QUEUE = "mine"


def queue_filters(*, user, queue: Queue, statuses: list[str] | None, now: datetime,
                  **chosen: Any) -> CaseFilters | None:
    """The filters of a queue narrowed by what the person chose; None when nothing can match."""
    wanted = [s for s in queue.statuses if not statuses or s in statuses]
    if not wanted:
        return None
    filters = CaseFilters(status=wanted, **chosen)
    if queue.at_risk:
        filters.due_before = at_risk_cutoff(now)
    if queue.key == "mine":
        filters.assignee = user.pk
    elif queue.key == "teams":
        filters.teams = user_team_ids(user)
    elif queue.key == "unassigned":
        filters.unassigned = True
    return filters


def queue_counts(*, user) -> dict[str, int]:
    """Every counted queue's size, summed from the case counters (a few hundred rows, kept by
    the database: `cases/counters.py`) instead of read from every visible case. The "at risk"
    queue is not in the counters (it depends on the time): `selectors_sla.at_risk_count`."""
    open_q = Q(status__in=OPEN_STATUSES)
    team_ids = user_team_ids(user)
    mine_team = Q(team_key__in=team_ids) if team_ids else Q(pk__in=[])
    counts = counters_visible_to(user).aggregate(
        mine=Sum("n", filter=open_q & Q(assignee_key=user.pk)),
        teams=Sum("n", filter=open_q & mine_team),
        unassigned=Sum("n", filter=open_q & Q(assignee_key=0)),
        waiting=Sum("n", filter=Q(status=workflow.WAITING_CUSTOMER)),
        open=Sum("n", filter=open_q),
        closed=Sum("n", filter=~open_q),
    )
    return {key: value or 0 for key, value in counts.items()}


def product_choices() -> list[tuple[int, str]]:
    """Every active product model, for the product filter: SKU and name in the reader's language."""
    models = ProductModel.objects.filter(is_active=True).prefetch_related("names").order_by("sku")
    return [(m.pk, str(m)) for m in models]


def saved_views(*, user) -> list[SavedView]:
    return list(SavedView.objects.filter(user=user).order_by("name", "id"))


def case_with_details(case_id: int) -> Case:
    return with_case_details(Case.objects.filter(pk=case_id)).get()


def attachment_url(case_id: int, attachment_id: int) -> str:
    """The API's download address; it accepts the desk's session."""
    return f"/api/v1/cases/{case_id}/attachments/{attachment_id}"


def desk_timeline(*, user, case: Case) -> list[CaseEntry]:
    """The whole timeline, each entry carrying what the template shows: an event's sentence
    in the reader's language and each file's address."""
    entries = case_timeline(user=user, case=case)
    for entry in entries:
        entry.text = event_text(entry) if entry.kind == EntryKind.EVENT else ""
        entry.files = [
            {"name": a.filename, "url": attachment_url(case.pk, a.pk), "size": a.size,
             "is_image": a.content_type.startswith("image/"), "is_public": a.is_public}
            for a in entry.attachments.all()
        ]
    return entries


def timeline_version(case: Case, last_entry_id: int | None) -> str:
    """Changes whenever the case or its timeline does; the poller compares it."""
    return f"{case.updated_at.timestamp():.6f}-{last_entry_id or 0}"


def current_timeline_version(case: Case) -> str:
    last = case.entries.aggregate(last=Max("id"))["last"]
    return timeline_version(case, last)


def assignee_choices(*, case: Case) -> list:
    """Active staff of the case's team (all staff when it has none), plus whoever has it now."""
    people = staff_users()
    if case.team_id is not None:
        who = Q(teams=case.team_id)
        if case.assignee_id is not None:
            who |= Q(pk=case.assignee_id)
        people = people.filter(who)
    return list(people.distinct().order_by("display_name", "username"))


def case_permissions(user) -> dict[str, bool]:
    return {
        "can_assign": can(user, Op.CASE_ASSIGN),
        "can_status": can(user, Op.CASE_CHANGE_STATUS),
        "can_classify": can(user, Op.CASE_CLASSIFY),
        "can_tag": can(user, Op.CASE_TAG),
        "can_reply": can(user, Op.CASE_REPLY),
        "can_note": can(user, Op.CASE_NOTE),
        "can_attach": can(user, Op.CASE_ATTACH),
    }


def customer_panel(*, user, case: Case, limit: int = 10) -> dict[str, Any]:
    """The customer behind the case: identities, purchases, units and their other cases."""
    units = Unit.objects.select_related("product_model").prefetch_related("product_model__names")
    lines = OrderLine.objects.select_related("product_model").prefetch_related("product_model__names")
    purchases = Purchase.objects.prefetch_related(Prefetch("lines", queryset=lines)).order_by("-paid_at", "-id")
    customer: Customer | None = (
        customers_visible_to(user).filter(pk=case.customer_id)
        .prefetch_related("identities", Prefetch("units", queryset=units),
                          Prefetch("purchases", queryset=purchases))
        .first()
    )
    others = list(
        cases_visible_to(user).filter(customer_id=case.customer_id).exclude(pk=case.pk)
        .order_by("-updated_at", "-id")[:limit]
    )
    return {"customer": customer, "other_cases": others}
