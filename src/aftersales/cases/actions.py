"""Every write to a case. Each one checks the domain rules, writes a timeline event and an
audit row in the same transaction, and bumps `updated_at`.

Callers (API endpoints, pages, channel adapters) have already fetched the case through
`access_case` and checked the role with `access.require`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import Role, Team, User
from aftersales.cases import workflow
from aftersales.cases.attachments import CheckedFile
from aftersales.cases.errors import CaseError
from aftersales.cases.events import event_write, person_ref
from aftersales.cases.models import (
    Attachment,
    Case,
    CaseEntry,
    CaseType,
    Channel,
    EntryKind,
    Severity,
    Status,
    Tag,
)
from aftersales.cases.numbering import reserve_case_numbers
from aftersales.cases.signals import (
    case_fields_changed,
    case_message_posted,
    case_opened,
    case_status_changed,
)
from aftersales.core.api_parser import reject_unstorable_text
from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed

MAX_SUBJECT = 300
MAX_BODY = 50_000
MAX_TAGS = 20
AUDITED = ["status", "type", "severity", "channel", "assignee", "team", "subject", "language", "unit", "purchase"]
LANGUAGE_CODES = {code for code, _n in settings.LANGUAGES}


def _choice(value: str, choices, code: str, what: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(code, _("Unknown %(what)s: %(value)s") % {"what": what, "value": value})
    return value


def _clean_subject(subject: str) -> str:
    reject_unstorable_text(subject or "")
    subject = " ".join((subject or "").split())
    if not subject:
        raise ValidationFailed(CaseError.CASE_INVALID, _("A case needs a subject."))
    if len(subject) > MAX_SUBJECT:
        raise ValidationFailed(CaseError.CASE_INVALID, _("The subject is longer than %(n)d characters.")
                               % {"n": MAX_SUBJECT})
    return subject


def _clean_body(body: str, *, allow_empty: bool) -> str:
    reject_unstorable_text(body or "")  # pages reach here without the API's parser: no NUL for PostgreSQL
    body = (body or "").strip()
    if not body and not allow_empty:
        raise ValidationFailed(CaseError.MESSAGE_EMPTY, _("The message is empty."))
    if len(body) > MAX_BODY:
        raise ValidationFailed(CaseError.MESSAGE_TOO_LONG, _("The message is longer than %(n)d characters.")
                               % {"n": MAX_BODY})
    return body


def _clean_language(language: str) -> str:
    if language not in LANGUAGE_CODES:
        raise ValidationFailed(CaseError.CASE_INVALID, _("Unknown language: %(l)s") % {"l": language})
    return language


def _check_links(customer, unit, purchase) -> None:
    if unit is not None and unit.customer_id not in (None, customer.pk):
        raise ValidationFailed(CaseError.UNIT_INVALID, _("That unit belongs to another customer."))
    if purchase is not None and purchase.customer_id != customer.pk:
        raise ValidationFailed(CaseError.PURCHASE_INVALID, _("That purchase belongs to another customer."))


def _check_assignee(assignee: User | None) -> None:
    if assignee is not None and (not assignee.is_active or assignee.role == Role.CUSTOMER):
        raise ValidationFailed(CaseError.ASSIGNEE_INVALID, _("Cases can only be assigned to active staff."))


def _touch(case: Case, at: datetime) -> None:
    case.updated_at = max(case.updated_at, at) if case.updated_at else at


def product_model_of(unit, purchase) -> int | None:
    """The product a case is about, for the desk's product filter: the unit's model, else
    the purchase's when all its lines are one model."""
    if unit is not None:
        return unit.product_model_id
    if purchase is not None:
        models_bought = set(purchase.lines.order_by().values_list("product_model_id", flat=True).distinct()[:2])
        if len(models_bought) == 1:
            return models_bought.pop()
    return None


@transaction.atomic
def case_open(
    *,
    customer,
    subject: str,
    actor,
    body: str = "",
    type: str = CaseType.CONSULTATION,
    severity: str = Severity.ORDINARY,
    channel: str = Channel.PORTAL,
    language: str | None = None,
    unit=None,
    purchase=None,
    team: Team | None = None,
    assignee: User | None = None,
    tags: Iterable[str] = (),
    attachments: Iterable[CheckedFile] = (),
    opening_from_customer: bool = True,
    at: datetime | None = None,
) -> Case:
    """Open a case. `body` is the customer's description (`opening_from_customer`), or the
    staff's own words when they open a case of their own accord."""
    at = at or timezone.now()
    subject = _clean_subject(subject)
    body = _clean_body(body, allow_empty=True)
    _choice(type, CaseType, CaseError.CASE_INVALID, _("type"))
    _choice(severity, Severity, CaseError.CASE_INVALID, _("severity"))
    _choice(channel, Channel, CaseError.CASE_INVALID, _("channel"))
    language = _clean_language(language or customer.language)
    _check_links(customer, unit, purchase)
    _check_assignee(assignee)
    if team is None:
        team = Team.objects.filter(is_default=True).first()
    year = timezone.localtime(at).year
    case = Case.objects.create(
        number=reserve_case_numbers(year)[0], subject=subject, type=type, severity=severity, channel=channel,
        language=language, customer=customer, unit=unit, purchase=purchase, team=team, assignee=assignee,
        product_model_id=product_model_of(unit, purchase),
        created_by=actor if getattr(actor, "pk", None) else None, created_at=at, updated_at=at,
    )
    if unit is not None and unit.customer_id is None:
        unit.__class__.objects.filter(pk=unit.pk).update(customer=customer)
    event_write(case=case, event="created", actor=actor, data={"channel": channel}, at=at)
    tag_names = _clean_tags(tags)
    if tag_names:
        case.tags.set(_tags_by_name(tag_names))
    if body or attachments:
        _entry_write(case=case, actor=actor, body=body, public=True, from_customer=opening_from_customer,
                     language=language, attachments=list(attachments), at=at)
    audit_record(actor=actor, obj=case, action="case.opened", after={**snapshot(case, AUDITED), "tags": tag_names})
    case_opened.send(sender=Case, case=case, at=at, actor=actor)
    return case


@transaction.atomic
def case_change_status(*, case: Case, target: str, actor, at: datetime | None = None) -> Case:
    at = at or timezone.now()
    _choice(target, Status, CaseError.INVALID_TRANSITION, _("status"))
    source = case.status
    if source == target:
        return case
    if not workflow.can_move(source, target):
        raise Conflict(CaseError.INVALID_TRANSITION, _("A case cannot go from “%(a)s” to “%(b)s”.")
                       % {"a": _status_label(source), "b": _status_label(target)})
    before = snapshot(case, ["status", "resolved_at", "closed_at", "reopen_count"])
    case.status = target
    case.is_open = target not in workflow.DONE
    if target == workflow.RESOLVED:
        case.resolved_at = at
    elif target == workflow.CLOSED:
        case.closed_at = at
        case.resolved_at = case.resolved_at or at
    elif workflow.is_reopen(source, target):
        case.resolved_at = None
        case.closed_at = None
        case.reopen_count += 1
    _touch(case, at)
    case.save(update_fields=["status", "is_open", "resolved_at", "closed_at", "reopen_count", "updated_at"])
    event_write(case=case, event="status_changed", actor=actor, data={"before": source, "after": target}, at=at)
    if workflow.is_reopen(source, target):
        event_write(case=case, event="reopened", actor=actor, data={}, at=at)
    audit_changes(actor=actor, obj=case, action="case.status_changed", before=before,
                  after=snapshot(case, ["status", "resolved_at", "closed_at", "reopen_count"]))
    case_status_changed.send(sender=Case, case=case, at=at, actor=actor, source=source, target=target,
                             reopened=workflow.is_reopen(source, target))
    return case


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


@transaction.atomic
def case_assign(*, case: Case, assignee: User | None, actor, at: datetime | None = None) -> Case:
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    _check_assignee(assignee)
    at = at or timezone.now()
    before = snapshot(case, ["assignee"])
    previous = case.assignee
    case.assignee = assignee
    _touch(case, at)
    case.save(update_fields=["assignee", "updated_at"])
    event_write(case=case, event="assigned", actor=actor,
                data={"before": person_ref(previous), "after": person_ref(assignee)}, at=at)
    audit_changes(actor=actor, obj=case, action="case.assigned", before=before, after=snapshot(case, ["assignee"]))
    case_fields_changed.send(sender=Case, case=case, at=at, actor=actor,
                             changed={"assignee": (getattr(previous, "pk", None), case.assignee_id)})
    return case


def _team_ref(team: Team | None) -> dict[str, Any] | None:
    return {"id": team.pk, "name": team.name} if team else None


@transaction.atomic
def case_set_team(*, case: Case, team: Team | None, actor, at: datetime | None = None) -> Case:
    if case.team_id == (team.pk if team else None):
        return case
    at = at or timezone.now()
    before = snapshot(case, ["team"])
    previous = case.team
    case.team = team
    _touch(case, at)
    case.save(update_fields=["team", "updated_at"])
    event_write(case=case, event="team_changed", actor=actor,
                data={"before": _team_ref(previous), "after": _team_ref(team)}, at=at)
    audit_changes(actor=actor, obj=case, action="case.team_changed", before=before, after=snapshot(case, ["team"]))
    case_fields_changed.send(sender=Case, case=case, at=at, actor=actor,
                             changed={"team": (getattr(previous, "pk", None), case.team_id)})
    return case


@transaction.atomic
def case_set_fields(*, case: Case, actor, at: datetime | None = None, **changes: Any) -> Case:
    """Type, severity, subject, language, unit and purchase: one event per field changed."""
    at = at or timezone.now()
    allowed = {"type", "severity", "subject", "language", "unit", "purchase"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(CaseError.CASE_INVALID, _("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "type" in changes:
        _choice(changes["type"], CaseType, CaseError.CASE_INVALID, _("type"))
    if "severity" in changes:
        _choice(changes["severity"], Severity, CaseError.CASE_INVALID, _("severity"))
    if "subject" in changes:
        changes["subject"] = _clean_subject(changes["subject"])
    if "language" in changes:
        _clean_language(changes["language"])
    _check_links(case.customer, changes.get("unit", case.unit), changes.get("purchase", case.purchase))
    before = snapshot(case, AUDITED)
    events = []
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in changes.items():
        old = getattr(case, name)
        if old == value:
            continue
        setattr(case, name, value)
        changed[name] = (getattr(old, "pk", old), getattr(value, "pk", value))
        data: dict[str, Any] = {"before": getattr(old, "pk", old), "after": getattr(value, "pk", value)}
        if name in ("unit", "purchase"):
            data["after_label"] = str(value) if value is not None else None
        events.append((f"{name}_changed", data))
    if not events:
        return case
    case.product_model_id = product_model_of(case.unit, case.purchase)
    _touch(case, at)
    case.save()
    for event, data in events:
        event_write(case=case, event=event, actor=actor, data=data, at=at)
    audit_changes(actor=actor, obj=case, action="case.updated", before=before, after=snapshot(case, AUDITED))
    case_fields_changed.send(sender=Case, case=case, at=at, actor=actor, changed=changed)
    return case


def _clean_tags(names: Iterable[str]) -> list[str]:
    clean: list[str] = []
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        if len(name) > 50:
            raise ValidationFailed(CaseError.TAG_INVALID, _("A tag is longer than 50 characters."))
        if name not in clean:
            clean.append(name)
    if len(clean) > MAX_TAGS:
        raise ValidationFailed(CaseError.TOO_MANY_TAGS, _("A case can have at most %(n)d tags.") % {"n": MAX_TAGS})
    return clean


def _tags_by_name(names: list[str]) -> list[Tag]:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    return [existing[n] for n in names]


@transaction.atomic
def case_set_tags(*, case: Case, names: Iterable[str], actor, at: datetime | None = None) -> Case:
    at = at or timezone.now()
    wanted = _clean_tags(names)
    current = sorted(case.tags.values_list("name", flat=True))
    added = [n for n in wanted if n not in current]
    removed = [n for n in current if n not in wanted]
    if not added and not removed:
        return case
    case.tags.set(_tags_by_name(wanted))
    _touch(case, at)
    case.save(update_fields=["updated_at"])
    event_write(case=case, event="tags_changed", actor=actor, data={"added": added, "removed": removed}, at=at)
    audit_record(actor=actor, obj=case, action="case.tags_changed", before={"tags": current},
                 after={"tags": sorted(wanted)})
    return case


def _entry_write(*, case: Case, actor, body: str, public: bool, from_customer: bool, language: str,
                 attachments: list[CheckedFile], at: datetime) -> CaseEntry:
    entry = CaseEntry.objects.create(
        case=case, kind=EntryKind.MESSAGE if public else EntryKind.NOTE, is_public=public,
        author=actor if getattr(actor, "pk", None) else None, from_customer=from_customer, body=body,
        language=language, created_at=at,
    )
    for checked in attachments:
        _attachment_store(case=case, entry=entry, checked=checked, actor=actor, public=public)
    return entry


def _attachment_store(*, case: Case, entry: CaseEntry | None, checked: CheckedFile, actor, public: bool) -> Attachment:
    attachment = Attachment(
        case=case, entry=entry, filename=checked.filename, content_type=checked.content_type, size=checked.size,
        sha256=checked.sha256, is_public=public, uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # Content-addressed: the same bytes uploaded twice are stored once.
    attachment.file.name = f"attachments/{checked.sha256[:2]}/{checked.sha256}"
    storage = attachment.file.storage
    if not storage.exists(attachment.file.name):
        storage.save(attachment.file.name, ContentFile(checked.content))
    attachment.save()
    return attachment


@transaction.atomic
def case_post_message(
    *, case: Case, actor, body: str, public: bool, language: str | None = None,
    attachments: Iterable[CheckedFile] = (), from_customer: bool | None = None, at: datetime | None = None,
) -> CaseEntry:
    """A public message (customer or staff) or an internal note, with optional files.

    Who wrote it follows from the actor's role; a channel adapter writing for a customer who
    has no account (an e-mail, a phone message) passes `actor=None, from_customer=True`."""
    at = at or timezone.now()
    attachments = list(attachments)
    body = _clean_body(body, allow_empty=bool(attachments))
    if from_customer is None:
        from_customer = bool(getattr(actor, "is_customer", False))
    if from_customer and not public:
        raise ValidationFailed(CaseError.CASE_INVALID, _("A customer's message is always public."))
    if case.status == workflow.CLOSED and (public or from_customer):
        raise Conflict(CaseError.CASE_CLOSED, _("This case is closed. Reopen it to write again."))
    language = _clean_language(language) if language else case.language
    entry = _entry_write(case=case, actor=actor, body=body, public=public, from_customer=from_customer,
                         language=language, attachments=attachments, at=at)
    if public and not from_customer and case.first_response_at is None:
        case.first_response_at = at
    _touch(case, at)
    case.save(update_fields=["first_response_at", "updated_at"])
    target = workflow.status_after_message(case.status, from_staff=not from_customer, public=public)
    if target is not None:
        case_change_status(case=case, target=target, actor=actor, at=at)
    case_message_posted.send(sender=Case, case=case, at=at, actor=actor, entry=entry, from_customer=from_customer,
                             public=public)
    audit_record(actor=actor, obj=case, action="case.message_posted" if public else "case.note_added",
                 after={"entry": entry.pk, "attachments": len(attachments)})
    return entry


@transaction.atomic
def case_attach(*, case: Case, actor, checked: CheckedFile, public: bool = True,
                at: datetime | None = None) -> Attachment:
    """A file on its own (not part of a message) joins the timeline as an event."""
    at = at or timezone.now()
    if case.status == workflow.CLOSED and getattr(actor, "is_customer", False):
        raise Conflict(CaseError.CASE_CLOSED, _("This case is closed. Reopen it to write again."))
    entry = event_write(case=case, event="attachment_added", actor=actor,
                        data={"filename": checked.filename, "content_type": checked.content_type}, at=at)
    entry.is_public = public
    entry.save(update_fields=["is_public"])
    attachment = _attachment_store(case=case, entry=entry, checked=checked, actor=actor, public=public)
    _touch(case, at)
    case.save(update_fields=["updated_at"])
    audit_record(actor=actor, obj=case, action="case.attachment_added",
                 after={"attachment": attachment.pk, "filename": checked.filename, "sha256": checked.sha256})
    return attachment
