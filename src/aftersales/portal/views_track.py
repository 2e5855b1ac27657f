"""Following a case without an account: case number plus the e-mail or phone it belongs to."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from aftersales.cases.selectors import case_timeline
from aftersales.portal.access import guest_case
from aftersales.portal.forms import TrackForm


def track(request: HttpRequest) -> HttpResponse:
    """A POST form, so the e-mail or phone number never ends up in a URL or a log line."""
    case = None
    not_found = False
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            case = guest_case(number=form.cleaned_data["number"], contact=form.cleaned_data["contact"],
                              language=translation.get_language())
            not_found = case is None
    else:
        form = TrackForm()
    context = {"form": form, "not_found": not_found, "case": case, "guest": True}
    if case is not None:
        # The timeline as an anonymous reader sees it: public entries only.
        context["entries"] = case_timeline(user=AnonymousUser(), case=case)
    return render(request, "portal/track.html", context)
