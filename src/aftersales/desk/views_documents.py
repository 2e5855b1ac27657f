"""The printable documents of a work order in the desk: the print page (HTML) and the PDF of
the service voucher, intake receipt and repair card (`repairs.documents`), in the customer's
language. Staff who may see the work order (the work order page's rule); anyone else a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from aftersales.desk.access import staff_required
from aftersales.desk.selectors_repairs import access_work_order
from aftersales.repairs import documents


@staff_required
@require_GET
def work_order_document(request: HttpRequest, work_order_id: int, kind: str) -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    document = documents.prepare(kind, wo)
    return documents.pdf_response(document, download=documents.wants_download(request))


@staff_required
@require_GET
def work_order_document_html(request: HttpRequest, work_order_id: int, kind: str) -> HttpResponse:
    wo = access_work_order(user=request.user, work_order_id=work_order_id)
    document = documents.prepare(kind, wo)
    return documents.html_response(document, links={
        "pdf": reverse("desk:work_order_document", args=[wo.pk, document.kind.slug]),
        "back": reverse("desk:work_order", args=[wo.pk])})
