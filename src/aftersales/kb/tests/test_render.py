"""Article text as readers see it: Markdown made safe, and links between articles resolved only
to articles the reader may open."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import UserFactory
from aftersales.kb import actions, render
from aftersales.kb.models import TranslationStatus, Visibility
from aftersales.kb.selectors import article_page


@pytest.mark.parametrize(("markdown", "html"), [
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>"),
    # a scheme we do not link to: the words stay, the address goes
    ("[x](ftp://example.com/a)", '<p><a rel="noopener noreferrer nofollow">x</a></p>'),
    ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
    ("# Title", "<h2>Title</h2>"),
    ("[site](https://example.com)", '<p><a href="https://example.com" rel="noopener noreferrer nofollow">site</a></p>'),
    ("![photo](attachment:7)", '<p><img alt="photo"></p>'),  # not this article's file: no address
])
def test_markdown_becomes_safe_html(markdown, html):
    assert render.to_html(markdown).strip() == html


def test_plain_text_keeps_the_words_and_drops_the_markup():
    text = render.plain_text("## Steps\n\n1. **Unplug** it\n2. See [returns](kb:returns-how-to)\n\n"
                             "| a | b |\n|---|---|\n")
    assert text == "Steps\n• Unplug it\n• See returns\na  b"


@pytest.mark.django_db
def test_links_between_articles_lead_only_where_the_reader_may_go():
    boss = UserFactory(role=Role.SUPERVISOR)
    category = actions.category_save(actor=boss, names={"en": ("Help", "")}, slug="help")
    published = TranslationStatus.PUBLISHED
    actions.article_create(actor=boss, category=category, language="en", title="Returns", body="How.",
                           slug="returns-how-to", status=published)
    actions.article_create(actor=boss, category=category, language="en", title="Handbook", body="Staff.",
                           slug="handbook", status=published, visibility=Visibility.INTERNAL)
    article = actions.article_create(
        actor=boss, category=category, language="en", title="Refunds", status=published,
        body="See [returns](kb:returns-how-to), [the handbook](kb:handbook) and [gone](kb:no-such-article).")
    visitor_html = article_page(user=None, article=article, lang="en").html
    assert 'href="/help/a/' in visitor_html and "returns-how-to/" in visitor_html
    assert visitor_html.count("<a ") == 3 and visitor_html.count("href=") == 1
    staff_html = article_page(user=UserFactory(role=Role.AGENT), article=article, lang="en").html
    assert staff_html.count("href=") == 2 and "handbook/" in staff_html
