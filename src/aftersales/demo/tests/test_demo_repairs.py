"""The demo's repair work (`demo/repairs.py`): work orders in every state made through the
actions, their money (quotes, invoices, payments, a contract draw), the parts they took, the
custody register, today's appointments, the inspection queue, the technicians' report and the
customer's portal. The demo is loaded once for the module and rolled back after it."""

from __future__ import annotations

import io
import zoneinfo
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from aftersales.accounts.models import User
from aftersales.cases.models import Case, CaseEntry
from aftersales.charges.models import (
    ContractDraw,
    ContractQuota,
    Invoice,
    InvoiceStatus,
    LineKind,
    Payment,
    PriceList,
    Quote,
    QuoteStatus,
)
from aftersales.charges.selectors import open_quote_for
from aftersales.core.models import AuditEntry
from aftersales.demo import build
from aftersales.demo.repairs import pen_signature
from aftersales.desk.selectors_repairs import dispatch_board, jobs_for, register_with_totals
from aftersales.desk.selectors_work import inspection_queue
from aftersales.parts.models import Part, StockLocation
from aftersales.parts.selectors import parts_below_minimum
from aftersales.parts.tests.support import ledger_matches_levels
from aftersales.repairs import workflow
from aftersales.repairs.actions_work import signature_png
from aftersales.repairs.models import Appointment, IntakeReceipt, WorkOrder
from aftersales.repairs.models_work import RepairCard, Visit
from aftersales.repairs.selectors_report import jobs_completed, technician_monthly_report

pytestmark = pytest.mark.django_db
STATUSES = {"registered", "dispatched", "in_progress", "inspecting", "ready", "completed", "archived"}
TECHNICIANS = {"technician": "Asia/Taipei", "technician.ko": "Asia/Seoul"}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The realistic demo, loaded once (about 20 s) inside a transaction undone at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        result = build.load_demo()
        yield result
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def staff(username: str) -> User:
    return User.objects.get(username=username)


def login_customers() -> set[str]:
    return {raw["username"] for raw in build.C.load().people["login_customer"]}


def test_the_demo_has_work_orders_in_every_state_over_the_last_two_months(demo):
    assert demo.loaded
    orders = WorkOrder.objects.all()
    assert 20 <= orders.count() <= 30
    assert STATUSES <= set(orders.values_list("status", flat=True))
    assert set(orders.values_list("billing_class", flat=True)) == {"A", "B", "C"}
    assert set(orders.values_list("kind", flat=True)) >= {"on_site", "carry_in"}
    now = timezone.now()
    oldest = orders.order_by("created_at").first().created_at
    assert now - timedelta(days=75) < oldest < now - timedelta(days=40)
    # numbers follow the calendar, as they do when the work happens day by day
    numbers = list(orders.order_by("created_at", "id").values_list("number", flat=True))
    assert numbers == sorted(numbers)
    # most belong to the demo's repair cases; the rest were phoned in
    with_case = orders.filter(case__isnull=False)
    assert with_case.count() >= 5 and set(with_case.values_list("case__type", flat=True)) <= {"repair", "maintenance"}
    for wo in orders.select_related("unit__order_line__purchase", "case"):
        assert wo.contact_name and wo.problem and wo.phone and wo.address
        if wo.case is not None:
            assert wo.case.customer_id == wo.customer_id and wo.case.unit_id == wo.unit_id
        assert wo.unit is not None and wo.unit.customer_id == wo.customer_id
        assert wo.unit.order_line.purchase.signed_at < wo.created_at  # bought before it broke
    # the classes follow the work: a warranty or contract job is never invoiced, paid work is quoted
    assert not Invoice.objects.filter(work_order__billing_class__in=["B", "C"]).exists()
    for wo in orders.filter(billing_class="A", status__in=["completed", "archived"]):
        assert Quote.objects.filter(work_order=wo, status__in=["accepted", "declined"]).exists(), wo.number


def test_nothing_happened_in_the_future_except_appointments(demo):
    now = timezone.now()
    assert not WorkOrder.objects.filter(created_at__gt=now).exists()
    assert not WorkOrder.objects.filter(updated_at__gt=now).exists()
    assert not Visit.objects.filter(arrived_at__gt=now).exists()
    assert not RepairCard.objects.filter(opened_at__gt=now).exists()
    assert not Appointment.objects.filter(created_at__gt=now).exists()
    assert not CaseEntry.objects.filter(created_at__gt=now).exists()
    assert not Payment.objects.filter(at__gt=now).exists()
    assert WorkOrder.objects.filter(window_start__gt=now).exists()  # today's (or tomorrow's) appointments


def test_money_quotes_invoices_payments_and_the_contract(demo):
    assert set(PriceList.objects.values_list("currency", flat=True)) == {"CNY", "TWD", "KRW"}
    paid = Invoice.objects.filter(status=InvoiceStatus.PAID)
    assert paid.exists()
    for invoice in paid:
        assert invoice.paid_total == invoice.gross_total == sum(p.amount for p in invoice.payments.all())
        assert invoice.gross_total == invoice.quote.gross_total or invoice.quote.status == QuoteStatus.DECLINED
    assert {"cash", "bank_transfer"} <= set(Payment.objects.values_list("method", flat=True))
    assert len(set(paid.values_list("currency", flat=True))) >= 2

    declined = Quote.objects.get(status=QuoteStatus.DECLINED)
    visit_fee = Invoice.objects.get(quote=declined)
    assert [line.kind for line in visit_fee.lines.all()] == [LineKind.VISIT_FEE]
    assert visit_fee.status == InvoiceStatus.PAID

    waiting = Quote.objects.filter(status=QuoteStatus.SENT).select_related("work_order__customer__user")
    assert waiting.count() == 1
    quote = waiting.get()
    assert quote.work_order.customer.user.username in login_customers()
    assert open_quote_for(quote.work_order) == quote  # still valid: the customer can answer it
    assert quote.work_order.status == workflow.IN_PROGRESS

    draws = ContractDraw.objects.select_related("contract", "work_order")
    assert draws.exists()
    for draw in draws:
        assert draw.work_order.billing_class == "B" and draw.work_order.customer_id == draw.contract.customer_id
        quota = ContractQuota.objects.get(contract=draw.contract, kind=draw.kind)
        assert 0 < draw.quantity <= quota.quantity


def test_the_custody_register_of_the_last_sixty_days_reconciles(demo):
    now = timezone.now()
    items, totals = register_with_totals(start=now - timedelta(days=60), end=now)
    assert totals.adds_up and totals.received >= 5 and totals.handed_back >= 3 and totals.still_held >= 3
    for item in items:
        wo, receipt = item.receipt.work_order, item.receipt
        assert item.handed_back == (receipt.voided_at is not None) == bool(receipt.voided_signature), receipt.number
        if item.handed_back:
            assert wo.status in (workflow.COMPLETED, workflow.ARCHIVED) and receipt.voided_signed_by
        else:
            assert wo.status in workflow.OPEN
        entries = list(receipt.entries.order_by("at", "id"))
        assert entries[0].move == "received" and entries[0].at == receipt.created_at
        own = [e for e in entries if e.move not in workflow.SIDE_ENTRIES]
        assert item.location == own[-1].location
    moves = Counter(IntakeReceipt.objects.values_list("entries__move", flat=True))
    assert moves["sent_to_vendor"] >= 2 and moves["loaner_issued"] == 1 and moves["returned_to_shop"] >= 4
    assert any(not i.handed_back and i.entries and i.entries[-1].move == "sent_to_vendor" for i in items)


def test_today_both_technicians_have_appointments_on_the_board(demo):
    now = timezone.now()
    for username, zone_name in TECHNICIANS.items():
        zone = zoneinfo.ZoneInfo(zone_name)
        jobs = jobs_for(technician=staff(username), day=timezone.localdate(now, zone), zone=zone)
        assert jobs, username
        assert {wo.status for wo in jobs} == {workflow.DISPATCHED}
    taipei = zoneinfo.ZoneInfo("Asia/Taipei")
    board = dispatch_board(user=staff("supervisor"), day=timezone.localdate(now, taipei), zone=taipei)
    busy = {column.technician.username for column in board.columns if column.work_orders}
    assert {"technician"} <= busy
    assert [wo.status for wo in board.unscheduled] == [workflow.REGISTERED]
    # one of today's visits is a second one: the first ended unfinished, the part is set aside
    revisits = [wo for wo in WorkOrder.objects.filter(status=workflow.DISPATCHED) if wo.appointments.count() == 2]
    assert revisits and all(wo.visits.get().outcome == "failed" for wo in revisits)


def test_the_inspection_queue_and_a_repair_sent_back_then_passed(demo):
    queue = inspection_queue(user=staff("supervisor"))
    assert queue.total >= 2
    assert all(row.card.closed_at is not None for row in queue.rows)
    ready = WorkOrder.objects.get(status=workflow.READY)
    outcomes = list(ready.repair_card.inspections.order_by("at", "id").values_list("outcome", flat=True))
    assert outcomes == ["sent_back", "passed"]
    receipt = ready.receipt
    assert receipt.voided_at is None and receipt.entries.order_by("at", "id").last().move == "returned_to_shop"


def test_the_technicians_report_of_last_month_has_their_jobs(demo):
    taipei = zoneinfo.ZoneInfo("Asia/Taipei")
    today = timezone.localdate(timezone.now(), taipei)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    report = technician_monthly_report(month=last_month, zone=taipei)
    assert report.total.jobs >= 2
    assert {person.username for person, _line in report.lines if person} <= set(TECHNICIANS)
    now = timezone.now()
    jobs = jobs_completed(start=now - timedelta(days=60), end=now)
    assert len(jobs) >= 10 and {job.technician_id for job in jobs} == {staff(t).pk for t in TECHNICIANS}
    assert sum(job.labour_minutes for job in jobs) > 0 and any(job.revenue for job in jobs)


def test_repeat_repairs_and_no_fault_found(demo):
    repeat = RepairCard.objects.select_related("work_order", "repeat_of__work_order").get(repeat_of__isnull=False)
    first = repeat.repeat_of
    assert repeat.work_order.unit_id == first.work_order.unit_id
    assert timedelta(0) < repeat.work_order.created_at - first.closed_at < timedelta(days=90)
    assert RepairCard.objects.filter(result="no_fault_found", closed_at__isnull=False).exists()


def test_stock_levels_reconcile_with_the_movements(demo):
    ledger_matches_levels()
    assert Part.objects.count() >= 8
    for part in Part.objects.prefetch_related("names", "compatible_models"):
        assert {n.language for n in part.names.all()} == {"en", "zh-hant", "zh-hans", "ko"}
        assert part.compatible_models.exists()
    kinds = set(StockLocation.objects.values_list("kind", flat=True))
    assert kinds == {"warehouse", "technician_van"}
    below = list(parts_below_minimum())
    assert len(below) == 1 and below[0].location.code == "main"
    waiting = WorkOrder.objects.filter(status=workflow.WAITING_PARTS)
    assert waiting.exists()


def test_every_work_order_is_on_its_case_timeline_and_in_the_audit_log(demo):
    opened = set(CaseEntry.objects.filter(event="work_order_opened").values_list("data__number", flat=True))
    audited = set(AuditEntry.objects.filter(action="work_order.opened").values_list("object_id", flat=True))
    for wo in WorkOrder.objects.all():
        assert str(wo.pk) in audited, wo.number
        if wo.case_id is not None:
            assert wo.number in opened, wo.number
    moves = Counter(CaseEntry.objects.filter(event="work_order_status").values_list("data__number", flat=True))
    audited_moves = Counter(AuditEntry.objects.filter(action="work_order.status_changed")
                            .values_list("object_id", flat=True))
    dispatched = Counter(AuditEntry.objects.filter(action="work_order.dispatched").values_list("object_id", flat=True))
    for wo in WorkOrder.objects.exclude(status=workflow.REGISTERED):
        assert audited_moves[str(wo.pk)] + dispatched[str(wo.pk)] >= 1, wo.number
        if wo.case_id is not None:
            assert moves[wo.number] == audited_moves[str(wo.pk)], wo.number
    # the cases the work belongs to still read in order, their last activity no later than their clock
    for case in Case.objects.filter(work_orders__isnull=False).distinct().prefetch_related("entries"):
        times = [e.created_at for e in case.entries.all()]
        activity = [e.created_at for e in case.entries.all() if not e.event.startswith("sla_")]
        assert times == sorted(times) and times[0] == case.created_at and case.updated_at >= activity[-1]


def test_a_customer_with_a_login_follows_the_repair_in_the_portal(demo, client):
    quote = Quote.objects.select_related("work_order__customer__user").get(status=QuoteStatus.SENT)
    user = quote.work_order.customer.user
    client.force_login(user)
    listing = client.get("/repairs/")
    assert listing.status_code == 200 and quote.work_order.number in listing.content.decode()
    page = client.get(f"/repairs/{quote.work_order.pk}/")
    assert page.status_code == 200 and reverse("portal:quote", args=[quote.pk]) in page.content.decode()
    answer = client.get(reverse("portal:quote", args=[quote.pk]))
    assert answer.status_code == 200 and quote.number in answer.content.decode()
    pdf = client.get(f"/repairs/{quote.work_order.pk}/documents/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF-")


def test_signatures_are_drawn_pen_strokes(demo):
    import random

    png = pen_signature(random.Random(1))
    assert signature_png(png) == png  # the same check the hand-back and the visit sign-off make
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    inked = [(x, y) for x in range(image.width) for y in range(image.height) if image.getpixel((x, y))[3] > 128]
    columns = {x for x, _ in inked}
    assert len(inked) > 300 and max(columns) - min(columns) > image.width // 3
    stored = Visit.objects.exclude(signature="").first()
    assert stored is not None and stored.signature.name.endswith(".png")


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (WorkOrder.objects.count(), Invoice.objects.count(), AuditEntry.objects.count())
    again = build.load_demo()
    assert not again.loaded
    assert (WorkOrder.objects.count(), Invoice.objects.count(), AuditEntry.objects.count()) == counts

