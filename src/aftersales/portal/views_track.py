"""Following a case without an account: case number plus the e-mail or phone it belongs to."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from aftersales.cases.selectors import case_timeline
from aftersales.core import throttle
from aftersales.portal.access import guest_case
from aftersales.portal.forms import TrackForm

# Failed look-ups allowed per client address and per case number in 15 minutes; then 429.
# Per number too, so guessing one case's contact from many addresses is slowed as well.
TRACK_FAILURES_PER_IP = throttle.Limit("track.ip", max_attempts=10, window=15 * 60)
TRACK_FAILURES_PER_NUMBER = throttle.Limit("track.number", max_attempts=10, window=15 * 60)


def track(request: HttpRequest) -> HttpResponse:
    """A POST form, so the e-mail or phone number never ends up in a URL or a log line."""
    case = None
    not_found = False
    if request.method == "POST":
        ip = throttle.client_ip(request)
        number = (request.POST.get("number") or "").strip().upper()[:24]
        if throttle.is_limited(TRACK_FAILURES_PER_IP, ip):
            return throttle.too_many_response(request, TRACK_FAILURES_PER_IP)
        if number and throttle.is_limited(TRACK_FAILURES_PER_NUMBER, number):
            return throttle.too_many_response(request, TRACK_FAILURES_PER_NUMBER)
        form = TrackForm(request.POST)
        if form.is_valid():
            case = guest_case(number=form.cleaned_data["number"], contact=form.cleaned_data["contact"],
                              language=translation.get_language())
            not_found = case is None
            if not_found:
                throttle.count_attempt(TRACK_FAILURES_PER_IP, ip)
                throttle.count_attempt(TRACK_FAILURES_PER_NUMBER, number)
    else:
        form = TrackForm()
    context = {"form": form, "not_found": not_found, "case": case, "guest": True}
    if case is not None:
        # The timeline as an anonymous reader sees it: public entries only.
        context["entries"] = case_timeline(user=AnonymousUser(), case=case)
    return render(request, "portal/track.html", context)
