"""The timeline events guarantee claims write on their case, and their sentences (made when
read, in the reader's language). All are internal: the agent tells the customer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from aftersales.catalog.models import Guarantee
from aftersales.policies.labels import REMEDIES, label

OPENED = "guarantee_claim_opened"
APPROVED = "guarantee_claim_approved"
REJECTED = "guarantee_claim_rejected"
PAID = "guarantee_claim_paid"
ESCALATED = "guarantee_claim_escalated"
RULED = "guarantee_claim_ruled"


def guarantee_label(code: str | None) -> str:
    try:
        return str(Guarantee(code).label)
    except ValueError:
        return code or "—"


def remedies_text(remedies: list[dict[str, Any]] | None) -> str:
    """'Refund 200.00 CNY + Compensation 400.00 CNY', 'Free re-shipment'."""
    parts = []
    for remedy in remedies or []:
        text = label(REMEDIES, remedy.get("kind"))
        if remedy.get("amount") is not None:
            text = f"{text} {remedy['amount']} {remedy.get('currency') or ''}".strip()
        parts.append(text)
    return " + ".join(parts) or "—"


def _claim(d: dict[str, Any]) -> dict[str, str]:
    return {"id": str(d.get("claim", "")), "guarantee": guarantee_label(d.get("guarantee"))}


def _money(d: dict[str, Any]) -> str:
    return f"{d.get('amount')} {d.get('currency') or ''}".strip() if d.get("amount") is not None else "—"


def opened(d: dict[str, Any]) -> str:
    return _("Guarantee claim #%(id)s opened under %(guarantee)s: %(remedies)s (policy %(policy)s, version "
             "%(version)s)") % {**_claim(d), "remedies": remedies_text(d.get("remedies")),
                                "policy": d.get("policy", ""), "version": d.get("version", "")}


def approved(d: dict[str, Any]) -> str:
    if d.get("override_reason"):
        return _("Guarantee claim #%(id)s (%(guarantee)s) approved for %(amount)s instead of the computed amount. "
                 "Reason: %(reason)s") % {**_claim(d), "amount": _money(d), "reason": d["override_reason"]}
    return _("Guarantee claim #%(id)s (%(guarantee)s) approved: %(amount)s") % {**_claim(d), "amount": _money(d)}


def rejected(d: dict[str, Any]) -> str:
    return _("Guarantee claim #%(id)s (%(guarantee)s) rejected. Reason: %(reason)s") % {
        **_claim(d), "reason": d.get("reason", "")}


def paid(d: dict[str, Any]) -> str:
    if d.get("remedy") == "reshipment":
        return _("Guarantee claim #%(id)s (%(guarantee)s): goods re-shipped, reference %(reference)s") % {
            **_claim(d), "reference": d.get("reference", "")}
    return _("Guarantee claim #%(id)s (%(guarantee)s) paid: %(amount)s, reference %(reference)s") % {
        **_claim(d), "amount": _money(d), "reference": d.get("reference", "")}


def escalated(d: dict[str, Any]) -> str:
    return _("Guarantee claim #%(id)s (%(guarantee)s) escalated to the platform. Note: %(note)s") % {
        **_claim(d), "note": d.get("note", "")}


def ruled(d: dict[str, Any]) -> str:
    if d.get("outcome") == "approved":
        return _("The platform approved guarantee claim #%(id)s (%(guarantee)s): %(amount)s. Note: %(note)s") % {
            **_claim(d), "amount": _money(d), "note": d.get("note", "")}
    return _("The platform rejected guarantee claim #%(id)s (%(guarantee)s). Note: %(note)s") % {
        **_claim(d), "note": d.get("note", "")}


def register() -> None:
    from aftersales.cases.events import register_event

    for name, text in ((OPENED, opened), (APPROVED, approved), (REJECTED, rejected), (PAID, paid),
                       (ESCALATED, escalated), (RULED, ruled)):
        register_event(name, text)
