"""The knowledge base's numbers (Op.KB_PUBLISH), so the FAQ is kept fresh from the questions
customers really ask: the top searches, the searches that found nothing (the articles to
write), the articles readers found unhelpful with their comments, how often the articles beside
"Ask for help" answered the question, and the most read. Over the last 7, 30 or 90 days; a
fixed number of queries (`kb.selectors_analytics`)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aftersales.accounts.permissions import Op
from aftersales.core.errors import ValidationFailed
from aftersales.desk import forms_kb
from aftersales.desk.views_kb import kb_view
from aftersales.kb import selectors_analytics as numbers


@kb_view(Op.KB_PUBLISH)
@require_GET
def analytics(request: HttpRequest) -> HttpResponse:
    error, status = None, 200
    try:
        days = forms_kb.period(request.GET.get("days"))
    except ValidationFailed as exc:
        days, error, status = forms_kb.PERIODS[1], str(exc.detail), exc.status
    now = timezone.now()
    since = now - timedelta(days=days)
    context = {
        "days": days, "periods": forms_kb.PERIODS, "since": since, "error": error,
        "top": numbers.top_searches(since=since), "empty": numbers.searches_without_results(since=since),
        "poor": numbers.poorly_rated(), "deflection": numbers.deflection_summary(since=since, now=now),
        "viewed": numbers.most_viewed(), "poor_percent": round(numbers.POOR_RATE * 100), "min_votes": numbers.MIN_VOTES,
    }
    return render(request, "desk/kb/analytics.html", context, status=status)
