"""The work order's events on its case's timeline, read in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

WO_OPENED = "work_order_opened"
WO_DISPATCHED = "work_order_dispatched"
WO_STATUS = "work_order_status"
WO_BILLING = "work_order_billing_class"
CUSTODY = "work_order_custody"


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def opened(d: dict[str, Any]) -> str:
    return _("Work order %(number)s opened") % {"number": d.get("number", "")}


def dispatched(d: dict[str, Any]) -> str:
    return _("Work order %(number)s: %(technician)s will come between %(start)s and %(end)s") % {
        "number": d.get("number", ""), "technician": d.get("technician", ""), "start": d.get("start_text", ""),
        "end": d.get("end_text", "")}


def status(d: dict[str, Any]) -> str:
    from aftersales.repairs.models import Status

    return _("Work order %(number)s: %(status)s") % {"number": d.get("number", ""),
                                                      "status": _label(Status, d.get("after"))}


def billing(d: dict[str, Any]) -> str:
    from aftersales.repairs.models import BillingClass

    return _("Work order %(number)s billed as %(after)s (was %(before)s): %(reason)s") % {
        "number": d.get("number", ""), "after": _label(BillingClass, d.get("after")),
        "before": _label(BillingClass, d.get("before")), "reason": d.get("reason", "")}


def custody(d: dict[str, Any]) -> str:
    from aftersales.repairs.models import CustodyMove

    return _("Item of %(number)s: %(move)s — %(location)s, held by %(holder)s") % {
        "number": d.get("number", ""), "move": _label(CustodyMove, d.get("move")),
        "location": d.get("location", ""), "holder": d.get("holder", "")}


def register() -> None:
    from aftersales.cases.events import register_event

    register_event(WO_OPENED, opened, public=True)
    register_event(WO_DISPATCHED, dispatched, public=True)
    register_event(WO_STATUS, status, public=True)
    register_event(WO_BILLING, billing)
    register_event(CUSTODY, custody, public=True)
