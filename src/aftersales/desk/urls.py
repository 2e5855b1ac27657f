from django.urls import include, path

from aftersales.desk import case_views, views, views_entitlement, views_guarantees, views_sla

app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("views/", views.save_view, name="save_view"),
    path("views/<int:view_id>/delete/", views.delete_view, name="delete_view"),
    path("new/", include("aftersales.desk.urls_new_case")),
    path("cases/<int:case_id>/", case_views.case_page, name="case"),
    path("cases/<int:case_id>/timeline/", case_views.timeline, name="timeline"),
    path("cases/<int:case_id>/sla/", case_views.sla, name="sla"),
    path("cases/<int:case_id>/status/", case_views.change_status, name="status"),
    path("cases/<int:case_id>/assign/", case_views.assign, name="assign"),
    path("cases/<int:case_id>/classify/", case_views.classify, name="classify"),
    path("cases/<int:case_id>/tags/", case_views.tags, name="tags"),
    path("cases/<int:case_id>/messages/", case_views.post_message, name="message"),
    path("cases/<int:case_id>/entitlement/", views_entitlement.panel, name="entitlement"),
    path("cases/<int:case_id>/entitlement/give/", views_entitlement.give, name="entitlement_give"),
    path("cases/<int:case_id>/guarantee-claims/", views_guarantees.panel, name="guarantee_claims"),
    path("cases/<int:case_id>/guarantee-claims/open/", views_guarantees.claim_open, name="guarantee_claim_open"),
    path("cases/<int:case_id>/guarantee-claims/<int:claim_id>/<slug:step>/", views_guarantees.claim_step,
         name="guarantee_claim_step"),
    path("guarantee-claims/", views_guarantees.queue, name="guarantee_claim_queue"),
    path("notifications/", views_sla.notifications, name="notifications"),
    path("notifications/read/", views_sla.read_all, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", views_sla.read_one, name="notification_read"),
    path("", include("aftersales.desk.urls_repairs")),
    path("", include("aftersales.desk.urls_documents")),
    path("", include("aftersales.desk.urls_reports")),
    path("", include("aftersales.desk.urls_work")),
    path("", include("aftersales.desk.urls_charges")),
    path("", include("aftersales.desk.urls_kb")),
]
