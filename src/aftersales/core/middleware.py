from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.core.api_parser import unstorable


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


class UnstorableTextMiddleware:
    """Pages refuse form fields and query values that no database can store — a NUL
    character, which PostgreSQL refuses in text, or an unpaired surrogate — with a 400
    before any view runs, instead of a 500 from deep inside a write. The API checks its
    own bodies with a stable error code (`core/api_parser.py`) and is left to that."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            fields = [*request.GET.lists()]
            if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                      "multipart/form-data"):
                fields += [*request.POST.lists()]
            if any(unstorable(key) or any(unstorable(v) for v in values) for key, values in fields):
                raise BadRequest(_("Text cannot contain NUL characters (\\u0000) or unpaired surrogates "
                                   "(\\ud800–\\udfff)."))
        return self.get_response(request)
