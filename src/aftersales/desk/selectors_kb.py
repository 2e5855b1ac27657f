"""Reads for the desk's knowledge-base pages: the article list with every language's state,
the editor's article, the category tree as choices, a revision's history, and the case page's
panel (suggested articles, search results, what "Insert link" and "Insert text" put in the
reply). A fixed number of queries each, whatever the number of rows."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import access_case
from aftersales.cases.models import Case, CaseEntry, EntryKind
from aftersales.catalog.models import ProductModel
from aftersales.core.errors import ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.core.pagination import Page, keyset_page
from aftersales.kb import render
from aftersales.kb.access import articles_readable_by
from aftersales.kb.errors import KbError
from aftersales.kb.models import (
    Article,
    ArticleAttachment,
    ArticleRevision,
    ArticleTranslation,
    Category,
    TranslationStatus,
    Visibility,
)
from aftersales.kb.search_scope import article_url
from aftersales.kb.selectors import LANGUAGES, pick, slug_urls
from aftersales.search.selectors import Hit, Results, more_like_this, search

DRAFT, PUBLISHED, SCHEDULED, MISSING = "draft", "published", "scheduled", "missing"
LIST_LIMIT = 50
SUGGESTIONS = 5
SEARCH_LIMIT = 10
CASE_TEXT_MAX = 4000
REVISIONS_PAGE = 100


def translation_state(t: ArticleTranslation | None) -> str:
    if t is None:
        return MISSING
    if t.status == TranslationStatus.DRAFT:
        return DRAFT
    return PUBLISHED if t.is_live else SCHEDULED


# ---- categories ---------------------------------------------------------------------------------

@dataclass
class CategoryChoice:
    category: Category
    name: str
    depth: int
    names: dict  # language → CategoryName
    children: list[CategoryChoice] = field(default_factory=list)
    articles: int = 0  # articles filed directly here

    @property
    def id(self) -> int:
        return self.category.pk

    @property
    def indented(self) -> str:
        return "\u2003" * self.depth + self.name

    @property
    def empty(self) -> bool:
        return not self.children and not self.articles


def category_choices(*, lang: str, count_articles: bool = False) -> list[CategoryChoice]:
    """Every category in tree order (depth first, by position), named in `lang` (or the first
    language it has). Two queries (three with the article counts)."""
    categories = list(Category.objects.prefetch_related("names").order_by("position", "id"))
    counts: dict[int, int] = {}
    if count_articles:
        counts = dict(Article.objects.order_by().values("category_id").annotate(n=Count("id"))
                      .values_list("category_id", "n"))
    nodes: dict[int, CategoryChoice] = {}
    for c in categories:
        names = {n.language: n for n in c.names.all()}
        chosen = pick(names, lang)
        nodes[c.pk] = CategoryChoice(category=c, name=chosen.name if chosen else c.slug, depth=0, names=names,
                                     articles=counts.get(c.pk, 0))
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id)
        (parent.children if parent is not None else roots).append(node)
    out: list[CategoryChoice] = []

    def walk(items: list[CategoryChoice], depth: int) -> None:
        for item in items:
            item.depth = depth
            out.append(item)
            walk(item.children, depth + 1)

    walk(roots, 0)
    return out


def subtree_ids(choices: list[CategoryChoice], category_id: int) -> set[int]:
    by_id = {c.id: c for c in choices}
    start = by_id.get(category_id)
    if start is None:
        return set()
    out, stack = set(), [start]
    while stack:
        node = stack.pop()
        out.add(node.id)
        stack.extend(node.children)
    return out


# ---- the article list ---------------------------------------------------------------------------

@dataclass
class ListFilters:
    """The article list's filters; `errors` holds what was refused (the list then ignores it)."""

    category: int | None = None
    visibility: str = ""
    state: str = ""
    language: str = ""
    q: str = ""
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        out = {"category": str(self.category or ""), "visibility": self.visibility, "state": self.state,
               "language": self.language, "q": self.q}
        return {k: v for k, v in out.items() if v}


@dataclass
class LanguageState:
    code: str
    state: str
    translation: ArticleTranslation | None

    @property
    def publish_at(self) -> datetime | None:
        return self.translation.publish_at if self.translation is not None else None


@dataclass
class ArticleRow:
    article: Article
    title: str
    title_lang: str
    category: str
    languages: list[LanguageState]

    @property
    def internal(self) -> bool:
        return self.article.visibility == Visibility.INTERNAL


def _in_language(language: str) -> Q:
    return Q(language=language) if language else Q()


def _state_filter(state: str, language: str) -> Q:
    rows = ArticleTranslation.objects.filter(_in_language(language), article=OuterRef("pk"))
    if state == DRAFT:
        return Q(Exists(rows.filter(status=TranslationStatus.DRAFT)))
    if state == PUBLISHED:
        return Q(Exists(rows.filter(is_live=True)))
    if state == SCHEDULED:
        return Q(Exists(rows.filter(status=TranslationStatus.PUBLISHED, is_live=False)))
    if state == MISSING:
        missing = [~Exists(ArticleTranslation.objects.filter(article=OuterRef("pk"), language=code))
                   for code in ([language] if language else LANGUAGES)]
        out = Q(missing[0])
        for condition in missing[1:]:
            out |= Q(condition)
        return out
    return Q()


def kb_article_list(*, user, lang: str, filters: ListFilters, categories: list[CategoryChoice],
                    cursor: str | None, limit: int = LIST_LIMIT) -> Page:
    """Editors see every article, drafts and internal ones; other staff only what they may read.
    Recently changed first, by keyset: two queries whatever the page."""
    editor = can(user, Op.KB_EDIT)
    qs: QuerySet[Article] = Article.objects.all() if editor else articles_readable_by(user)
    if filters.category:
        qs = qs.filter(category_id__in=subtree_ids(categories, filters.category) or {0})
    if filters.visibility:
        qs = qs.filter(visibility=filters.visibility)
    if filters.state:
        qs = qs.filter(_state_filter(filters.state, filters.language))
    elif filters.language:
        qs = qs.filter(Exists(ArticleTranslation.objects.filter(article=OuterRef("pk"), language=filters.language)))
    if filters.q:
        titled = ArticleTranslation.objects.filter(article=OuterRef("pk"), title__icontains=filters.q)
        match = Q(slug__icontains=filters.q) | Q(Exists(titled))
        if filters.q.isascii() and filters.q.isdigit() and len(filters.q) <= 18:
            match |= Q(pk=int(filters.q))
        qs = qs.filter(match)
    shown = ArticleTranslation.objects.all() if editor else ArticleTranslation.objects.filter(is_live=True)
    qs = qs.prefetch_related(Prefetch("translations", queryset=shown.order_by("language"), to_attr="listed"))
    page = keyset_page(qs, keys=("updated_at", "id"), kinds=(datetime, int), cursor=cursor, limit=limit)
    names = {c.id: c.name for c in categories}
    rows = []
    for article in page.items:
        by_lang = {t.language: t for t in article.listed}
        title = pick(by_lang, lang)
        rows.append(ArticleRow(
            article=article, title=title.title if title else article.slug, title_lang=title.language if title else "",
            category=names.get(article.category_id, ""),
            languages=[LanguageState(code, translation_state(by_lang.get(code)), by_lang.get(code))
                       for code in LANGUAGES]))
    page.items = rows
    return page


# ---- the editor ---------------------------------------------------------------------------------

def attachment_url(article_id: int, attachment_id: int) -> str:
    return reverse("desk:kb_file", args=[article_id, attachment_id])


def preview_html(*, user, article: Article | None, body: str, lang: str,
                 attachment_ids: Iterable[int] | None = None) -> str:
    """The text as readers will see it: other articles' `kb:` links to the help centre, this
    article's `attachment:` images from the desk (drafts' files are not public yet).
    `attachment_ids`: the article's files, when the caller has them at hand already."""
    own: set[str] = set()
    if article is not None:
        if attachment_ids is None:
            attachment_ids = article.attachments.values_list("pk", flat=True)
        own = {str(pk) for pk in attachment_ids}
    links = slug_urls(user=user, lang=lang, markdown=body)
    return render.to_html(body, article_url=links.get,
                          attachment_url=lambda i: attachment_url(article.pk, int(i)) if i in own else None)


@dataclass
class EditorTab:
    code: str
    translation: ArticleTranslation | None
    state: str

    @property
    def revision(self) -> int:
        return self.translation.revision if self.translation is not None else 0

    @property
    def publish_at(self) -> datetime | None:
        return self.translation.publish_at if self.translation is not None else None


@dataclass
class Editor:
    article: Article
    tabs: list[EditorTab]
    attachments: list[ArticleAttachment]
    product_ids: set[int]
    related: list[tuple[Article, str]]  # (article, its title in the reader's language)

    def tab(self, code: str) -> EditorTab:
        return next(t for t in self.tabs if t.code == code)


def kb_editor(*, article: Article, lang: str) -> Editor:
    translations = {t.language: t for t in article.translations.select_related("updated_by")}
    related = list(article.related.prefetch_related("translations").order_by("id"))
    return Editor(
        article=article,
        tabs=[EditorTab(code, translations.get(code), translation_state(translations.get(code))) for code in LANGUAGES],
        attachments=list(article.attachments.select_related("uploaded_by")),
        product_ids=set(article.product_models.values_list("pk", flat=True)),
        related=[(r, _title(r, lang)) for r in related],
    )


def _title(article: Article, lang: str) -> str:
    t = pick({t.language: t for t in article.translations.all()}, lang)
    return t.title if t else article.slug


def product_choices() -> list[tuple[int, str]]:
    models = ProductModel.objects.filter(is_active=True).prefetch_related("names").order_by("sku")
    return [(m.pk, str(m)) for m in models]


def related_ids(tokens: list[str], *, exclude: int | None = None) -> list[int]:
    """Article ids for keys or numbers typed into the editor; an unknown one is refused. A
    number too long to be an id is looked for as a key (and so refused unless it is one)."""
    numbers = {t: n for t in tokens if (n := ascii_int(t)) is not None}
    keys = {t for t in tokens if t not in numbers}
    found = dict(Article.objects.filter(Q(pk__in=set(numbers.values())) | Q(slug__in=keys)).values_list("slug", "pk"))
    ids = set(found.values())
    unknown = [t for t in tokens if (numbers[t] not in ids if t in numbers else t not in found)]
    if unknown:
        raise ValidationFailed(KbError.RELATED_INVALID, _("Unknown related article: %(key)s") % {"key": unknown[0]})
    return sorted(ids - {exclude})


# ---- history ------------------------------------------------------------------------------------

def revisions(*, translation: ArticleTranslation,
              before: int | None = None) -> tuple[list[ArticleRevision], int | None]:
    """A translation's revisions, newest first, a page at a time (`before` = the last number shown)."""
    qs = ArticleRevision.objects.filter(translation=translation).select_related("editor").order_by("-number")
    if before is not None:
        qs = qs.filter(number__lt=before)
    rows = list(qs[:REVISIONS_PAGE + 1])
    more = rows[REVISIONS_PAGE - 1].number if len(rows) > REVISIONS_PAGE else None
    return rows[:REVISIONS_PAGE], more


def revision_diff(old: ArticleRevision, translation: ArticleTranslation) -> list[tuple[str, str]]:
    """Line by line, what restoring this revision would change in the current text:
    ("-", line) leaves, ("+", line) comes back, (" ", line) stays."""
    out = []
    for row in difflib.ndiff(translation.body.splitlines(), old.body.splitlines()):
        if row.startswith("? "):
            continue
        out.append((row[:1], row[2:]))
    return out


# ---- the case page: its panel, and "Make an article" from a reply ----------------------------------

def is_article_source(entry: CaseEntry) -> bool:
    """A staff member's public reply with words in it: the kind of answer that can become an article."""
    return (entry.kind == EntryKind.MESSAGE and entry.is_public and not entry.from_customer
            and entry.author_id is not None and bool(entry.body.strip()))


def source_entry(*, user, entry_id: int) -> CaseEntry:
    """The reply that is to become an article, on a case the person may see (else 404, like
    any case out of sight); anything but such a reply is a 404 too."""
    entry = CaseEntry.objects.filter(pk=entry_id).select_related("author").first()
    if entry is None:
        raise Http404
    case = access_case(user=user, case_id=entry.case_id)
    if not is_article_source(entry):
        raise Http404
    entry.case = case
    return entry


def case_text(case: Case) -> str:
    """What the case is about: its subject and the customer's first message."""
    first = (CaseEntry.objects.filter(case=case, kind=EntryKind.MESSAGE, from_customer=True)
             .order_by("created_at", "id").values_list("body", flat=True).first())
    return f"{case.subject}\n{first or ''}"[:CASE_TEXT_MAX]


@dataclass
class PanelHit:
    hit: Hit
    internal: bool
    insert_lang: str  # the language "Insert text" gives: the case's, else the first other live one
    case_lang: str

    @property
    def in_case_language(self) -> bool:
        return self.insert_lang == self.case_lang


@dataclass
class PanelResults:
    hits: list[PanelHit]
    results: Results | None
    fell_back: bool = False  # nothing in the case's language: every language shown
    all_languages: bool = False


def _decorate(hits: list[Hit], case_lang: str) -> list[PanelHit]:
    """Each hit with whether it is internal and which language its text would come in. One query."""
    if not hits:
        return []
    live: dict[int, dict[str, str]] = {}
    visibility: dict[int, str] = {}
    for article_id, language, seen_by in (ArticleTranslation.objects.filter(article_id__in=[h.id for h in hits],
                                                                             is_live=True)
                                          .values_list("article_id", "language", "article__visibility")):
        live.setdefault(article_id, {})[language] = language
        visibility[article_id] = seen_by
    return [PanelHit(hit=h, internal=visibility[h.id] == Visibility.INTERNAL, insert_lang=pick(live[h.id], case_lang),
                     case_lang=case_lang)
            for h in hits if h.id in live]


def case_suggestions(*, user, case: Case) -> PanelResults:
    """Articles about what the case is about, in the case's language; every language when
    that one has none."""
    text = case_text(case)
    results = more_like_this(user=user, scope="kb", text=text, prefer_lang=case.language, lang=case.language,
                             limit=SUGGESTIONS)
    fell_back = False
    if not results.hits:
        results = more_like_this(user=user, scope="kb", text=text, prefer_lang=case.language, limit=SUGGESTIONS)
        fell_back = bool(results.hits)
    return PanelResults(hits=_decorate(results.hits, case.language), results=results, fell_back=fell_back)


def case_search(*, user, case: Case, q: str, all_languages: bool, suggest: bool) -> PanelResults:
    lang = None if all_languages else case.language
    results = search(user=user, scope="kb", q=q, lang=lang, prefer_lang=case.language, limit=SEARCH_LIMIT,
                     suggest=suggest)
    fell_back = False
    if not results.hits and not all_languages:
        results = search(user=user, scope="kb", q=q, prefer_lang=case.language, limit=SEARCH_LIMIT, suggest=suggest)
        fell_back = bool(results.hits)
    return PanelResults(hits=_decorate(results.hits, case.language), results=results, fell_back=fell_back,
                        all_languages=all_languages)


def article_link(article: Article, lang: str) -> str:
    """The address a customer opens: absolute, asking for the case's language."""
    return settings.AFTERSALES_BASE_URL.rstrip("/") + article_url(article.pk, article.slug, lang)


@dataclass(frozen=True)
class Insert:
    text: str
    lang: str  # the language of the text (the case's, unless the article has none in it)


def insert_for_case(*, article: Article, case: Case, what: str) -> Insert:
    """What "Insert link" or "Insert text" puts in the reply: the link in the case's language,
    or the article's words in the case's language followed by that link. An internal article
    has no link a customer could open: its text comes alone, and it offers no link."""
    public = article.visibility == Visibility.PUBLIC
    if what == "link":
        if not public:
            raise ValidationFailed(KbError.ARTICLE_INVALID, _("Internal articles have no link customers can open."))
        return Insert(text=article_link(article, case.language), lang=case.language)
    live = {t.language: t for t in article.translations.filter(is_live=True)}
    translation = pick(live, case.language)
    if translation is None:
        raise ValidationFailed(KbError.TRANSLATION_INVALID, _("This article has no published text."))
    text = render.plain_text(translation.body)
    if public:
        text = f"{text}\n\n{article_link(article, case.language)}"
    return Insert(text=text, lang=translation.language)
