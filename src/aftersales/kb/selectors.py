"""Reads of the knowledge base for the portal, the desk and the API, in the reader's language.

Each article is shown in the reader's language when that translation is live, else in the
first live one of `FALLBACK` (the page says so). Lists take a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from aftersales.kb import render
from aftersales.kb.access import articles_readable_by, readable_visibilities
from aftersales.kb.models import Article, ArticleAttachment, ArticleTranslation, Category, CategoryName
from aftersales.kb.search_scope import article_url

FALLBACK = ["en", "zh-hant", "zh-hans", "ko"]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def reader_language() -> str:
    """The reader's language (the account's, else the browser's) if articles are written in it,
    else the site's default."""
    lang = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    return lang if lang in LANGUAGES else settings.LANGUAGE_CODE


def language_order(lang: str) -> list[str]:
    return [lang, *(code for code in FALLBACK if code != lang)]


def pick(by_language: dict, lang: str):
    for code in language_order(lang):
        if code in by_language:
            return by_language[code]
    return None


@dataclass
class CategoryNode:
    category: Category
    name: str
    description: str
    articles: int = 0  # readable articles here and below
    children: list[CategoryNode] = field(default_factory=list)
    parent: CategoryNode | None = None

    @property
    def id(self) -> int:
        return self.category.pk

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("kb:category", args=[self.category.pk, self.category.slug])

    @property
    def trail(self) -> list[CategoryNode]:
        out, node = [], self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]


def category_tree(*, user, lang: str, counted: bool = True) -> dict[int, CategoryNode]:
    """Every category with its name in `lang` and how many readable articles it holds,
    counting sub-categories. Two queries (one without `counted`, for pages that only need the
    names and the trail: counting reads every readable article's category)."""
    names: dict[int, dict[str, CategoryName]] = defaultdict(dict)
    categories = list(Category.objects.prefetch_related(Prefetch("names", to_attr="all_names")))
    for c in categories:
        for n in c.all_names:
            names[c.pk][n.language] = n
    counts: dict[int, int] = defaultdict(int)
    if counted:
        for category_id in articles_readable_by(user).values_list("category_id", flat=True):
            counts[category_id] += 1
    nodes = {}
    for c in categories:
        name = pick(names[c.pk], lang)
        nodes[c.pk] = CategoryNode(category=c, name=name.name if name else c.slug,
                                   description=name.description if name else "", articles=counts[c.pk])
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id)
        if parent is not None:
            node.parent = parent
            parent.children.append(node)
    for node in nodes.values():  # add each category's own count to every ancestor
        ancestor = node.parent
        while ancestor is not None:
            ancestor.articles += counts[node.category.pk]
            ancestor = ancestor.parent
    return nodes


def roots(tree: dict[int, CategoryNode]) -> list[CategoryNode]:
    return [n for n in tree.values() if n.parent is None and n.articles]


@dataclass
class ArticleItem:
    article: Article
    translation: ArticleTranslation
    title: str
    language: str
    url: str
    views: int

    @property
    def id(self) -> int:
        return self.article.pk

    @property
    def summary(self) -> str:
        text = render.plain_text(self.translation.body).replace("\n", " ")
        return text[:160] + ("…" if len(text) > 160 else "")


def _items(articles, lang: str) -> list[ArticleItem]:
    out = []
    for a in articles:
        live = {t.language: t for t in a.live_translations}
        t = pick(live, lang)
        if t is not None:
            out.append(ArticleItem(article=a, translation=t, title=t.title, language=t.language,
                                   url=article_url(a.pk, a.slug, t.language if t.language != lang else ""),
                                   views=a.view_count))
    return out


def _with_live(qs):
    return qs.prefetch_related(Prefetch("translations", queryset=ArticleTranslation.objects.filter(is_live=True),
                                        to_attr="live_translations"))


def category_articles(*, user, category: Category, lang: str, limit: int = 200) -> list[ArticleItem]:
    """The category's own readable articles, most viewed first."""
    qs = articles_readable_by(user).filter(category=category).order_by("-view_count", "id")[:limit]
    return _items(_with_live(qs), lang)


def popular_articles(*, user, lang: str, limit: int = 8) -> list[ArticleItem]:
    qs = articles_readable_by(user).order_by("-view_count", "id")[:limit]
    return _items(_with_live(qs), lang)


def articles_by_ids(*, user, ids: list[int], lang: str) -> list[ArticleItem]:
    order = {pk: i for i, pk in enumerate(ids)}
    items = _items(_with_live(articles_readable_by(user).filter(pk__in=ids)), lang)
    return sorted(items, key=lambda item: order.get(item.id, 0))


@dataclass
class ArticlePage:
    article: Article
    translation: ArticleTranslation
    html: str
    languages: list[tuple[str, str]]  # (code, url) of the other live translations
    asked: str  # the language the reader asked for
    related: list[ArticleItem]
    attachments: list[ArticleAttachment]

    @property
    def fell_back(self) -> bool:
        return self.translation.language != self.asked


def attachment_url(attachment_id) -> str:
    from django.urls import reverse

    return reverse("kb:attachment", args=[int(attachment_id)])


def slug_urls(*, user, lang: str, markdown: str) -> dict[str, str]:
    """The help-centre addresses of the articles a text links to (`kb:<key>`) that the reader
    may read: one query for just those keys."""
    keys = set(render.LINKED_KEYS.findall(markdown or ""))
    if not keys:
        return {}
    return {slug: article_url(pk, slug)
            for pk, slug in articles_readable_by(user).filter(slug__in=keys).values_list("pk", "slug")}


def article_page(*, user, article: Article, lang: str) -> ArticlePage | None:
    translations = {t.language: t for t in article.translations.filter(is_live=True)}
    translation = pick(translations, lang)
    if translation is None:
        return None
    links = slug_urls(user=user, lang=lang, markdown=translation.body)
    attachments = list(article.attachments.all())
    own = {str(a.pk) for a in attachments}
    html = render.to_html(translation.body, article_url=links.get,
                          attachment_url=lambda i: attachment_url(i) if i in own else None)
    related = _items(_with_live(articles_readable_by(user).filter(related=article).order_by("-view_count")), lang)
    languages = [(code, article_url(article.pk, article.slug, code)) for code in LANGUAGES
                 if code in translations and code != translation.language]
    return ArticlePage(article=article, translation=translation, html=html, languages=languages, asked=lang,
                       related=related, attachments=attachments)


def readable_attachment(*, user, attachment_id: int) -> ArticleAttachment | None:
    return (ArticleAttachment.objects.filter(pk=attachment_id, article__visibility__in=readable_visibilities(user),
                                             article__translations__is_live=True)
            .select_related("article").first())


def article_plain(*, translation: ArticleTranslation) -> str:
    return render.plain_text(translation.body)
