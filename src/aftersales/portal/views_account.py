"""Signing up with a verified e-mail address, and the customer's profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError
from aftersales.customers.access import customer_of
from aftersales.portal.actions import (
    SignUp,
    customer_sign_up,
    customer_update_profile,
    customer_verify_sign_up,
    signup_user_from_token,
)
from aftersales.portal.errors import PortalError
from aftersales.portal.forms import ProfileForm, SignUpForm
from aftersales.portal.views import customer_required


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            verify_url = request.build_absolute_uri(
                reverse("portal:signup_verify", args=["TOKEN"])).replace("TOKEN", "{token}")
            try:
                user = customer_sign_up(data=SignUp(name=data["name"], email=data["email"], password=data["password1"],
                                             language=data["language"]), verify_url=verify_url)
            except DomainError as exc:
                field = "email" if exc.code in (PortalError.EMAIL_TAKEN, "identity_invalid") else None
                form.add_error(field, str(exc.detail))
            else:
                return render(request, "portal/signup_sent.html", {"email": user.email})
    else:
        form = SignUpForm(initial={"language": translation.get_language()})
    return render(request, "portal/signup.html", {"form": form})


def signup_verify(request: HttpRequest, token: str) -> HttpResponse:
    user = signup_user_from_token(token)
    if user is None:
        return render(request, "portal/signup_verify_failed.html", status=400)
    if not customer_verify_sign_up(user=user):
        messages.info(request, _("Your e-mail address is already confirmed. Please sign in."))
        return redirect("login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
    response = redirect("home")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language)
    return response


@customer_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    customer = customer_of(user)
    if customer is None:
        raise Http404
    phones = list(customer.identities.filter(kind="phone").values_list("value", flat=True))
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                customer_update_profile(user=user, display_name=data["display_name"], language=data["language"],
                                        time_zone=data["time_zone"], phone=data["phone"])
            except DomainError as exc:
                form.add_error("phone" if exc.code == "identity_invalid" else None, str(exc.detail))
            else:
                translation.activate(data["language"])
                messages.success(request, _("Your profile is saved."))
                response = redirect("portal:profile")
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["language"])
                return response
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "language": user.language,
                                    "time_zone": user.time_zone})
    return render(request, "portal/profile.html", {"form": form, "phones": phones})
