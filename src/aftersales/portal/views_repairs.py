"""My repairs: the customer's work orders and where each one stands, one work order with its
progress, appointment, documents and a quote waiting for an answer. Read-only pages; another
customer's work order, or an id no work order could have, is a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aftersales.portal.selectors_repairs import access_my_work_order, my_repairs, repair_detail
from aftersales.portal.views import customer_required

CURSOR_LENGTH = 200


@require_GET
@customer_required
def repair_list(request: HttpRequest) -> HttpResponse:
    cursor = request.GET.get("cursor", "")[:CURSOR_LENGTH] or None
    return render(request, "portal/repairs/list.html", {"page": my_repairs(user=request.user, cursor=cursor)})


@require_GET
@customer_required
def repair_page(request: HttpRequest, work_order_id: int) -> HttpResponse:
    wo = access_my_work_order(user=request.user, work_order_id=work_order_id)
    return render(request, "portal/repairs/detail.html", {
        "wo": wo, "detail": repair_detail(work_order=wo), "zone": timezone.get_current_timezone_name()})
