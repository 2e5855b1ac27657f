"""The signed-in member of staff's SLA notifications: the list, and marking one or all read.
Each notification belongs to one person; anyone else's is a 404, as is the page for customers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from aftersales.core.errors import NotFound
from aftersales.desk.access import staff_required
from aftersales.sla.actions_notify import notification_mark_read, notifications_mark_all_read
from aftersales.sla.selectors_notify import INBOX_LIMIT, notifications_for, unread_count


def _list_context(request: HttpRequest) -> dict:
    items = notifications_for(user=request.user)
    return {"notifications": items, "limit": INBOX_LIMIT, "any_unread": any(n.read_at is None for n in items)}


@staff_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/notifications.html", _list_context(request))


@staff_required
@require_POST
def read_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification = notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.htmx:
        return render(request, "desk/partials/notification_read.html",
                      {"n": notification, "unread": unread_count(user=request.user)})
    return redirect("desk:notifications")


@staff_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    text = ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", count) % {"n": count}
    if request.htmx:
        return render(request, "desk/partials/notifications_read_all.html",
                      {**_list_context(request), "unread": unread_count(user=request.user), "status": text})
    messages.success(request, text)
    return redirect("desk:notifications")
