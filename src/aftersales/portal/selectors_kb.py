"""Reads the help centre's pages need beyond `kb.selectors`: the reader's own vote, and where
each search hit is filed. Each is one query, however many rows."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.kb.access import articles_readable_by
from aftersales.kb.models import Article, ArticleTranslation, ArticleVote, Visibility
from aftersales.kb.selectors import CategoryNode


def live_translation(*, article: Article, language: str) -> ArticleTranslation | None:
    """The article's translation in `language` if it is live (readers see no other)."""
    return ArticleTranslation.objects.filter(article=article, language=language, is_live=True).first()


def vote_of(*, translation: ArticleTranslation, voter: str | None) -> ArticleVote | None:
    """The reader's "was this helpful?" answer on this translation, if they gave one."""
    if not voter:
        return None
    return ArticleVote.objects.filter(translation=translation, voter=voter).only("helpful", "comment").first()


@dataclass(frozen=True)
class HitPlace:
    category: CategoryNode | None
    internal: bool


def hit_places(*, user, ids: list[int], tree: dict[int, CategoryNode]) -> dict[int, HitPlace]:
    """For each readable article id: its category node (for the breadcrumb under a result)
    and whether it is an internal (staff-only) article."""
    if not ids:
        return {}
    rows = articles_readable_by(user).filter(pk__in=ids).values_list("pk", "category_id", "visibility")
    return {pk: HitPlace(category=tree.get(category_id), internal=visibility == Visibility.INTERNAL)
            for pk, category_id, visibility in rows}
