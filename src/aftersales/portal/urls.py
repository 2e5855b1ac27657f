from django.urls import path

from aftersales.portal import (
    views,
    views_account,
    views_documents,
    views_help,
    views_products,
    views_quotes,
    views_repairs,
    views_track,
)

app_name = "portal"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/timeline/", views.case_timeline_part, name="case_timeline"),
    path("cases/<int:case_id>/reply/", views.case_reply, name="case_reply"),
    path("cases/<int:case_id>/status/", views.case_status, name="case_status"),
    path("help/new/", views_help.help_new, name="help_new"),
    path("help/new/entitlement/", views_help.help_entitlement, name="help_entitlement"),
    path("products/", views_products.product_list, name="products"),
    path("products/register/", views_products.product_register_view, name="product_register"),
    path("products/proofs/<int:proof_id>/invoice/", views_products.purchase_proof_invoice,
         name="purchase_proof_invoice"),
    path("repairs/", views_repairs.repair_list, name="repair_list"),
    path("repairs/<int:work_order_id>/", views_repairs.repair_page, name="repair_detail"),
    path("repairs/<int:work_order_id>/documents/<slug:kind>.pdf", views_documents.work_order_document,
         name="work_order_document"),
    path("repairs/<int:work_order_id>/documents/<slug:kind>/", views_documents.work_order_document_html,
         name="work_order_document_html"),
    path("quotes/<int:quote_id>/", views_quotes.quote_page, name="quote"),
    path("quotes/<int:quote_id>/answer/", views_quotes.quote_answer, name="quote_answer"),
    path("track/", views_track.track, name="track"),
    path("signup/", views_account.signup, name="signup"),
    path("signup/verify/<str:token>/", views_account.signup_verify, name="signup_verify"),
    path("signup/resend/", views_account.signup_resend, name="signup_resend"),
    path("profile/", views_account.profile, name="profile"),
    path("profile/contacts/<int:identity_id>/remove/", views_account.identity_delete, name="identity_delete"),
]
