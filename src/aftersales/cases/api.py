from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from aftersales.accounts.access import require
from aftersales.accounts.models import Team, User
from aftersales.accounts.permissions import Op
from aftersales.cases import actions
from aftersales.cases.access import access_case, check_transition_allowed
from aftersales.cases.attachments import check_uploaded_file, protected_file_response
from aftersales.cases.errors import CaseError
from aftersales.cases.events import event_text
from aftersales.cases.models import Case, CaseEntry, Channel, EntryKind
from aftersales.cases.schemas import (
    AttachmentOut,
    CaseCreateIn,
    CaseListOut,
    CaseOut,
    CasePatchIn,
    CaseTypeIn,
    ChannelIn,
    EntryOut,
    MessageIn,
    SeverityIn,
    StatusIn,
)
from aftersales.cases.selectors import CaseFilters, case_attachment, case_list, case_timeline, with_case_details
from aftersales.catalog.access import access_purchase, access_unit
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.schemas import ERRORS, RowId
from aftersales.customers.access import access_customer, customer_of
from aftersales.sla.selectors_clock import AT_RISK_MINUTES, case_sla

router = Router(tags=["cases"])


def case_out(case: Case, user=None) -> dict[str, Any]:
    """The case as the API shows it; its SLA clocks are the staff's (a customer sees an empty list)."""
    internal = user is not None and not getattr(user, "is_customer", True)
    return {
        "id": case.pk, "number": case.number, "subject": case.subject, "type": case.type,
        "severity": case.severity, "channel": case.channel, "status": case.status,
        "status_label": str(case.get_status_display()), "language": case.language,
        "customer": {"id": case.customer.pk, "name": case.customer.name, "tier": case.customer.tier},
        "unit": ({"id": case.unit.pk, "serial_number": case.unit.serial_number,
                  "product_model_id": case.unit.product_model_id} if case.unit else None),
        "product_model_id": case.product_model_id,
        "purchase": ({"id": case.purchase.pk, "order_number": case.purchase.order_number,
                      "channel": case.purchase.channel} if case.purchase else None),
        "assignee": {"id": case.assignee.pk, "name": str(case.assignee)} if case.assignee else None,
        "team": {"id": case.team.pk, "code": case.team.code, "name": case.team.name} if case.team else None,
        "tags": sorted(t.name for t in case.tags.all()),
        "created_at": case.created_at, "updated_at": case.updated_at,
        "first_response_at": case.first_response_at, "resolved_at": case.resolved_at,
        "closed_at": case.closed_at, "reopen_count": case.reopen_count,
        "sla": [{**asdict(v), "at_risk": v.at_risk} for v in case_sla(case, timezone.now())] if internal else [],
    }


def entry_out(entry: CaseEntry) -> dict[str, Any]:
    return {
        "id": entry.pk, "kind": entry.kind, "is_public": entry.is_public,
        "author": {"id": entry.author.pk, "name": str(entry.author)} if entry.author else None,
        "from_customer": entry.from_customer, "body": entry.body, "language": entry.language,
        "event": entry.event, "text": event_text(entry) if entry.kind == EntryKind.EVENT else entry.body,
        "created_at": entry.created_at,
        "attachments": [
            {"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size,
             "is_public": a.is_public, "url": f"/api/v1/cases/{entry.case_id}/attachments/{a.pk}"}
            for a in entry.attachments.all()
        ],
    }


def _reload(case_id: int) -> Case:
    return with_case_details(Case.objects.filter(pk=case_id)).get()


def _staff_lookup(model, pk: int | None, code: str, message: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(code, message)
    return found


class CaseListQuery(Schema):
    status: list[StatusIn] | None = None  # type: ignore[valid-type]
    type: list[CaseTypeIn] | None = None  # type: ignore[valid-type]
    severity: list[SeverityIn] | None = None  # type: ignore[valid-type]
    channel: list[ChannelIn] | None = None  # type: ignore[valid-type]
    team: RowId | None = None
    assignee: RowId | None = None
    unassigned: bool = False
    customer: RowId | None = None
    product: RowId | None = None
    tag: str | None = Field(None, max_length=50)
    number: str | None = Field(None, max_length=24)
    updated_since: datetime | None = None
    order: Literal["newest", "oldest", "due"] = "newest"
    at_risk: bool = False
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


@router.get("/cases", response={200: CaseListOut, **ERRORS}, summary="List cases")
def list_cases(request: HttpRequest, q: Query[CaseListQuery]):
    """Newest activity first (`order=oldest` for the other way; `order=due` for the soonest SLA due instant
    first, and `at_risk=true` for only the cases overdue or due within two hours). Filters combine with AND;
    repeat a list filter for OR
    (`?status=open&status=new`). Follow `next_cursor` for the next page."""
    if q.updated_since is not None and q.updated_since.tzinfo is None:
        raise ValidationFailed("invalid_input", _("updated_since needs a time zone, e.g. 2026-01-01T00:00:00Z."))
    filters = CaseFilters(
        status=q.status, type=q.type, severity=q.severity, channel=q.channel, team=q.team, assignee=q.assignee,
        unassigned=q.unassigned, customer=q.customer, product=q.product, tag=q.tag, number=q.number,
        updated_since=q.updated_since,
        due_before=timezone.now() + timedelta(minutes=AT_RISK_MINUTES) if q.at_risk else None,
    )
    page = case_list(user=request.auth, filters=filters, cursor=q.cursor, limit=q.limit, order=q.order)
    return {"items": [case_out(c, request.auth) for c in page.items], "next_cursor": page.next_cursor}


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseCreateIn):
    user: User = request.auth
    if user.is_customer:
        require(user, Op.CASE_CREATE_OWN)
        customer = customer_of(user)
        if customer is None or payload.customer_id not in (None, customer.pk):
            raise Http404
        staff_only = [payload.team_id, payload.assignee_id] + ([payload.tags] if payload.tags else [])
        if any(v is not None for v in staff_only):
            raise DomainError("permission_denied", _("Your role does not allow this."), status=403)
        channel = payload.channel or Channel.PORTAL
    else:
        require(user, Op.CASE_CREATE_FOR_CUSTOMER)
        if payload.customer_id is None:
            raise ValidationFailed(CaseError.CASE_INVALID, _("customer_id is required."))
        customer = access_customer(user=user, customer_id=payload.customer_id)
        channel = payload.channel or Channel.API
    unit = access_unit(user=user, unit_id=payload.unit_id) if payload.unit_id else None
    purchase = access_purchase(user=user, purchase_id=payload.purchase_id) if payload.purchase_id else None
    team = _staff_lookup(Team, payload.team_id, CaseError.TEAM_INVALID, _("Unknown team."))
    assignee = _staff_lookup(User, payload.assignee_id, CaseError.ASSIGNEE_INVALID, _("Unknown assignee."))
    case = actions.case_open(
        customer=customer, subject=payload.subject, body=payload.body, type=payload.type,
        severity=payload.severity, channel=channel, language=payload.language, unit=unit, purchase=purchase,
        team=team, assignee=assignee, tags=payload.tags, actor=user,
    )
    return Status(201, case_out(_reload(case.pk), request.auth))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="Read a case")
def read_case(request: HttpRequest, case_id: int):
    case = access_case(user=request.auth, case_id=case_id)
    return case_out(_reload(case.pk), request.auth)


@router.patch("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="Change a case")
def update_case(request: HttpRequest, case_id: int, payload: CasePatchIn):
    """Change status, assignee, team, type, severity, subject, language, unit, purchase or tags.
    All changes in one call succeed together or not at all."""
    user: User = request.auth
    sent = payload.model_fields_set
    with transaction.atomic():
        case = access_case(user=user, case_id=case_id, for_update=True)
        fields: dict[str, Any] = {}
        for name in ("type", "severity", "subject", "language"):
            if name in sent:
                require(user, Op.CASE_CLASSIFY)
                if getattr(payload, name) is None:
                    raise ValidationFailed("invalid_input", _("%(f)s cannot be empty.") % {"f": name})
                fields[name] = getattr(payload, name)
        if "unit_id" in sent:
            require(user, Op.CASE_CLASSIFY)
            fields["unit"] = access_unit(user=user, unit_id=payload.unit_id) if payload.unit_id else None
        if "purchase_id" in sent:
            require(user, Op.CASE_CLASSIFY)
            fields["purchase"] = (access_purchase(user=user, purchase_id=payload.purchase_id)
                                  if payload.purchase_id else None)
        if fields:
            actions.case_set_fields(case=case, actor=user, **fields)
        if "team_id" in sent:
            require(user, Op.CASE_ASSIGN)
            team = _staff_lookup(Team, payload.team_id, CaseError.TEAM_INVALID, _("Unknown team."))
            actions.case_set_team(case=case, team=team, actor=user)
        if "assignee_id" in sent:
            require(user, Op.CASE_ASSIGN)
            assignee = _staff_lookup(User, payload.assignee_id, CaseError.ASSIGNEE_INVALID, _("Unknown assignee."))
            actions.case_assign(case=case, assignee=assignee, actor=user)
        if "tags" in sent:
            require(user, Op.CASE_TAG)
            actions.case_set_tags(case=case, names=payload.tags or [], actor=user)
        if "status" in sent:
            if payload.status is None:
                raise ValidationFailed("invalid_input", _("status cannot be empty."))
            check_transition_allowed(user, case, payload.status)
            actions.case_change_status(case=case, target=payload.status, actor=user)
    return case_out(_reload(case.pk), request.auth)


@router.get("/cases/{case_id}/timeline", response={200: list[EntryOut], **ERRORS}, summary="Read the timeline")
def read_timeline(request: HttpRequest, case_id: int):
    case = access_case(user=request.auth, case_id=case_id)
    return [entry_out(e) for e in case_timeline(user=request.auth, case=case)]


@router.post("/cases/{case_id}/messages", response={201: EntryOut, **ERRORS}, summary="Post a message or note")
def post_message(request: HttpRequest, case_id: int, payload: MessageIn):
    user: User = request.auth
    with transaction.atomic():
        case = access_case(user=user, case_id=case_id, for_update=True)
        require(user, Op.CASE_NOTE if payload.internal else Op.CASE_REPLY)
        entry = actions.case_post_message(case=case, actor=user, body=payload.body, public=not payload.internal,
                                          language=payload.language)
    entry = CaseEntry.objects.select_related("author").prefetch_related("attachments").get(pk=entry.pk)
    return Status(201, entry_out(entry))


@router.post("/cases/{case_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="Upload a file")
def upload_attachment(request: HttpRequest, case_id: int, file: File[UploadedFile], internal: Form[bool] = False):
    """Multipart upload (`file`, optional `internal`). The type is read from the bytes; photos,
    PDF, video, audio and plain text are accepted."""
    user: User = request.auth
    case = access_case(user=user, case_id=case_id)
    require(user, Op.CASE_NOTE if internal else Op.CASE_ATTACH)
    checked = check_uploaded_file(file)
    with transaction.atomic():
        case = access_case(user=user, case_id=case.pk, for_update=True)
        attachment = actions.case_attach(case=case, actor=user, checked=checked, public=not internal)
    return Status(201, {"id": attachment.pk, "filename": attachment.filename, "content_type": attachment.content_type,
                 "size": attachment.size, "is_public": attachment.is_public,
                 "url": f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}"})


@router.get("/cases/{case_id}/attachments/{attachment_id}", response={200: None, **ERRORS},
            summary="Download a file")
def download_attachment(request: HttpRequest, case_id: int, attachment_id: int):
    case = access_case(user=request.auth, case_id=case_id)
    attachment = case_attachment(user=request.auth, case=case, attachment_id=attachment_id)
    if attachment is None:
        raise Http404
    return protected_file_response(attachment.file, content_type=attachment.content_type,
                                   filename=attachment.filename, inline=attachment.content_type.startswith("image/"))
