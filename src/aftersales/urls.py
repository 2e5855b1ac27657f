from django.contrib import admin
from django.urls import include, path

from aftersales.api import api
from aftersales.portal import views as portal_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/", include("aftersales.desk.urls")),
    path("", portal_views.home, name="home"),
    path("", include("aftersales.portal.urls")),
    path("", include("aftersales.web.urls")),
]
