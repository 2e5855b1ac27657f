"""The desk's reports (included from desk/urls.py under the `desk` namespace)."""

from django.urls import path

from aftersales.desk import views_reports as v

urlpatterns = [
    path("reports/technicians/", v.technician_report, name="technician_report"),
]
