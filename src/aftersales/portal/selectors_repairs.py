"""The portal's reads of repair work orders: a customer's own work orders with where each one
stands (`repairs.progress`), one of them with its appointment, documents and a quote waiting
for an answer. Only the customer's own rows are ever read; a list is a fixed number of queries
whatever its length."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import CURRENCY_MINOR_UNITS, ProductModelName, localized_name
from aftersales.charges.selectors import open_quote_for
from aftersales.core.errors import ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.parts.models import Reservation, ReservationState
from aftersales.repairs import progress
from aftersales.repairs.documents import available_kinds
from aftersales.repairs.events import first_name as event_first_name
from aftersales.repairs.models import Appointment, Kind, WorkOrder
from aftersales.repairs.models_work import LabourEntry, PartUsed, RepairCard, Visit

PAGE_SIZE = 20
MAX_ID = 2**63 - 1  # beyond any BIGINT: such an id is a 404 before the database sees it
KEYS = ("created_at", "id")
KINDS = (datetime, int)
CASE_LIMIT = 50  # work orders listed on a case page
MAX_CHANGES = 5  # earlier windows of the same visit shown as "changed from"

# What each step and note reads as, for the customer.
STEP_LABELS = {
    progress.RECEIVED: gettext_lazy("Received"),
    progress.DIAGNOSING: gettext_lazy("Diagnosing"),
    progress.WAITING_PARTS: gettext_lazy("Waiting for parts"),
    progress.REPAIRING: gettext_lazy("Repairing"),
    progress.INSPECTING: gettext_lazy("Final check"),
    progress.READY: gettext_lazy("Ready for pickup"),
    progress.HANDED_BACK: gettext_lazy("Handed back"),
    progress.BOOKED: gettext_lazy("Booked"),
    progress.ON_THE_WAY: gettext_lazy("Technician on the way"),
    progress.DONE: gettext_lazy("Done"),
}
VISIT_LABELS = {
    Kind.ON_SITE: gettext_lazy("Repair visit"),
    Kind.INSTALLATION: gettext_lazy("Installation"),
    Kind.MAINTENANCE: gettext_lazy("Maintenance visit"),
}
NOTE_TEXTS = {
    progress.NOTE_AWAITING_ITEM: gettext_lazy("We are waiting for your item to reach us."),
    progress.NOTE_PICKUP_BOOKED: gettext_lazy("A technician will collect your item in the time below."),
    progress.NOTE_QUEUED: gettext_lazy("Your item is with us and waits for a technician."),
    progress.NOTE_TO_BE_ARRANGED: gettext_lazy("We will arrange a time with you."),
    progress.NOTE_REVISIT_BOOKED: gettext_lazy("Another visit is booked."),
    progress.NOTE_TECHNICIAN_THERE: gettext_lazy("The technician is with you now."),
    progress.NOTE_REVISIT_NEEDED: gettext_lazy("The job could not be finished on the last visit; "
                                               "we will arrange another one."),
    progress.NOTE_PARTS_SET_ASIDE: gettext_lazy("The parts are set aside; the work goes on soon."),
    progress.NOTE_PARTS_ORDERED: gettext_lazy("We are waiting for parts to arrive."),
    progress.NOTE_CHECKING: gettext_lazy("A supervisor is checking the work."),
    progress.NOTE_COLLECT: gettext_lazy("Your item is ready. Bring your receipt when you collect it."),
    progress.NOTE_RETURNED_EARLY: gettext_lazy("Your item has been handed back to you."),
    progress.NOTE_CANCELLED_COLLECT: gettext_lazy("This repair was cancelled. Your item is still with us: "
                                                  "please collect it."),
    progress.NOTE_CANCELLED: gettext_lazy("This repair was cancelled."),
}


def step_label(key: str, kind: str) -> str:
    if key == progress.VISITING:
        return str(VISIT_LABELS.get(kind, VISIT_LABELS[Kind.ON_SITE]))
    return str(STEP_LABELS[key])


def first_name(user) -> str:
    """What a customer is told of a member of staff: the first word of their name (as the case
    timeline's public events name them), never the full name, user name, e-mail or phone."""
    if user is None:
        return ""
    return event_first_name(user.display_name or user.get_full_name())


# ---- the customer's work orders ---------------------------------------------------------------

def work_orders_of(user) -> QuerySet[WorkOrder]:
    """A signed-in customer's own work orders; nobody else's, and none for anyone else."""
    if not (user.is_authenticated and user.is_active and user.is_customer):
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(customer__user=user)


def with_facts(qs: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Everything `progress` needs, as annotations on the same query (no query per row)."""
    waiting = (Reservation.objects.filter(reference=OuterRef("number"), state=ReservationState.ACTIVE)
               .order_by().values("reference").annotate(n=Count("id")).values("n"))
    ended = (Visit.objects.filter(work_order=OuterRef("pk"), departed_at__isnull=False)
             .order_by().values("work_order").annotate(n=Count("id")).values("n"))
    last_outcome = (Visit.objects.filter(work_order=OuterRef("pk"), departed_at__isnull=False)
                    .order_by("-departed_at", "-id").values("outcome")[:1])
    names = Prefetch("unit__product_model__names", queryset=ProductModelName.objects.all())
    return (qs.select_related("technician", "unit__product_model").prefetch_related(names).annotate(
        p_card=Exists(RepairCard.objects.filter(work_order=OuterRef("pk"))),
        p_labour=Exists(LabourEntry.objects.filter(card__work_order=OuterRef("pk"))),
        p_parts=Exists(PartUsed.objects.filter(card__work_order=OuterRef("pk"))),
        p_receipt=F("receipt__id"),
        p_voided_at=F("receipt__voided_at"),
        p_waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0)),
        p_visit_open=Exists(Visit.objects.filter(work_order=OuterRef("pk"), departed_at__isnull=True)),
        p_visits_done=Coalesce(Subquery(ended, output_field=IntegerField()), Value(0)),
        p_last_outcome=Subquery(last_outcome),
    ))


def facts_of(wo: WorkOrder) -> progress.Facts:
    return progress.Facts(
        status=wo.status, kind=wo.kind, has_window=wo.window_start is not None, has_card=bool(wo.p_card),
        card_has_labour=bool(wo.p_labour), card_has_parts=bool(wo.p_parts), has_receipt=wo.p_receipt is not None,
        receipt_voided=wo.p_voided_at is not None, reservations_waiting=int(wo.p_waiting or 0),
        visit_open=bool(wo.p_visit_open), visits_done=int(wo.p_visits_done or 0),
        last_visit_outcome=wo.p_last_outcome or "")


@dataclass
class StepView:
    key: str
    label: str
    number: int
    done: bool
    current: bool
    skipped: bool


@dataclass
class RepairRow:
    work_order: WorkOrder
    progress: progress.Progress
    model_name: str
    technician: str  # first name only
    steps: list[StepView] = field(default_factory=list)

    @property
    def current_label(self) -> str:
        if self.progress.cancelled:
            return _("Cancelled")
        return step_label(self.progress.current, self.work_order.kind)

    @property
    def note(self) -> str:
        return str(NOTE_TEXTS.get(self.progress.note, ""))

    @property
    def state(self) -> str:
        """For the badge's colour: cancelled, finished, ready (the customer's turn: collect it) or active."""
        p = self.progress
        if p.cancelled:
            return "cancelled"
        if p.finished:
            return "finished"
        return "ready" if p.current == progress.READY else "active"


def _row(wo: WorkOrder) -> RepairRow:
    state = progress.progress(facts_of(wo))
    model = localized_name(wo.unit.product_model, "names") if wo.unit_id else ""
    steps = [StepView(key=s.key, label=step_label(s.key, wo.kind), number=i, done=s.done, current=s.current,
                      skipped=s.skipped) for i, s in enumerate(state.steps, start=1)]
    return RepairRow(work_order=wo, progress=state, model_name=model or wo.model_text,
                     technician=first_name(wo.technician) if not state.cancelled else "", steps=steps)


def my_repairs(*, user, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """The customer's work orders, newest first, each with its progress. A bad cursor starts
    from the top. Two queries (the rows, their product names) whatever the page's length."""
    qs = with_facts(work_orders_of(user))
    try:
        page = keyset_page(qs, keys=KEYS, kinds=KINDS, cursor=cursor, limit=limit)
    except ValidationFailed:
        page = keyset_page(qs, keys=KEYS, kinds=KINDS, cursor=None, limit=limit)
    return Page(items=[_row(wo) for wo in page.items], next_cursor=page.next_cursor)


def case_repairs(*, user, case) -> list[RepairRow]:
    """The work orders of one of the customer's cases, newest first (two queries)."""
    qs = with_facts(work_orders_of(user).filter(case=case)).order_by("-created_at", "-id")[:CASE_LIMIT]
    return [_row(wo) for wo in qs]


def access_my_work_order(*, user, work_order_id: int) -> WorkOrder:
    """One of the customer's own work orders, with its facts; anything else is a 404."""
    if not isinstance(work_order_id, int) or not 0 < work_order_id <= MAX_ID:
        raise Http404
    wo = with_facts(work_orders_of(user).filter(pk=work_order_id)).select_related("case").first()
    if wo is None:
        raise Http404
    return wo


# ---- one work order ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def text(self) -> str:
        """In the reader's time zone and language: "Tuesday, 3 March 2026, 09:00–12:00"."""
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        day = date_format(start, "DATE_FORMAT")
        weekday = date_format(start, "l")
        if start.date() == end.date():
            return _("%(weekday)s, %(date)s, %(start)s–%(end)s") % {
                "weekday": weekday, "date": day, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
        return _("%(weekday)s, %(date)s, %(start)s – %(end_date)s, %(end)s") % {
            "weekday": weekday, "date": day, "start": start.strftime("%H:%M"),
            "end_date": date_format(end, "DATE_FORMAT"), "end": end.strftime("%H:%M")}


def window_changes(appointments: list[Appointment], visit_arrivals: list[datetime]) -> list[Window]:
    """The earlier windows of the current visit, newest first: every appointment the latest one
    replaced with no visit in between (a visit in between makes it an earlier visit, not a
    change)."""
    changes: list[Window] = []
    for earlier, later in zip(reversed(appointments[:-1]), reversed(appointments[1:]), strict=True):
        if any(earlier.created_at <= t < later.created_at for t in visit_arrivals):
            break
        if (earlier.window_start, earlier.window_end) != (later.window_start, later.window_end):
            changes.append(Window(earlier.window_start, earlier.window_end))
    return changes[:MAX_CHANGES]


def available_documents(wo: WorkOrder) -> list[dict[str, str]]:
    """The documents the work order has now (`repairs.documents`' registry: voucher, receipt,
    repair card, and the invoice once billing registers it), as their URL slug and title."""
    return [{"kind": k.slug, "label": str(k.title)} for k in available_kinds(wo)]


@dataclass(frozen=True)
class QuoteBanner:
    total: str  # with its currency, to the currency's minor unit
    url: str


def money_text(amount: Decimal, currency: str) -> str:
    places = CURRENCY_MINOR_UNITS.get(currency, 2)
    value = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number_format(value, places, use_l10n=True, force_grouping=True)} {currency}"


def open_quote(wo: WorkOrder) -> QuoteBanner | None:
    """The quote waiting for the customer's answer (`charges`), as its total and its page."""
    quote = open_quote_for(wo)
    if quote is None:
        return None
    return QuoteBanner(total=money_text(quote.gross_total, quote.currency),
                       url=reverse("portal:quote", args=[quote.pk]))


@dataclass
class RepairDetail:
    row: RepairRow
    window: Window | None
    changes: list[Window]
    documents: list[dict[str, Any]]
    quote: QuoteBanner | None


def repair_detail(*, work_order: WorkOrder) -> RepairDetail:
    """The page of one work order: its progress, the current appointment window and how it
    changed, the documents and a waiting quote."""
    wo = work_order
    row = _row(wo)
    window = changes = None
    if wo.window_start is not None and wo.window_end is not None and not row.progress.cancelled:
        window = Window(wo.window_start, wo.window_end)
        appointments = list(Appointment.objects.filter(work_order=wo).order_by("created_at", "id"))
        arrivals = list(Visit.objects.filter(work_order=wo).values_list("arrived_at", flat=True))
        changes = window_changes(appointments, arrivals)
    return RepairDetail(row=row, window=window, changes=changes or [], documents=available_documents(wo),
                        quote=open_quote(wo))
