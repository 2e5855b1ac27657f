"""Searching the help centre: ranked, highlighted results in the reader's language, each search
logged (with the result opened), suggestions while typing (not logged), and clear answers for
queries that are empty, oversized, hostile or full of full-text syntax."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory
from aftersales.kb.models import SearchLog, Visibility
from aftersales.portal.tests.kb_support import HTMX, client_for, hrefs, one, page_tree, text, with_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(kb):
    repairs = kb.category("repairs", {"en": ("Repairs", ""), "zh-hant": ("維修", "")})
    phones = kb.category("phones", {"en": ("Phones", "")}, parent=repairs)
    return {
        "washer": kb.article(repairs, "washer-not-spinning", {
            "en": ("Washing machine not spinning?", "Clean the drain filter of the washing machine."),
            "zh-hant": ("洗衣機不脫水怎麼辦？", "洗衣機不脫水時，先清潔排水過濾網。"),
            "zh-hans": ("洗衣机不脱水怎么办？", "洗衣机不脱水时，先清洁排水过滤网。")}, views=30),
        "charging": kb.article(phones, "phone-not-charging", {
            "en": ("Phone not charging?", "Try another cable. Charging needs a clean port."),
            "ko": ("휴대폰이 충전되지 않나요?", "배터리가 충전되지 않으면 다른 케이블을 써 보세요.")}, views=90),
        "battery": kb.article(phones, "battery-care", {
            "en": ("Make your phone battery last", "Charge to 80 percent.")}, views=60),
        "internal": kb.article(repairs, "handbook-washers", {
            "en": ("Handbook: washing machine refunds", "Staff only: washing machine goodwill.")},
            visibility=Visibility.INTERNAL),
    }


@pytest.fixture
def visitor():
    return client_for()


def results(response) -> list[tuple[str, str]]:
    """(title text, link) of each result."""
    root = page_tree(response)
    found = with_class(root, "kb-results", "ol")
    if not found:
        return []
    return [(text(li.find("h3/a")), li.find("h3/a").get("href")) for li in found[0].findall("li")]


# ---- results and logging ------------------------------------------------------------------------

def test_results_are_ranked_highlighted_and_each_search_is_logged(visitor, corpus):
    response = visitor.get("/help/search/", {"q": "charging"})
    assert response.status_code == 200
    log = SearchLog.objects.get()
    charging, battery = corpus["charging"], corpus["battery"]
    assert results(response) == [
        ("Phone not charging?", f"/help/a/{charging.pk}/phone-not-charging/?lang=en&s={log.pk}"),
        ("Make your phone battery last", f"/help/a/{battery.pk}/battery-care/?lang=en&s={log.pk}")]
    html = response.content.decode()
    assert "Phone not <mark>charging</mark>?" in html
    assert "<mark>Charging</mark> needs a clean port." in html
    first = one(page_tree(response), "kb-results").find("li")
    assert text(one(first, "kb-place")) == "Repairs › Phones"
    assert text(page_tree(response).find(".//h1")) == "2 articles for “charging”"
    assert (log.query, log.normalized, log.language, log.source, log.results, log.user, log.clicked) == (
        "charging", "charg", "en", "portal", 2, None, None)


def test_the_reader_gets_their_language_and_simplified_finds_traditional(corpus):
    reader = CustomerUserFactory(language="zh-hant")
    response = client_for(reader).get("/help/search/", {"q": "洗衣机  不脱水"})
    washer = corpus["washer"]
    log = SearchLog.objects.get()
    assert results(response) == [
        ("洗衣機不脫水怎麼辦？", f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hant&s={log.pk}")]
    assert "<mark>洗衣機不脫水</mark>怎麼辦？" in response.content.decode()
    assert (log.query, log.language, log.user, log.results) == ("洗衣机 不脱水", "zh-hant", reader, 1)


def test_a_result_in_another_language_is_marked(corpus):
    reader = CustomerUserFactory(language="ko")
    root = page_tree(client_for(reader).get("/help/search/", {"q": "battery"}))
    item = one(root, "kb-results").find("li")
    assert text(item.find("h3/a")) == "Make your phone battery last"
    assert text(one(item, "kb-lang")) == "English"


def test_opening_a_result_records_the_click_once_and_only_for_the_searchers_own_search(visitor, corpus):
    charging = corpus["charging"]
    visitor.get("/help/search/", {"q": "charging"})
    log = SearchLog.objects.get()
    other = client_for()
    assert other.get(f"/help/a/{charging.pk}/phone-not-charging/", {"s": log.pk}).status_code == 200
    log.refresh_from_db()
    assert log.clicked is None  # a shared link is not the searcher opening their result
    assert visitor.get(f"/help/a/{charging.pk}/phone-not-charging/", {"s": log.pk}).status_code == 200
    log.refresh_from_db()
    assert log.clicked == charging
    battery = corpus["battery"]
    visitor.get(f"/help/a/{battery.pk}/battery-care/", {"s": log.pk})
    log.refresh_from_db()
    assert log.clicked == charging  # the first opened counts


@pytest.mark.parametrize("value", ["", "abc", "²", "-{pk}", "+{pk}", "{pk}.0", "{pk}\x00", "0x{pk:x}", "{pk}abc",
                                   "9" * 30])
def test_a_bad_search_id_is_ignored(visitor, corpus, value):
    charging = corpus["charging"]
    visitor.get("/help/search/", {"q": "charging"})  # this session's own search: a good id would count
    log = SearchLog.objects.get()
    response = visitor.get(f"/help/a/{charging.pk}/phone-not-charging/", {"s": value.format(pk=log.pk)})
    assert response.status_code == 200
    log.refresh_from_db()
    assert log.clicked is None


def test_staff_find_internal_articles_and_customers_never_do(corpus):
    staff = client_for(UserFactory(role=Role.AGENT))
    assert sorted(t for t, _u in results(staff.get("/help/search/", {"q": "washing machine"}))) == [
        "Handbook: washing machine refunds", "Washing machine not spinning?"]
    internal_badges = with_class(page_tree(staff.get("/help/search/", {"q": "goodwill"})), "internal")
    assert [text(b) for b in internal_badges] == ["Internal"]
    customer = client_for(CustomerUserFactory())
    assert [t for t, _u in results(customer.get("/help/search/", {"q": "washing machine"}))] == [
        "Washing machine not spinning?"]
    assert results(customer.get("/help/search/", {"q": "goodwill"})) == []


def test_no_results_says_so_and_offers_popular_articles_and_ask_for_help(visitor, corpus):
    response = visitor.get("/help/search/", {"q": "gift card balance"})
    assert response.status_code == 200
    root = page_tree(response)
    problem = one(root, "kb-problem")
    assert text(problem.find("h2")) == "No articles match “gift card balance”"
    assert "/help/new/" in hrefs(problem)
    assert [text(li.find("a")) for li in one(root, "kb-list").findall("li")] == [
        "Phone not charging?", "Make your phone battery last", "Washing machine not spinning?"]
    log = SearchLog.objects.get()
    assert (log.query, log.results) == ("gift card balance", 0)


def test_an_empty_search_shows_the_box_and_the_most_viewed_without_logging(visitor, corpus):
    response = visitor.get("/help/search/", {"q": "   "})
    assert response.status_code == 200
    root = page_tree(response)
    assert text(root.find(".//h1")) == "Search the help centre"
    assert len(one(root, "kb-list").findall("li")) == 3
    assert SearchLog.objects.count() == 0


# ---- hostile and oversized queries --------------------------------------------------------------

@pytest.mark.parametrize(("q", "status", "code"), [
    ("x" * 201, 400, "search_query_too_long"),
    ("washing\x00machine", 400, "invalid_input"),
    ("wash\x1bing", 400, "invalid_input"),
])
def test_oversized_or_unstorable_queries_get_a_clear_400(visitor, corpus, q, status, code):
    response = visitor.get("/help/search/", {"q": q})
    assert response.status_code == status
    problem = one(page_tree(response), "kb-problem")
    assert problem.get("data-code") == code
    assert text(problem.find("h2")) == "We could not search for that"
    assert SearchLog.objects.count() == 0


def test_a_query_of_exactly_200_characters_is_searched(visitor, corpus):
    response = visitor.get("/help/search/", {"q": "charging".ljust(200)})
    assert response.status_code == 200
    assert [t for t, _u in results(response)] == ["Phone not charging?", "Make your phone battery last"]


def test_bad_utf8_and_lone_surrogates_in_the_address_never_fail(visitor, corpus):
    # A lone surrogate (ED A0 80) and a cut-off sequence arrive as U+FFFD: nothing to search for.
    for raw in ("q=%ED%A0%80", "q=%E6%B4", "q=%FF%FE"):
        response = visitor.get("/help/search/?" + raw)
        assert response.status_code == 200
        assert one(page_tree(response), "kb-problem").get("data-code") == "search_query_empty"
    assert SearchLog.objects.count() == 0


@pytest.mark.parametrize(("q", "titles"), [
    ('"', []),
    ("*", []),
    ('"*"', []),
    ("()^-+:", []),
    ("wash*", ["Washing machine not spinning?"]),  # the word "wash" (as "washing" is stemmed), no wildcard
    ('"washing machine"', ["Washing machine not spinning?"]),
    ("washing OR charging", []),  # OR is a word here, not an operator: no article holds both
    ("washing NEAR machine", []),  # NEAR is a word too, and no article holds it
    ("title:washing", []),  # "title" must be in the article: no field syntax
    ("charging AND NOT", ["Phone not charging?", "Make your phone battery last"]),  # and, not: stopwords
    ("charg* OR", ["Phone not charging?", "Make your phone battery last"]),
])
def test_full_text_syntax_is_only_ever_words(visitor, corpus, q, titles):
    response = visitor.get("/help/search/", {"q": q})
    assert response.status_code == 200
    assert [t for t, _u in results(response)] == titles


# ---- suggestions --------------------------------------------------------------------------------

def suggestions(response) -> list[tuple[str, str]]:
    return [(text(a), a.get("href")) for a in page_tree(response).iter("a") if a.get("role") == "option"]


def test_suggestions_while_typing_match_the_word_being_typed_and_are_not_logged(visitor, corpus):
    charging, battery = corpus["charging"], corpus["battery"]
    response = visitor.get("/help/suggest/", {"q": "phone charg"}, **HTMX)
    assert response.status_code == 200
    assert suggestions(response) == [
        ("Phone not charging?", f"/help/a/{charging.pk}/phone-not-charging/?lang=en"),
        ("Make your phone battery last", f"/help/a/{battery.pk}/battery-care/?lang=en"),
        ("See all results for “phone charg”", "/help/search/?q=phone%20charg")]
    assert "<mark>Phone</mark> not <mark>charging</mark>?" in response.content.decode()
    korean = client_for(CustomerUserFactory(language="ko")).get("/help/suggest/", {"q": "배터리"}, **HTMX)
    assert suggestions(korean)[0] == ("휴대폰이 충전되지 않나요?", f"/help/a/{charging.pk}/phone-not-charging/?lang=ko")
    assert SearchLog.objects.count() == 0


def test_suggestions_for_nothing_are_empty_and_for_no_match_offer_the_search(visitor, corpus):
    assert visitor.get("/help/suggest/", {"q": ""}).content.decode().strip() == ""
    assert visitor.get("/help/suggest/").content.decode().strip() == ""
    assert suggestions(visitor.get("/help/suggest/", {"q": "zzzz"})) == [
        ("No suggestions yet. Search for “zzzz”", "/help/search/?q=zzzz")]


@pytest.mark.parametrize(("q", "code"), [("x" * 201, "search_query_too_long"), ("a\x00", "invalid_input")])
def test_hostile_suggestion_queries_get_a_400_with_a_message(visitor, corpus, q, code):
    response = visitor.get("/help/suggest/", {"q": q}, **HTMX)
    assert response.status_code == 400
    note = one(page_tree(response), "kb-suggest-note")
    assert note.get("data-code") == code and text(note)


def test_search_pages_answer_only_get(visitor, corpus):
    assert visitor.post("/help/search/", {"q": "x"}).status_code == 405
    assert visitor.post("/help/suggest/", {"q": "x"}).status_code == 405


def test_what_is_typed_and_what_articles_hold_is_never_markup(kb, visitor, corpus):
    repairs = corpus["washer"].category
    kb.article(repairs, "markup-title", {"en": ("Why <b>bold</b> <script>alert(1)</script> washing tips",
                                                "Body with <img src=x onerror=alert(2)> washing words.")})
    for path in ("/help/search/", "/help/suggest/"):
        html = visitor.get(path, {"q": "washing <script>alert(3)</script>"}).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    html = visitor.get("/help/search/", {"q": "washing tips"}).content.decode()
    assert ("Why &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; "
            "<mark>washing</mark> <mark>tips</mark>") in html
    home = visitor.get("/help/").content.decode()
    assert "<script>alert(1)" not in home and "Why &lt;b&gt;bold&lt;/b&gt;" in home
