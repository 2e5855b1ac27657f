"""Who reads which article, and who edits. The knowledge base's only access rules.

Everyone — visitors too — reads public articles in their live translations; staff also read
internal ones. Editors (Op.KB_EDIT) open any article, drafts included. An article someone may
not read answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op, can
from aftersales.kb.models import Article, ArticleTranslation, Visibility


def reads_internal(user) -> bool:
    return can(user, Op.KB_READ_INTERNAL)


def readable_visibilities(user) -> list[str]:
    return [Visibility.PUBLIC, Visibility.INTERNAL] if reads_internal(user) else [Visibility.PUBLIC]


def articles_readable_by(user) -> QuerySet[Article]:
    """Articles with at least one live translation that the reader's audience may read."""
    live = ArticleTranslation.objects.filter(article=OuterRef("pk"), is_live=True)
    return Article.objects.filter(Exists(live), visibility__in=readable_visibilities(user))


def translations_readable_by(user) -> QuerySet[ArticleTranslation]:
    return ArticleTranslation.objects.filter(is_live=True, article__visibility__in=readable_visibilities(user))


def access_article(*, user, article_id: int) -> Article:
    article = articles_readable_by(user).filter(pk=article_id).select_related("category").first()
    if article is None:
        raise Http404
    return article


def access_article_for_edit(*, user, article_id: int, for_update: bool = False) -> Article:
    require(user, Op.KB_EDIT)
    qs = Article.objects.filter(pk=article_id).select_related("category")
    if for_update:
        qs = qs.select_for_update()
    article = qs.first()
    if article is None:
        raise Http404
    return article
