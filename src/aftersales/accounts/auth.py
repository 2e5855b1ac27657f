"""API authentication: bearer tokens for integrations, the session (with CSRF) for the browser."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from aftersales.accounts.selectors import token_authenticate
from aftersales.core.middleware import activate_user_preferences


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        if len(token) > 200:
            return None
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        activate_user_preferences(request, user)
        return user


class ActiveSessionAuth(SessionAuth):
    def __call__(self, request: HttpRequest):
        # Check CSRF only for a signed-in session. Without one there is nothing to protect,
        # and a request with a missing, wrong or revoked bearer token must answer 401,
        # not 403 csrf_failed (API clients send no CSRF cookie).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


API_AUTH = [TokenAuth(), ActiveSessionAuth(csrf=True)]
