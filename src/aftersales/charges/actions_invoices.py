"""Invoices and payments. Document 001: paid work is collected on the spot or invoiced the
same day. Only class A work is invoiced — the lines of the accepted quote, or, when the
customer declined it, only the visits made; warranty (C) and internal (D) work never, and
contract work (B) draws on the contract instead. At most one live invoice per work order; a
wrong one is voided with a reason (never deleted) and issued again."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.charges import events
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentMethod,
    Quote,
    QuoteStatus,
)
from aftersales.charges.money import totals
from aftersales.charges.support import (
    case_event,
    checked_amount,
    local_day,
    lock_work_order,
    places,
    text,
    user_or_none,
)
from aftersales.core.audit import audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.repairs.models import BillingClass, WorkOrder
from aftersales.repairs.numbering import next_number

INVOICE_AUDITED = ["number", "work_order", "quote", "billing_class", "currency", "tax_rate", "net_total",
                   "tax_total", "gross_total", "paid_total", "status", "void_reason"]


def _lock_invoice(invoice: Invoice) -> Invoice:
    wo = lock_work_order(invoice.work_order)
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    locked.work_order = wo
    return locked


def _quote_to_invoice(wo: WorkOrder) -> tuple[Quote, list]:
    """The quote whose lines are invoiced, and those lines: all of the accepted quote's; or,
    when the customer's last answer was no, only its visit fees."""
    accepted = Quote.objects.filter(work_order=wo, status=QuoteStatus.ACCEPTED).first()
    if accepted is not None:
        return accepted, list(accepted.lines.order_by("position", "id"))
    latest = (Quote.objects.filter(work_order=wo)
              .exclude(status__in=[QuoteStatus.DRAFT, QuoteStatus.WITHDRAWN]).order_by("-created_at", "-id").first())
    if latest is None:
        raise Conflict(ChargeError.QUOTE_NOT_ACCEPTED,
                       _("Paid work is invoiced from the quote the customer accepted; there is none."))
    if latest.status == QuoteStatus.SENT:
        raise Conflict(ChargeError.QUOTE_UNDECIDED, _("The customer has not answered quote %(quote)s yet.")
                       % {"quote": latest.number})
    if latest.status != QuoteStatus.DECLINED:
        raise Conflict(ChargeError.QUOTE_NOT_ACCEPTED, _("Quote %(quote)s is %(status)s; nothing was agreed.")
                       % {"quote": latest.number, "status": latest.get_status_display()})
    visits = list(latest.lines.filter(kind=LineKind.VISIT_FEE).order_by("position", "id"))
    if not visits:
        raise Conflict(ChargeError.NOTHING_TO_INVOICE,
                       _("The customer declined quote %(quote)s and it has no visit fee to invoice.")
                       % {"quote": latest.number})
    return latest, visits


@transaction.atomic
def invoice_issue(*, work_order: WorkOrder, actor, at: datetime | None = None) -> Invoice:
    """Invoice paid (class A) work: the accepted quote's lines, or after a declined quote only
    its visit fees. Refused for classes B, C and D, and while a live invoice exists."""
    at = at or timezone.now()
    wo = lock_work_order(work_order)
    if wo.billing_class in (BillingClass.C, BillingClass.D):
        raise Conflict(ChargeError.NO_INVOICE_FOR_CLASS,
                       _("%(cls)s: warranty and internal work is never invoiced.")
                       % {"cls": wo.get_billing_class_display()})
    if wo.billing_class == BillingClass.B:
        raise Conflict(ChargeError.CONTRACT_WORK,
                       _("Contract work is not invoiced; it draws on the customer's service contract."))
    live = Invoice.objects.filter(work_order=wo).exclude(status=InvoiceStatus.VOID).first()
    if live is not None:
        raise Conflict(ChargeError.INVOICE_EXISTS, _("Work order %(number)s has invoice %(invoice)s already.")
                       % {"number": wo.number, "invoice": live.number})
    quote, lines = _quote_to_invoice(wo)
    result = totals([line.line_total for line in lines], quote.tax_rate, places(quote.currency))
    if result.gross <= 0:
        raise Conflict(ChargeError.NOTHING_TO_INVOICE, _("The lines to invoice come to nothing."))
    invoice = Invoice.objects.create(
        number=next_number("INV", local_day(at).year), work_order=wo, quote=quote, customer=wo.customer,
        billing_class=wo.billing_class, currency=quote.currency, language=quote.language, tax_rate=quote.tax_rate,
        net_total=result.net, tax_total=result.tax, gross_total=result.gross, issued_by=user_or_none(actor),
        issued_at=at)
    InvoiceLine.objects.bulk_create([
        InvoiceLine(invoice=invoice, position=i, kind=line.kind, description=line.description, part=line.part,
                    quantity=line.quantity, unit_price=line.unit_price, line_total=line.line_total, quote_line=line)
        for i, line in enumerate(lines, start=1)])
    case_event(wo, events.INVOICE_ISSUED, actor, {"invoice": invoice.number, "invoice_id": invoice.pk,
                                                  "currency": invoice.currency, "gross": str(invoice.gross_total)}, at)
    audit_record(actor=actor, obj=invoice, action="invoice.issued",
                 after={**snapshot(invoice, INVOICE_AUDITED), "lines": len(lines)})
    return invoice


@transaction.atomic
def invoice_void(*, invoice: Invoice, reason: str, actor, at: datetime | None = None) -> Invoice:
    """Cancel an invoice (a supervisor, with a reason). It stays, marked void; a new one can be
    issued. An invoice with payments on it is not voided here."""
    require(actor, Op.REPAIR_INSPECT)
    at = at or timezone.now()
    invoice = _lock_invoice(invoice)
    reason = text(reason, 500, _("The reason"))
    if not reason:
        raise ValidationFailed(ChargeError.REASON_REQUIRED, _("Say why the invoice is voided."))
    if invoice.status == InvoiceStatus.VOID:
        raise Conflict(ChargeError.INVOICE_VOID, _("Invoice %(invoice)s is void already.")
                       % {"invoice": invoice.number})
    if invoice.payments.exists():
        raise Conflict(ChargeError.INVOICE_HAS_PAYMENTS,
                       _("Invoice %(invoice)s has payments recorded; it cannot be voided.")
                       % {"invoice": invoice.number})
    before = snapshot(invoice, INVOICE_AUDITED)
    invoice.status, invoice.voided_at, invoice.voided_by = InvoiceStatus.VOID, at, user_or_none(actor)
    invoice.void_reason = reason
    invoice.save(update_fields=["status", "voided_at", "voided_by", "void_reason"])
    case_event(invoice.work_order, events.INVOICE_VOIDED, actor,
               {"invoice": invoice.number, "invoice_id": invoice.pk, "reason": reason}, at)
    audit_record(actor=actor, obj=invoice, action="invoice.voided", before=before,
                 after=snapshot(invoice, INVOICE_AUDITED))
    return invoice


def status_for(paid: Decimal, gross: Decimal) -> str:
    if paid <= 0:
        return InvoiceStatus.UNPAID
    return InvoiceStatus.PAID if paid >= gross else InvoiceStatus.PARTLY_PAID


@transaction.atomic
def payment_record(*, invoice: Invoice, method: str, amount: Decimal, actor, reference: str = "",
                   at: datetime | None = None) -> Payment:
    """Money received against an invoice: cash on the spot, a bank transfer or a card. More
    than the balance is refused; the invoice becomes partly paid or paid."""
    at = at or timezone.now()
    invoice = _lock_invoice(invoice)
    if method not in PaymentMethod.values:
        raise ValidationFailed(ChargeError.PAYMENT_METHOD_INVALID, _("Choose cash, bank transfer or card."))
    amount = checked_amount(amount, invoice.currency)
    reference = text(reference, 100, _("The reference"))
    if invoice.status == InvoiceStatus.VOID:
        raise Conflict(ChargeError.INVOICE_VOID, _("Invoice %(invoice)s is void.") % {"invoice": invoice.number})
    balance = invoice.gross_total - invoice.paid_total
    if amount > balance:
        raise Conflict(ChargeError.PAYMENT_EXCEEDS_BALANCE,
                       _("Only %(currency)s %(balance)s is still owed on invoice %(invoice)s.")
                       % {"currency": invoice.currency, "balance": balance, "invoice": invoice.number})
    payment = Payment.objects.create(invoice=invoice, method=method, amount=amount, reference=reference,
                                     received_by=user_or_none(actor), at=at)
    before = snapshot(invoice, INVOICE_AUDITED)
    invoice.paid_total += amount
    invoice.status = status_for(invoice.paid_total, invoice.gross_total)
    invoice.save(update_fields=["paid_total", "status"])
    case_event(invoice.work_order, events.PAYMENT, actor, {
        "invoice": invoice.number, "invoice_id": invoice.pk, "currency": invoice.currency, "amount": str(amount),
        "method": method, "balance": str(invoice.gross_total - invoice.paid_total)}, at)
    audit_record(actor=actor, obj=payment, action="payment.recorded", after={
        "invoice": invoice.number, "method": method, "amount": amount, "reference": reference})
    audit_record(actor=actor, obj=invoice, action="invoice.paid_amount_changed", before=before,
                 after=snapshot(invoice, INVOICE_AUDITED))
    return payment
