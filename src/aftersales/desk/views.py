"""The queue pages: the sidebar of queues with their counts, filters, the list of cases,
and the bulk actions on ticked rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op, can
from aftersales.cases import actions
from aftersales.cases.access import access_case, check_transition_allowed
from aftersales.cases.models import Status
from aftersales.cases.selectors import case_list
from aftersales.core.errors import DomainError, NotFound, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.core.pagination import Page
from aftersales.desk.access import staff_required
from aftersales.desk.actions import NAME_LENGTH, saved_view_create, saved_view_delete
from aftersales.desk.forms import ORDER_OF_SORT, QueueFilterForm
from aftersales.desk.selectors import (
    AT_RISK,
    DEFAULT_QUEUE,
    QUEUE_BY_KEY,
    QUEUES,
    product_choices,
    queue_counts,
    queue_filters,
    saved_views,
)
from aftersales.desk.selectors_sla import AT_RISK_CAP, at_risk_count
from aftersales.desk.sla_text import capped

PAGE_SIZE = 50
MAX_BULK = 200


def _queue_context(request: HttpRequest, params) -> dict:
    """Everything a queue page shows for `params` (the query string, or a posted copy of it)."""
    user = request.user
    now = timezone.now()
    key = params.get("view", DEFAULT_QUEUE)
    current = QUEUE_BY_KEY.get(key) or QUEUE_BY_KEY[DEFAULT_QUEUE]
    form = QueueFilterForm(params, products=product_choices(), default_sort=current.default_sort)
    chosen = form.chosen()
    filters = queue_filters(
        user=user, queue=current, statuses=[chosen["status"]] if "status" in chosen else None, now=now,
        type=[chosen["type"]] if "type" in chosen else None,
        severity=[chosen["severity"]] if "severity" in chosen else None,
        channel=[chosen["channel"]] if "channel" in chosen else None,
        tier=[chosen["tier"]] if "tier" in chosen else None,
        product=int(chosen["product"]) if "product" in chosen else None,
        tag=chosen.get("tag"),
    )
    order = ORDER_OF_SORT[chosen.get("sort", current.default_sort)]
    error = None
    cursor = params.get("cursor") or None
    page = Page(items=[], next_cursor=None)
    if filters is not None:
        try:
            page = case_list(user=user, filters=filters, cursor=cursor, limit=PAGE_SIZE, order=order)
        except ValidationFailed as exc:
            error = str(exc.detail)
            cursor = None
            page = case_list(user=user, filters=filters, cursor=None, limit=PAGE_SIZE, order=order)
    counts = {**queue_counts(user=user), AT_RISK: at_risk_count(user=user, now=now)}
    query = {"view": current.key, **chosen}
    views = [{"pk": v.pk, "name": v.name, "url": "?" + urlencode(v.query), "current": v.query == query}
             for v in saved_views(user=user)]
    return {
        "queues": [{"key": q.key, "label": q.label, "count": counts[q.key], "at_risk": q.at_risk,
                    "count_text": capped(counts[q.key], AT_RISK_CAP) if q.at_risk else str(counts[q.key]),
                    "url": "?" + urlencode({"view": q.key})}
                   for q in QUEUES],
        "saved_views": views,
        "query": query,
        "saved_as": next((v["name"] for v in views if v["current"]), None),
        "current": current,
        "form": form,
        "cases": page.items,
        "sla_now": now,
        "error": error,
        "filtered": bool(chosen),
        "first_url": "?" + urlencode(query) if cursor else None,
        "next_url": "?" + urlencode({**query, "cursor": page.next_cursor}) if page.next_cursor else None,
        "here": request.get_full_path() if request.method == "GET" else reverse("desk:queue") + "?" + urlencode(query),
        "can_assign": can(user, Op.CASE_ASSIGN),
        "can_status": can(user, Op.CASE_CHANGE_STATUS),
        "can_tag": can(user, Op.CASE_TAG),
        "statuses": Status.choices,
    }


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request, request.GET)
    if request.htmx:
        return render(request, "desk/partials/queue_refresh.html", context)
    return render(request, "desk/queue.html", context)


@staff_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    """Save the queue with its filters and sort under a name; a bad name shows the same
    page again with the reason and a 4xx, and saves nothing."""
    context = _queue_context(request, request.POST)
    try:
        saved_view_create(user=request.user, name=request.POST.get("name", ""), query=context["query"])
    except DomainError as exc:
        context["view_error"] = str(exc.detail)
        context["view_name"] = request.POST.get("name", "")[:NAME_LENGTH]
        return render(request, "desk/queue.html", context, status=exc.status)
    messages.success(request, _("View saved."))
    return redirect(reverse("desk:queue") + "?" + urlencode(context["query"]))


@staff_required
@require_POST
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    try:
        saved_view_delete(user=request.user, view_id=view_id)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("View deleted."))
    return redirect("desk:queue")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("desk:queue")


BULK_OPERATIONS = ("assign_me", "status", "tag")


def _bulk_one(*, user, case, operation: str, status: str, tag: str) -> None:
    if operation == "assign_me":
        require(user, Op.CASE_ASSIGN)
        actions.case_assign(case=case, assignee=user, actor=user)
    elif operation == "status":
        check_transition_allowed(user, case, status)
        actions.case_change_status(case=case, target=status, actor=user)
    else:
        require(user, Op.CASE_TAG)
        actions.case_set_tags(case=case, names=[*case.tags.values_list("name", flat=True), tag], actor=user)


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign to me, change status or add a tag on the ticked cases, each through its action
    in its own transaction. Cases the person may not see are skipped as if they did not exist."""
    user = request.user
    operation = request.POST.get("operation", "")
    status = request.POST.get("status", "")
    tag = " ".join(request.POST.get("tag", "").split())
    ids = [n for v in request.POST.getlist("case")[:MAX_BULK] if (n := ascii_int(v)) is not None]
    if not ids:
        messages.error(request, _("Tick at least one case first."))
    elif operation not in BULK_OPERATIONS:
        messages.error(request, _("Choose what to do with the ticked cases."))
    elif operation == "tag" and not tag:
        messages.error(request, _("Type a tag to add."))
    elif operation == "status" and status not in Status.values:
        messages.error(request, _("Choose a status."))
    else:
        done, failed = 0, []
        for case_id in ids:
            try:
                with transaction.atomic():
                    case = access_case(user=user, case_id=case_id, for_update=True)
                    _bulk_one(user=user, case=case, operation=operation, status=status, tag=tag)
                done += 1
            except Http404:
                continue
            except DomainError as exc:
                failed.append(f"{case.number}: {exc.detail}")
        if done:
            messages.success(request, ngettext("%(n)d case changed.", "%(n)d cases changed.", done) % {"n": done})
        for line in failed[:10]:
            messages.error(request, line)
    return redirect(_safe_next(request))
