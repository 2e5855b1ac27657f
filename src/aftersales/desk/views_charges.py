"""The Charges card on the work order page: the quote (build it from the work, add and remove
lines, send it, write down the customer's answer given on the spot, withdraw it), the invoice
(issue, void with a reason, payments and the balance) and, for contract work, the service
contract's quotas with a draw form. Each write parses the form, fetches through
`access_work_order` (404 for what the person may not see, and for another work order's quote,
invoice or draw), checks the role, calls one action and redraws the card; a refusal is shown
beside its form with its 4xx status and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.permissions import Op, can
from aftersales.charges import actions, actions_contracts, actions_invoices
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import (
    ContractDraw,
    DecisionChannel,
    Invoice,
    LineKind,
    PaymentMethod,
    QuotaKind,
    Quote,
    QuoteLine,
    ServiceContract,
)
from aftersales.charges.money import MAX_QUANTITY, parse_decimal
from aftersales.charges.selectors import currencies_with_price_list, part_for_quote, work_order_charges
from aftersales.charges.support import places
from aftersales.core.errors import ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.desk.access import staff_required
from aftersales.desk.selectors_repairs import access_work_order
from aftersales.desk.work_order_writes import write_and_redraw
from aftersales.repairs.models import WorkOrder

TEMPLATE = "desk/repairs/partials/charges.html"


def _post(request: HttpRequest, name: str, limit: int = 1000) -> str:
    return request.POST.get(name, "")[:limit]


def charges_context(request: HttpRequest, wo: WorkOrder, *, error: str | None = None, error_for: str = "",
                    posted=None) -> dict:
    """What the card needs (its names start with `ch_` or `charges` so they do not clash with
    the rest of the work order page)."""
    today = timezone.localdate()
    return {
        "wo": wo, "charges": work_order_charges(work_order=wo),
        "ch_may_manage": can(request.user, Op.REPAIR_MANAGE), "ch_may_void": can(request.user, Op.REPAIR_INSPECT),
        "ch_currencies": currencies_with_price_list(on=today) or ["CNY"],
        "ch_line_kinds": LineKind.choices, "ch_methods": PaymentMethod.choices, "ch_quota_kinds": QuotaKind.choices,
        "ch_error": error, "ch_error_for": error_for, "ch_posted": posted if error else None,
    }


@staff_required
@require_GET
def card(request: HttpRequest, work_order_id: int) -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    return render(request, TEMPLATE, charges_context(request, wo))


def _write(request: HttpRequest, work_order_id: int, form: str, apply: Callable[[WorkOrder], object]) -> HttpResponse:
    """Run one write and answer with the card redrawn (a refusal beside `form`, with its status)."""
    return write_and_redraw(request, work_order_id, form, apply, page="desk:work_order", template=TEMPLATE,
                            context=charges_context, anchor="#wo-charges")


def _quote(wo: WorkOrder, quote_id: int) -> Quote:
    quote = Quote.objects.filter(work_order=wo, pk=quote_id).first()
    if quote is None:
        raise Http404
    return quote


def _invoice(wo: WorkOrder, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.filter(work_order=wo, pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice


def _decimal(raw: str, *, places_: int, code: str, what: str):
    value = parse_decimal(raw, places=places_)
    if value is None:
        raise ValidationFailed(code, _("%(what)s: write a number such as 12 or 12.50 (at most %(places)d decimals).")
                               % {"what": what, "places": places_})
    return value


# ---- the quote --------------------------------------------------------------------------------

@staff_required
@require_POST
def quote_build(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "build", lambda wo: actions.quote_build_from_work(
        work_order=wo, actor=request.user, currency=_post(request, "currency", 3).upper() or "CNY"))


@staff_required
@require_POST
def quote_line_add(request: HttpRequest, work_order_id: int, quote_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        quote = _quote(wo, quote_id)
        kind = _post(request, "kind", 20)
        quantity = _decimal(_post(request, "quantity", 40), places_=2, code=ChargeError.QUANTITY_INVALID,
                            what=_("Quantity"))
        if quantity > MAX_QUANTITY:
            raise ValidationFailed(ChargeError.QUANTITY_INVALID, _("The quantity is at most %(max)s.")
                                   % {"max": MAX_QUANTITY})
        part, unit_price = None, None
        if kind == LineKind.PART:
            part = part_for_quote(sku=_post(request, "part", 64))
            if part is None:
                raise ValidationFailed(ChargeError.PART_INVALID, _("No active part has that SKU."))
        if kind == LineKind.OTHER:
            unit_price = _decimal(_post(request, "unit_price", 40), places_=places(quote.currency),
                                  code=ChargeError.AMOUNT_INVALID, what=_("Unit price"))
        actions.quote_add_line(quote=quote, kind=kind, actor=request.user, quantity=quantity, part=part,
                               description=_post(request, "description", 400), unit_price=unit_price)

    return _write(request, work_order_id, "line", apply)


@staff_required
@require_POST
def quote_line_remove(request: HttpRequest, work_order_id: int, quote_id: int, line_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        line = QuoteLine.objects.filter(quote=_quote(wo, quote_id), pk=line_id).first()
        if line is None:
            raise Http404
        actions.quote_remove_line(line=line, actor=request.user)

    return _write(request, work_order_id, "line", apply)


@staff_required
@require_POST
def quote_send(request: HttpRequest, work_order_id: int, quote_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        quote = _quote(wo, quote_id)
        days = ascii_int(_post(request, "valid_days", 10), max_digits=3)
        if days is None:
            raise ValidationFailed(ChargeError.INVALID, _("A quote is valid for 1 to %(n)d days.")
                                   % {"n": actions.MAX_VALID_DAYS})
        actions.quote_send(quote=quote, actor=request.user, valid_days=days)

    return _write(request, work_order_id, "send", apply)


@staff_required
@require_POST
def quote_answer(request: HttpRequest, work_order_id: int, quote_id: int) -> HttpResponse:
    """The customer's answer given on the spot: accept, or decline with an optional reason."""
    def apply(wo: WorkOrder) -> None:
        quote = _quote(wo, quote_id)
        answer = _post(request, "answer", 10)
        name = _post(request, "name", 300)
        if answer == "accept":
            actions.quote_accept(quote=quote, actor=request.user, channel=DecisionChannel.ON_SITE, name=name)
        elif answer == "decline":
            actions.quote_decline(quote=quote, actor=request.user, channel=DecisionChannel.ON_SITE, name=name,
                                  reason=_post(request, "reason", 1200))
        else:
            raise ValidationFailed(ChargeError.INVALID, _("Choose accept or decline."))

    return _write(request, work_order_id, "answer", apply)


@staff_required
@require_POST
def quote_withdraw(request: HttpRequest, work_order_id: int, quote_id: int) -> HttpResponse:
    return _write(request, work_order_id, "withdraw", lambda wo: actions.quote_withdraw(
        quote=_quote(wo, quote_id), actor=request.user, reason=_post(request, "reason", 600)))


# ---- the invoice ------------------------------------------------------------------------------

@staff_required
@require_POST
def invoice_issue(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "invoice", lambda wo: actions_invoices.invoice_issue(
        work_order=wo, actor=request.user))


@staff_required
@require_POST
def invoice_void(request: HttpRequest, work_order_id: int, invoice_id: int) -> HttpResponse:
    return _write(request, work_order_id, "void", lambda wo: actions_invoices.invoice_void(
        invoice=_invoice(wo, invoice_id), reason=_post(request, "reason", 600), actor=request.user))


@staff_required
@require_POST
def payment_record(request: HttpRequest, work_order_id: int, invoice_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        invoice = _invoice(wo, invoice_id)
        amount = _decimal(_post(request, "amount", 40), places_=places(invoice.currency),
                          code=ChargeError.AMOUNT_INVALID, what=_("Amount"))
        actions_invoices.payment_record(invoice=invoice, method=_post(request, "method", 20), amount=amount,
                                        reference=_post(request, "reference", 200), actor=request.user)

    return _write(request, work_order_id, "payment", apply)


# ---- the service contract ---------------------------------------------------------------------

@staff_required
@require_POST
def contract_draw(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        contract_id = ascii_int(_post(request, "contract", 20))
        contract = (ServiceContract.objects.filter(pk=contract_id, customer_id=wo.customer_id).first()
                    if contract_id is not None else None)
        if contract is None:
            raise ValidationFailed(ChargeError.CONTRACT_NOT_APPLICABLE, _("Choose one of the customer's contracts."))
        quantity = ascii_int(_post(request, "quantity", 10), max_digits=4)
        if quantity is None:
            raise ValidationFailed(ChargeError.QUANTITY_INVALID, _("The quantity is a whole number from 1 to %(max)d.")
                                   % {"max": actions_contracts.MAX_DRAW})
        actions_contracts.contract_draw(work_order=wo, contract=contract, kind=_post(request, "kind", 30),
                                        quantity=quantity, note=_post(request, "note", 600), actor=request.user)

    return _write(request, work_order_id, "draw", apply)


@staff_required
@require_POST
def contract_draw_reverse(request: HttpRequest, work_order_id: int, draw_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        draw = ContractDraw.objects.filter(work_order=wo, pk=draw_id).first()
        if draw is None:
            raise Http404
        actions_contracts.contract_draw_reverse(draw=draw, reason=_post(request, "reason", 600), actor=request.user)

    return _write(request, work_order_id, "reverse", apply)
