"""The printable invoice of a work order, one more kind in the repairs documents' registry
(`repairs.documents`, decision 0022): the same print page and PDF, in the customer's language
and time zone, from the desk and the portal.

The invoice shown is the work order's live one; when every invoice it had was voided, the
latest of them, marked void with its reason. A work order without an invoice has no such
document (a 404), and warranty (C) and internal (D) work is never invoiced
(`actions_invoices.invoice_issue`). Amounts are `Decimal`s to the currency's minor unit
(two places, none for KRW), as `money.py` rounds them.

Registered from `ChargesConfig.ready` by `register()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext_lazy

from aftersales.charges.models import Invoice, InvoiceLine, InvoiceStatus, Payment
from aftersales.charges.money import money
from aftersales.charges.selectors import invoice_detail, invoices_for_work_order
from aftersales.charges.support import places
from aftersales.repairs.documents import KINDS, DocumentKind, register_kind
from aftersales.repairs.models import BillingClass, WorkOrder
from aftersales.repairs.selectors_documents import Unavailable, field_labels

SLUG = "invoice"


@dataclass(frozen=True)
class PrintedLine:
    description: str  # as stored on the invoice (written in the customer's language when quoted)
    quantity: Decimal
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class PrintedPayment:
    method: str  # the method's label (lazy: read in the document's language)
    at: datetime
    amount: Decimal
    reference: str


def invoice_available(work_order: WorkOrder) -> bool:
    """One query: does the work order have an invoice, live or void?"""
    return Invoice.objects.filter(work_order_id=work_order.pk).exists()


def _order(work_order: WorkOrder) -> WorkOrder:
    """The work order with what the parties block shows and the customer's account (time zone)."""
    return (WorkOrder.objects.select_related("case", "customer__user", "unit__product_model")
            .get(pk=work_order.pk))


def _line(line: InvoiceLine, digits: int) -> PrintedLine:
    return PrintedLine(description=line.description, quantity=line.quantity,
                       unit_price=money(line.unit_price, digits), line_total=money(line.line_total, digits))


def _payment(payment: Payment, digits: int) -> PrintedPayment:
    return PrintedPayment(method=payment.get_method_display(), at=payment.at, amount=money(payment.amount, digits),
                          reference=payment.reference)


def invoice_context(work_order: WorkOrder) -> tuple[str, dict[str, Any]]:
    """The invoice: number, issue date, the customer and the work order, the lines with net,
    tax and gross in the invoice's currency, the payments and what is still due, or the void
    mark with its reason. Five queries whatever the number of lines and payments."""
    wo = _order(work_order)
    invoices = invoices_for_work_order(work_order=wo)  # the live one first
    detail = invoice_detail(invoice_id=invoices[0].pk) if invoices else None
    if detail is None:
        raise Unavailable
    invoice = detail.invoice
    digits = places(invoice.currency)
    voided = invoice.status == InvoiceStatus.VOID
    billing = (BillingClass(invoice.billing_class).label if invoice.billing_class in BillingClass.values
               else invoice.billing_class)
    return invoice.number, {
        "wo": wo, "invoice": invoice, "voided": voided, "billing_class": billing,
        "lines": [_line(line, digits) for line in detail.lines],
        "payments": [_payment(payment, digits) for payment in detail.payments],
        "net": money(invoice.net_total, digits), "tax": money(invoice.tax_total, digits),
        "gross": money(invoice.gross_total, digits), "paid": money(invoice.paid_total, digits),
        "balance": None if voided else money(detail.balance, digits),
        "amount_format": f"{digits}g",  # floatformat: the currency's places, grouped the language's way
        "labels": {**field_labels(Invoice, "issued_at", "currency", "voided_at", "void_reason"),
                   **field_labels(InvoiceLine, "description", "quantity", "unit_price", "line_total"),
                   **field_labels(Payment, "method", "reference")},
    }


INVOICE = DocumentKind(slug=SLUG, title=pgettext_lazy("repair document", "Invoice"),
                       template="charges/print/invoice.html",
                       build=invoice_context, available=invoice_available)


def register() -> None:
    """Add the invoice to the documents' registry, once."""
    if not any(kind.slug == SLUG for kind in KINDS):
        register_kind(INVOICE)
