"""Repair work orders in the desk (included from desk/urls.py under the `desk` namespace)."""

from django.urls import path

from aftersales.desk import views_repairs as v

urlpatterns = [
    path("cases/<int:case_id>/work-orders/", v.case_card, name="case_work_orders"),
    path("cases/<int:case_id>/work-orders/open/", v.case_open, name="case_work_order_open"),
    path("work-orders/new/", v.new_work_order, name="work_order_new"),
    path("work-orders/<int:work_order_id>/", v.work_order_page, name="work_order"),
    path("work-orders/<int:work_order_id>/status/", v.work_order_move, name="work_order_move"),
    path("work-orders/<int:work_order_id>/dispatch/", v.work_order_dispatch, name="work_order_dispatch"),
    path("work-orders/<int:work_order_id>/billing/", v.work_order_billing, name="work_order_billing"),
    path("work-orders/<int:work_order_id>/intake/", v.custody_intake, name="work_order_intake"),
    path("work-orders/<int:work_order_id>/custody/", v.custody_move, name="work_order_custody"),
    path("work-orders/<int:work_order_id>/hand-back/", v.custody_hand_back, name="work_order_hand_back"),
    path("dispatch/", v.board, name="dispatch_board"),
    path("my-jobs/", v.my_jobs, name="my_jobs"),
    path("custody-register/", v.register, name="custody_register"),
]
