"""Repair work orders in the desk: the card on the case page, the work order page with its
forms (status, dispatch, billing class, intake, the custody register, hand-back), the phone
call form, the dispatch board, a technician's jobs of the day and the printable custody
register. Each write parses the form, fetches through `access_*` (404 for what the person may
not see), checks the role, calls one action and re-renders; a refusal is shown next to its
form with its 4xx status (or as a message without htmx) and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import access_case
from aftersales.cases.models import Case
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.customers.access import customers_visible_to
from aftersales.desk.access import staff_required
from aftersales.desk.selectors_repairs import (
    access_work_order,
    customer_lookup,
    day_bounds,
    dispatch_board,
    jobs_for,
    parse_day,
    recent_customers,
    register_with_totals,
    technician_choices,
    work_order_detail,
    work_orders_for_case,
)
from aftersales.desk.selectors_work import work_panels
from aftersales.desk.views_charges import charges_context
from aftersales.desk.work_order_writes import write_and_redraw
from aftersales.repairs import actions, workflow
from aftersales.repairs.errors import RepairError
from aftersales.repairs.models import BillingClass, CustodyEntry, CustodyMove, Kind, Status, WorkOrder

TEXT_LENGTH = 5000
MAX_REGISTER_DAYS = 366
# The register movements a person records by hand (intake and hand-back have their own forms).
HAND_MOVES = [(v, label) for v, label in CustodyMove.choices
              if v not in (CustodyMove.RECEIVED, CustodyMove.HANDED_BACK)]


def _post(request: HttpRequest, name: str, limit: int = TEXT_LENGTH) -> str:
    return request.POST.get(name, "")[:limit]


def _local_datetime(raw: str, what: str) -> datetime:
    """A `datetime-local` value ("2026-03-03T09:00") read in the viewer's time zone."""
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValidationFailed(RepairError.WINDOW_INVALID, _("%(what)s: give a date and a time.")
                               % {"what": what}) from exc
    if naive.tzinfo is not None:
        return naive
    return timezone.make_aware(naive, timezone.get_current_timezone())


# ---- the card on the case page ------------------------------------------------------------------

def _case_card(request: HttpRequest, case: Case, *, error: str | None = None, status: int = 200) -> HttpResponse:
    return render(request, "desk/repairs/case_card.html", {
        "case": case, "work_orders": work_orders_for_case(case), "kinds": Kind.choices,
        "may_manage": can(request.user, Op.REPAIR_MANAGE), "error": error}, status=status)


@staff_required
@require_GET
def case_card(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_card(request, access_case(user=request.user, case_id=case_id))


@staff_required
@require_POST
def case_open(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    try:
        require(request.user, Op.REPAIR_MANAGE)
        wo = actions.work_order_open(actor=request.user, kind=_post(request, "kind", 20), case=case)
    except DomainError as exc:
        if not request.htmx:
            messages.error(request, str(exc.detail))
            return redirect("desk:case", case_id=case.pk)
        return _case_card(request, case, error=str(exc.detail), status=exc.status)
    if not request.htmx:
        return redirect("desk:work_order", work_order_id=wo.pk)
    return _case_card(request, case)


# ---- the work order page ------------------------------------------------------------------------

def _wo_context(request: HttpRequest, wo: WorkOrder, *, error: str | None = None, error_for: str = "",
                posted=None) -> dict:
    detail = work_order_detail(wo)
    held = workflow.still_held(detail.last_item_move)
    work = work_panels(user=request.user, wo=wo)
    # "dispatched" is reached through the dispatch form, which names who goes and when; "ready"
    # through the repair card's inspection, or by someone who may inspect when there is no card
    hidden = {Status.DISPATCHED}
    if work.card.card is not None or not can(request.user, Op.REPAIR_INSPECT):
        hidden.add(Status.READY)
    return {
        "wo": wo, "detail": detail, "receipt": detail.receipt, "entries": detail.entries,
        "appointments": detail.appointments,
        "targets": [(value, label) for value, label in Status.choices
                    if value not in hidden and workflow.can_move(wo.status, value)],
        "may_manage": can(request.user, Op.REPAIR_MANAGE),
        "may_dispatch": wo.status in (Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS),
        "technicians": technician_choices(), "billing_classes": BillingClass.choices,
        "is_carry_in": wo.kind == Kind.CARRY_IN, "moves": HAND_MOVES, "held": held,
        "zone": timezone.get_current_timezone_name(),
        "error": error, "error_for": error_for, "posted": posted if error else None,
        "work": work,
    }


@staff_required
@require_GET
def work_order_page(request: HttpRequest, work_order_id: int) -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    context = _wo_context(request, wo)
    context.update(charges_context(request, wo))  # the Charges card (views_charges.py)
    return render(request, "desk/repairs/work_order.html", context)


def _write(request: HttpRequest, work_order_id: int, form: str, apply: Callable[[WorkOrder], object]) -> HttpResponse:
    """Run one write and answer with the page's main part redrawn (the error beside `form`)."""
    return write_and_redraw(request, work_order_id, form, apply, page="desk:work_order",
                            template="desk/repairs/partials/work_order_main.html", context=_wo_context)


@staff_required
@require_POST
def work_order_move(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "status", lambda wo: actions.work_order_move(
        work_order=wo, target=_post(request, "status", 20), actor=request.user))


@staff_required
@require_POST
def work_order_dispatch(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        raw = _post(request, "technician", 12)
        technician = next((t for t in technician_choices() if str(t.pk) == raw), None)
        start = _local_datetime(_post(request, "window_start", 40), _("From"))
        end = _local_datetime(_post(request, "window_end", 40), _("Until"))
        actions.work_order_dispatch(work_order=wo, technician=technician, window_start=start, window_end=end,
                                    actor=request.user, reason=_post(request, "reason", 300))

    return _write(request, work_order_id, "dispatch", apply)


@staff_required
@require_POST
def work_order_billing(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "billing", lambda wo: actions.work_order_set_billing_class(
        work_order=wo, billing_class=_post(request, "billing_class", 2), reason=_post(request, "reason", 300),
        actor=request.user))


def _receipt_of(wo: WorkOrder):
    receipt = work_order_detail(wo).receipt
    if receipt is None:
        raise ValidationFailed(RepairError.INVALID, _("Take the item in first."))
    return receipt


def _accessories(raw: str) -> list[str]:
    for sep in ("，", "、", ";", "；"):
        raw = raw.replace(sep, ",")
    return [part.strip() for part in raw.split(",") if part.strip()]


@staff_required
@require_POST
def custody_intake(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "intake", lambda wo: actions.custody_intake(
        work_order=wo, condition=_post(request, "condition", 2000), location=_post(request, "location", 200),
        accessories=_accessories(_post(request, "accessories", 3000)),
        serial_seen=_post(request, "serial_seen", 100), actor=request.user))


@staff_required
@require_POST
def custody_move(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        receipt = _receipt_of(wo)
        raw = _post(request, "corrects", 12)
        corrects_id = ascii_int(raw)
        corrects = (CustodyEntry.objects.filter(receipt=receipt, pk=corrects_id).first()
                    if corrects_id is not None else None)
        actions.custody_move(receipt=receipt, move=_post(request, "move", 30), location=_post(request, "location", 200),
                             holder=_post(request, "holder", 200), note=_post(request, "note", 500),
                             corrects=corrects, actor=request.user)

    return _write(request, work_order_id, "custody", apply)


@staff_required
@require_POST
def custody_hand_back(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "hand_back", lambda wo: actions.custody_hand_back(
        receipt=_receipt_of(wo), signed_by=_post(request, "signed_by", 200), location=_post(request, "location", 200),
        signature=request.POST.get("signature", ""), actor=request.user))


# ---- a phone call: the call-in register ---------------------------------------------------------

CALL_FIELDS = ("contact_name", "address", "phone", "model_text", "problem", "kind", "customer", "lookup")


@staff_required
@require_http_methods(["GET", "POST"])
def new_work_order(request: HttpRequest) -> HttpResponse:
    user = request.user
    error, status, values = None, 200, {}
    if request.method == "POST":
        values = {name: _post(request, name) for name in CALL_FIELDS}
        try:
            require(user, Op.REPAIR_MANAGE)
            customer = None
            if values["lookup"].strip():
                customer = customer_lookup(user=user, term=values["lookup"])
                if customer is None:
                    raise ValidationFailed(RepairError.INVALID,
                                           _("No customer has that id, e-mail address or phone number."))
            elif (customer_id := ascii_int(values["customer"])) is not None:
                customer = customers_visible_to(user).filter(pk=customer_id).first()
            if customer is None:
                raise ValidationFailed(RepairError.INVALID, _("Choose the customer who called."))
            wo = actions.work_order_call_in(
                actor=user, kind=values["kind"][:20], customer=customer, contact_name=values["contact_name"][:200],
                address=values["address"][:500], phone=values["phone"][:40], model_text=values["model_text"][:200],
                problem=values["problem"])
        except DomainError as exc:
            error, status = str(exc.detail), exc.status
        else:
            messages.success(request, _("Work order %(number)s registered.") % {"number": wo.number})
            return redirect("desk:work_order", work_order_id=wo.pk)
    return render(request, "desk/repairs/new.html", {
        "customers": recent_customers(user=user), "kinds": Kind.choices, "values": values, "error": error,
        "may_manage": can(user, Op.REPAIR_MANAGE)}, status=status)


# ---- the dispatch board and a technician's day ----------------------------------------------------

@staff_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        day = parse_day(request.GET.get("day"), default=today)
    except DomainError as exc:
        return render(request, "desk/repairs/board.html", {"error": str(exc.detail), "day": today}, status=400)
    data = dispatch_board(user=request.user, day=day, zone=timezone.get_current_timezone())
    return render(request, "desk/repairs/board.html", {
        "board": data, "day": day, "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
        "today": today, "zone": timezone.get_current_timezone_name()})


@staff_required
@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    jobs = jobs_for(technician=request.user, day=today, zone=timezone.get_current_timezone())
    return render(request, "desk/repairs/my_jobs.html", {"jobs": jobs, "day": today})


# ---- the custody register, for printing ---------------------------------------------------------

@staff_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    try:
        first = parse_day(request.GET.get("from"), default=today)
        last = parse_day(request.GET.get("to"), default=first)
        if last < first:
            raise ValidationFailed(RepairError.INVALID, _("The end date comes before the start date."))
        if (last - first).days >= MAX_REGISTER_DAYS:
            raise ValidationFailed(RepairError.INVALID, _("Print at most %(n)d days at a time.")
                                   % {"n": MAX_REGISTER_DAYS})
    except DomainError as exc:
        return render(request, "desk/repairs/register.html",
                      {"error": str(exc.detail), "first": request.GET.get("from", ""),
                       "last": request.GET.get("to", "")}, status=400)
    start, _end_of_first = day_bounds(first, zone)
    _start_of_last, end = day_bounds(last, zone)
    items, totals = register_with_totals(start=start, end=end)
    return render(request, "desk/repairs/register.html", {
        "items": items, "totals": totals, "first": first.isoformat(), "last": last.isoformat(),
        "first_day": first, "last_day": last, "zone": timezone.get_current_timezone_name(),
        "printed_at": timezone.now()})
