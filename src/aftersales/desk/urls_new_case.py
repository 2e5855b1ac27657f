"""/desk/new/: opening a case for a customer on the phone or at the counter."""

from django.urls import path

from aftersales.desk import views_new_case

urlpatterns = [
    path("", views_new_case.new_case, name="new_case"),
    path("customers/", views_new_case.search, name="new_case_search"),
    path("customer/", views_new_case.customer_step, name="new_case_customer"),
]
