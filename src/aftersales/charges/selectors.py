"""Reads of the charges room for the desk, the portal and other apps: a work order's quote,
invoice and contract usage; the quote waiting for the customer; an invoice with its lines
for printing; revenue by billing class for reports. Each is a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.charges.errors import ChargeError
from aftersales.charges.models import (
    ContractDraw,
    ContractQuota,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    Quote,
    QuoteLine,
    QuoteStatus,
    ServiceContract,
)
from aftersales.charges.pricing import active_price_list, currencies_with_price_list  # noqa: F401 — re-exported
from aftersales.core.errors import Conflict
from aftersales.repairs.models import BillingClass

# ---- the guard repairs calls before parts are fitted ---------------------------------------------

def has_accepted_quote(*, work_order) -> bool:
    return Quote.objects.filter(work_order=work_order, status=QuoteStatus.ACCEPTED).exists()


def require_agreement_for_parts(*, work_order) -> None:
    """Paid (class A) work needs the customer's agreement before parts are fitted: an accepted
    quote. Raises Conflict `quote_not_accepted` otherwise; other classes pass."""
    if work_order.billing_class == BillingClass.A and not has_accepted_quote(work_order=work_order):
        raise Conflict(ChargeError.QUOTE_NOT_ACCEPTED,
                       _("Work order %(number)s is paid work: the customer must accept a quote before parts are "
                         "fitted.") % {"number": work_order.number})


# ---- quotes ---------------------------------------------------------------------------------------

def _with_lines(qs: QuerySet[Quote]) -> QuerySet[Quote]:
    return qs.prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "id")))


def is_expired(quote: Quote, on: date | None = None) -> bool:
    """A sent quote past its valid-until day (before the nightly job marks it expired)."""
    on = on or timezone.localdate()
    return quote.status == QuoteStatus.EXPIRED or (
        quote.status == QuoteStatus.SENT and quote.valid_until is not None and on > quote.valid_until)


def open_quote_for(work_order) -> Quote | None:
    """The quote waiting for the customer's answer on this work order (sent, still valid), with
    its lines prefetched (`quote.lines.all()`), or None. For the portal's repair pages."""
    quote = _with_lines(Quote.objects.filter(work_order=work_order, status=QuoteStatus.SENT)).first()
    if quote is None or is_expired(quote):
        return None
    return quote


def quotes_for_customer(*, customer) -> list[Quote]:
    """Every quote put to the customer (drafts never show), newest first, with the work order."""
    return list(Quote.objects.filter(work_order__customer=customer).exclude(status=QuoteStatus.DRAFT)
                .select_related("work_order").order_by("-created_at", "-id")[:200])


def open_quotes_for_case(*, case) -> list[Quote]:
    """The quotes waiting for the customer's answer on a case's work orders (one query)."""
    today = timezone.localdate()
    return [q for q in Quote.objects.filter(work_order__case=case, status=QuoteStatus.SENT)
            .select_related("work_order").order_by("created_at", "id") if not is_expired(q, today)]


# ---- a work order's charges (the desk's card) -----------------------------------------------------

@dataclass
class QuotaUsage:
    kind: str
    label: str
    included: int
    used: int

    @property
    def left(self) -> int:
        return self.included - self.used


@dataclass
class ContractUsage:
    contract: ServiceContract
    quotas: list[QuotaUsage]
    covers: bool = True  # active and in period on the day asked about


@dataclass
class WorkOrderCharges:
    quote: Quote | None  # the live one (draft, sent, accepted), else the latest
    quote_lines: list[QuoteLine]
    earlier_quotes: list[Quote]
    invoice: Invoice | None  # the live one, else the latest void one
    invoice_lines: list[InvoiceLine]
    payments: list[Payment]
    void_invoices: list[Invoice]
    contracts: list[ContractUsage] = field(default_factory=list)
    draws: list[ContractDraw] = field(default_factory=list)

    @property
    def balance(self) -> Decimal | None:
        if self.invoice is None or self.invoice.status == InvoiceStatus.VOID:
            return None
        return self.invoice.gross_total - self.invoice.paid_total

    @property
    def live_invoice(self) -> Invoice | None:
        return self.invoice if self.invoice is not None and self.invoice.status != InvoiceStatus.VOID else None

    @property
    def quote_withdrawable(self) -> bool:
        """Draft, sent, or accepted and not invoiced (the rule `actions.quote_withdraw` holds)."""
        q = self.quote
        if q is None or q.status not in (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED):
            return False
        return not (q.status == QuoteStatus.ACCEPTED and self.live_invoice is not None
                    and self.live_invoice.quote_id == q.pk)


def _usage(contracts: list[ServiceContract], on: date | None) -> list[ContractUsage]:
    """Quotas with what has been used, for contracts whose quotas and draws are prefetched."""
    from aftersales.charges.models import QuotaKind

    out = []
    for contract in contracts:
        used: dict[str, int] = defaultdict(int)
        for kind, total in getattr(contract, "used_by_kind", []):
            used[kind] += total or 0
        quotas = [QuotaUsage(kind=q.kind, label=str(QuotaKind(q.kind).label) if q.kind in QuotaKind.values else q.kind,
                             included=q.quantity, used=used[q.kind]) for q in contract.quotas.all()]
        covers = contract.is_active and (on is None or contract.period_start <= on <= contract.period_end)
        out.append(ContractUsage(contract=contract, quotas=quotas, covers=covers))
    return out


def _contracts(qs: QuerySet[ServiceContract], on: date | None) -> list[ContractUsage]:
    contracts = list(qs.prefetch_related(Prefetch("quotas", queryset=ContractQuota.objects.order_by("kind")))
                     .order_by("-period_start", "-id"))
    if not contracts:
        return []
    sums = (ContractDraw.objects.filter(contract__in=[c.pk for c in contracts]).values("contract", "kind")
            .annotate(n=Sum("quantity")))
    by_contract: dict[int, list] = defaultdict(list)
    for row in sums:
        by_contract[row["contract"]].append((row["kind"], row["n"]))
    for contract in contracts:
        contract.used_by_kind = by_contract.get(contract.pk, [])
    return _usage(contracts, on)


def contract_usage(*, customer, on: date | None = None) -> list[ContractUsage]:
    """The customer's service contracts with each quota's included / used / left (three
    queries). `on` marks which contracts cover that day; the customer must see what is left."""
    return _contracts(ServiceContract.objects.filter(customer=customer), on)


def work_order_charges(*, work_order) -> WorkOrderCharges:
    """Everything the Charges card shows, in a fixed number of queries whatever the number of
    quotes, lines, payments or draws: 4 for quotes and invoices, and for class B work 4 more
    for the customer's contracts and this work order's draws."""
    from aftersales.charges.support import work_order_day

    quotes = list(_with_lines(Quote.objects.filter(work_order=work_order)).select_related(
        "decided_by", "recorded_by", "sent_by", "created_by").order_by("-created_at", "-id"))
    live = next((q for q in quotes if q.status in (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED)), None)
    current = live or (quotes[0] if quotes else None)
    invoices = list(
        Invoice.objects.filter(work_order=work_order).select_related("issued_by", "voided_by", "quote")
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "id")),
                          Prefetch("payments", queryset=Payment.objects.select_related("received_by")
                                   .order_by("at", "id")))
        .order_by("-issued_at", "-id"))
    invoice = next((i for i in invoices if i.status != InvoiceStatus.VOID), invoices[0] if invoices else None)
    charges = WorkOrderCharges(
        quote=current, quote_lines=list(current.lines.all()) if current else [],
        earlier_quotes=[q for q in quotes if q is not current], invoice=invoice,
        invoice_lines=list(invoice.lines.all()) if invoice else [],
        payments=list(invoice.payments.all()) if invoice else [],
        void_invoices=[i for i in invoices if i.status == InvoiceStatus.VOID and i is not invoice])
    if work_order.billing_class == BillingClass.B:
        charges.contracts = _contracts(ServiceContract.objects.filter(customer_id=work_order.customer_id),
                                       work_order_day(work_order))
        charges.draws = list(ContractDraw.objects.filter(work_order=work_order)
                             .select_related("contract", "actor", "reversal").order_by("at", "id"))
    return charges


# ---- invoices, for printing and for reports -------------------------------------------------------

@dataclass
class InvoiceDetail:
    invoice: Invoice
    lines: list[InvoiceLine]
    payments: list[Payment]

    @property
    def balance(self) -> Decimal:
        return self.invoice.gross_total - self.invoice.paid_total


def invoice_detail(*, invoice_id: int) -> InvoiceDetail | None:
    """An invoice with its work order, customer, lines (in order) and payments — what the
    printable invoice shows. Three queries. No access check: call it after `access_*`."""
    invoice = (Invoice.objects.filter(pk=invoice_id)
               .select_related("work_order", "customer", "quote", "issued_by", "voided_by")
               .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "id")),
                                 Prefetch("payments", queryset=Payment.objects.order_by("at", "id")))
               .first())
    if invoice is None:
        return None
    return InvoiceDetail(invoice=invoice, lines=list(invoice.lines.all()), payments=list(invoice.payments.all()))


def invoices_for_work_order(*, work_order) -> list[Invoice]:
    """All of a work order's invoices, the live one first (void ones after)."""
    rows = list(Invoice.objects.filter(work_order=work_order).order_by("-issued_at", "-id"))
    return sorted(rows, key=lambda i: i.status == InvoiceStatus.VOID)


@dataclass(frozen=True)
class RevenueRow:
    billing_class: str
    currency: str
    invoices: int
    net: Decimal
    tax: Decimal
    gross: Decimal
    paid: Decimal


def revenue_by_billing_class(*, start: datetime, end: datetime, technician=None) -> list[RevenueRow]:
    """Invoiced revenue per (billing class, currency) for invoices issued in [start, end) and
    not void — optionally only work orders sent to `technician`. One query. Only class A is
    ever invoiced; contract work shows in `contract_draws_by_kind`."""
    qs = Invoice.objects.filter(issued_at__gte=start, issued_at__lt=end).exclude(status=InvoiceStatus.VOID)
    if technician is not None:
        qs = qs.filter(work_order__technician=technician)
    rows = (qs.values("billing_class", "currency")
            .annotate(n=Count("id"), net=Sum("net_total"), tax=Sum("tax_total"), gross=Sum("gross_total"),
                      paid=Sum("paid_total"))
            .order_by("billing_class", "currency"))
    return [RevenueRow(billing_class=r["billing_class"], currency=r["currency"], invoices=r["n"], net=r["net"],
                       tax=r["tax"], gross=r["gross"], paid=r["paid"]) for r in rows]


def contract_draws_by_kind(*, start: datetime, end: datetime, technician=None) -> dict[str, int]:
    """Net units drawn from service contracts per quota kind in [start, end) (reversals
    subtract), optionally only work orders sent to `technician`. One query."""
    qs = ContractDraw.objects.filter(at__gte=start, at__lt=end)
    if technician is not None:
        qs = qs.filter(work_order__technician=technician)
    return {r["kind"]: r["n"] for r in qs.values("kind").annotate(n=Sum("quantity")).order_by("kind")
            if r["n"]}


__all__ = [
    "ContractUsage", "InvoiceDetail", "QuotaUsage", "RevenueRow", "WorkOrderCharges", "active_price_list",
    "contract_draws_by_kind", "contract_usage", "currencies_with_price_list", "has_accepted_quote",
    "invoice_detail", "invoices_for_work_order", "is_expired", "open_quote_for", "open_quotes_for_case",
    "quotes_for_customer", "require_agreement_for_parts", "revenue_by_billing_class",
    "work_order_charges",
]


def part_for_quote(*, sku: str):
    """The active part with this SKU (any case), or None."""
    from aftersales.parts.models import Part

    sku = " ".join((sku or "").split())
    if not sku or len(sku) > 64 or "\x00" in sku:
        return None
    return Part.objects.filter(sku__iexact=sku, is_active=True).prefetch_related("names").first()
