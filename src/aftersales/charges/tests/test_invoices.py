"""Invoices and payments through the actions: class A with an accepted quote invoices its
lines; after a declined quote only the visit fee; classes B, C and D are refused with their
codes; one live invoice per work order; void with a reason (never deleted); payments up to
the balance, the status following them; the selectors for printing and revenue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from aftersales.charges.actions import (
    quote_accept,
    quote_add_line,
    quote_build_from_work,
    quote_decline,
    quote_send,
    quote_withdraw,
)
from aftersales.charges.actions_invoices import invoice_issue, invoice_void, payment_record
from aftersales.charges.models import Invoice, InvoiceStatus, NeverDeleted, Payment
from aftersales.charges.selectors import (
    contract_draws_by_kind,
    invoice_detail,
    invoices_for_work_order,
    revenue_by_billing_class,
    work_order_charges,
)
from aftersales.charges.tests.support import at, audited, events_of, price_list, staff, work_order, worked
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.repairs.actions import work_order_set_billing_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return staff()


@pytest.fixture(autouse=True)
def pl():
    return price_list()


def quoted(wo, tech, *, answer: str = "accept", other: str = "100.00"):
    """A sent quote: the work (1.5 h labour, 1 visit) and one other line; answered."""
    quote = quote_build_from_work(work_order=wo, actor=tech, at=at("2026-03-03 11:00"))
    quote_add_line(quote=quote, kind="other", quantity=1, unit_price=Decimal(other), description="Pump", actor=tech)
    quote_send(quote=quote, actor=tech, at=at("2026-03-03 11:01"))
    if answer == "accept":
        quote_accept(quote=quote, actor=tech, channel="on_site", name="Chen", at=at("2026-03-03 11:02"))
    elif answer == "decline":
        quote_decline(quote=quote, actor=tech, channel="on_site", name="Chen", reason="later",
                      at=at("2026-03-03 11:02"))
    quote.refresh_from_db()
    return quote


@pytest.fixture
def paid_work(people):
    supervisor, tech = people
    wo = work_order(billing_class="A", actor=supervisor)
    worked(wo, tech=tech, actor=supervisor, minutes=90)
    return wo


def test_class_a_with_an_accepted_quote_invoices_its_lines(people, paid_work):
    supervisor, tech = people
    quote = quoted(paid_work, tech)
    invoice = invoice_issue(work_order=paid_work, actor=tech, at=at("2026-03-03 12:00"))
    assert invoice.number == "INV-2026-000001"
    assert (invoice.quote, invoice.customer, invoice.billing_class, invoice.currency, invoice.status) == (
        quote, paid_work.customer, "A", "CNY", "unpaid")
    # labour 180.00 + visit 20.00 + pump 100.00 = 300.00; 13 % = 39.00
    assert (invoice.net_total, invoice.tax_total, invoice.gross_total, invoice.paid_total) == (
        Decimal("300.00"), Decimal("39.00"), Decimal("339.00"), Decimal("0"))
    detail = invoice_detail(invoice_id=invoice.pk)
    assert [(ln.kind, ln.line_total) for ln in detail.lines] == [
        ("labour", Decimal("180.00")), ("visit_fee", Decimal("20.00")), ("other", Decimal("100.00"))]
    assert detail.balance == Decimal("339.00") and detail.payments == []
    assert events_of(paid_work)[-1] == "invoice_issued" and audited()[-1] == "invoice.issued"
    assert paid_work.case.entries.get(event="invoice_issued").is_public


def test_after_a_declined_quote_only_the_visit_fee_is_invoiced(people, paid_work):
    supervisor, tech = people
    quoted(paid_work, tech, answer="decline")
    invoice = invoice_issue(work_order=paid_work, actor=tech)
    assert [(ln.kind, ln.quantity, ln.line_total) for ln in invoice.lines.all()] == [
        ("visit_fee", Decimal("1.00"), Decimal("20.00"))]
    assert (invoice.net_total, invoice.tax_total, invoice.gross_total) == (
        Decimal("20.00"), Decimal("2.60"), Decimal("22.60"))


def test_a_declined_quote_without_visits_has_nothing_to_invoice(people):
    supervisor, tech = people
    wo = work_order(kind="carry_in", actor=supervisor)
    quoted(wo, tech, answer="decline")
    with pytest.raises(Conflict) as exc:
        invoice_issue(work_order=wo, actor=tech)
    assert exc.value.code == "nothing_to_invoice"


@pytest.mark.parametrize(("billing_class", "code"), [
    ("C", "no_invoice_for_warranty_or_internal_work"),
    ("D", "no_invoice_for_warranty_or_internal_work"),
    ("B", "contract_work_not_invoiced"),
])
def test_classes_b_c_and_d_are_never_invoiced(people, billing_class, code):
    supervisor, tech = people
    wo = work_order(billing_class="A", actor=supervisor)
    quoted(wo, tech)  # even with an accepted quote from when it was paid work
    work_order_set_billing_class(work_order=wo, billing_class=billing_class, reason="covered after all",
                                 actor=supervisor)
    with pytest.raises(Conflict) as exc:
        invoice_issue(work_order=wo, actor=tech)
    assert exc.value.code == code
    assert Invoice.objects.count() == 0


def test_paid_work_needs_an_answered_quote(people, paid_work):
    supervisor, tech = people
    with pytest.raises(Conflict) as exc:
        invoice_issue(work_order=paid_work, actor=tech)
    assert exc.value.code == "quote_not_accepted"
    quote = quoted(paid_work, tech, answer="")
    with pytest.raises(Conflict) as exc:
        invoice_issue(work_order=paid_work, actor=tech)
    assert exc.value.code == "quote_undecided"
    quote_withdraw(quote=quote, actor=tech)
    with pytest.raises(Conflict) as exc:
        invoice_issue(work_order=paid_work, actor=tech)
    assert exc.value.code == "quote_not_accepted"
    assert Invoice.objects.count() == 0


def test_one_live_invoice_per_work_order_and_a_void_one_can_be_replaced(people, paid_work):
    supervisor, tech = people
    quote = quoted(paid_work, tech)
    first = invoice_issue(work_order=paid_work, actor=tech)
    with pytest.raises(Conflict) as exc:
        invoice_issue(work_order=paid_work, actor=tech)
    assert exc.value.code == "invoice_exists"
    with pytest.raises(Conflict) as exc:  # an invoiced quote is not withdrawn or revised
        quote_withdraw(quote=quote, actor=tech)
    assert exc.value.code == "invoice_exists"
    with pytest.raises(Conflict):
        quote_build_from_work(work_order=paid_work, actor=tech)
    with pytest.raises(PermissionDenied):  # voiding is for supervisors
        invoice_void(invoice=first, reason="typo", actor=tech)
    with pytest.raises(ValidationFailed) as exc:
        invoice_void(invoice=first, reason="  ", actor=supervisor)
    assert exc.value.code == "reason_required"
    invoice_void(invoice=first, reason="Wrong customer name", actor=supervisor)
    first.refresh_from_db()
    assert (first.status, first.void_reason, first.voided_by) == ("void", "Wrong customer name", supervisor)
    with pytest.raises(Conflict) as exc:
        invoice_void(invoice=first, reason="again", actor=supervisor)
    assert exc.value.code == "invoice_void"
    second = invoice_issue(work_order=paid_work, actor=tech)
    assert second.number == "INV-2026-000002" and second.gross_total == first.gross_total
    assert invoices_for_work_order(work_order=paid_work) == [second, first]
    with pytest.raises(NeverDeleted):
        first.delete()
    assert events_of(paid_work).count("invoice_voided") == 1 and "invoice.voided" in audited()


def test_the_database_holds_one_live_invoice_too(people, paid_work):
    supervisor, tech = people
    quoted(paid_work, tech)
    first = invoice_issue(work_order=paid_work, actor=tech)
    clone = Invoice(number="INV-X", work_order=paid_work, quote=first.quote, customer=first.customer,
                    billing_class="A", currency="CNY", language="en", tax_rate=0, net_total=1, tax_total=0,
                    gross_total=1, issued_at=first.issued_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_payments_up_to_the_balance_and_the_status_follows(people, paid_work):
    supervisor, tech = people
    quoted(paid_work, tech)
    invoice = invoice_issue(work_order=paid_work, actor=tech)  # 339.00
    payment_record(invoice=invoice, method="cash", amount=Decimal("100.00"), reference="R-1", actor=tech,
                   at=at("2026-03-03 12:05"))
    invoice.refresh_from_db()
    assert (invoice.paid_total, invoice.status) == (Decimal("100.00"), "partly_paid")
    with pytest.raises(Conflict) as exc:
        payment_record(invoice=invoice, method="card", amount=Decimal("239.01"), actor=tech)
    assert exc.value.code == "payment_exceeds_balance" and "239.00" in str(exc.value.detail)
    for bad in (Decimal("0"), Decimal("-5"), Decimal("0.001"), Decimal("1e20"), Decimal("NaN"), 1.5, "10", True):
        with pytest.raises(ValidationFailed) as exc:
            payment_record(invoice=invoice, method="cash", amount=bad, actor=tech)
        assert exc.value.code == "amount_invalid", bad
    with pytest.raises(ValidationFailed) as exc:
        payment_record(invoice=invoice, method="bitcoin", amount=Decimal("1"), actor=tech)
    assert exc.value.code == "payment_method_invalid"
    with pytest.raises(ValidationFailed):
        payment_record(invoice=invoice, method="cash", amount=Decimal("1"), reference="R\x00", actor=tech)
    payment_record(invoice=invoice, method="bank_transfer", amount=Decimal("239.00"), reference="TX-9", actor=tech,
                   at=at("2026-03-04 09:00"))
    invoice.refresh_from_db()
    assert (invoice.paid_total, invoice.status) == (Decimal("339.00"), "paid")
    with pytest.raises(Conflict) as exc:
        payment_record(invoice=invoice, method="cash", amount=Decimal("0.01"), actor=tech)
    assert exc.value.code == "payment_exceeds_balance"
    assert list(Payment.objects.order_by("at").values_list("method", "amount", "reference")) == [
        ("cash", Decimal("100.00"), "R-1"), ("bank_transfer", Decimal("239.00"), "TX-9")]
    with pytest.raises(Conflict) as exc:  # paid: not voided here
        invoice_void(invoice=invoice, reason="x", actor=supervisor)
    assert exc.value.code == "invoice_has_payments"
    assert events_of(paid_work).count("payment_recorded") == 2
    assert audited().count("payment.recorded") == 2
    charges = work_order_charges(work_order=paid_work)
    assert charges.balance == Decimal("0.00") and len(charges.payments) == 2


def test_a_void_invoice_takes_no_payment(people, paid_work):
    supervisor, tech = people
    quoted(paid_work, tech)
    invoice = invoice_void(invoice=invoice_issue(work_order=paid_work, actor=tech), reason="x", actor=supervisor)
    with pytest.raises(Conflict) as exc:
        payment_record(invoice=invoice, method="cash", amount=Decimal("1.00"), actor=tech)
    assert exc.value.code == "invoice_void"


def test_krw_has_no_minor_unit(people):
    supervisor, tech = people
    price_list(currency="KRW", tax="10.00", labour="30000", visit="15005")
    wo = work_order(kind="carry_in", actor=supervisor)
    quote = quote_build_from_work(work_order=wo, actor=tech, currency="KRW")
    quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=tech)
    quote.refresh_from_db()
    assert (quote.net_total, quote.tax_total, quote.gross_total) == (
        Decimal("15005"), Decimal("1501"), Decimal("16506"))  # 1500.5 → 1501, half up
    quote_send(quote=quote, actor=tech)
    quote_accept(quote=quote, actor=tech, channel="on_site", name="Kim")
    invoice = invoice_issue(work_order=wo, actor=tech)
    with pytest.raises(ValidationFailed):
        payment_record(invoice=invoice, method="cash", amount=Decimal("0.50"), actor=tech)
    payment_record(invoice=invoice, method="cash", amount=16506, actor=tech)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_revenue_by_billing_class_counts_live_invoices_in_the_range(people):
    supervisor, tech = people
    first = work_order(actor=supervisor)
    first.technician = tech
    first.save(update_fields=["technician"])
    quoted(first, tech, other="100.00")
    kept = invoice_issue(work_order=first, actor=tech, at=at("2026-03-10 10:00"))
    payment_record(invoice=kept, method="cash", amount=Decimal("50.00"), actor=tech)
    second = work_order(actor=supervisor)
    quoted(second, tech, other="10.00")
    voided = invoice_issue(work_order=second, actor=tech, at=at("2026-03-11 10:00"))
    invoice_void(invoice=voided, reason="x", actor=supervisor)
    third = work_order(actor=supervisor)
    quoted(third, tech, other="10.00")
    invoice_issue(work_order=third, actor=tech, at=at("2026-04-01 10:00"))  # next month

    rows = revenue_by_billing_class(start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00"))
    assert [(r.billing_class, r.currency, r.invoices, r.net, r.tax, r.gross, r.paid) for r in rows] == [
        ("A", "CNY", 1, Decimal("100.00"), Decimal("13.00"), Decimal("113.00"), Decimal("50.00"))]
    assert revenue_by_billing_class(start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00"),
                                    technician=supervisor) == []
    assert len(revenue_by_billing_class(start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00"),
                                        technician=tech)) == 1
    assert contract_draws_by_kind(start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00") + timedelta(0)) == {}
