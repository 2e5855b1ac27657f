"""Signing in with a user name, or with the e-mail address a portal account is named after in
any letter case (Foo@Example.com signs in foo@example.com)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from aftersales.accounts.models import User
from aftersales.accounts.selectors import user_for_sign_in


class SignInBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_sign_in(username)
        if user is None:
            # Run the hasher anyway, so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
