"""Forms of the shared pages: signing in, resetting a password, a person's own preferences.
Forms only read and check what was typed; writes happen in actions."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.selectors import user_for_sign_in, users_by_email
from aftersales.core import throttle
from aftersales.portal.selectors import signup_pending

# A person may ask for reset mails to one address this often; more are not sent (silently:
# the page answers the same whether an account exists or not).
RESET_MAILS_PER_ADDRESS = throttle.Limit("password_reset.address", max_attempts=5, window=60 * 60)


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Same as the service"))] + [(z, z) for z in sorted(zoneinfo.available_timezones())]


class SignInForm(AuthenticationForm):
    """Sign in with a user name or, for portal accounts, the e-mail address in any case.

    A sign-up that has not followed its e-mail link yet is told so, but only when the password
    is right: a wrong password gets the same answer as a missing account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is wrong."),
        "email_unverified": _("Please confirm your e-mail address first: open the link in the mail we sent you."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address or user name")
        self.pending_user = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            candidate = user_for_sign_in(username)
            if candidate is not None and signup_pending(candidate):
                # One password check on every path, so the answer takes as long either way.
                if candidate.check_password(password):
                    self.pending_user = candidate
                    raise ValidationError(self.error_messages["email_unverified"], code="email_unverified")
                raise self.get_invalid_login_error()
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ResetRequestForm(PasswordResetForm):
    """Finds accounts by their own e-mail address and by a customer's verified e-mail identity,
    and writes to each in that person's language, at the address stored for them."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        if throttle.count_attempt(RESET_MAILS_PER_ADDRESS, email.strip().lower()) > \
                RESET_MAILS_PER_ADDRESS.max_attempts:
            return
        for user, address in users_by_email(email):
            if not user.has_usable_password():
                continue
            if user.is_active or signup_pending(user):
                user.reset_address = address
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        with translation.override(user.language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, {**context, "email": user.reset_address},
                              from_email, user.reset_address, html_email_template_name)


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("The two passwords are not the same.")}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""


class PreferencesForm(forms.Form):
    """What staff change about themselves (customers have the portal's profile page)."""

    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False,
                                  help_text=_("Dates and times on every page are shown in this zone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
