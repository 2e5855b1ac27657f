"""Timeline events and audit rows that case actions write, and how an event reads.

An event stores what happened as data (codes, ids, names); its sentence is made when it
is read, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.cases.models import Case, CaseEntry, CaseType, Channel, EntryKind, Severity, Status

PUBLIC_EVENTS = {"created", "status_changed", "reopened", "subject_changed"}

# Events other apps write on a case timeline (e.g. a remedy applied by the entitlement
# engine), each with the function that turns its data into a sentence. Registered from
# those apps' `AppConfig.ready`, so `cases` never imports them.
EXTRA_EVENTS: dict[str, Callable[[dict[str, Any]], str]] = {}


def register_event(name: str, text: Callable[[dict[str, Any]], str], *, public: bool = False) -> None:
    EXTRA_EVENTS[name] = text
    if public:
        PUBLIC_EVENTS.add(name)


def event_write(*, case: Case, event: str, actor, data: dict[str, Any], at=None) -> CaseEntry:
    return CaseEntry.objects.create(
        case=case,
        kind=EntryKind.EVENT,
        is_public=event in PUBLIC_EVENTS,
        author=actor if getattr(actor, "pk", None) else None,
        event=event,
        data=data,
        created_at=at or timezone.now(),
    )


def person_ref(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": str(user)}


def _label(choices, value) -> str:
    if value is None:
        return "—"
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _name(ref) -> str:
    return ref["name"] if isinstance(ref, dict) and ref.get("name") else _("nobody")


def event_text(entry: CaseEntry) -> str:
    """The event as a sentence in the active language."""
    d = entry.data or {}
    ev = entry.event
    if ev == "created":
        return _("Case opened via %(channel)s") % {"channel": _label(Channel, d.get("channel"))}
    if ev == "status_changed":
        return _("Status changed from %(before)s to %(after)s") % {
            "before": _label(Status, d.get("before")), "after": _label(Status, d.get("after"))}
    if ev == "reopened":
        return _("Case reopened")
    if ev == "assigned":
        return _("Assigned to %(after)s (was %(before)s)") % {
            "after": _name(d.get("after")), "before": _name(d.get("before"))}
    if ev == "team_changed":
        return _("Team changed from %(before)s to %(after)s") % {
            "before": _name(d.get("before")), "after": _name(d.get("after"))}
    if ev == "type_changed":
        return _("Type changed from %(before)s to %(after)s") % {
            "before": _label(CaseType, d.get("before")), "after": _label(CaseType, d.get("after"))}
    if ev == "severity_changed":
        return _("Severity changed from %(before)s to %(after)s") % {
            "before": _label(Severity, d.get("before")), "after": _label(Severity, d.get("after"))}
    if ev == "tags_changed":
        return _("Tags changed: added %(added)s; removed %(removed)s") % {
            "added": ", ".join(d.get("added") or []) or "—", "removed": ", ".join(d.get("removed") or []) or "—"}
    if ev == "subject_changed":
        return _("Subject changed to “%(after)s”") % {"after": d.get("after", "")}
    if ev == "unit_changed":
        return _("Product unit changed to %(after)s") % {"after": d.get("after_label") or "—"}
    if ev == "purchase_changed":
        return _("Purchase changed to %(after)s") % {"after": d.get("after_label") or "—"}
    if ev == "language_changed":
        return _("Language changed to %(after)s") % {"after": d.get("after", "")}
    if ev == "attachment_added":
        return _("File attached: %(name)s") % {"name": d.get("filename", "")}
    if ev in EXTRA_EVENTS:
        return EXTRA_EVENTS[ev](d)
    return ev
