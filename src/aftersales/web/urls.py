from django.contrib.auth import views as auth_views
from django.urls import path

from aftersales.web import views, views_password

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.preferences, name="account"),
    path("password-reset/", views_password.ResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", views_password.ResetSentView.as_view(), name="password_reset_done"),
    path("password-reset/done/", views_password.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-reset/<str:uidb64>/<str:token>/", views_password.ResetConfirmView.as_view(),
         name="password_reset_confirm"),
]
