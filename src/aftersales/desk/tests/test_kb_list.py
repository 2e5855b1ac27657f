"""The article list: each language's state (draft, published, scheduled with its time, missing),
the filters (category with its sub-categories, visibility, state in a language, title or key),
keyset pages, and a fixed number of queries however many articles there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from aftersales.desk.tests.conftest import client_for
from aftersales.desk.tests.kb_support import build_kb
from aftersales.kb import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    return build_kb(django_capture_on_commit_callbacks)


def _states(response) -> dict[str, dict[str, str]]:
    return {r.article.slug: {s.code: s.state for s in r.languages} for r in response.context["rows"]}


def _slugs(client, **params) -> list[str]:
    response = client.get("/desk/kb/", params)
    assert response.status_code == 200
    return [r.article.slug for r in response.context["rows"]]


def test_every_language_state(w):
    when = timezone.now() + timedelta(days=3)
    actions.translation_save(actor=w.supervisor, article=w.draft, language="en", title="Drum noise",
                             body="Soon.", status="published", publish_at=when)
    response = client_for(w.agent).get("/desk/kb/")
    assert _states(response) == {
        "washer-drum-noise": {"en": "scheduled", "zh-hant": "draft", "zh-hans": "missing", "ko": "missing"},
        "handbook-e21": {"en": "missing", "zh-hant": "published", "zh-hans": "missing", "ko": "missing"},
        "washer-not-spinning": {"en": "published", "zh-hant": "published", "zh-hans": "published", "ko": "missing"},
    }
    row = next(r for r in response.context["rows"] if r.article == w.draft)
    assert row.languages[0].publish_at == when
    html = response.content.decode()
    shown = timezone.localtime(when).isoformat()
    assert f"Scheduled <time datetime=\"{shown}\">" in html
    # the hover text is one sentence with the time inside it, so each language can place it
    w.agent.language = "ko"
    w.agent.save()
    korean = client_for(w.agent).get("/desk/kb/").content.decode()
    with translation.override("ko"):
        shown_ko = date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")
    assert f'title="{shown_ko} 게시 예정"' in korean
    assert html.count('class="badge kb-internal"') == 1
    # titles in the reader's language, else the first language the article has
    rows = {r.article.slug: (r.title, r.title_lang) for r in response.context["rows"]}
    assert rows["washer-not-spinning"] == ("The washer does not spin", "en")
    assert rows["washer-drum-noise"] == ("Drum noise", "en")
    assert rows["handbook-e21"] == ("洗衣機 E21 的內部處理流程", "zh-hant")


def test_filters(w):
    client = client_for(w.agent)
    everything = ["washer-drum-noise", "handbook-e21", "washer-not-spinning"]  # recently changed first
    assert _slugs(client) == everything
    assert _slugs(client, category=w.root.pk) == ["washer-drum-noise", "washer-not-spinning"]  # and below
    assert _slugs(client, category=w.washers.pk) == ["washer-drum-noise", "washer-not-spinning"]
    assert _slugs(client, category=w.empty_category.pk) == []
    assert _slugs(client, category=999999) == []
    assert _slugs(client, visibility="internal") == ["handbook-e21"]
    assert _slugs(client, visibility="public") == ["washer-drum-noise", "washer-not-spinning"]
    assert _slugs(client, state="draft") == ["washer-drum-noise"]
    assert _slugs(client, state="published") == ["handbook-e21", "washer-not-spinning"]
    assert _slugs(client, state="published", language="en") == ["washer-not-spinning"]
    assert _slugs(client, state="missing", language="zh-hans") == ["washer-drum-noise", "handbook-e21"]
    assert _slugs(client, state="missing") == everything  # every article lacks Korean
    assert _slugs(client, state="scheduled") == []
    assert _slugs(client, language="zh-hans") == ["washer-not-spinning"]
    assert _slugs(client, q="washer") == ["washer-drum-noise", "washer-not-spinning"]  # keys
    assert _slugs(client, q="E21") == ["handbook-e21"]  # titles
    assert _slugs(client, q="DOES NOT SPIN") == ["washer-not-spinning"]
    assert _slugs(client, q=str(w.handbook.pk)) == ["handbook-e21"]


def test_keyset_pages(w):
    for n in range(52):
        actions.article_create(actor=w.agent, category=w.washers, language="en", title=f"Article {n:02}",
                               body="Text.", slug=f"bulk-{n:02}")
    client = client_for(w.agent)
    first = client.get("/desk/kb/", {"category": w.washers.pk})
    assert [r.article.slug for r in first.context["rows"]] == [f"bulk-{n:02}" for n in range(51, 1, -1)]
    next_url = first.context["next_url"]
    assert next_url.startswith("?category=")
    second = client.get("/desk/kb/" + next_url)
    assert [r.article.slug for r in second.context["rows"]] == [
        "bulk-01", "bulk-00", "washer-drum-noise", "washer-not-spinning"]
    assert second.context["next_url"] == ""
    assert second.context["first_url"] == f"?category={w.washers.pk}"


LIST_QUERIES = 7  # session, user, categories, their names, the page, its translations, unread notifications


@pytest.mark.parametrize("role", ["agent", "technician", "supervisor"])
def test_the_list_costs_the_same_for_3_and_30_articles(w, role, django_assert_num_queries):
    client = client_for(getattr(w, role))
    for size in (3, 30):
        while len(client.get("/desk/kb/").context["rows"]) < size:
            n = len(client.get("/desk/kb/").context["rows"])
            a = actions.article_create(actor=w.supervisor, category=w.washers, language="en", title=f"Bulk {n}",
                                       body="Text.", slug=f"bulk-{n}", status="published")
            actions.translation_save(actor=w.supervisor, article=a, language="ko", title=f"대량 {n}", body="내용.")
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get("/desk/kb/", {"state": "published", "q": "", "visibility": "public"})
        assert response.status_code == 200
