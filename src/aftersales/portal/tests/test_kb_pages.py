"""The help centre's pages: home, category, article — in the reader's language with a visible
fallback, most viewed first, views counted once per session, and nothing a reader may not read
(internal articles, drafts, scheduled ones) on any of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory
from aftersales.kb.actions import kb_publish_due
from aftersales.kb.models import Article, ArticleTranslation, TranslationStatus, Visibility
from aftersales.portal.tests.kb_support import (
    HTMX,
    client_for,
    hrefs,
    link_texts,
    list_titles,
    one,
    page_tree,
    text,
    with_class,
)

pytestmark = pytest.mark.django_db

WASHER = {
    "en": ("Washing machine not spinning?",
           "Check the **drain filter** first.\n\n## It will not drain\n\n1. Unplug it."),
    "zh-hant": ("洗衣機不脫水怎麼辦？", "先檢查**排水過濾網**。"),
    "zh-hans": ("洗衣机不脱水怎么办？", "先检查**排水过滤网**。"),
}


@pytest.fixture
def corpus(kb):
    repairs = kb.category("repairs", {"en": ("Repairs", "Booking a repair and home visits."),
                                      "zh-hant": ("維修", "預約維修與到府服務。")})
    fees = kb.category("repair-fees", {"en": ("Repair fees", "What a repair costs.")}, parent=repairs)
    returns = kb.category("returns", {"en": ("Returns", "Sending things back.")}, position=1)
    handbook = kb.category("handbook", {"en": ("Agent handbook", "For staff.")}, position=2)
    drafts_only = kb.category("coming-soon", {"en": ("Coming soon", "")}, position=3)
    later = timezone.now() + timedelta(days=1)
    return {
        "repairs": repairs, "fees": fees, "returns": returns, "handbook": handbook, "drafts_only": drafts_only,
        "washer": kb.article(repairs, "washer-not-spinning", WASHER, views=50),
        "booking": kb.article(repairs, "book-a-repair", {"en": ("Book a repair online", "Open **Ask for help**.")},
                              views=200),
        "visit": kb.article(repairs, "home-visit", {"en": ("Home repair visits", "A technician comes to you."),
                                                    "ko": ("방문 수리 안내", "기사님이 방문합니다.")}, views=10,
                            drafts={"zh-hant": ("到府維修（草稿）", "草稿")}),
        "fee": kb.article(fees, "repair-cost", {"en": ("How much does a repair cost?", "Free under warranty.")},
                          views=5),
        "refund": kb.article(returns, "refund-time", {"en": ("When is my refund paid?", "Within 7 days."),
                                                      "zh-hant": ("退款多久到帳？", "七天內。")}, views=80),
        "internal": kb.article(handbook, "handbook-refunds", {"en": ("Handbook: approving refunds", "Staff only.")},
                               visibility=Visibility.INTERNAL, views=999),
        "draft": kb.article(repairs, "draft-article", {"en": ("Draft: new dryer guide", "Not yet.")},
                            status=TranslationStatus.DRAFT, views=1000),
        "scheduled": kb.article(repairs, "scheduled-article", {"en": ("Scheduled: winter tips", "Soon.")},
                                views=2000, publish_at=later),
        "draft_category": kb.article(drafts_only, "draft-only", {"en": ("Draft only", "x")},
                                     status=TranslationStatus.DRAFT),
    }


@pytest.fixture
def visitor():
    return client_for()


@pytest.fixture
def hant_customer():
    return CustomerUserFactory(language="zh-hant")


@pytest.fixture
def agent():
    return UserFactory(role=Role.AGENT)


HIDDEN_TITLES = ["Handbook: approving refunds", "Draft: new dryer guide", "Scheduled: winter tips", "Draft only",
                 "到府維修（草稿）"]


# ---- home ---------------------------------------------------------------------------------------

def test_home_shows_the_search_box_the_categories_with_counts_and_the_most_viewed(visitor, corpus):
    response = visitor.get("/help/")
    assert response.status_code == 200
    root = page_tree(response)
    search = one(root, "kb-search", "form")
    assert search.get("action") == "/help/search/"
    box = search.find(".//input[@name='q']")
    assert (box.get("hx-get"), box.get("role"), box.get("aria-controls")) == ("/help/suggest/", "combobox",
                                                                              "kb-q-list")
    cards = with_class(root, "kb-card", "li")
    assert [text(c.find("h3")) for c in cards] == ["Repairs", "Returns"]  # handbook: internal; coming soon: drafts
    assert [text(one(c, "kb-count")) for c in cards] == ["4 articles", "1 article"]  # 3 own + 1 in Repair fees
    assert text(one(cards[0], "kb-desc")) == "Booking a repair and home visits."
    assert link_texts(one(cards[0], "kb-subs")) == ["Repair fees"]
    assert hrefs(cards[0].find("h3")) == [f"/help/c/{corpus['repairs'].pk}/repairs/"]
    assert list_titles(root) == ["Book a repair online", "When is my refund paid?", "Washing machine not spinning?",
                                 "Home repair visits", "How much does a repair cost?"]
    html = response.content.decode()
    assert all(title not in html for title in HIDDEN_TITLES)
    assert 'href="/help/new/"' in html  # "Still need help? Ask for help"


def test_home_in_the_readers_language_falls_back_per_article(hant_customer, corpus):
    root = page_tree(client_for(hant_customer).get("/help/"))
    assert [text(c.find("h3")) for c in with_class(root, "kb-card", "li")] == ["維修", "Returns"]
    items = one(root, "kb-list").findall("li")
    assert [text(li.find("a")) for li in items] == ["Book a repair online", "退款多久到帳？", "洗衣機不脫水怎麼辦？",
                                                    "Home repair visits", "How much does a repair cost?"]
    assert [li.find("a").get("lang") for li in items] == ["en", "zh-hant", "zh-hant", "en", "en"]
    assert text(one(items[0], "kb-lang")) == "English"  # marked: not in the reader's language
    assert with_class(items[1], "kb-lang") == []
    assert items[0].find("a").get("href") == f"/help/a/{corpus['booking'].pk}/book-a-repair/?lang=en"


def test_staff_read_the_internal_articles_marked_as_internal(agent, corpus):
    root = page_tree(client_for(agent).get("/help/"))
    assert [text(c.find("h3")) for c in with_class(root, "kb-card", "li")] == ["Repairs", "Returns", "Agent handbook"]
    first = one(root, "kb-list").findall("li")[0]
    assert text(first.find("a")) == "Handbook: approving refunds"
    assert text(one(first, "internal")) == "Internal"


def test_an_empty_help_centre_says_so(visitor):
    response = visitor.get("/help/")
    assert response.status_code == 200
    assert "There are no articles yet." in response.content.decode()


# ---- category -----------------------------------------------------------------------------------

def test_category_page_has_breadcrumbs_sub_categories_and_its_articles_most_viewed_first(visitor, corpus):
    repairs = corpus["repairs"]
    response = visitor.get(f"/help/c/{repairs.pk}/repairs/")
    assert response.status_code == 200
    root = page_tree(response)
    assert link_texts(one(root, "kb-crumbs")) == ["Help centre"]
    assert text(one(root, "kb-crumbs")) == "Help centre Repairs"
    assert text(root.find(".//h1")) == "Repairs"
    assert [text(c.find("h3")) for c in with_class(root, "kb-card", "li")] == ["Repair fees"]
    items = one(root, "kb-list").findall("li")
    assert [text(li.find("a")) for li in items] == ["Book a repair online", "Washing machine not spinning?",
                                                    "Home repair visits"]
    assert [text(one(li, "kb-summary")) for li in items] == [
        "Open Ask for help.", "Check the drain filter first. It will not drain • Unplug it.",
        "A technician comes to you."]
    assert all(title not in response.content.decode() for title in HIDDEN_TITLES)

    fees = page_tree(visitor.get(f"/help/c/{corpus['fees'].pk}/repair-fees/"))
    assert link_texts(one(fees, "kb-crumbs")) == ["Help centre", "Repairs"]
    assert list_titles(fees) == ["How much does a repair cost?"]


def test_most_viewed_first_follows_the_view_counts(visitor, corpus):
    Article.objects.filter(pk=corpus["visit"].pk).update(view_count=500)
    root = page_tree(visitor.get(f"/help/c/{corpus['repairs'].pk}/repairs/"))
    assert list_titles(root) == ["Home repair visits", "Book a repair online", "Washing machine not spinning?"]


def test_category_addresses_without_or_with_a_wrong_key_redirect_to_the_right_one(visitor, corpus):
    repairs = corpus["repairs"]
    for path in (f"/help/c/{repairs.pk}/", f"/help/c/{repairs.pk}/old-key/"):
        response = visitor.get(path)
        assert (response.status_code, response["Location"]) == (301, f"/help/c/{repairs.pk}/repairs/")


def test_categories_without_readable_articles_are_not_found(visitor, hant_customer, agent, corpus):
    handbook, drafts_only = corpus["handbook"], corpus["drafts_only"]
    assert visitor.get(f"/help/c/{handbook.pk}/handbook/").status_code == 404
    assert client_for(hant_customer).get(f"/help/c/{handbook.pk}/handbook/").status_code == 404
    assert client_for(agent).get(f"/help/c/{handbook.pk}/handbook/").status_code == 200
    assert client_for(agent).get(f"/help/c/{drafts_only.pk}/coming-soon/").status_code == 404
    assert visitor.get("/help/c/999999/nothing/").status_code == 404


# ---- article ------------------------------------------------------------------------------------

def test_article_page_shows_the_text_breadcrumbs_languages_related_and_feedback(visitor, kb, corpus):
    washer = corpus["washer"]
    kb.relate(washer, corpus["booking"], corpus["internal"])
    response = visitor.get(f"/help/a/{washer.pk}/washer-not-spinning/")
    assert response.status_code == 200
    root = page_tree(response)
    assert link_texts(one(root, "kb-crumbs")) == ["Help centre", "Repairs"]
    title = root.find(".//h1")
    assert (text(title), title.get("lang")) == ("Washing machine not spinning?", "en")
    body = one(root, "kb-body")
    assert body.get("lang") == "en"
    assert text(body.find("p/strong")) == "drain filter"
    assert text(body.find("h3")) == "It will not drain"  # "##": the article's headings sit under the page's <h1>
    langs = one(root, "kb-langs")
    assert [(a.get("lang"), text(a), a.get("href")) for a in langs.iter("a")] == [
        ("zh-hant", "繁體中文", f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hant"),
        ("zh-hans", "简体中文", f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hans")]
    assert with_class(root, "kb-note") == []  # in the reader's language: nothing to explain
    related = one(root, "kb-article-side")
    assert list_titles(related) == ["Book a repair online"]  # the internal one is not for visitors
    feedback = one(root, "kb-feedback")
    assert feedback.find(".//form").get("hx-post") == f"/help/a/{washer.pk}/vote/"
    assert [b.get("value") for b in feedback.iter("button")] == ["yes", "no"]
    assert feedback.find(".//input[@name='lang']").get("value") == "en"
    assert "/help/new/" in hrefs(related)  # Still need help? Ask for help
    assert text(one(related, "kb-cta")).startswith("Still need help?")


def test_an_article_missing_in_the_readers_language_falls_back_with_a_note(hant_customer, corpus):
    booking = corpus["booking"]
    root = page_tree(client_for(hant_customer).get(f"/help/a/{booking.pk}/book-a-repair/"))
    assert text(root.find(".//h1")) == "Book a repair online"
    note = text(one(root, "kb-note"))  # in the reader's language once translated: the language names stay
    assert "繁體中文" in note and "English" in note
    assert one(root, "kb-body").get("lang") == "en"
    assert with_class(root, "kb-langs") == []  # no other language to offer


def test_lang_asks_for_one_translation_and_falls_back_when_it_is_missing(visitor, corpus):
    washer, visit = corpus["washer"], corpus["visit"]
    hans = page_tree(visitor.get(f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hans"))
    assert (text(hans.find(".//h1")), one(hans, "kb-body").get("lang")) == ("洗衣机不脱水怎么办？", "zh-hans")
    assert [a.get("lang") for a in one(hans, "kb-langs").iter("a")] == ["en", "zh-hant"]
    assert with_class(hans, "kb-note") == []

    korean = page_tree(visitor.get(f"/help/a/{washer.pk}/washer-not-spinning/?lang=KO"))
    assert text(korean.find(".//h1")) == "Washing machine not spinning?"
    assert text(one(korean, "kb-note")) == "This article is not available in 한국어 yet, so it is shown in English."
    assert [a.get("lang") for a in one(korean, "kb-langs").iter("a")] == ["zh-hant", "zh-hans"]

    # A draft translation is never shown: the zh-hant reader of the visit gets English, then Korean.
    draft = page_tree(visitor.get(f"/help/a/{visit.pk}/home-visit/?lang=zh-hant"))
    assert text(draft.find(".//h1")) == "Home repair visits"
    assert "到府維修" not in text(draft)
    assert [a.get("lang") for a in one(draft, "kb-langs").iter("a")] == ["ko"]


@pytest.mark.parametrize("key", ["internal", "draft", "scheduled", "draft_category"])
def test_internal_draft_and_scheduled_articles_are_not_found_by_customers_and_visitors(visitor, hant_customer,
                                                                                       corpus, key):
    article = corpus[key]
    for client in (visitor, client_for(hant_customer)):
        assert client.get(f"/help/a/{article.pk}/{article.slug}/").status_code == 404
        assert client.get(f"/help/a/{article.pk}/").status_code == 404  # no redirect that confirms it exists


def test_staff_read_internal_articles_but_nobody_reads_drafts_or_scheduled_ones(agent, corpus):
    client = client_for(agent)
    internal = client.get(f"/help/a/{corpus['internal'].pk}/handbook-refunds/")
    assert internal.status_code == 200
    assert text(one(page_tree(internal), "internal")) == "Internal: staff only"
    assert client.get(f"/help/a/{corpus['draft'].pk}/draft-article/").status_code == 404
    assert client.get(f"/help/a/{corpus['scheduled'].pk}/scheduled-article/").status_code == 404


def test_a_scheduled_article_appears_when_its_time_comes(visitor, corpus):
    scheduled = corpus["scheduled"]
    assert kb_publish_due(now=timezone.now() + timedelta(days=2)) == 1
    assert visitor.get(f"/help/a/{scheduled.pk}/scheduled-article/").status_code == 200
    root = page_tree(visitor.get(f"/help/c/{corpus['repairs'].pk}/repairs/"))
    assert list_titles(root)[0] == "Scheduled: winter tips"


def test_article_addresses_without_or_with_a_wrong_key_redirect_and_keep_the_query(visitor, corpus):
    washer = corpus["washer"]
    response = visitor.get(f"/help/a/{washer.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/help/a/{washer.pk}/washer-not-spinning/")
    response = visitor.get(f"/help/a/{washer.pk}/old-key/?lang=zh-hant&s=12")
    assert (response.status_code, response["Location"]) == (
        301, f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hant&s=12")


def test_a_view_counts_once_per_session_and_article(visitor, hant_customer, corpus):
    washer = corpus["washer"]
    url = f"/help/a/{washer.pk}/washer-not-spinning/"
    for _ in range(3):
        assert visitor.get(url).status_code == 200
    visitor.get(url + "?lang=zh-hans")  # another language in the same session: still the same reader
    customer = client_for(hant_customer)
    customer.get(url)
    customer.get(url, **HTMX, QUERY_STRING="inline=1")
    washer.refresh_from_db()
    assert washer.view_count == 50 + 2
    counts = dict(ArticleTranslation.objects.filter(article=washer).values_list("language", "view_count"))
    assert counts == {"en": 1, "zh-hant": 1, "zh-hans": 0}
    client_for().get(url)  # a new visitor
    washer.refresh_from_db()
    assert washer.view_count == 53
    other = corpus["booking"]
    visitor.get(f"/help/a/{other.pk}/book-a-repair/")
    other.refresh_from_db()
    assert other.view_count == 201


def test_the_article_as_a_fragment_for_reading_beside_the_form(hant_customer, corpus):
    washer = corpus["washer"]
    response = client_for(hant_customer).get(f"/help/a/{washer.pk}/washer-not-spinning/", {"inline": "1"}, **HTMX)
    root = page_tree(response)
    assert response.status_code == 200
    assert root.find(".//h1") is None and "<html" not in response.content.decode()
    assert (text(one(root, "kb-body")), one(root, "kb-body").get("lang")) == ("先檢查排水過濾網。", "zh-hant")
    link = one(root, "kb-inline-open").find("a")
    assert (link.get("href"), link.get("target")) == (f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hant",
                                                      "_blank")


# ---- navigation ---------------------------------------------------------------------------------

def test_everyone_has_a_help_centre_link_and_the_landing_and_home_pages_a_search_box(visitor, hant_customer):
    landing = page_tree(visitor.get("/"))
    assert "/help/" in hrefs(landing.find(".//nav"))
    assert one(landing, "kb-search", "form").get("action") == "/help/search/"
    home = page_tree(client_for(hant_customer).get("/"))
    assert "/help/" in hrefs(home.find(".//nav"))
    assert one(home, "kb-search", "form").find(".//input[@name='q']").get("hx-get") == "/help/suggest/"
    help_page = page_tree(visitor.get("/help/"))
    current = [a for a in help_page.find(".//nav").iter("a") if a.get("aria-current") == "page"]
    assert [a.get("href") for a in current] == ["/help/"]


# ---- a constant number of queries ---------------------------------------------------------------

def _more_articles(kb, corpus, n: int) -> None:
    for i in range(n):
        kb.article(corpus["repairs"] if i % 2 else corpus["fees"], f"extra-{i}",
                   {"en": (f"Extra washing machine article {i}", "More about the washing machine."),
                    "ko": (f"세탁기 {i}", "세탁기")}, views=i)


# Session and user, then the category tree (categories, their names, the readable articles'
# categories) and two for the articles (most viewed, or the category's) with their live
# translations. The search page's own count is the search core's (it differs by backend) plus
# the log, the session, the tree and where the hits are filed: only its constancy is asserted.
QUERIES = {"/help/": 7, "category": 7}


@pytest.mark.parametrize("path", ["/help/", "category", "/help/search/?q=washing+machine"])
def test_list_pages_cost_the_same_queries_for_few_or_many_articles(kb, corpus, hant_customer,
                                                                   django_assert_num_queries, path):
    client = client_for(hant_customer)
    url = f"/help/c/{corpus['repairs'].pk}/repairs/" if path == "category" else path
    client.get(url)  # the session's first write is not what is measured
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    if path in QUERIES:
        assert len(few.captured_queries) == QUERIES[path], [q["sql"] for q in few.captured_queries]
    _more_articles(kb, corpus, 9)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Extra washing machine article 7" in text(page_tree(response))
