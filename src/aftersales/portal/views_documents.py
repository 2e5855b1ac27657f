"""Printable documents of the customer's own repair work orders — the service voucher, the
intake receipt and the repair card (`repairs.documents`) — as a print page and as a PDF, in the
customer's language. Another customer's work order, an unknown kind, or a document the work
order does not have yet (a receipt for an on-site job): a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from aftersales.portal.selectors_repairs import access_my_work_order
from aftersales.portal.views import customer_required
from aftersales.repairs import documents


@require_GET
@customer_required
def work_order_document(request: HttpRequest, work_order_id: int, kind: str) -> HttpResponse:
    wo = access_my_work_order(user=request.user, work_order_id=work_order_id)
    document = documents.prepare(kind, wo)
    return documents.pdf_response(document, download=documents.wants_download(request))


@require_GET
@customer_required
def work_order_document_html(request: HttpRequest, work_order_id: int, kind: str) -> HttpResponse:
    wo = access_my_work_order(user=request.user, work_order_id=work_order_id)
    document = documents.prepare(kind, wo)
    return documents.html_response(document, links={
        "pdf": reverse("portal:work_order_document", args=[wo.pk, document.kind.slug]),
        "back": reverse("portal:repair_detail", args=[wo.pk])})
