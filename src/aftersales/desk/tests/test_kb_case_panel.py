"""The case page's knowledge-base panel and "Make an article": suggestions for the case in its
language (and every language when it has none), search as you type and in full (logged), the
exact link and text "Insert link" / "Insert text" give in the case's language, internal
articles marked and without a link, and an article made from a staff reply — prefilled, saved
as a draft by an agent or published by a supervisor, refused for a case out of sight."""

from __future__ import annotations

import pytest
from django.test import override_settings

from aftersales.cases import actions as case_actions
from aftersales.cases.models import CaseEntry
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.desk.tests.kb_support import WASHER_EN, WASHER_HANS, build_kb, translation
from aftersales.kb import render
from aftersales.kb.models import Article, ArticleRevision, SearchLog
from aftersales.search.selectors import search

pytestmark = pytest.mark.django_db
BASE = "https://help.example.com/"


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    return build_kb(django_capture_on_commit_callbacks)


def _hits(response):
    return [(item.hit.id, item.hit.lang, item.internal) for item in response.context["found"].hits]


def test_the_case_page_loads_the_panel_and_the_panel_suggests_articles_in_the_case_language(w):
    page = client_for(w.agent).get(f"/desk/cases/{w.case.pk}/").content.decode()
    assert f'hx-get="/desk/cases/{w.case.pk}/kb/"' in page
    response = client_for(w.agent).get(f"/desk/cases/{w.case.pk}/kb/", **HTMX)
    assert response.status_code == 200
    # subject "洗衣機不脫水" + "我的洗衣機不脫水，排水很慢，顯示 E21。": the public article and the internal handbook
    assert _hits(response) == [(w.washer.pk, "zh-hant", False), (w.handbook.pk, "zh-hant", True)]
    assert response.context["found"].fell_back is False
    html = response.content.decode()
    assert html.count("data-kb-insert=") == 3  # link + text for the public one, text only for the internal one
    assert f'data-kb-insert="/desk/cases/{w.case.pk}/kb/{w.handbook.pk}/insert/?what=link"' not in html
    assert "Staff only: customers cannot open it" in html
    assert "Suggested for this case" in html
    assert SearchLog.objects.count() == 0


def test_no_suggestion_in_the_case_language_falls_back_to_every_language(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        korean = case_actions.case_open(customer=w.customer.customer, actor=w.customer, team=w.team,
                                        subject="drain hose blocked", body="The washer drain hose is blocked.",
                                        language="ko")
    response = client_for(w.agent).get(f"/desk/cases/{korean.pk}/kb/")
    assert _hits(response) == [(w.washer.pk, "en", False)]
    assert response.context["found"].fell_back is True
    html = response.content.decode()
    assert "None in Korean: these are in other languages." in html
    assert "text in English" in html  # "Insert text" gives the English text: there is no Korean one


def test_search_as_you_type_and_in_full(w):
    client = client_for(w.agent)
    url = f"/desk/cases/{w.case.pk}/kb/search/"
    typing = client.get(url, {"q": "排水", "suggest": "1"}, **HTMX)
    assert _hits(typing) == [(w.washer.pk, "zh-hant", False), (w.handbook.pk, "zh-hant", True)]
    assert "<mark>排水</mark>" in typing.content.decode()
    assert SearchLog.objects.count() == 0  # what is shown while typing is not a search

    full = client.get(url, {"q": "排水管"}, **HTMX)
    assert _hits(full) == [(w.washer.pk, "zh-hant", False)]
    log = SearchLog.objects.get()
    assert (log.query, log.source, log.language, log.results, log.user) == ("排水管", "desk", "zh-hant", 1, w.agent)

    # English words: nothing in Traditional Chinese, so every language; and the switch asks for that at once
    fallback = client.get(url, {"q": "drain hose"}, **HTMX)
    assert _hits(fallback) == [(w.washer.pk, "en", False)]
    assert fallback.context["found"].fell_back is True
    everything = client.get(url, {"q": "排水管", "all": "1"}, **HTMX)
    assert [h[0] for h in _hits(everything)] == [w.washer.pk]
    assert everything.context["found"].all_languages is True

    nothing = client.get(url, {"q": "冷氣 不冷"}, **HTMX)
    assert _hits(nothing) == []
    assert "No article matches “冷氣 不冷”." in nothing.content.decode()
    empty = client.get(url, {"q": "  "}, **HTMX)
    assert "Suggested for this case" in empty.content.decode()


def test_internal_articles_are_found_by_staff_and_marked(w):
    response = client_for(w.technician).get(f"/desk/cases/{w.case.pk}/kb/search/", {"q": "E21"}, **HTMX)
    assert _hits(response) == [(w.handbook.pk, "zh-hant", True)]
    html = response.content.decode()
    assert 'class="badge kb-internal">Internal<' in html
    assert "?what=link" not in html
    assert search(user=w.customer, scope="kb", q="E21").hits == []  # customers never find it


@override_settings(AFTERSALES_BASE_URL=BASE)
def test_insert_link_and_text_in_the_case_language(w, django_capture_on_commit_callbacks):
    client = client_for(w.agent)
    url = f"/desk/cases/{w.case.pk}/kb/{w.washer.pk}/insert/"
    link = f"https://help.example.com/help/a/{w.washer.pk}/washer-not-spinning/?lang=zh-hant"
    assert client.get(url, {"what": "link"}).json() == {"text": link, "lang": "zh-hant", "what": "link"}
    expected = ("先檢查排水\n先檢查排水管是否堵塞，再清理過濾網。\n• 拔掉電源\n• 打開底部蓋板\n\n" + link)
    assert client.get(url, {"what": "text"}).json() == {"text": expected, "lang": "zh-hant", "what": "text"}
    assert render.to_text(translation(w.washer, "zh-hant").body) + "\n\n" + link == expected

    # a case in Simplified Chinese gets the Simplified text and a link asking for it
    with django_capture_on_commit_callbacks(execute=True):
        hans = case_actions.case_open(customer=w.customer.customer, actor=w.customer, team=w.team,
                                      subject="洗衣机不脱水", body="不脱水", language="zh-hans")
    answer = client.get(f"/desk/cases/{hans.pk}/kb/{w.washer.pk}/insert/", {"what": "text"}).json()
    hans_link = f"https://help.example.com/help/a/{w.washer.pk}/washer-not-spinning/?lang=zh-hans"
    assert answer == {"text": "先检查排水管是否堵塞，再清理过滤网。\n\n" + hans_link, "lang": "zh-hans", "what": "text"}
    assert WASHER_HANS[1].replace("**", "") + "\n\n" + hans_link == answer["text"]

    # Korean: no Korean translation; the link still asks for Korean, the text comes in English
    with django_capture_on_commit_callbacks(execute=True):
        ko = case_actions.case_open(customer=w.customer.customer, actor=w.customer, team=w.team,
                                    subject="탈수가 안 돼요", body="세탁기", language="ko")
    answer = client.get(f"/desk/cases/{ko.pk}/kb/{w.washer.pk}/insert/", {"what": "text"}).json()
    ko_link = f"https://help.example.com/help/a/{w.washer.pk}/washer-not-spinning/?lang=ko"
    assert answer == {"text": WASHER_EN[1].replace("**", "") + "\n\n" + ko_link, "lang": "en", "what": "text"}


def test_an_internal_article_gives_its_text_without_a_link(w):
    client = client_for(w.agent)
    url = f"/desk/cases/{w.case.pk}/kb/{w.handbook.pk}/insert/"
    assert client.get(url, {"what": "text"}).json() == {
        "text": "E21 代表排水逾時：先請客戶拍照，再安排到府。", "lang": "zh-hant", "what": "text"}
    refused = client.get(url, {"what": "link"})
    assert refused.status_code == 422
    assert refused.json() == {"code": "kb_article_invalid",
                              "detail": "Internal articles have no link customers can open."}
    bad = client.get(url, {"what": "<script>"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_input")


# ---- make an article ------------------------------------------------------------------------------

def test_the_timeline_offers_make_an_article_on_staff_replies_to_editors(w):
    customer_message = CaseEntry.objects.filter(case=w.case, from_customer=True).first()
    html = client_for(w.agent).get(f"/desk/cases/{w.case.pk}/").content.decode()
    assert f'href="/desk/kb/new/?entry={w.reply.pk}"' in html
    assert f'?entry={customer_message.pk}"' not in html
    assert html.count("Make an article") == 1
    assert "Make an article" not in client_for(w.technician).get(f"/desk/cases/{w.case.pk}/").content.decode()


def test_an_agent_makes_a_draft_from_a_reply(w, django_capture_on_commit_callbacks):
    client = client_for(w.agent)
    page = client.get("/desk/kb/new/", {"entry": w.reply.pk})
    assert page.status_code == 200
    values = page.context["values"]
    assert (values["language"], values["title"], values["body"]) == (
        "zh-hant", "洗衣機不脫水", "請先檢查排水管是否堵塞，再清理過濾網。")
    html = page.content.decode()
    assert w.case.number in html and 'name="entry"' in html
    assert 'name="status" value="published"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/desk/kb/new/", {
            "entry": w.reply.pk, "category": w.washers.pk, "visibility": "public", "language": "zh-hant",
            "key": "washer-drain-first", "title": "洗衣機不脫水：先查排水管", "body": values["body"], "note": ""})
    assert response.status_code == 302
    article = Article.objects.get(slug="washer-drain-first")
    t = translation(article, "zh-hant")
    assert (t.title, t.body, t.status, t.is_live, article.created_by) == (
        "洗衣機不脫水：先查排水管", "請先檢查排水管是否堵塞，再清理過濾網。", "draft", False, w.agent)
    assert ArticleRevision.objects.get(translation=t).note == f"From case {w.case.number}"
    # a draft: customers still find only the published article
    assert [h.id for h in search(user=w.customer, scope="kb", q="排水管", lang="zh-hant").hits] == [w.washer.pk]


def test_a_supervisor_publishes_one_straight_from_a_reply(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.supervisor).post("/desk/kb/new/", {
            "entry": w.reply.pk, "category": w.washers.pk, "visibility": "public", "language": "zh-hant",
            "key": "filter-cleaning", "title": "過濾網怎麼清", "body": "請先檢查排水管，再清理過濾網。",
            "status": "published", "note": "好答案"})
    assert response.status_code == 302
    article = Article.objects.get(slug="filter-cleaning")
    assert ArticleRevision.objects.get(translation__article=article).note == f"From case {w.case.number} — 好答案"
    assert [h.id for h in search(user=w.customer, scope="kb", q="過濾網怎麼清").hits] == [article.pk]


def test_make_an_article_is_refused_for_what_the_person_may_not_see_or_use(w):
    client = client_for(w.agent)
    note = case_actions.case_post_message(case=w.case, actor=w.agent, public=False, body="內部備註")
    customer_message = CaseEntry.objects.filter(case=w.case, from_customer=True).first()
    event = CaseEntry.objects.filter(case=w.case, kind="event").first()
    for entry in (w.foreign_reply, note, customer_message, event):
        assert client.get("/desk/kb/new/", {"entry": entry.pk}).status_code == 404
    for raw in ("abc", "0", "9" * 40, "1\x00", "999999"):
        assert client.get("/desk/kb/new/", {"entry": raw}).status_code == 404
    before = Article.objects.count()
    response = client.post("/desk/kb/new/", {
        "entry": w.foreign_reply.pk, "category": w.washers.pk, "visibility": "public", "language": "zh-hant",
        "title": "偷來的答案", "body": "這是別的團隊的回覆。"})
    assert response.status_code == 404
    assert Article.objects.count() == before
