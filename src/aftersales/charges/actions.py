"""Every write to a quote. Paid (class A) work is quoted before it is done; the customer
accepts or declines in the portal or on the spot. Each action locks the work order (then the
quote), checks, writes in one transaction, puts the step on the case timeline (when the work
order has a case) and audits it.

    quote_build_from_work → quote_add_line / quote_remove_line (draft only) → quote_send
    → quote_accept | quote_decline | quote_withdraw | (quote_expire_due: past valid-until)

A sent quote is never edited: building again withdraws it and makes a new one that
`replaces` it. Invoices are in `actions_invoices.py`, contracts in `actions_contracts.py`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.permissions import Op, can
from aftersales.catalog.models import Currency
from aftersales.charges import events, pricing
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import (
    LIVE_QUOTE,
    DecisionChannel,
    InvoiceStatus,
    LineKind,
    Quote,
    QuoteLine,
    QuoteStatus,
)
from aftersales.charges.money import MAX_AMOUNT, MAX_QUANTITY, fits_places, line_total, totals
from aftersales.charges.support import (
    case_event,
    local_day,
    lock_work_order,
    places,
    text,
    user_or_none,
)
from aftersales.core.audit import audit_record, snapshot
from aftersales.core.errors import Conflict, ErrorCode, PermissionDenied, ValidationFailed
from aftersales.repairs import workflow
from aftersales.repairs.models import BillingClass, WorkOrder
from aftersales.repairs.numbering import next_number

DEFAULT_CURRENCY = "CNY"
DEFAULT_VALID_DAYS = 14
MAX_VALID_DAYS = 90
MAX_LINES = 100
QUOTE_AUDITED = ["status", "currency", "tax_rate", "net_total", "tax_total", "gross_total", "valid_until",
                 "decision_channel", "decided_by", "decided_by_name", "recorded_by", "decline_reason",
                 "withdraw_reason", "replaces"]


def _lock_quote(quote: Quote) -> Quote:
    """The work order first, then the quote: the order every charges action locks in."""
    wo = lock_work_order(quote.work_order)
    locked = Quote.objects.select_for_update().get(pk=quote.pk)
    locked.work_order = wo
    return locked


def _require_open_work_order(wo: WorkOrder) -> None:
    if wo.status not in workflow.OPEN:
        raise Conflict(ChargeError.WORK_ORDER_CLOSED, _("Work order %(number)s is %(status)s; nothing new is quoted.")
                       % {"number": wo.number, "status": wo.get_status_display()})


def _require_draft(quote: Quote) -> None:
    if quote.status != QuoteStatus.DRAFT:
        raise Conflict(ChargeError.QUOTE_NOT_DRAFT,
                       _("Quote %(quote)s has been sent; make a new quote to change it.") % {"quote": quote.number})


def _recompute(quote: Quote) -> None:
    result = totals(quote.lines.values_list("line_total", flat=True), quote.tax_rate, places(quote.currency))
    quote.net_total, quote.tax_total, quote.gross_total = result.net, result.tax, result.gross
    quote.save(update_fields=["net_total", "tax_total", "gross_total"])


def _event_data(quote: Quote) -> dict:
    return {"quote": quote.number, "quote_id": quote.pk, "currency": quote.currency, "gross": str(quote.gross_total)}


def _has_live_invoice(quote: Quote) -> bool:
    return quote.invoices.exclude(status=InvoiceStatus.VOID).exists()


def _withdraw(quote: Quote, *, actor, reason: str, at: datetime, replaced_by: str = "") -> None:
    was_sent = quote.status != QuoteStatus.DRAFT
    before = snapshot(quote, QUOTE_AUDITED)
    quote.status, quote.withdrawn_at, quote.withdrawn_by = QuoteStatus.WITHDRAWN, at, user_or_none(actor)
    quote.withdraw_reason = reason
    quote.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
    if was_sent:  # the customer saw it; a draft never reached them
        case_event(quote.work_order, events.QUOTE_WITHDRAWN, actor,
                   {**_event_data(quote), "reason": reason, "replaced_by": replaced_by}, at)
    audit_record(actor=actor, obj=quote, action="quote.withdrawn", before=before,
                 after={**snapshot(quote, QUOTE_AUDITED), "replaced_by": replaced_by})


def _check_withdrawable(quote: Quote) -> None:
    if quote.status not in LIVE_QUOTE:
        raise Conflict(ChargeError.QUOTE_NOT_WITHDRAWABLE, _("Quote %(quote)s is %(status)s already.")
                       % {"quote": quote.number, "status": quote.get_status_display()})
    if quote.status == QuoteStatus.ACCEPTED and _has_live_invoice(quote):
        raise Conflict(ChargeError.INVOICE_EXISTS,
                       _("Quote %(quote)s has been invoiced; void the invoice first.") % {"quote": quote.number})


@transaction.atomic
def quote_build_from_work(*, work_order: WorkOrder, actor, currency: str = DEFAULT_CURRENCY,
                          at: datetime | None = None) -> Quote:
    """A draft quote priced from the work recorded so far (labour, parts fitted or reserved,
    visits) with the active price list for `currency`. A sent or accepted quote is withdrawn
    and replaced by the new one (a revision); an existing draft must be finished first."""
    at = at or timezone.now()
    wo = lock_work_order(work_order)
    if wo.billing_class != BillingClass.A:
        raise Conflict(ChargeError.NOT_PAID_WORK, _("Only paid (class A) work is quoted; this is %(cls)s.")
                       % {"cls": wo.get_billing_class_display()})
    _require_open_work_order(wo)
    if currency not in Currency.values:
        raise ValidationFailed(ChargeError.INVALID, _("Choose a currency."))
    price_list = pricing.active_price_list(currency=currency, on=local_day(at))
    if price_list is None:
        raise Conflict(ChargeError.NO_PRICE_LIST, _("There is no active price list in %(currency)s for %(day)s.")
                       % {"currency": currency, "day": local_day(at).isoformat()})
    live = Quote.objects.select_for_update().filter(work_order=wo, status__in=LIVE_QUOTE).first()
    if live is not None and live.status == QuoteStatus.DRAFT:
        raise Conflict(ChargeError.QUOTE_DRAFT_EXISTS, _("Quote %(quote)s is still a draft; send or withdraw it first.")
                       % {"quote": live.number})
    if live is not None:
        live.work_order = wo
        _check_withdrawable(live)
    language = wo.customer.language
    proposed = pricing.lines_from_work(work_order=wo, price_list=price_list, language=language)
    number = next_number("QT", local_day(at).year)
    if live is not None:
        _withdraw(live, actor=actor, reason=_("Revised"), at=at, replaced_by=number)
    latest = live or Quote.objects.filter(work_order=wo).order_by("-created_at", "-id").first()
    quote = Quote.objects.create(
        number=number, work_order=wo, currency=price_list.currency, language=language, price_list=price_list,
        tax_rate=price_list.tax_rate, replaces=latest, created_by=user_or_none(actor), created_at=at)
    digits = places(quote.currency)
    QuoteLine.objects.bulk_create([
        QuoteLine(quote=quote, position=i, kind=p.kind, description=p.description[:300], part=p.part,
                  quantity=p.quantity, unit_price=p.unit_price, line_total=line_total(p.quantity, p.unit_price, digits))
        for i, p in enumerate(proposed, start=1)])
    _recompute(quote)
    case_event(wo, events.QUOTE_BUILT, actor, _event_data(quote), at)
    audit_record(actor=actor, obj=quote, action="quote.built", after={
        "work_order": wo.number, "number": quote.number, **snapshot(quote, QUOTE_AUDITED),
        "price_list": price_list.pk, "lines": len(proposed)})
    return quote


def _quantity(value: object, *, whole: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationFailed(ChargeError.QUANTITY_INVALID, _("Give the quantity as a number."))
    quantity = Decimal(value)
    if (not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY
            or not fits_places(quantity, 0 if whole else 2)):
        if whole:
            raise ValidationFailed(ChargeError.QUANTITY_INVALID, _("The quantity is a whole number from 1 to %(max)s.")
                                   % {"max": MAX_QUANTITY})
        raise ValidationFailed(ChargeError.QUANTITY_INVALID,
                               _("The quantity is more than 0 and at most %(max)s, with at most 2 decimals.")
                               % {"max": MAX_QUANTITY})
    return quantity


@transaction.atomic
def quote_add_line(*, quote: Quote, kind: str, actor, quantity: Decimal | int = 1, part=None,
                   description: str = "", unit_price: Decimal | None = None) -> QuoteLine:
    """A line on a draft: labour (hours × the list's rate), a part (× its price on the list, or
    its own), visits (× the visit fee), or something else with its description and price.
    Only "other" lines take a typed price; the rest come from the price list."""
    quote = _lock_quote(quote)
    wo = quote.work_order
    _require_draft(quote)
    if kind not in LineKind.values:
        raise ValidationFailed(ChargeError.LINE_KIND_INVALID, _("Choose labour, a part, a visit fee or other."))
    if quote.lines.count() >= MAX_LINES:
        raise ValidationFailed(ChargeError.TOO_MANY_LINES, _("A quote has at most %(n)d lines.") % {"n": MAX_LINES})
    description = text(description, 300, _("The description"))
    price_list = quote.price_list
    if price_list is None and kind != LineKind.OTHER:
        raise Conflict(ChargeError.NO_PRICE_LIST, _("This quote has no price list; add “other” lines only."))
    if kind == LineKind.LABOUR:
        quantity = _quantity(quantity, whole=False)
        price = pricing.require_item_price(price_list, "labour_hour", wo.kind)
        description = description or pricing.labour_description(None, quote.language)
    elif kind == LineKind.VISIT_FEE:
        quantity = _quantity(quantity, whole=True)
        price = pricing.require_item_price(price_list, "visit_fee", wo.kind)
        description = description or pricing.visit_description(quote.language)
    elif kind == LineKind.PART:
        quantity = _quantity(quantity, whole=True)
        if part is None or not part.is_active:
            raise ValidationFailed(ChargeError.PART_INVALID, _("Choose an active part."))
        price = pricing.part_price(price_list, part)
        description = description or pricing.part_description(part, quote.language)
    else:
        quantity = _quantity(quantity, whole=False)
        if not description:
            raise ValidationFailed(ChargeError.INVALID, _("Describe what the line is for."))
        valid = not isinstance(unit_price, bool) and isinstance(unit_price, Decimal | int)
        if (not valid or not Decimal(unit_price).is_finite() or not 0 <= Decimal(unit_price) <= MAX_AMOUNT
                or not fits_places(Decimal(unit_price), places(quote.currency))):
            raise ValidationFailed(ChargeError.AMOUNT_INVALID,
                                   _("Give a price from 0 with at most %(places)d decimals in %(currency)s.")
                                   % {"places": places(quote.currency), "currency": quote.currency})
        price = Decimal(unit_price)
        part = None
    total = line_total(quantity, price, places(quote.currency))
    if total > MAX_AMOUNT:
        raise ValidationFailed(ChargeError.AMOUNT_INVALID, _("The line comes to more than any quote may."))
    position = (quote.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    line = QuoteLine.objects.create(quote=quote, position=position, kind=kind, description=description,
                                    part=part if kind == LineKind.PART else None, quantity=quantity,
                                    unit_price=price, line_total=total)
    _recompute(quote)
    if quote.gross_total > MAX_AMOUNT:
        raise ValidationFailed(ChargeError.AMOUNT_INVALID, _("The quote comes to more than any quote may."))
    audit_record(actor=actor, obj=quote, action="quote.line_added", after={
        "line": line.pk, "kind": kind, "description": description, "part": getattr(part, "pk", None),
        "quantity": quantity, "unit_price": price, "line_total": total, "gross_total": quote.gross_total})
    return line


@transaction.atomic
def quote_remove_line(*, line: QuoteLine, actor) -> Quote:
    quote = _lock_quote(line.quote)
    _require_draft(quote)
    line = QuoteLine.objects.get(pk=line.pk, quote=quote)
    removed = {"line": line.pk, "kind": line.kind, "description": line.description, "quantity": line.quantity,
               "unit_price": line.unit_price, "line_total": line.line_total}
    line.delete()
    _recompute(quote)
    audit_record(actor=actor, obj=quote, action="quote.line_removed", before=removed,
                 after={"gross_total": quote.gross_total})
    return quote


@transaction.atomic
def quote_send(*, quote: Quote, actor, valid_days: int = DEFAULT_VALID_DAYS, at: datetime | None = None) -> Quote:
    """Put the quote to the customer: it shows in the portal and on the case timeline, valid
    for `valid_days` days. From now on it is never edited."""
    at = at or timezone.now()
    quote = _lock_quote(quote)
    wo = quote.work_order
    _require_draft(quote)
    _require_open_work_order(wo)
    if isinstance(valid_days, bool) or not isinstance(valid_days, int) or not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ValidationFailed(ChargeError.INVALID, _("A quote is valid for 1 to %(n)d days.") % {"n": MAX_VALID_DAYS})
    if not quote.lines.exists():
        raise ValidationFailed(ChargeError.QUOTE_EMPTY, _("Add at least one line before sending the quote."))
    before = snapshot(quote, QUOTE_AUDITED)
    quote.status, quote.sent_at, quote.sent_by = QuoteStatus.SENT, at, user_or_none(actor)
    quote.valid_until = local_day(at) + timedelta(days=valid_days)
    quote.save(update_fields=["status", "sent_at", "sent_by", "valid_until"])
    case_event(wo, events.QUOTE_SENT, actor, {**_event_data(quote), "valid_until": quote.valid_until.isoformat()}, at)
    audit_record(actor=actor, obj=quote, action="quote.sent", before=before, after=snapshot(quote, QUOTE_AUDITED))
    return quote


def _who_decides(quote: Quote, *, actor, channel: str, name: str) -> tuple[object, str, object]:
    """(the customer's account, the name, the staff member recording) for a decision."""
    if channel == DecisionChannel.PORTAL:
        customer = quote.work_order.customer
        if not (getattr(actor, "pk", None) and actor.is_customer and customer.user_id == actor.pk):
            raise PermissionDenied(ErrorCode.PERMISSION_DENIED, _("Only the customer answers a quote in the portal."))
        return actor, text(str(actor), 200, _("The name")) or customer.name[:200], None
    if channel == DecisionChannel.ON_SITE:
        if not can(actor, Op.REPAIR_MANAGE):
            raise PermissionDenied(ErrorCode.PERMISSION_DENIED, _("Your role does not allow this."))
        name = text(name, 200, _("The name of the person answering"))
        if not name:
            raise ValidationFailed(ChargeError.NAME_REQUIRED, _("Write down who answered on the spot."))
        return None, name, actor
    raise ValidationFailed(ChargeError.INVALID, _("Say how the customer answered."))


def _require_open_quote(quote: Quote, at: datetime) -> None:
    if quote.status != QuoteStatus.SENT:
        raise Conflict(ChargeError.QUOTE_NOT_SENT, _("Quote %(quote)s is %(status)s; it cannot be answered now.")
                       % {"quote": quote.number, "status": quote.get_status_display()})
    if quote.valid_until is not None and local_day(at) > quote.valid_until:
        raise Conflict(ChargeError.QUOTE_EXPIRED, _("Quote %(quote)s was valid until %(day)s; ask for a new one.")
                       % {"quote": quote.number, "day": quote.valid_until.isoformat()})


def _decide(quote: Quote, *, status: str, actor, channel: str, name: str, reason: str,
            at: datetime) -> Quote:
    quote = _lock_quote(quote)
    _require_open_quote(quote, at)
    account, name, recorder = _who_decides(quote, actor=actor, channel=channel, name=name)
    before = snapshot(quote, QUOTE_AUDITED)
    quote.status, quote.decided_at, quote.decision_channel = status, at, channel
    quote.decided_by, quote.decided_by_name, quote.recorded_by = account, name, recorder
    quote.decline_reason = reason
    quote.save(update_fields=["status", "decided_at", "decision_channel", "decided_by", "decided_by_name",
                              "recorded_by", "decline_reason"])
    event = events.QUOTE_ACCEPTED if status == QuoteStatus.ACCEPTED else events.QUOTE_DECLINED
    case_event(quote.work_order, event, actor, {**_event_data(quote), "name": name, "channel": channel,
                                                "reason": reason}, at)
    audit_record(actor=actor, obj=quote, action=f"quote.{status}", before=before,
                 after=snapshot(quote, QUOTE_AUDITED))
    return quote


@transaction.atomic
def quote_accept(*, quote: Quote, actor, channel: str, name: str = "", at: datetime | None = None) -> Quote:
    """The customer agrees: in the portal (`actor` is their account) or on the spot (`actor`
    is the staff member writing it down, `name` the person who agreed)."""
    return _decide(quote, status=QuoteStatus.ACCEPTED, actor=actor, channel=channel, name=name, reason="",
                   at=at or timezone.now())


@transaction.atomic
def quote_decline(*, quote: Quote, actor, channel: str, name: str = "", reason: str = "",
                  at: datetime | None = None) -> Quote:
    """The customer says no, with an optional reason. The visits made can still be invoiced."""
    reason = text(reason, 1000, _("The reason"))
    return _decide(quote, status=QuoteStatus.DECLINED, actor=actor, channel=channel, name=name, reason=reason,
                   at=at or timezone.now())


@transaction.atomic
def quote_withdraw(*, quote: Quote, actor, reason: str = "", at: datetime | None = None) -> Quote:
    """Take a draft, sent or accepted quote back (not one that has been invoiced)."""
    at = at or timezone.now()
    quote = _lock_quote(quote)
    reason = text(reason, 500, _("The reason"))
    _check_withdrawable(quote)
    _withdraw(quote, actor=actor, reason=reason, at=at)
    return quote


@transaction.atomic
def quote_expire_due(*, at: datetime | None = None) -> int:
    """Every sent quote whose valid-until day has passed becomes expired. Idempotent."""
    at = at or timezone.now()
    due = list(Quote.objects.select_for_update(of=("self",)).select_related("work_order__case")
               .filter(status=QuoteStatus.SENT, valid_until__lt=local_day(at)).order_by("id")[:1000])
    for quote in due:
        quote.status = QuoteStatus.EXPIRED
        quote.save(update_fields=["status"])
        case_event(quote.work_order, events.QUOTE_EXPIRED, None, _event_data(quote), at)
        audit_record(actor=None, obj=quote, action="quote.expired", before={"status": QuoteStatus.SENT},
                     after={"status": QuoteStatus.EXPIRED})
    return len(due)
