"""The charges' events on a work order's case timeline, read in the reader's language. An
event keeps numbers and codes; the sentence is made when it is read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

QUOTE_BUILT = "quote_built"
QUOTE_SENT = "quote_sent"
QUOTE_ACCEPTED = "quote_accepted"
QUOTE_DECLINED = "quote_declined"
QUOTE_WITHDRAWN = "quote_withdrawn"
QUOTE_EXPIRED = "quote_expired"
INVOICE_ISSUED = "invoice_issued"
INVOICE_VOIDED = "invoice_voided"
PAYMENT = "payment_recorded"
CONTRACT_DRAW = "contract_draw"
CONTRACT_DRAW_REVERSED = "contract_draw_reversed"


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _amount(d: dict[str, Any], key: str) -> str:
    return f"{d.get('currency', '')} {d.get(key, '')}".strip()


def quote_built(d: dict[str, Any]) -> str:
    return _("Quote %(quote)s drafted for work order %(number)s") % {
        "quote": d.get("quote", ""), "number": d.get("number", "")}


def quote_sent(d: dict[str, Any]) -> str:
    return _("Quote %(quote)s for work order %(number)s: %(total)s, valid until %(until)s") % {
        "quote": d.get("quote", ""), "number": d.get("number", ""), "total": _amount(d, "gross"),
        "until": d.get("valid_until", "")}


def quote_accepted(d: dict[str, Any]) -> str:
    from aftersales.charges.models import DecisionChannel

    return _("Quote %(quote)s accepted by %(name)s (%(channel)s)") % {
        "quote": d.get("quote", ""), "name": d.get("name", ""), "channel": _label(DecisionChannel, d.get("channel"))}


def quote_declined(d: dict[str, Any]) -> str:
    from aftersales.charges.models import DecisionChannel

    text = _("Quote %(quote)s declined by %(name)s (%(channel)s)") % {
        "quote": d.get("quote", ""), "name": d.get("name", ""), "channel": _label(DecisionChannel, d.get("channel"))}
    return f"{text}: {d['reason']}" if d.get("reason") else text


def quote_withdrawn(d: dict[str, Any]) -> str:
    text = _("Quote %(quote)s withdrawn") % {"quote": d.get("quote", "")}
    if d.get("replaced_by"):
        text = _("Quote %(quote)s withdrawn and replaced by %(new)s") % {
            "quote": d.get("quote", ""), "new": d.get("replaced_by", "")}
    return f"{text}: {d['reason']}" if d.get("reason") else text


def quote_expired(d: dict[str, Any]) -> str:
    return _("Quote %(quote)s expired without an answer") % {"quote": d.get("quote", "")}


def invoice_issued(d: dict[str, Any]) -> str:
    return _("Invoice %(invoice)s issued for work order %(number)s: %(total)s") % {
        "invoice": d.get("invoice", ""), "number": d.get("number", ""), "total": _amount(d, "gross")}


def invoice_voided(d: dict[str, Any]) -> str:
    return _("Invoice %(invoice)s voided: %(reason)s") % {"invoice": d.get("invoice", ""),
                                                           "reason": d.get("reason", "")}


def payment(d: dict[str, Any]) -> str:
    from aftersales.charges.models import PaymentMethod

    return _("Payment of %(amount)s received for invoice %(invoice)s (%(method)s); still owed: %(balance)s") % {
        "amount": _amount(d, "amount"), "invoice": d.get("invoice", ""),
        "method": _label(PaymentMethod, d.get("method")), "balance": _amount(d, "balance")}


def contract_draw(d: dict[str, Any]) -> str:
    from aftersales.charges.models import QuotaKind

    return _("Work order %(number)s used %(quantity)s of “%(kind)s” on contract %(contract)s; %(left)s left") % {
        "number": d.get("number", ""), "quantity": d.get("quantity", ""), "kind": _label(QuotaKind, d.get("kind")),
        "contract": d.get("contract", ""), "left": d.get("left", "")}


def contract_draw_reversed(d: dict[str, Any]) -> str:
    from aftersales.charges.models import QuotaKind

    return _("Work order %(number)s: %(quantity)s of “%(kind)s” given back to contract %(contract)s "
             "(%(reason)s); %(left)s left") % {
        "number": d.get("number", ""), "quantity": d.get("quantity", ""), "kind": _label(QuotaKind, d.get("kind")),
        "contract": d.get("contract", ""), "reason": d.get("reason", ""), "left": d.get("left", "")}


def register() -> None:
    from aftersales.cases.events import register_event

    register_event(QUOTE_BUILT, quote_built)
    register_event(QUOTE_SENT, quote_sent, public=True)
    register_event(QUOTE_ACCEPTED, quote_accepted, public=True)
    register_event(QUOTE_DECLINED, quote_declined, public=True)
    register_event(QUOTE_WITHDRAWN, quote_withdrawn, public=True)
    register_event(QUOTE_EXPIRED, quote_expired, public=True)
    register_event(INVOICE_ISSUED, invoice_issued, public=True)
    register_event(INVOICE_VOIDED, invoice_voided, public=True)
    register_event(PAYMENT, payment, public=True)
    register_event(CONTRACT_DRAW, contract_draw, public=True)
    register_event(CONTRACT_DRAW_REVERSED, contract_draw_reversed, public=True)
