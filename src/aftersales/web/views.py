"""The shared pages: signing in, the language switcher, staff preferences."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from aftersales.accounts.actions import user_set_language, user_update_preferences
from aftersales.core.errors import DomainError
from aftersales.portal.actions import customer_set_language, resend_token
from aftersales.web.forms import PreferencesForm, SignInForm

logger = logging.getLogger("aftersales.web")

# A language picked before signing in; adopted by the account at sign-in (it was just chosen).
CHOSEN_LANGUAGE = "aftersales.chosen_language"


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """The cookie Django's `set_language` sets, so signed-out pages keep the person's language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def remember_language(user, language: str) -> None:
    """Keep the choice on the account. Should the account hold something its own validation
    now refuses (old data), nothing is written and the refusal is logged; the switcher must
    not answer with a 500."""
    try:
        if user.is_customer:
            customer_set_language(user=user, language=language)
        else:
            user_set_language(user=user, language=language, actor=user)
    except (ValidationError, DomainError):
        logger.warning("Could not keep language %s on user %s", language, user.pk, exc_info=True)
        user.refresh_from_db()


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus: a signed-in person's choice is kept on their account."""
    language = request.POST.get("language", "")
    if language not in language_codes():
        return render(request, "400.html", {"detail": _("This language is not offered.")}, status=400)
    response = django_set_language(request)
    if request.user.is_authenticated:
        remember_language(request.user, language)
    else:
        request.session[CHOSEN_LANGUAGE] = language
    return response


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)  # signs in; the session keeps its data
        user = form.get_user()
        chosen = self.request.session.pop(CHOSEN_LANGUAGE, None)
        if chosen in language_codes() and chosen != user.language:
            remember_language(user, chosen)
        return set_language_cookie(response, user.language)

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        pending = getattr(context["form"], "pending_user", None)
        if pending is not None:
            context["resend_token"] = resend_token(pending)
        return context


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Staff: the name shown, language and time zone. Customers have their profile page."""
    user = request.user
    if user.is_customer:
        return redirect("portal:profile")
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    user_update_preferences(user=user, actor=user, display_name=data["display_name"],
                                            language=data["language"], time_zone=data["time_zone"])
            except ValidationError as exc:
                user.refresh_from_db()
                form.add_error(None, exc)
            else:
                translation.activate(user.language)
                messages.success(request, _("Your preferences are saved."))
                return set_language_cookie(redirect("account"), user.language)
        status = 400
    else:
        form = PreferencesForm(initial={"display_name": user.display_name, "language": user.language,
                                        "time_zone": user.time_zone})
    return render(request, "web/preferences.html", {"form": form}, status=status)
