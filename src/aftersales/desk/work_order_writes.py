"""One write on a work order's desk pages, as every form there does it: fetch the work order
through `access_work_order` (404 for what the person may not see), check the role, run the
action in a transaction and answer with the page's part redrawn — the refusal beside its form
with its 4xx status, and nothing written. Without htmx: back to the page with a message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.core.errors import DomainError
from aftersales.desk.selectors_repairs import access_work_order
from aftersales.repairs.models import WorkOrder


def write_and_redraw(request: HttpRequest, work_order_id: int, form: str, apply: Callable[[WorkOrder], object], *,
                     page: str, template: str, context: Callable[..., dict], done: str = "",
                     anchor: str = "") -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    error, status = None, 200
    try:
        require(request.user, Op.REPAIR_MANAGE)
        with transaction.atomic():
            apply(wo)
    except DomainError as exc:
        error, status = str(exc.detail), exc.status
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, done)
        return redirect(reverse(page, kwargs={"work_order_id": wo.pk}) + anchor)
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    data = context(request, wo, error=error, error_for=form, posted=request.POST)
    return render(request, template, data, status=status)
