"""The desk's reads of a work order's work records: the technician's visit screen, the repair
card panel on the work order page (labour, parts used with their cost, the stock a part can
be taken from, the reservations made for the work order, the inspections) and the
supervisors' inspection queue. Each read is a fixed number of queries whatever its length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.permissions import Op, can
from aftersales.core.errors import ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.desk.selectors_repairs import technician_choices, work_orders_visible_to
from aftersales.parts.models import (
    LocationKind,
    Part,
    PartName,
    Reservation,
    ReservationState,
    StockLevel,
    StockLocation,
)
from aftersales.repairs.actions_work import VISIT_KINDS, WORKING
from aftersales.repairs.errors import RepairError
from aftersales.repairs.models import Kind, Status, WorkOrder
from aftersales.repairs.models_work import (
    InspectionOutcome,
    LabourEntry,
    PartUsed,
    RepairCard,
    RepairResult,
    Visit,
    VisitOutcome,
)

CENT = Decimal("0.01")
STOCK_CHOICES_LIMIT = 300  # part × location rows offered in the "take from stock" list
QUEUE_LIMIT = 500


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ---- the visit screen -----------------------------------------------------------------------------

@dataclass
class VisitScreen:
    visits: list[Visit]  # oldest first, each with its photos
    open_visit: Visit | None
    last_finished: Visit | None
    has_visits_kind: bool  # on-site, installation or maintenance: the kinds that have visits
    may_start: bool
    may_convert: bool  # the last visit failed: the unit can come in instead

    @property
    def earlier(self) -> list[Visit]:
        return [v for v in reversed(self.visits) if v.departed_at is not None]


def visit_screen(wo: WorkOrder) -> VisitScreen:
    """The work order's visits with their photos, and which steps the screen offers. Two queries."""
    visits = list(Visit.objects.filter(work_order=wo).select_related("technician")
                  .prefetch_related("photos").order_by("arrived_at", "id"))
    open_visit = next((v for v in visits if v.departed_at is None), None)
    finished = [v for v in visits if v.departed_at is not None]
    last = finished[-1] if finished else None
    kind_ok = wo.kind in VISIT_KINDS
    return VisitScreen(
        visits=visits, open_visit=open_visit, last_finished=last, has_visits_kind=kind_ok,
        may_start=kind_ok and open_visit is None and wo.status in (Status.DISPATCHED, Status.IN_PROGRESS),
        may_convert=(wo.kind == Kind.ON_SITE and open_visit is None and last is not None
                     and last.outcome == VisitOutcome.FAILED
                     and wo.status in (Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS,
                                       Status.WAITING_PARTS)),
    )


def visit_of(wo: WorkOrder, raw: str) -> Visit:
    """The visit named by a form field, if it belongs to this work order; else a 422."""
    visit_id = ascii_int(raw)
    visit = Visit.objects.filter(work_order=wo, pk=visit_id).first() if visit_id is not None else None
    if visit is None:
        raise ValidationFailed(RepairError.INVALID, _("That visit is not one of this work order's."))
    return visit


# ---- the repair card panel ------------------------------------------------------------------------

@dataclass
class CostLine:
    used: PartUsed
    line_cost: Decimal


@dataclass
class StockChoice:
    value: str  # "part:location", the form's value
    part: Part
    location: StockLocation
    available: int


@dataclass
class CardPanel:
    card: RepairCard | None
    labour: list[LabourEntry] = field(default_factory=list)
    labour_minutes: int = 0
    parts: list[CostLine] = field(default_factory=list)
    parts_totals: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, total)
    inspections: list = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)
    stock: list[StockChoice] = field(default_factory=list)
    technicians: list[User] = field(default_factory=list)
    results: list = field(default_factory=list)
    may_open: bool = False
    may_record: bool = False  # labour and closing
    may_use_parts: bool = False
    may_inspect: bool = False
    waiting_inspection: bool = False
    passed: bool = False  # closed, and the last inspection passed it

    @property
    def labour_text(self) -> str:
        hours, minutes = divmod(self.labour_minutes, 60)
        if hours and minutes:
            return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
        if hours:
            return _("%(h)d h") % {"h": hours}
        return _("%(m)d min") % {"m": minutes}


def _part_names() -> Prefetch:
    return Prefetch("part__names", queryset=PartName.objects.order_by("language"))


def stock_choices(wo: WorkOrder, user) -> list[StockChoice]:
    """What can be taken from stock for this work order: the parts available in the van of
    its technician (and of the person at the desk) and in the warehouses. One query and one
    for the part names."""
    vans = Q(kind=LocationKind.TECHNICIAN_VAN, technician_id__in=[i for i in (wo.technician_id, user.pk) if i])
    locations = StockLocation.objects.filter(Q(kind=LocationKind.WAREHOUSE) | vans, is_active=True)
    levels = (StockLevel.objects.filter(location__in=locations, part__is_active=True, on_hand__gt=F("reserved"))
              .select_related("part", "location")
              .prefetch_related(_part_names())
              # "technician_van" sorts before "warehouse": the vans come first
              .order_by("location__kind", "location__code", "part__sku")[:STOCK_CHOICES_LIMIT])
    return [StockChoice(value=f"{lv.part_id}:{lv.location_id}", part=lv.part, location=lv.location,
                        available=lv.available) for lv in levels]


def card_panel(*, user, wo: WorkOrder) -> CardPanel:
    """Everything the repair card panel shows, and what the person may do there."""
    card = (RepairCard.objects.filter(work_order=wo)
            .select_related("repeat_of__work_order", "opened_by", "closed_by")
            .prefetch_related(
                Prefetch("labour", queryset=LabourEntry.objects.select_related("technician").order_by("at", "id")),
                Prefetch("parts", queryset=PartUsed.objects.select_related("location", "part")
                         .prefetch_related(_part_names()).order_by("at", "id")),
                "inspections__inspector")
            .first())
    manage = can(user, Op.REPAIR_MANAGE)
    panel = CardPanel(card=card, may_open=card is None and manage and wo.status in WORKING)
    if card is None:
        return panel
    panel.labour = list(card.labour.all())
    panel.labour_minutes = sum(e.minutes for e in panel.labour)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for used in card.parts.all():
        line = money(used.unit_cost * used.quantity)
        panel.parts.append(CostLine(used=used, line_cost=line))
        totals[used.currency] += line
    panel.parts_totals = sorted((currency, money(total)) for currency, total in totals.items())
    panel.inspections = sorted(card.inspections.all(), key=lambda i: (i.at, i.pk))
    panel.passed = (card.closed_at is not None and bool(panel.inspections)
                    and panel.inspections[-1].outcome == InspectionOutcome.PASSED)
    editable = card.closed_at is None and wo.status in WORKING
    panel.may_record = editable and manage
    panel.may_use_parts = editable and can(user, Op.PARTS_MOVE)
    panel.waiting_inspection = card.closed_at is not None and wo.status == Status.INSPECTING
    panel.may_inspect = panel.waiting_inspection and can(user, Op.REPAIR_INSPECT)
    if panel.may_record:
        panel.technicians = technician_choices()
        panel.results = RepairResult.choices
    if panel.may_use_parts:
        panel.reservations = list(
            Reservation.objects.filter(reference=wo.number, state=ReservationState.ACTIVE)
            .select_related("part", "location").prefetch_related(_part_names()).order_by("id"))
        panel.stock = stock_choices(wo, user)
    return panel


# ---- the inspection queue -------------------------------------------------------------------------

@dataclass
class QueueRow:
    card: RepairCard
    waiting: float  # hours since the card was closed


@dataclass
class InspectionQueue:
    rows: list[QueueRow]
    total: int
    now: datetime

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def inspection_queue(*, user, now: datetime | None = None, limit: int = QUEUE_LIMIT) -> InspectionQueue:
    """Every closed repair card whose work order waits for inspection, the longest-waiting
    first. Two queries (the count and the rows)."""
    now = now or timezone.now()
    cards = (RepairCard.objects.filter(closed_at__isnull=False, work_order__status=Status.INSPECTING,
                                       work_order__in=work_orders_visible_to(user))
             .select_related("work_order__customer", "work_order__technician", "closed_by"))
    total = cards.count()
    rows = [QueueRow(card=c, waiting=(now - c.closed_at).total_seconds() / 3600)
            for c in cards.order_by("closed_at", "id")[:limit]]
    return InspectionQueue(rows=rows, total=total, now=now)


# ---- both panels of the work order page -------------------------------------------------------------

@dataclass
class WorkPanels:
    visits: VisitScreen
    card: CardPanel
    # the card's forms: a refusal of one is shown at the panel's top when there is no card to show it beside
    card_forms: tuple[str, ...] = ("labour", "part_reserved", "part_stock", "card_close", "inspect")


def work_panels(*, user, wo: WorkOrder) -> WorkPanels:
    """What the work order page shows of the visits and the repair card."""
    return WorkPanels(visits=visit_screen(wo), card=card_panel(user=user, wo=wo))
