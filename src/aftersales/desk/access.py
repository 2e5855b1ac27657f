"""Who may use the desk: staff only. Anonymous people are sent to sign in; customers get a
404, exactly as for a page that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            if getattr(request, "htmx", False):
                # A fragment request from an expired session: send the whole page to sign in.
                return HttpResponseClientRedirect(resolve_url("login"))
            return redirect_to_login(request.get_full_path())
        if not user.is_active or not user.is_staff_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
