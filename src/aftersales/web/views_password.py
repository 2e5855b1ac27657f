"""Resetting a forgotten password by e-mail, for staff and customers alike.

Django's views carry the machinery (a one-time token bound to the password hash, the link
moved out of the URL into the session before the form is shown); these subclasses add our
pages, our lookup of the account (`ResetRequestForm`), a 400 for a bad link and the write
through an action. A portal sign-up that never followed its verification link may reset too:
the reset link proves the address the same way, so setting the password also confirms it."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from aftersales.accounts.actions import user_set_password
from aftersales.portal.actions import customer_verify_sign_up
from aftersales.portal.selectors import signup_pending
from aftersales.web.forms import NewPasswordForm, ResetRequestForm


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "web/password_reset_form.html"
    email_template_name = "web/password_reset_email.txt"
    subject_template_name = "web/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64: str):
        if len(uidb64) > 40:
            return None
        user = super().get_user(uidb64)
        if user is not None and not (user.is_active or signup_pending(user)):
            return None  # an account staff switched off stays off
        return user

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        with transaction.atomic():
            user_set_password(user=self.user, password=form.cleaned_data["new_password1"], actor=self.user)
            if signup_pending(self.user):
                customer_verify_sign_up(user=self.user)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        if not self.validlink:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"
