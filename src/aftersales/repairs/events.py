"""The work order's events on its case's timeline, read in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

WO_OPENED = "work_order_opened"
WO_DISPATCHED = "work_order_dispatched"
WO_STATUS = "work_order_status"
WO_BILLING = "work_order_billing_class"
CUSTODY = "work_order_custody"
PARTS_RESERVED = "work_order_parts_reserved"


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def opened(d: dict[str, Any]) -> str:
    return _("Work order %(number)s opened") % {"number": d.get("number", "")}


def first_name(name: str) -> str:
    """Public events name a member of staff by the first word of their name only: customers
    read them (the full name, like a phone number, stays on the desk)."""
    words = str(name or "").split()
    return words[0] if words else ""


def _local(d: dict[str, Any], key: str) -> datetime | None:
    """The instant the event kept as ISO text, in the reader's time zone (not the writer's)."""
    try:
        value = datetime.fromisoformat(str(d.get(key) or ""))
    except ValueError:
        return None
    return timezone.localtime(value) if value.tzinfo is not None else None


def dispatched(d: dict[str, Any]) -> str:
    start, end = _local(d, "start"), _local(d, "end")
    if start is not None and end is not None:
        start_text = date_format(start, "Y-m-d H:i")
        end_text = date_format(end, "H:i" if end.date() == start.date() else "Y-m-d H:i")
    else:  # an event written before the instants were kept: the text as written
        start_text, end_text = d.get("start_text", ""), d.get("end_text", "")
    return _("Work order %(number)s: %(technician)s will come between %(start)s and %(end)s") % {
        "number": d.get("number", ""), "technician": first_name(d.get("technician", "")), "start": start_text,
        "end": end_text}


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

    # Public: who holds the item inside the shop (a member of staff, a bench) is for the register.
    return _("Item of %(number)s: %(move)s — %(location)s") % {
        "number": d.get("number", ""), "move": _label(CustodyMove, d.get("move")), "location": d.get("location", "")}


def parts_reserved(d: dict[str, Any]) -> str:
    return _("Work order %(number)s: %(quantity)s × %(sku)s %(part)s set aside at %(location)s") % {
        "number": d.get("number", ""), "quantity": d.get("quantity", ""), "sku": d.get("sku", ""),
        "part": d.get("part", ""), "location": d.get("location", "")}


def register() -> None:
    from aftersales.cases.events import register_event

    register_event(WO_OPENED, opened, public=True)
    register_event(WO_DISPATCHED, dispatched, public=True)
    register_event(WO_STATUS, status, public=True)
    register_event(WO_BILLING, billing)
    register_event(CUSTODY, custody, public=True)
    register_event(PARTS_RESERVED, parts_reserved)
    register_work()


# ---- the work records (actions_work.py) ------------------------------------------------------
WO_KIND = "work_order_kind"
VISIT_STARTED = "visit_started"
VISIT_FINISHED = "visit_finished"
VISIT_PHOTO = "visit_photo"
CARD_OPENED = "repair_card_opened"
LABOUR = "repair_labour"
PART_USED = "repair_part_used"
CARD_CLOSED = "repair_card_closed"
INSPECTED = "repair_inspected"


def kind_changed(d: dict[str, Any]) -> str:
    from aftersales.repairs.models import Kind

    return _("Work order %(number)s changed to %(kind)s: %(reason)s") % {
        "number": d.get("number", ""), "kind": _label(Kind, d.get("after")), "reason": d.get("reason", "")}


def visit_started(d: dict[str, Any]) -> str:
    return _("Work order %(number)s: %(technician)s arrived") % {
        "number": d.get("number", ""), "technician": first_name(d.get("technician", ""))}


def visit_finished(d: dict[str, Any]) -> str:
    from aftersales.repairs.models_work import VisitOutcome

    return _("Work order %(number)s: visit ended — %(outcome)s") % {
        "number": d.get("number", ""), "outcome": _label(VisitOutcome, d.get("outcome"))}


def visit_photo(d: dict[str, Any]) -> str:
    return _("Work order %(number)s: photo %(filename)s added to the visit") % {
        "number": d.get("number", ""), "filename": d.get("filename", "")}


def card_opened(d: dict[str, Any]) -> str:
    if d.get("repeat_of_number"):
        return _("Work order %(number)s: repair card opened; the unit was repaired before under %(earlier)s") % {
            "number": d.get("number", ""), "earlier": d.get("repeat_of_number", "")}
    return _("Work order %(number)s: repair card opened") % {"number": d.get("number", "")}


def labour(d: dict[str, Any]) -> str:
    return _("Work order %(number)s: %(minutes)s minutes of work by %(technician)s") % {
        "number": d.get("number", ""), "minutes": d.get("minutes", ""), "technician": d.get("technician", "")}


def part_used(d: dict[str, Any]) -> str:
    return _("Work order %(number)s: %(quantity)s × part %(sku)s used") % {
        "number": d.get("number", ""), "quantity": d.get("quantity", ""), "sku": d.get("sku", "")}


def card_closed(d: dict[str, Any]) -> str:
    from aftersales.repairs.models_work import RepairResult

    return _("Work order %(number)s: repair finished — %(result)s") % {
        "number": d.get("number", ""), "result": _label(RepairResult, d.get("result"))}


def inspected(d: dict[str, Any]) -> str:
    from aftersales.repairs.models_work import InspectionOutcome

    return _("Work order %(number)s: inspection %(outcome)s") % {
        "number": d.get("number", ""), "outcome": _label(InspectionOutcome, d.get("outcome"))}


def register_work() -> None:
    from aftersales.cases.events import register_event

    register_event(WO_KIND, kind_changed, public=True)
    register_event(VISIT_STARTED, visit_started, public=True)
    register_event(VISIT_FINISHED, visit_finished, public=True)
    register_event(VISIT_PHOTO, visit_photo)
    register_event(CARD_OPENED, card_opened)
    register_event(LABOUR, labour)
    register_event(PART_USED, part_used)
    register_event(CARD_CLOSED, card_closed, public=True)
    register_event(INSPECTED, inspected)
