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
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.core import throttle
from aftersales.core.errors import DomainError
from aftersales.customers.access import customer_of
from aftersales.customers.actions import identity_remove
from aftersales.portal.access import access_own_identity
from aftersales.portal.actions import (
    SignUp,
    customer_resend_verification,
    customer_sign_up,
    customer_update_profile,
    customer_verify_sign_up,
    resend_user_from_token,
    signup_user_from_token,
)
from aftersales.portal.errors import PortalError
from aftersales.portal.forms import ProfileForm, SignUpForm
from aftersales.portal.selectors import my_identities
from aftersales.portal.views import customer_required

# "Send the link again" mails at most this often per account.
RESENDS_PER_ACCOUNT = throttle.Limit("signup.resend", max_attempts=3, window=60 * 60)


def _verify_url(request: HttpRequest) -> str:
    """The verification link with `{token}` where the token goes."""
    return request.build_absolute_uri(reverse("portal:signup_verify", args=["TOKEN"])).replace("TOKEN", "{token}")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = customer_sign_up(data=SignUp(name=data["name"], email=data["email"], password=data["password1"],
                                             language=data["language"]), verify_url=_verify_url(request))
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
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
    response = redirect("home")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language)
    return response


@require_POST
def signup_resend(request: HttpRequest) -> HttpResponse:
    """The button the sign-in page shows to a sign-up that has not confirmed its address yet
    (only after the right password, so its token is the proof)."""
    user = resend_user_from_token(request.POST.get("token", "")[:500])
    if user is None:
        return render(request, "400.html", {"detail": _("This button has expired. Sign in again to get a new one.")},
                      status=400)
    if throttle.count_attempt(RESENDS_PER_ACCOUNT, str(user.pk)) > RESENDS_PER_ACCOUNT.max_attempts:
        return throttle.too_many_response(request, RESENDS_PER_ACCOUNT)
    if not customer_resend_verification(user=user, verify_url=_verify_url(request)):
        messages.info(request, _("Your e-mail address is already confirmed. Please sign in."))
        return redirect("login")
    return render(request, "portal/signup_sent.html", {"email": user.email, "resent": True})


@require_http_methods(["GET", "POST"])
@customer_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    customer = customer_of(user)
    if customer is None:
        raise Http404
    status = 200
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
        status = 400
        user.refresh_from_db()
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "language": user.language,
                                    "time_zone": user.time_zone})
    return _profile_page(request, customer, form, status=status)


def _profile_page(request: HttpRequest, customer, form: ProfileForm, *, status: int = 200, **extra) -> HttpResponse:
    context = {"form": form, "identities": my_identities(customer=customer), "sign_in_email": request.user.email,
               **extra}
    return render(request, "portal/profile.html", context, status=status)


@require_POST
@customer_required
def identity_delete(request: HttpRequest, identity_id: int) -> HttpResponse:
    """Forget one of my e-mail addresses or phone numbers (never the one I sign in with)."""
    customer = customer_of(request.user)
    if customer is None:
        raise Http404
    identity = access_own_identity(customer=customer, identity_id=identity_id)
    try:
        identity_remove(customer=customer, identity=identity, actor=request.user)
    except DomainError as exc:
        user = request.user
        form = ProfileForm(initial={"display_name": user.display_name, "language": user.language,
                                    "time_zone": user.time_zone})
        return _profile_page(request, customer, form, status=exc.status, identity_error=str(exc.detail))
    messages.success(request, _("“%(value)s” is removed from your profile.") % {"value": identity.value})
    return redirect("portal:profile")
