"""The `kb` search scope: one document per live translation (decision 0025).

A translation's document: its title, and its text without Markdown (body). Filters: `pub` or
`int` (the article's audience), `l<language>`, `p<product model>` for each linked product.
Drafts and translations scheduled for later have no document, so nobody finds them; every
hit is checked against the live rows before it is shown.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from aftersales.kb import render
from aftersales.kb.access import reads_internal, translations_readable_by
from aftersales.kb.models import ArticleTranslation, Visibility
from aftersales.search import registry, scoring
from aftersales.search.case_documents import lang_key
from aftersales.search.documents import Document
from aftersales.search.models import ArticleDocument

SCOPE = "kb"


def article_url(article_id: int, slug: str = "", lang: str = "") -> str:
    url = reverse("kb:article", args=[article_id, slug]) if slug else reverse("kb:article_id", args=[article_id])
    return f"{url}?lang={lang}" if lang else url


def documents(ids: list[int]) -> list[Document]:
    rows = (ArticleTranslation.objects.filter(pk__in=ids, is_live=True)
            .select_related("article").prefetch_related("article__product_models"))
    out = []
    for t in rows:
        article = t.article
        filters = ["pub" if article.visibility == Visibility.PUBLIC else "int", lang_key(t.language),
                   *(f"p{m.pk}" for m in article.product_models.all())]
        out.append(Document(id=t.pk, parent=article.pk, lang=t.language, title=t.title, body=render.plain_text(t.body),
                            filters=tuple(filters), popularity=article.view_count, recency=t.updated_at))
    return out


def all_ids(batch: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(ArticleTranslation.objects.filter(pk__gt=last, is_live=True).order_by("pk")
                   .values_list("pk", flat=True)[:batch])
        if not ids:
            return
        yield ids
        last = ids[-1]


def filters_for(user, lang: str | None = None, product: int | None = None) -> list[tuple[str, ...]]:
    groups = [registry.any_of(["pub", "int"] if reads_internal(user) else ["pub"])]
    if lang:
        groups.append(registry.any_of([lang_key(lang)]))
    if product:
        groups.append(registry.any_of([f"p{int(product)}"]))
    return groups


def fields_for(user) -> tuple[str, ...]:
    return scoring.PUBLIC_FIELDS


def shown(user, ids: list[int]) -> dict[int, registry.Shown]:
    rows = translations_readable_by(user).filter(pk__in=ids).select_related("article").only(
        "pk", "title", "body", "language", "article__id", "article__slug")
    return {
        t.pk: registry.Shown(id=t.article_id, title=t.title, text=render.plain_text(t.body), lang=t.language,
                             url=article_url(t.article_id, t.article.slug, t.language))
        for t in rows
    }


def register() -> None:
    registry.register(registry.Scope(
        name=SCOPE, model=ArticleDocument, documents=documents, all_ids=all_ids, filters_for=filters_for,
        fields_for=fields_for, shown=shown, one_per_parent=True, window=400))
