from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


def activate_user_preferences(request: HttpRequest, user) -> None:
    """Each signed-in person sees the interface in their language and times in their zone.

    The language on the account wins over the browser's cookie: the switcher in the header
    writes it to the account, so a choice made on one device holds on every other one."""
    lang = getattr(user, "language", "") or ""
    if lang:
        translation.activate(lang)
        request.LANGUAGE_CODE = translation.get_language()
    tz_name = getattr(user, "time_zone", "") or ""
    if tz_name:
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_preferences(request, user)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
