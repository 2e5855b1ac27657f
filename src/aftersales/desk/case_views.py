"""The case page and its small htmx endpoints. Each change parses the input, fetches the
case through `access_case` (a case the person may not see is a 404), checks the role, calls
one action and re-renders the header and timeline. A DomainError is shown inline."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases import actions, workflow
from aftersales.cases.access import access_case, cases_visible_to, check_transition_allowed
from aftersales.cases.attachments import CheckedFile, check_uploaded_file
from aftersales.cases.errors import CaseError
from aftersales.cases.models import Case, CaseType, Severity, Status
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.desk.access import staff_required
from aftersales.desk.selectors import (
    assignee_choices,
    case_permissions,
    case_with_details,
    current_timeline_version,
    customer_panel,
    desk_timeline,
    timeline_version,
)
from aftersales.desk.selectors_sla import sla_panel

REPLIED_EVENT = "desk-replied"


def _main_context(request: HttpRequest, case: Case, *, error: str | None = None) -> dict:
    """What the header, the timeline and the SLA panel need."""
    user = request.user
    case = case_with_details(case.pk)
    entries = desk_timeline(user=user, case=case)
    perms = case_permissions(user)
    targets = [(value, label) for value, label in Status.choices if workflow.can_move(case.status, value)]
    now = timezone.now()
    return {
        "case": case,
        "sla": sla_panel(case=case, now=now),
        "sla_now": now,
        "entries": entries,
        "version": timeline_version(case, max((e.pk for e in entries), default=None)),
        "status_targets": targets,
        "assignees": assignee_choices(case=case) if perms["can_assign"] else [],
        "severities": Severity.choices,
        "types": CaseType.choices,
        "error": error,
        **perms,
    }


@staff_required
@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    context = _main_context(request, case)
    context.update(customer_panel(user=request.user, case=context["case"]))
    context["max_upload_mb"] = round(settings.AFTERSALES_MAX_UPLOAD_BYTES / 1024 / 1024, 1)
    return render(request, "desk/case.html", context)


@staff_required
@require_GET
def timeline(request: HttpRequest, case_id: int) -> HttpResponse:
    """Polled every few seconds: nothing (204) while nothing changed, else the fresh timeline
    with the header swapped out of band."""
    case = access_case(user=request.user, case_id=case_id)
    if request.GET.get("v") == current_timeline_version(case):
        return HttpResponse(status=204)
    return render(request, "desk/partials/timeline_refresh.html", _main_context(request, case))


@staff_required
@require_GET
def sla(request: HttpRequest, case_id: int) -> HttpResponse:
    """Polled every minute: the SLA panel with its time left, and the header's badge."""
    case = access_case(user=request.user, case_id=case_id)
    now = timezone.now()
    return render(request, "desk/partials/sla_refresh.html",
                  {"case": case, "sla": sla_panel(case=case, now=now), "sla_now": now})


def _change(request: HttpRequest, case_id: int, apply: Callable[[Case], object], *,
            success_event: str | None = None, refused: DomainError | None = None) -> HttpResponse:
    """Run one change in a transaction and answer with the re-rendered header and timeline.
    `refused` is an input error found before any lock was taken; it is shown the same way."""
    error = None
    try:
        if refused is not None:
            access_case(user=request.user, case_id=case_id)  # a case out of sight stays a 404
            raise refused
        with transaction.atomic():
            case = access_case(user=request.user, case_id=case_id, for_update=True)
            apply(case)
    except DomainError as exc:
        error = str(exc.detail)
    case = cases_visible_to(request.user).filter(pk=case_id).first()
    if case is None:
        # The change took the case out of this person's sight (e.g. given to another team).
        if request.htmx:
            return HttpResponseClientRedirect(reverse("desk:queue"))
        return redirect("desk:queue")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("desk:case", case_id=case.pk)
    response = render(request, "desk/partials/case_changed.html", _main_context(request, case, error=error))
    if success_event and error is None:
        trigger_client_event(response, success_event)
    return response


@staff_required
@require_POST
def change_status(request: HttpRequest, case_id: int) -> HttpResponse:
    target = request.POST.get("status", "")

    def apply(case: Case) -> None:
        check_transition_allowed(request.user, case, target)
        actions.case_change_status(case=case, target=target, actor=request.user)

    return _change(request, case_id, apply)


@staff_required
@require_POST
def assign(request: HttpRequest, case_id: int) -> HttpResponse:
    value = request.POST.get("assignee", "")

    def apply(case: Case) -> None:
        require(request.user, Op.CASE_ASSIGN)
        if value == "me":
            assignee = request.user
        elif value == "":
            assignee = None
        else:
            assignee = next((p for p in assignee_choices(case=case) if str(p.pk) == value), None)
            if assignee is None:
                raise ValidationFailed(CaseError.ASSIGNEE_INVALID,
                                       _("Choose someone from the case's team."))
        actions.case_assign(case=case, assignee=assignee, actor=request.user)

    return _change(request, case_id, apply)


@staff_required
@require_POST
def classify(request: HttpRequest, case_id: int) -> HttpResponse:
    fields = {name: request.POST[name] for name in ("severity", "type") if name in request.POST}

    def apply(case: Case) -> None:
        require(request.user, Op.CASE_CLASSIFY)
        if fields:
            actions.case_set_fields(case=case, actor=request.user, **fields)

    return _change(request, case_id, apply)


@staff_required
@require_POST
def tags(request: HttpRequest, case_id: int) -> HttpResponse:
    names = request.POST.get("tags", "").replace("，", ",").split(",")

    def apply(case: Case) -> None:
        require(request.user, Op.CASE_TAG)
        actions.case_set_tags(case=case, names=names, actor=request.user)

    return _change(request, case_id, apply)


def _checked_upload(upload) -> list[CheckedFile]:
    """The uploaded file read and checked before the case is locked; nothing if none was sent."""
    if upload is None:
        return []
    return [check_uploaded_file(upload)]


@staff_required
@require_POST
def post_message(request: HttpRequest, case_id: int) -> HttpResponse:
    """A reply to the customer or an internal note, with an optional file."""
    internal = request.POST.get("kind") == "note"
    body = request.POST.get("body", "")
    files: list[CheckedFile] = []
    refused = None
    try:
        files = _checked_upload(request.FILES.get("file"))
    except DomainError as exc:
        refused = exc

    def apply(case: Case) -> None:
        require(request.user, Op.CASE_NOTE if internal else Op.CASE_REPLY)
        if files:
            require(request.user, Op.CASE_NOTE if internal else Op.CASE_ATTACH)
        actions.case_post_message(case=case, actor=request.user, body=body, public=not internal,
                                  attachments=files)

    return _change(request, case_id, apply, success_event=REPLIED_EVENT, refused=refused)
