"""The Charges card of a work order (included from desk/urls.py under the `desk` namespace)."""

from django.urls import path

from aftersales.desk import views_charges as v

P = "work-orders/<int:work_order_id>/charges/"

urlpatterns = [
    path(P, v.card, name="charges"),
    path(P + "quote/", v.quote_build, name="charges_quote_build"),
    path(P + "quotes/<int:quote_id>/lines/", v.quote_line_add, name="charges_line_add"),
    path(P + "quotes/<int:quote_id>/lines/<int:line_id>/remove/", v.quote_line_remove, name="charges_line_remove"),
    path(P + "quotes/<int:quote_id>/send/", v.quote_send, name="charges_quote_send"),
    path(P + "quotes/<int:quote_id>/answer/", v.quote_answer, name="charges_quote_answer"),
    path(P + "quotes/<int:quote_id>/withdraw/", v.quote_withdraw, name="charges_quote_withdraw"),
    path(P + "invoice/", v.invoice_issue, name="charges_invoice_issue"),
    path(P + "invoices/<int:invoice_id>/void/", v.invoice_void, name="charges_invoice_void"),
    path(P + "invoices/<int:invoice_id>/payments/", v.payment_record, name="charges_payment"),
    path(P + "contract/draw/", v.contract_draw, name="charges_contract_draw"),
    path(P + "contract/draws/<int:draw_id>/reverse/", v.contract_draw_reverse, name="charges_draw_reverse"),
]
