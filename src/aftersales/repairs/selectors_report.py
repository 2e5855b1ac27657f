"""Reads for the technician's monthly report: the month's completed work orders with what the
report engine (`repairs.report`) needs, in a fixed number of queries however many jobs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum

from aftersales.accounts.models import User
from aftersales.repairs.models import Kind, WorkOrder
from aftersales.repairs.models_work import Inspection, InspectionOutcome, LabourEntry, PartUsed, RepairCard, Visit
from aftersales.repairs.report import Job, TechnicianLine, monthly_report


def month_bounds(first_day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in `zone`."""
    start = datetime.combine(first_day.replace(day=1), time.min, tzinfo=zone)
    following = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, datetime.combine(following, time.min, tzinfo=zone)


def _grouped(rows, key: str, value: str) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        if row[value] is not None:
            out[row[key]][row["currency"]] = out[row[key]].get(row["currency"], Decimal("0")) + row[value]
    return out


def _revenue(ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """The net of each work order's live invoices, per currency (paid work is invoiced through
    the charges room)."""
    from aftersales.charges.models_billing import Invoice, InvoiceStatus

    rows = (Invoice.objects.filter(work_order_id__in=ids).exclude(status=InvoiceStatus.VOID)
            .values("work_order_id", "currency").annotate(net=Sum("net_total")))
    return _grouped(rows, "work_order_id", "net")


def jobs_completed(*, start: datetime, end: datetime) -> list[Job]:
    orders = list(WorkOrder.objects.filter(completed_at__gte=start, completed_at__lt=end)
                  .values("pk", "number", "technician_id", "billing_class", "kind", "created_at", "completed_at",
                          "repair_card__pk", "repair_card__result", "repair_card__closed_at",
                          "repair_card__closed_by_id")
                  .order_by("completed_at", "pk"))
    ids = [o["pk"] for o in orders]
    visits: dict[int, list[str]] = defaultdict(list)
    for row in Visit.objects.filter(work_order_id__in=ids).order_by("arrived_at", "pk").values("work_order_id",
                                                                                                "outcome"):
        visits[row["work_order_id"]].append(row["outcome"])
    sent_back = dict(Inspection.objects.filter(card__work_order_id__in=ids, outcome=InspectionOutcome.SENT_BACK)
                     .values("card__work_order_id").annotate(n=Count("pk")).values_list("card__work_order_id", "n"))
    labour = dict(LabourEntry.objects.filter(card__work_order_id__in=ids).values("card__work_order_id")
                  .annotate(m=Sum("minutes")).values_list("card__work_order_id", "m"))
    cost = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=18,
                                                                                       decimal_places=2))
    parts = _grouped(PartUsed.objects.filter(card__work_order_id__in=ids).values("card__work_order_id", "currency")
                     .annotate(cost=Sum(cost)), "card__work_order_id", "cost")
    revenue = _revenue(ids)
    repeats: dict[int, list[datetime]] = defaultdict(list)
    for later in (RepairCard.objects.filter(repeat_of__work_order_id__in=ids)
                  .values("repeat_of__work_order_id", "work_order__created_at")):
        repeats[later["repeat_of__work_order_id"]].append(later["work_order__created_at"])
    jobs = []
    for o in orders:
        pk, outcomes = o["pk"], visits.get(o["pk"], [])
        jobs.append(Job(
            work_order_id=pk, number=o["number"], technician_id=o["technician_id"] or o["repair_card__closed_by_id"],
            billing_class=o["billing_class"], registered_at=o["created_at"], completed_at=o["completed_at"],
            # visits belong to work at the customer's: a carry-in job with visits began on site
            kind_changed=o["kind"] == Kind.CARRY_IN and bool(outcomes),
            visits=len(outcomes), last_visit_outcome=outcomes[-1] if outcomes else "",
            card_result=o["repair_card__result"] or "", card_closed_at=o["repair_card__closed_at"],
            sent_back=sent_back.get(pk, 0), labour_minutes=labour.get(pk) or 0, parts_cost=parts.get(pk, {}),
            revenue=revenue.get(pk, {}), repeats_registered_at=tuple(repeats.get(pk, ()))))
    return jobs


@dataclass(frozen=True)
class MonthlyReport:
    start: datetime
    end: datetime
    lines: list[tuple[User | None, TechnicianLine]]  # by technician name
    total: TechnicianLine
    classes: list[str]  # billing classes that occur, for the columns


def technician_monthly_report(*, month: date, zone: tzinfo) -> MonthlyReport:
    start, end = month_bounds(month, zone)
    lines, total = monthly_report(jobs_completed(start=start, end=end))
    people = User.objects.in_bulk([line.technician_id for line in lines if line.technician_id is not None])
    named = [(people.get(line.technician_id), line) for line in lines]
    named.sort(key=lambda pair: (pair[0] is None, str(pair[0] or "")))
    classes = sorted(total.jobs_by_class)
    return MonthlyReport(start=start, end=end, lines=named, total=total, classes=classes)
