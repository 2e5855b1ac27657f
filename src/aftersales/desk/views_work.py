"""The work records of a work order in the desk: the technician's visit screen (arrive, add
photos, finish with the customer's drawn signature or a refusal, turn a failed on-site job
into a carry-in), the repair card panel and the inspection on the work order page, the
supervisors' inspection queue, and the stored signature and photos (served only to those who
may see the work order).

Each write parses the form, fetches through `access_work_order` (404 for what the person may
not see), checks the role, calls one action and re-renders its part; a refusal is shown next to
its form with its 4xx status (or as a message without htmx) and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from aftersales.accounts.access import require
from aftersales.accounts.models import User
from aftersales.accounts.permissions import Op, can
from aftersales.cases.attachments import protected_file_response
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.desk.access import staff_required
from aftersales.desk.selectors_repairs import access_work_order
from aftersales.desk.selectors_work import inspection_queue, visit_of, visit_screen
from aftersales.desk.views_repairs import _write
from aftersales.desk.work_order_writes import write_and_redraw
from aftersales.parts.models import Part, Reservation, ReservationState, StockLocation
from aftersales.repairs import actions_work
from aftersales.repairs.errors import RepairError
from aftersales.repairs.models import WorkOrder
from aftersales.repairs.models_work import RepairCard, Visit, VisitOutcome, VisitPhoto

CHOICE_LENGTH = 40
ID_LENGTH = 20
# A refused sign-off keeps what was drawn when it is a PNG data URL of an acceptable size.
SIGNATURE_ECHO = (actions_work.SIGNATURE_MAX_BYTES + 2) // 3 * 4 + len(actions_work.DATA_URL_PREFIX)


def _choice(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "")[:CHOICE_LENGTH]


def _text(request: HttpRequest, name: str) -> str:
    """Free text as posted: the action checks its length and refuses NUL with its own message."""
    return request.POST.get(name, "")


# ---- the visit screen ---------------------------------------------------------------------------

def _visit_context(request: HttpRequest, wo: WorkOrder, *, error: str | None = None, error_for: str = "",
                   posted=None) -> dict:
    posted = posted if error else None
    signature = ""
    if posted is not None:
        raw = posted.get("signature", "")
        if len(raw) <= SIGNATURE_ECHO and raw.startswith(actions_work.DATA_URL_PREFIX):
            signature = raw
    screen = visit_screen(wo)
    on_site = screen.has_visits_kind and screen.open_visit is not None
    shown = {"start": screen.has_visits_kind and screen.open_visit is None, "finish": on_site, "photo": on_site,
             "carry_in": screen.may_convert}
    return {
        "wo": wo, "screen": screen, "outcomes": VisitOutcome.choices,
        "may_manage": can(request.user, Op.REPAIR_MANAGE),
        "error": error, "error_for": error_for, "posted": posted, "signature": signature,
        # a refusal of a form the screen no longer shows (a visit finished twice) goes at the top
        "stray_error": error if error and not shown.get(error_for, False) else None,
        "posted_outcome": (posted or {}).get("outcome", VisitOutcome.SIGNED_OFF),
    }


@staff_required
@require_GET
def visit_page(request: HttpRequest, work_order_id: int) -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    return render(request, "desk/repairs/work/visit.html", _visit_context(request, wo))


def _visit_write(request: HttpRequest, work_order_id: int, form: str, apply: Callable[[WorkOrder], object],
                 *, done: str = "") -> HttpResponse:
    """Run one write from the visit screen and answer with the screen's main part redrawn."""
    return write_and_redraw(request, work_order_id, form, apply, page="desk:visit",
                            template="desk/repairs/work/partials/visit_main.html", context=_visit_context, done=done)


@staff_required
@require_POST
def visit_start(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _visit_write(request, work_order_id, "start",
                        lambda wo: actions_work.visit_start(work_order=wo, actor=request.user))


@staff_required
@require_POST
def visit_finish(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        visit = visit_of(wo, request.POST.get("visit", "")[:ID_LENGTH])
        actions_work.visit_finish(
            visit=visit, outcome=_choice(request, "outcome"), actor=request.user,
            findings=_text(request, "findings"), work_done=_text(request, "work_done"),
            signed_by=_text(request, "signed_by"), signature=request.POST.get("signature", ""),
            refusal_reason=_text(request, "refusal_reason"))

    return _visit_write(request, work_order_id, "finish", apply, done=_("The visit is recorded."))


@staff_required
@require_POST
def visit_photo_add(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        visit = visit_of(wo, request.POST.get("visit", "")[:ID_LENGTH])
        upload = request.FILES.get("photo")
        if upload is None:
            raise ValidationFailed(RepairError.PHOTO_INVALID, _("Choose a photo to add."))
        # at most one byte over the limit is read: the checker refuses it as too large
        content = upload.read(settings.AFTERSALES_MAX_UPLOAD_BYTES + 1)
        actions_work.visit_add_photo(visit=visit, content=content, filename=upload.name or "",
                                     caption=_text(request, "caption"), actor=request.user)

    return _visit_write(request, work_order_id, "photo", apply)


@staff_required
@require_POST
def convert_to_carry_in(request: HttpRequest, work_order_id: int) -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    try:
        require(request.user, Op.REPAIR_MANAGE)
        actions_work.work_order_convert_to_carry_in(work_order=wo, reason=_text(request, "reason"),
                                                    actor=request.user)
    except DomainError as exc:
        if not request.htmx:
            messages.error(request, str(exc.detail))
            return redirect("desk:visit", work_order_id=wo.pk)
        context = _visit_context(request, wo, error=str(exc.detail), error_for="carry_in", posted=request.POST)
        return render(request, "desk/repairs/work/partials/visit_main.html", context, status=exc.status)
    messages.success(request, _("%(number)s is now a carry-in repair: take the item in and issue a receipt.")
                     % {"number": wo.number})
    url = reverse("desk:work_order", kwargs={"work_order_id": wo.pk})
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# ---- the stored signature and photos ------------------------------------------------------------

def _inline_image(field, content_type: str, filename: str) -> FileResponse:
    return protected_file_response(field, content_type=content_type, filename=filename, inline=True, max_age=3600)


@staff_required
@require_GET
def visit_signature(request: HttpRequest, work_order_id: int, visit_id: int) -> FileResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    visit = Visit.objects.filter(work_order=wo, pk=visit_id).exclude(signature="").first()
    if visit is None:
        raise Http404
    return _inline_image(visit.signature, "image/png", f"{wo.number}-signature-{visit.pk}.png")


@staff_required
@require_GET
def visit_photo(request: HttpRequest, work_order_id: int, photo_id: int) -> FileResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    photo = VisitPhoto.objects.filter(visit__work_order=wo, pk=photo_id).first()
    if photo is None or not photo.content_type.startswith("image/"):
        raise Http404
    return _inline_image(photo.file, photo.content_type, photo.filename)


# ---- the repair card and its inspection (on the work order page) ----------------------------------

def _card_of(wo: WorkOrder, raw: str) -> RepairCard:
    card_id = ascii_int(raw[:ID_LENGTH])
    card = RepairCard.objects.filter(work_order=wo, pk=card_id).first() if card_id is not None else None
    if card is None:
        raise ValidationFailed(RepairError.INVALID, _("That repair card is not this work order's."))
    return card


@staff_required
@require_POST
def card_open(request: HttpRequest, work_order_id: int) -> HttpResponse:
    return _write(request, work_order_id, "card_open",
                  lambda wo: actions_work.repair_card_open(work_order=wo, actor=request.user))


@staff_required
@require_POST
def labour_add(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        card = _card_of(wo, request.POST.get("card", ""))
        technician_id = ascii_int(request.POST.get("technician", "")[:ID_LENGTH])
        technician = User.objects.filter(pk=technician_id).first() if technician_id is not None else None
        minutes = ascii_int(request.POST.get("minutes", "")[:ID_LENGTH], max_digits=6)
        actions_work.labour_add(card=card, technician=technician, minutes=minutes, note=_text(request, "note"),
                                actor=request.user)

    return _write(request, work_order_id, "labour", apply)


def _reservation_of(wo: WorkOrder, raw: str) -> Reservation:
    reservation_id = ascii_int(raw[:ID_LENGTH])
    reservation = (Reservation.objects.filter(pk=reservation_id, reference=wo.number).first()
                   if reservation_id is not None else None)
    if reservation is None:
        raise ValidationFailed(RepairError.RESERVATION_OTHER, _("Choose one of the reservations made for %(number)s.")
                               % {"number": wo.number})
    if reservation.state != ReservationState.ACTIVE:
        raise ValidationFailed(RepairError.RESERVATION_OTHER, _("Reservation %(id)d has been used or released.")
                               % {"id": reservation.pk})
    return reservation


def _stock_of(raw: str) -> tuple[Part, StockLocation]:
    """A "part:location" value from the stock list."""
    part_raw, _sep, location_raw = raw[:2 * ID_LENGTH + 1].partition(":")
    part_id, location_id = ascii_int(part_raw), ascii_int(location_raw)
    part = Part.objects.filter(pk=part_id).first() if part_id is not None else None
    location = StockLocation.objects.filter(pk=location_id).first() if location_id is not None else None
    if part is None or location is None:
        raise ValidationFailed(RepairError.INVALID, _("Choose a part and where it is taken from."))
    return part, location


@staff_required
@require_POST
def part_use(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """A part fitted: from a reservation made for this work order (`reservation`, optionally
    `quantity` of it), or `quantity` of a part taken from a location (`stock`)."""
    reserved = "reservation" in request.POST

    def apply(wo: WorkOrder) -> None:
        require(request.user, Op.PARTS_MOVE)
        card = _card_of(wo, request.POST.get("card", ""))
        raw_quantity = request.POST.get("quantity", "").strip()[:ID_LENGTH]
        quantity = ascii_int(raw_quantity, max_digits=7)
        if (raw_quantity or not reserved) and (quantity is None or quantity < 1):
            raise ValidationFailed(RepairError.INVALID, _("The quantity is a whole number from 1 up."))
        if reserved:
            actions_work.part_use(card=card, reservation=_reservation_of(wo, request.POST["reservation"]),
                                  quantity=quantity, note=_text(request, "note"), actor=request.user)
        else:
            part, location = _stock_of(request.POST.get("stock", ""))
            actions_work.part_use(card=card, part=part, location=location, quantity=quantity,
                                  note=_text(request, "note"), actor=request.user)

    return _write(request, work_order_id, "part_reserved" if reserved else "part_stock", apply)


@staff_required
@require_POST
def card_close(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        actions_work.repair_card_close(
            card=_card_of(wo, request.POST.get("card", "")), result=_choice(request, "result"),
            fault_code=_text(request, "fault_code"), root_cause=_text(request, "root_cause"), actor=request.user)

    return _write(request, work_order_id, "card_close", apply)


@staff_required
@require_POST
def inspect(request: HttpRequest, work_order_id: int) -> HttpResponse:
    def apply(wo: WorkOrder) -> None:
        require(request.user, Op.REPAIR_INSPECT)
        actions_work.inspection_record(card=_card_of(wo, request.POST.get("card", "")),
                                       outcome=_choice(request, "outcome"), note=_text(request, "note"),
                                       actor=request.user)

    return _write(request, work_order_id, "inspect", apply)


# ---- the supervisors' inspection queue ------------------------------------------------------------

@staff_required
@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Op.REPAIR_INSPECT):
        raise PermissionDenied  # the 403 page, as for the guarantee claims queue
    return render(request, "desk/repairs/work/inspections.html", {"queue": inspection_queue(user=request.user)})
