"""The knowledge base's numbers, so the FAQ is kept fresh from the questions customers really
ask: the top searches, the searches that found nothing, the articles readers found unhelpful
(with their comments), the most read, and how often the articles beside "Ask for help"
answered the question before a request was sent. Each is one or two aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, Q
from django.utils import timezone

from aftersales.kb.models import ArticleTranslation, ArticleVote, Deflection, SearchLog

POOR_RATE = 0.6  # helpful share below this is poor
MIN_VOTES = 5  # fewer votes say too little to judge


@dataclass(frozen=True)
class SearchRow:
    normalized: str
    example: str
    searches: int
    with_results: int
    clicks: int
    last: datetime

    @property
    def click_rate(self) -> float:
        return self.clicks / self.searches if self.searches else 0.0


def _searches(since: datetime, *, empty_only: bool, limit: int) -> list[SearchRow]:
    qs = SearchLog.objects.filter(created_at__gte=since)
    if empty_only:
        qs = qs.filter(results=0)
    rows = (qs.values("normalized")
            .annotate(searches=Count("id"), with_results=Count("id", filter=Q(results__gt=0)),
                      clicks=Count("clicked"), last=Max("created_at"), example=Max("query"))
            .order_by("-searches", "normalized")[:limit])
    return [SearchRow(normalized=r["normalized"], example=r["example"], searches=r["searches"],
                      with_results=r["with_results"], clicks=r["clicks"], last=r["last"]) for r in rows]


def top_searches(*, since: datetime, limit: int = 20) -> list[SearchRow]:
    return _searches(since, empty_only=False, limit=limit)


def searches_without_results(*, since: datetime, limit: int = 20) -> list[SearchRow]:
    return _searches(since, empty_only=True, limit=limit)


@dataclass(frozen=True)
class PoorArticle:
    translation: ArticleTranslation
    votes: int
    rate: float
    comments: list[str]


def poorly_rated(*, limit: int = 20, min_votes: int = MIN_VOTES, below: float = POOR_RATE) -> list[PoorArticle]:
    """Live translations whose helpful share is under `below`, with at least `min_votes` votes,
    worst first, each with its latest comments from readers who said no."""
    total = F("helpful_yes") + F("helpful_no")
    # ("votes" is taken: the reverse relation to ArticleVote.)
    rows = list(ArticleTranslation.objects.annotate(
        vote_total=total, rate=ExpressionWrapper(F("helpful_yes") * 1.0 / total, output_field=FloatField()))
        .filter(vote_total__gte=max(min_votes, 1), rate__lt=below)
        .select_related("article").order_by("rate", "-vote_total", "id")[:limit])
    comments: dict[int, list[str]] = {}
    if rows:
        for translation_id, comment in (ArticleVote.objects.filter(translation__in=rows, helpful=False)
                                        .exclude(comment="").order_by("-created_at")
                                        .values_list("translation_id", "comment")[: 5 * len(rows)]):
            comments.setdefault(translation_id, [])
            if len(comments[translation_id]) < 3:
                comments[translation_id].append(comment)
    return [PoorArticle(translation=t, votes=t.vote_total, rate=t.rate, comments=comments.get(t.pk, [])) for t in rows]


@dataclass(frozen=True)
class DeflectionSummary:
    forms: int  # "Ask for help" forms that showed at least one article
    opened: int  # of those, forms where the customer opened an article
    submitted: int  # of those, forms that were sent anyway
    answered: int  # forms that showed articles and were not sent (an hour or more ago)

    @property
    def rate(self) -> float:
        return self.answered / self.forms if self.forms else 0.0


def deflection_summary(*, since: datetime, now: datetime | None = None) -> DeflectionSummary:
    now = now or timezone.now()
    qs = Deflection.objects.filter(created_at__gte=since).exclude(shown=[])
    counts = qs.aggregate(
        forms=Count("id"), submitted=Count("id", filter=Q(case__isnull=False)),
        opened=Count("id", filter=~Q(opened=[])),
        answered=Count("id", filter=Q(case__isnull=True, updated_at__lt=now - timedelta(hours=1))))
    return DeflectionSummary(**counts)


def most_viewed(*, limit: int = 10) -> list[ArticleTranslation]:
    return list(ArticleTranslation.objects.filter(is_live=True).select_related("article")
                .order_by("-view_count", "id")[:limit])
