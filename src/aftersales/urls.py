from django.contrib import admin
from django.urls import include, path

from aftersales.api import api
from aftersales.portal import views as portal_views
from aftersales.web import views as web_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", web_views.set_language, name="set_language"),
    path("desk/", include("aftersales.desk.urls")),
    path("", portal_views.home, name="home"),
    path("", include("aftersales.portal.urls")),
    path("help/", include("aftersales.portal.urls_kb")),
    path("", include("aftersales.web.urls")),
]
