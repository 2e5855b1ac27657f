"""Printable documents of a work order in the desk (included from desk/urls.py under `desk`)."""

from django.urls import path

from aftersales.desk import views_documents as v

urlpatterns = [
    path("work-orders/<int:work_order_id>/documents/<slug:kind>.pdf", v.work_order_document,
         name="work_order_document"),
    path("work-orders/<int:work_order_id>/documents/<slug:kind>/", v.work_order_document_html,
         name="work_order_document_html"),
]
