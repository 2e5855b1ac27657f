"""The knowledge base over the API: the category tree and the articles the caller may read,
in their language (or `lang`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router

from aftersales.core.pagination import keyset_page
from aftersales.core.schemas import ERRORS
from aftersales.kb import selectors
from aftersales.kb.access import access_article, articles_readable_by
from aftersales.kb.schemas import ArticleListOut, ArticleListQuery, ArticleOut, CategoryOut, LangQuery

router = Router(tags=["knowledge base"])


def _lang(request: HttpRequest, asked: str | None) -> str:
    return asked or getattr(request.auth, "language", "") or translation.get_language() or "en"


@router.get("/kb/categories", response={200: list[CategoryOut], **ERRORS}, summary="The category tree")
def categories(request: HttpRequest, q: Query[LangQuery]):
    tree = selectors.category_tree(user=request.auth, lang=_lang(request, q.lang))
    return [{"id": n.id, "key": n.category.slug, "parent_id": n.category.parent_id, "position": n.category.position,
             "name": n.name, "description": n.description, "articles": n.articles} for n in tree.values()]


@router.get("/kb/articles", response={200: ArticleListOut, **ERRORS}, summary="Articles you may read")
def articles(request: HttpRequest, q: Query[ArticleListQuery]):
    """Newest first; follow `next_cursor` for the next page."""
    qs = articles_readable_by(request.auth)
    if q.category:
        qs = qs.filter(category_id=q.category)
    page = keyset_page(qs, keys=("id",), kinds=(int,), cursor=q.cursor, limit=q.limit)
    items = selectors.articles_by_ids(user=request.auth, ids=[a.pk for a in page.items],
                                      lang=_lang(request, q.lang))
    return {"items": [{"id": i.id, "key": i.article.slug, "category_id": i.article.category_id,
                       "visibility": i.article.visibility, "language": i.language, "title": i.title, "url": i.url,
                       "views": i.views, "updated_at": i.translation.updated_at} for i in items],
            "next_cursor": page.next_cursor}


@router.get("/kb/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="One article")
def article(request: HttpRequest, article_id: int, q: Query[LangQuery]):
    found = access_article(user=request.auth, article_id=article_id)
    page = selectors.article_page(user=request.auth, article=found, lang=_lang(request, q.lang))
    t = page.translation
    return {"id": found.pk, "key": found.slug, "category_id": found.category_id, "visibility": found.visibility,
            "language": t.language, "languages": sorted([t.language, *(code for code, _u in page.languages)]),
            "title": t.title, "body": t.body, "html": page.html, "related": [r.id for r in page.related],
            "product_model_ids": list(found.product_models.values_list("pk", flat=True)), "views": found.view_count,
            "helpful_yes": t.helpful_yes, "helpful_no": t.helpful_no, "published_at": t.published_at,
            "updated_at": t.updated_at}
