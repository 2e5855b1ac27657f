"""What the help centre's tests share: a knowledge base written through `kb.actions` (so every
article is in the search index, exactly as the desk would leave it), and reading pages as trees."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, TreeBuilder

from django.test import Client

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import UserFactory
from aftersales.kb import actions
from aftersales.kb.models import Article, ArticleTranslation, Category, TranslationStatus, Visibility
from aftersales.portal.tests.helpers import signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


class KB:
    """Builds categories and articles as a supervisor would. `capture` is pytest-django's
    `django_capture_on_commit_callbacks`: the index is written when the action's transaction
    commits, which a test's own transaction never does."""

    def __init__(self, capture):
        self.capture = capture
        self.editor = UserFactory(role=Role.SUPERVISOR, username="kb-editor")

    def category(self, key: str, names: dict[str, tuple[str, str]], parent: Category | None = None,
                 position: int = 0) -> Category:
        with self.capture(execute=True):
            return actions.category_save(actor=self.editor, names=names, slug=key, parent=parent, position=position)

    def article(self, category: Category, key: str, translations: dict[str, tuple[str, str]], *,
                visibility: str = Visibility.PUBLIC, views: int = 0, status: str = TranslationStatus.PUBLISHED,
                publish_at: datetime | None = None, drafts: dict[str, tuple[str, str]] | None = None) -> Article:
        """An article with these live translations (or all drafts, or all scheduled), plus
        `drafts`: languages written but not published."""
        (first, (title, body)), *rest = translations.items()
        with self.capture(execute=True):
            article = actions.article_create(actor=self.editor, category=category, language=first, title=title,
                                             body=body, slug=key, visibility=visibility, status=status,
                                             publish_at=publish_at)
            for lang, (title, body) in rest:
                actions.translation_save(actor=self.editor, article=article, language=lang, title=title, body=body,
                                         status=status, publish_at=publish_at)
            for lang, (title, body) in (drafts or {}).items():
                actions.translation_save(actor=self.editor, article=article, language=lang, title=title, body=body,
                                         status=TranslationStatus.DRAFT)
        if views:
            Article.objects.filter(pk=article.pk).update(view_count=views)
            article.view_count = views
        return article

    def relate(self, article: Article, *others: Article) -> None:
        with self.capture(execute=True):
            actions.article_update(actor=self.editor, article=article, related_ids=[o.pk for o in others])


def translation(article: Article, lang: str) -> ArticleTranslation:
    return ArticleTranslation.objects.get(article=article, language=lang)


def client_for(user=None) -> Client:
    """A visitor's client, or (given a user) a signed-in one."""
    return signed_in(user) if user is not None else Client()


# ---- pages as trees ---------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TreeParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.builder = TreeBuilder()
        self.builder.start("document", {})
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.builder.start(tag, {k: v if v is not None else "" for k, v in attrs})
        if tag in _VOID:
            self.builder.end(tag)
        else:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.builder.start(tag, {k: v if v is not None else "" for k, v in attrs})
        self.builder.end(tag)

    def handle_endtag(self, tag):
        if tag not in self.open:
            return
        while self.open:
            name = self.open.pop()
            self.builder.end(name)
            if name == tag:
                break

    def handle_data(self, data):
        self.builder.data(data)

    def tree(self) -> Element:
        while self.open:
            self.builder.end(self.open.pop())
        self.builder.end("document")
        return self.builder.close()


def page_tree(response_or_html) -> Element:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    parser = _TreeParser()
    parser.feed(html)
    parser.close()
    return parser.tree()


def text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def with_class(root: Element, cls: str, tag: str = "*") -> list[Element]:
    return [e for e in root.iter(tag) if cls in e.get("class", "").split()]


def one(root: Element, cls: str, tag: str = "*") -> Element:
    found = with_class(root, cls, tag)
    assert len(found) == 1, f"{len(found)} elements .{cls}"
    return found[0]


def link_texts(root: Element | None) -> list[str]:
    return [text(a) for a in root.iter("a")] if root is not None else []


def hrefs(root: Element | None) -> list[str]:
    return [a.get("href", "") for a in root.iter("a")] if root is not None else []


def list_titles(root: Element, cls: str = "kb-list") -> list[str]:
    """The titles of an article list (the first link of each item)."""
    return [text(li.find("a")) for li in one(root, cls).findall("li")]
