"""Every write to a work order's work records: visits (with the customer's signature or
refusal, and photos), the repair card (labour, parts from stock, result) and the supervisor's
inspection. Each is checked on locked rows, written in one transaction, put on the case
timeline (when the work order has a case) and audited.

    visit_start → visit_finish                      (on-site; a failed visit: re-dispatch,
    repair_card_open → labour_add / part_use          or work_order_convert_to_carry_in)
    → repair_card_close (work order → inspecting)
    → inspection_record: passed (→ ready) or sent_back (→ in_progress, the card opens again)
"""

from __future__ import annotations

import base64
import binascii
import io
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.core.audit import audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.repairs import events
from aftersales.repairs.actions import _case_event, _check_technician, _text, work_order_move
from aftersales.repairs.errors import RepairError
from aftersales.repairs.models import Kind, Status, WorkOrder
from aftersales.repairs.models_work import (
    Inspection,
    InspectionOutcome,
    LabourEntry,
    PartUsed,
    RepairCard,
    RepairResult,
    Visit,
    VisitOutcome,
    VisitPhoto,
)

SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MIN_SIDE, SIGNATURE_MAX_SIDE = 16, 4096
SIGNATURE_MAX_PIXELS = 4096 * 2048
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
MAX_LABOUR_MINUTES = 24 * 60  # one entry is at most a day's work
VISIT_KINDS = (Kind.ON_SITE, Kind.INSTALLATION, Kind.MAINTENANCE)
WORKING = (Status.IN_PROGRESS, Status.WAITING_PARTS)
CARD_AUDITED = ["fault_code", "root_cause", "result", "repeat_of", "closed_at"]
VISIT_AUDITED = ["technician", "arrived_at", "departed_at", "outcome", "signed_by", "refusal_reason"]


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock_order(work_order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=work_order.pk)


def _lock_card(card: RepairCard) -> RepairCard:
    card = RepairCard.objects.select_for_update().get(pk=card.pk)
    card.work_order = _lock_order(card.work_order)
    return card


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValidationFailed(RepairError.VISIT_TIMES_INVALID, _("A time needs its time zone."))
    return value


def _require_working(wo: WorkOrder) -> None:
    if wo.status not in WORKING:
        raise Conflict(RepairError.NOT_WORKABLE, _("Work order %(number)s is not in progress.")
                       % {"number": wo.number})


def _require_open_card(card: RepairCard) -> None:
    if card.closed_at is not None:
        raise Conflict(RepairError.CARD_CLOSED,
                       _("The repair card is closed for inspection; it opens again only if it is sent back."))


# ---- the signature ------------------------------------------------------------------------------

def _signature_invalid(detail: str | None = None) -> ValidationFailed:
    return ValidationFailed(RepairError.SIGNATURE_INVALID,
                            detail or _("The signature must be a PNG image drawn on the screen."))


def _signature_too_large() -> ValidationFailed:
    return ValidationFailed(RepairError.SIGNATURE_TOO_LARGE, _("The signature image is larger than %(kb)d KB.")
                            % {"kb": SIGNATURE_MAX_BYTES // 1024})


def signature_png(value: bytes | str | None) -> bytes:
    """The PNG bytes of a drawn signature, from bytes or a `data:image/png;base64,` URL, checked
    with Pillow: a real PNG that decodes completely, at most 512 KB, of sane dimensions."""
    from PIL import Image

    if isinstance(value, str):
        text = value.strip()
        if not text.lower().startswith(DATA_URL_PREFIX):
            raise _signature_invalid()
        encoded = text[len(DATA_URL_PREFIX):]
        if len(encoded) > (SIGNATURE_MAX_BYTES + 2) // 3 * 4:  # refuse before decoding
            raise _signature_too_large()
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _signature_invalid(_("The signature is not valid base64.")) from exc
    elif isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
    else:
        raise _signature_invalid()
    if not data:
        raise _signature_invalid()
    if len(data) > SIGNATURE_MAX_BYTES:
        raise _signature_too_large()
    if not data.startswith(PNG_MAGIC):
        raise _signature_invalid()
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            if not (SIGNATURE_MIN_SIDE <= width <= SIGNATURE_MAX_SIDE
                    and SIGNATURE_MIN_SIDE <= height <= SIGNATURE_MAX_SIDE and width * height <= SIGNATURE_MAX_PIXELS):
                raise _signature_invalid(_("The signature image has odd dimensions (%(w)d × %(h)d).")
                                         % {"w": width, "h": height})
            image.verify()
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()  # verify() does not decode the pixels; a truncated image fails here
    except ValidationFailed:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise _signature_invalid() from exc
    return data


# ---- visits -----------------------------------------------------------------------------------

@transaction.atomic
def visit_start(*, work_order: WorkOrder, actor, technician=None, at: datetime | None = None) -> Visit:
    """The technician arrives at the customer's. A dispatched work order moves to in progress."""
    at = _aware(at or timezone.now())
    wo = _lock_order(work_order)
    if wo.kind not in VISIT_KINDS:
        raise Conflict(RepairError.NOT_ON_SITE, _("A carry-in repair has no visits."))
    if wo.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        raise Conflict(RepairError.NOT_WORKABLE, _("Work order %(number)s is not dispatched.")
                       % {"number": wo.number})
    if Visit.objects.filter(work_order=wo, departed_at__isnull=True).exists():
        raise Conflict(RepairError.VISIT_OPEN, _("A visit to this customer has not ended yet."))
    technician = _check_technician(technician or wo.technician or _user(actor))
    visit = Visit.objects.create(work_order=wo, technician=technician, arrived_at=at)
    if wo.status == Status.DISPATCHED:
        work_order_move(work_order=wo, target=Status.IN_PROGRESS, actor=actor, at=at)
    _case_event(wo, events.VISIT_STARTED, actor, {"visit": visit.pk, "technician": str(technician)}, at)
    audit_record(actor=actor, obj=visit, action="visit.started",
                 after={"work_order": wo.number, **snapshot(visit, VISIT_AUDITED)})
    work_order.status = wo.status
    return visit


@transaction.atomic
def visit_finish(*, visit: Visit, outcome: str, actor, findings: str = "", work_done: str = "",
                 signed_by: str = "", signature: bytes | str | None = None, refusal_reason: str = "",
                 at: datetime | None = None) -> Visit:
    """The technician leaves. Signed off: the customer's name and drawn signature (PNG).
    Refused: the customer's reason. No one home, or failed: the work order stays in progress,
    to be dispatched again or turned into a carry-in repair."""
    at = _aware(at or timezone.now())
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    wo = _lock_order(visit.work_order)
    if visit.departed_at is not None:
        raise Conflict(RepairError.VISIT_FINISHED, _("This visit has ended already."))
    if outcome not in VisitOutcome.values:
        raise ValidationFailed(RepairError.VISIT_OUTCOME_INVALID, _("Choose how the visit ended."))
    if at < visit.arrived_at:
        raise ValidationFailed(RepairError.VISIT_TIMES_INVALID, _("The technician cannot leave before arriving."))
    findings = _text(findings, 5000, _("The findings"))
    work_done = _text(work_done, 5000, _("The work done"))
    signed_by = _text(signed_by, 200, _("The name of the person signing"))
    refusal_reason = _text(refusal_reason, 500, _("The reason for refusing"))
    png = None
    if outcome == VisitOutcome.SIGNED_OFF:
        if not signed_by or signature is None or signature == "" or signature == b"":
            raise ValidationFailed(RepairError.SIGNATURE_REQUIRED,
                                   _("The customer signs with their name and a drawn signature."))
        png = signature_png(signature)
        refusal_reason = ""
    elif outcome == VisitOutcome.REFUSED:
        if not refusal_reason:
            raise ValidationFailed(RepairError.REASON_REQUIRED, _("Write down why the customer refused to sign."))
        png = None
    if outcome != VisitOutcome.SIGNED_OFF:
        signed_by = ""
    if outcome not in (VisitOutcome.SIGNED_OFF, VisitOutcome.REFUSED):
        refusal_reason = ""
    visit.departed_at, visit.outcome = at, outcome
    visit.findings, visit.work_done = findings, work_done
    visit.signed_by, visit.refusal_reason = signed_by, refusal_reason
    if png is not None:
        # Written last, after every check; a later failure in this transaction leaves an
        # unreferenced file, never a row that points at nothing.
        visit.signature.save("signature.png", ContentFile(png), save=False)
    visit.save()
    _case_event(wo, events.VISIT_FINISHED, actor, {"visit": visit.pk, "outcome": outcome}, at)
    audit_record(actor=actor, obj=visit, action="visit.finished",
                 after={"work_order": wo.number, **snapshot(visit, VISIT_AUDITED), "findings": findings,
                        "work_done": work_done, "signature": visit.signature.name or ""})
    return visit


@transaction.atomic
def visit_add_photo(*, visit: Visit, content: bytes, filename: str, actor, caption: str = "",
                    at: datetime | None = None) -> VisitPhoto:
    """A photo taken on the visit, checked by the attachment checker (type sniffed from the
    bytes, size limit); only images."""
    import hashlib

    from aftersales.cases.attachments import IMAGE_TYPES, check_upload

    at = at or timezone.now()
    visit = Visit.objects.select_for_update(of=("self",)).select_related("work_order__case").get(pk=visit.pk)
    checked = check_upload(content, filename)
    if checked.content_type not in IMAGE_TYPES:
        raise ValidationFailed(RepairError.PHOTO_INVALID, _("Only photos can be added to a visit."))
    caption = _text(caption, 300, _("The caption"))
    sha = hashlib.sha256(checked.content).hexdigest()
    photo = VisitPhoto(visit=visit, filename=checked.filename, content_type=checked.content_type,
                       size=checked.size, sha256=sha, caption=caption, uploaded_by=_user(actor), created_at=at)
    photo.file.save(checked.filename, ContentFile(checked.content), save=False)
    photo.save()
    wo = visit.work_order
    _case_event(wo, events.VISIT_PHOTO, actor, {"visit": visit.pk, "photo": photo.pk, "filename": photo.filename}, at)
    audit_record(actor=actor, obj=photo, action="visit.photo_added",
                 after={"work_order": wo.number, "visit": visit.pk, "filename": photo.filename,
                        "content_type": photo.content_type, "size": photo.size, "sha256": sha})
    return photo


@transaction.atomic
def work_order_convert_to_carry_in(*, work_order: WorkOrder, reason: str, actor,
                                   at: datetime | None = None) -> WorkOrder:
    """The job cannot be done at the customer's: the unit comes to the workshop instead."""
    at = at or timezone.now()
    wo = _lock_order(work_order)
    reason = _text(reason, 300, _("The reason"))
    if not reason:
        raise ValidationFailed(RepairError.REASON_REQUIRED, _("Say why the unit comes in for repair."))
    if wo.kind != Kind.ON_SITE:
        raise Conflict(RepairError.NOT_ON_SITE, _("Only an on-site repair can become a carry-in repair."))
    if wo.status not in (Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING_PARTS):
        raise Conflict(RepairError.NOT_WORKABLE, _("Work order %(number)s is not open for work.")
                       % {"number": wo.number})
    if Visit.objects.filter(work_order=wo, departed_at__isnull=True).exists():
        raise Conflict(RepairError.VISIT_OPEN, _("A visit to this customer has not ended yet."))
    wo.kind, wo.updated_at = Kind.CARRY_IN, at
    wo.save(update_fields=["kind", "updated_at"])
    work_order.kind = wo.kind
    _case_event(wo, events.WO_KIND, actor, {"before": Kind.ON_SITE, "after": Kind.CARRY_IN, "reason": reason}, at)
    audit_record(actor=actor, obj=wo, action="work_order.converted_to_carry_in",
                 before={"kind": Kind.ON_SITE}, after={"kind": Kind.CARRY_IN, "reason": reason})
    return wo


# ---- the repair card ----------------------------------------------------------------------------

def _earlier_card(wo: WorkOrder, at: datetime) -> RepairCard | None:
    """The unit's latest repair card closed before `at` (on another work order)."""
    if wo.unit_id is None:
        return None
    return (RepairCard.objects.filter(work_order__unit_id=wo.unit_id, closed_at__isnull=False, closed_at__lte=at)
            .exclude(work_order=wo).select_related("work_order").order_by("-closed_at", "-id").first())


@transaction.atomic
def repair_card_open(*, work_order: WorkOrder, actor, at: datetime | None = None) -> RepairCard:
    """Start the repair record. When the unit was repaired before, the card names that repair
    (the second failure of the same unit)."""
    at = at or timezone.now()
    wo = _lock_order(work_order)
    _require_working(wo)
    if RepairCard.objects.filter(work_order=wo).exists():
        raise Conflict(RepairError.CARD_EXISTS, _("This work order has its repair card already."))
    earlier = _earlier_card(wo, at)
    card = RepairCard.objects.create(work_order=wo, repeat_of=earlier, opened_by=_user(actor), opened_at=at)
    _case_event(wo, events.CARD_OPENED, actor, {
        "card": card.pk, "repeat_of": getattr(earlier, "pk", None),
        "repeat_of_number": earlier.work_order.number if earlier else ""}, at)
    audit_record(actor=actor, obj=card, action="repair.card_opened",
                 after={"work_order": wo.number, "repeat_of": getattr(earlier, "pk", None)})
    return card


@transaction.atomic
def labour_add(*, card: RepairCard, technician, minutes: int, actor, note: str = "",
               at: datetime | None = None) -> LabourEntry:
    at = at or timezone.now()
    card = _lock_card(card)
    wo = card.work_order
    _require_open_card(card)
    _require_working(wo)
    technician = _check_technician(technician)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_LABOUR_MINUTES:
        raise ValidationFailed(RepairError.MINUTES_INVALID, _("Labour is a whole number of minutes from 1 to %(max)d.")
                               % {"max": MAX_LABOUR_MINUTES})
    entry = LabourEntry.objects.create(card=card, technician=technician, minutes=minutes,
                                       note=_text(note, 500, _("The note")), at=at, created_by=_user(actor))
    _case_event(wo, events.LABOUR, actor, {"card": card.pk, "entry": entry.pk, "minutes": minutes,
                                           "technician": str(technician)}, at)
    audit_record(actor=actor, obj=entry, action="repair.labour_added",
                 after={"work_order": wo.number, "technician": technician.pk, "minutes": minutes, "note": entry.note})
    return entry


@transaction.atomic
def part_use(*, card: RepairCard, actor, part=None, location=None, quantity: int | None = None,
             reservation=None, note: str = "", at: datetime | None = None) -> PartUsed:
    """A part fitted in this repair. With a reservation made for this work order: consume it
    (all, or `quantity` of it, the rest released). Otherwise reserve `quantity` of `part` at
    `location` under the work order's number and consume it at once. Stock refusals
    (`out_of_stock`, `part_inactive`, ...) pass through unchanged, and nothing is written."""
    from aftersales.charges.selectors import require_agreement_for_parts
    from aftersales.parts.actions import stock_consume, stock_reserve

    at = at or timezone.now()
    card = _lock_card(card)
    wo = card.work_order
    _require_open_card(card)
    _require_working(wo)
    require_agreement_for_parts(work_order=wo)  # paid (class A) work: an accepted quote first
    note = _text(note, 500, _("The note"))
    if reservation is not None:
        if reservation.reference != wo.number:
            raise Conflict(RepairError.RESERVATION_OTHER, _("Reservation %(id)d was made for %(ref)s, not %(number)s.")
                           % {"id": reservation.pk, "ref": reservation.reference, "number": wo.number})
    else:
        if part is None or location is None or quantity is None:
            raise ValidationFailed(RepairError.INVALID, _("Name a part, a location and a quantity."))
        reservation = stock_reserve(part=part, location=location, quantity=quantity, reference=wo.number,
                                    actor=actor, case=wo.case)
        quantity = None  # all of what was just reserved
    movement = stock_consume(actor=actor, reservation=reservation, quantity=quantity, note=note, at=at)
    used_part = movement.part
    used = PartUsed.objects.create(
        card=card, part=used_part, location=movement.location, quantity=-movement.quantity,
        reservation=reservation, movement=movement, unit_cost=used_part.unit_cost, currency=used_part.currency,
        note=note, at=at, created_by=_user(actor))
    _case_event(wo, events.PART_USED, actor, {"card": card.pk, "part_used": used.pk, "sku": used_part.sku,
                                              "quantity": used.quantity}, at)
    audit_record(actor=actor, obj=used, action="repair.part_used", after={
        "work_order": wo.number, "part": used_part.pk, "location": used.location_id, "quantity": used.quantity,
        "reservation": reservation.pk, "movement": movement.pk, "unit_cost": used.unit_cost})
    return used


@transaction.atomic
def repair_card_close(*, card: RepairCard, result: str, fault_code: str, root_cause: str, actor,
                      at: datetime | None = None) -> RepairCard:
    """The repair is done: its result, fault code and root cause (none needed when no fault was
    found). The work order goes to the supervisor's inspection."""
    at = at or timezone.now()
    card = _lock_card(card)
    wo = card.work_order
    _require_open_card(card)
    if wo.status != Status.IN_PROGRESS:
        raise Conflict(RepairError.NOT_WORKABLE, _("Work order %(number)s is not in progress.")
                       % {"number": wo.number})
    if Visit.objects.filter(work_order=wo, departed_at__isnull=True).exists():
        raise Conflict(RepairError.VISIT_OPEN, _("A visit to this customer has not ended yet."))
    fault_code = _text(fault_code, 40, _("The fault code")).upper()
    root_cause = _text(root_cause, 5000, _("The root cause"))
    if result not in RepairResult.values:
        raise ValidationFailed(RepairError.CARD_INCOMPLETE, _("Choose the result of the repair."))
    if not fault_code or (not root_cause and result != RepairResult.NO_FAULT_FOUND):
        raise ValidationFailed(RepairError.CARD_INCOMPLETE, _("Give the fault code and the root cause."))
    before = snapshot(card, CARD_AUDITED)
    card.result, card.fault_code, card.root_cause = result, fault_code, root_cause
    card.closed_at, card.closed_by = at, _user(actor)
    card.save(update_fields=["result", "fault_code", "root_cause", "closed_at", "closed_by"])
    work_order_move(work_order=wo, target=Status.INSPECTING, actor=actor, at=at)
    _case_event(wo, events.CARD_CLOSED, actor, {"card": card.pk, "result": result, "fault_code": fault_code}, at)
    audit_record(actor=actor, obj=card, action="repair.card_closed", before=before,
                 after={"work_order": wo.number, **snapshot(card, CARD_AUDITED)})
    return card


@transaction.atomic
def inspection_record(*, card: RepairCard, outcome: str, actor, note: str = "",
                      at: datetime | None = None) -> Inspection:
    """A supervisor passes the repair (work order ready for hand-back) or sends it back with a
    note (work order in progress again, the card open again). Every inspection is kept."""
    require(actor, Op.REPAIR_INSPECT)
    at = at or timezone.now()
    card = _lock_card(card)
    wo = card.work_order
    if outcome not in InspectionOutcome.values:
        raise ValidationFailed(RepairError.INSPECTION_OUTCOME_INVALID, _("Choose passed or sent back."))
    note = _text(note, 2000, _("The note"))
    if card.closed_at is None:
        raise Conflict(RepairError.CARD_NOT_CLOSED, _("The repair card is not closed yet; nothing to inspect."))
    if wo.status != Status.INSPECTING:
        raise Conflict(RepairError.INVALID_TRANSITION, _("Work order %(number)s is not waiting for inspection.")
                       % {"number": wo.number})
    if outcome == InspectionOutcome.SENT_BACK and not note:
        raise ValidationFailed(RepairError.REASON_REQUIRED, _("Say what must be put right."))
    inspection = Inspection.objects.create(card=card, inspector=actor, outcome=outcome, note=note, at=at)
    data: dict[str, Any] = {"card": card.pk, "inspection": inspection.pk, "outcome": outcome, "note": note}
    if outcome == InspectionOutcome.PASSED:
        work_order_move(work_order=wo, target=Status.READY, actor=actor, at=at, inspected=True)
    else:
        card.closed_at, card.closed_by = None, None
        card.save(update_fields=["closed_at", "closed_by"])
        work_order_move(work_order=wo, target=Status.IN_PROGRESS, actor=actor, at=at)
    _case_event(wo, events.INSPECTED, actor, data, at)
    audit_record(actor=actor, obj=inspection, action=f"repair.inspection_{outcome}",
                 after={"work_order": wo.number, **data})
    return inspection
