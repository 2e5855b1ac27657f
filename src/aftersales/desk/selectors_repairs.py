"""The desk's reads of repair work orders: who may see which, a work order with everything its
page shows, the dispatch board of a day, a technician's jobs and the custody register with its
totals. Each list is a fixed number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftersales.accounts.models import Role, User
from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import cases_visible_to
from aftersales.core.errors import ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.customers.access import customers_visible_to
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_by_identity
from aftersales.repairs import workflow
from aftersales.repairs.errors import RepairError
from aftersales.repairs.models import Appointment, CustodyEntry, IntakeReceipt, Status, WorkOrder
from aftersales.repairs.selectors import HeldItem, custody_register

TECHNICIAN_ROLES = (Role.TECHNICIAN, Role.SUPERVISOR)
RECENT_CUSTOMERS = 20
UNSCHEDULED_LIMIT = 100
BOARD_LIMIT = 500


def work_orders_visible_to(user) -> QuerySet[WorkOrder]:
    """Staff see a work order with no case, one on a case they can see, and one they are sent
    to; supervisors and administrators see all. Nobody else sees any."""
    if not (user.is_authenticated and user.is_active and user.is_staff_member and can(user, Op.CASE_VIEW)):
        return WorkOrder.objects.none()
    if can(user, Op.CASE_SEE_ALL):
        return WorkOrder.objects.all()
    return WorkOrder.objects.filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user)) | Q(technician=user))


def access_work_order(*, user, work_order_id: int) -> WorkOrder:
    wo = (work_orders_visible_to(user).filter(pk=work_order_id)
          .select_related("case", "customer", "unit", "technician", "created_by").first())
    if wo is None:
        raise Http404
    return wo


def work_orders_for_case(case) -> list[WorkOrder]:
    return list(WorkOrder.objects.filter(case=case).select_related("technician").order_by("-created_at", "-id"))


@dataclass
class WorkOrderDetail:
    appointments: list[Appointment]
    receipt: IntakeReceipt | None
    entries: list[CustodyEntry]
    last_item_move: str | None


def work_order_detail(wo: WorkOrder) -> WorkOrderDetail:
    appointments = list(Appointment.objects.filter(work_order=wo).select_related("technician", "created_by")
                        .order_by("created_at", "id"))
    receipt = IntakeReceipt.objects.filter(work_order=wo).select_related("received_by").first()
    entries = (list(CustodyEntry.objects.filter(receipt=receipt).select_related("actor", "corrects")
                    .order_by("at", "id")) if receipt else [])
    own = [e.move for e in entries if e.move not in workflow.SIDE_ENTRIES]
    return WorkOrderDetail(appointments=appointments, receipt=receipt, entries=entries,
                           last_item_move=own[-1] if own else None)


def technician_choices() -> list[User]:
    return list(User.objects.filter(is_active=True, role__in=TECHNICIAN_ROLES).order_by("display_name", "username"))


def recent_customers(*, user, limit: int = RECENT_CUSTOMERS) -> list[Customer]:
    return list(customers_visible_to(user).order_by("-id")[:limit])


def customer_lookup(*, user, term: str) -> Customer | None:
    """A customer by id ("123" or "#123"), e-mail address or phone number, among those the
    person may see."""
    term = (term or "").strip()[:254]
    if not term:
        return None
    visible = customers_visible_to(user)
    digits = term.lstrip("#")
    if (customer_id := ascii_int(digits, max_digits=8)) is not None:
        return visible.filter(pk=customer_id).first()
    kind = "email" if "@" in term else "phone"
    found = customer_by_identity(kind=kind, value=term, language=getattr(user, "language", "en") or "en")
    if found is None:
        return None
    return visible.filter(pk=found.pk).first()


# ---- days in the viewer's zone ------------------------------------------------------------------

def parse_day(raw: str | None, *, default: date) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValidationFailed(RepairError.INVALID, _("Write the date as YYYY-MM-DD, e.g. %(example)s.")
                               % {"example": default.isoformat()}) from exc


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants a calendar day starts and ends in `zone` (23 or 25 hours at a DST change)."""
    return (datetime.combine(day, time.min, tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone))


def _hours(wo: WorkOrder, start: datetime, end: datetime) -> float:
    """The part of the work order's window that falls inside [start, end), in hours."""
    if wo.window_start is None or wo.window_end is None:
        return 0.0
    inside = min(wo.window_end, end) - max(wo.window_start, start)
    return max(inside.total_seconds(), 0) / 3600


@dataclass
class BoardColumn:
    technician: User
    work_orders: list[WorkOrder] = field(default_factory=list)
    hours: float = 0.0

    @property
    def count(self) -> int:
        return len(self.work_orders)


@dataclass
class Board:
    day: date
    columns: list[BoardColumn]
    unscheduled: list[WorkOrder]


def dispatch_board(*, user, day: date, zone: tzinfo) -> Board:
    """Per active technician, the work orders with a window on `day` (in `zone`), and the
    registered ones nobody has been sent to yet. Three queries."""
    start, end = day_bounds(day, zone)
    visible = work_orders_visible_to(user).select_related("customer")
    columns = {t.pk: BoardColumn(technician=t) for t in technician_choices()}
    scheduled = (visible.filter(technician__isnull=False, window_start__lt=end, window_end__gt=start)
                 .exclude(status=Status.CANCELLED).select_related("technician").order_by("window_start", "id"))
    for wo in scheduled[:BOARD_LIMIT]:
        column = columns.get(wo.technician_id)
        if column is None:  # sent to someone no longer dispatchable: still shown
            column = columns[wo.technician_id] = BoardColumn(technician=wo.technician)
        column.work_orders.append(wo)
        column.hours += _hours(wo, start, end)
    unscheduled = list(visible.filter(status=Status.REGISTERED, window_start__isnull=True)
                       .order_by("created_at", "id")[:UNSCHEDULED_LIMIT])
    return Board(day=day, columns=list(columns.values()), unscheduled=unscheduled)


def jobs_for(*, technician, day: date, zone: tzinfo) -> list[WorkOrder]:
    """The technician's work orders with a window on `day` in `zone`, earliest first. One query."""
    start, end = day_bounds(day, zone)
    return list(WorkOrder.objects.filter(technician=technician, window_start__lt=end, window_end__gt=start)
                .exclude(status=Status.CANCELLED).select_related("customer").order_by("window_start", "id"))


# ---- the custody register -----------------------------------------------------------------------

@dataclass
class RegisterTotals:
    brought_forward: int  # received before the range and still held when it began
    received: int  # received inside the range
    handed_back: int
    still_held: int

    @property
    def adds_up(self) -> bool:
        return self.brought_forward + self.received == self.handed_back + self.still_held


def register_with_totals(*, start: datetime, end: datetime) -> tuple[list[HeldItem], RegisterTotals]:
    items = custody_register(start=start, end=end)
    received = sum(1 for i in items if i.receipt.created_at >= start)
    handed_back = sum(1 for i in items if i.handed_back)
    return items, RegisterTotals(brought_forward=len(items) - received, received=received,
                                 handed_back=handed_back, still_held=len(items) - handed_back)
