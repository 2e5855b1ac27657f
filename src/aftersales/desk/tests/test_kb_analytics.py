"""The knowledge-base analytics page from fixed data: the top searches and those that found
nothing over 7, 30 and 90 days, the articles readers found unhelpful with their comments,
deflection (forms that showed articles, opened one, were sent anyway, were answered), the most
viewed — and a fixed number of queries however much there is."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.desk.tests.conftest import client_for
from aftersales.desk.tests.kb_support import build_kb, translation
from aftersales.kb.actions_feedback import search_clicked, search_logged, vote_record
from aftersales.kb.models import ArticleTranslation, Deflection, SearchLog
from aftersales.search.tokenizer import query_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    return build_kb(django_capture_on_commit_callbacks)


def _searches(w, query: str, *, times: int, results: int, days_ago: float, clicked: int = 0):
    when = timezone.now() - timedelta(days=days_ago)
    for n in range(times):
        log = search_logged(query=query, terms=query_terms(query), language="zh-hant", source="portal",
                            results=results, user=w.customer)
        SearchLog.objects.filter(pk=log.pk).update(created_at=when)
        if n < clicked:
            search_clicked(log_id=log.pk, article=w.washer)


def _deflection(w, *, shown, opened, case=None, days_ago: float, updated_minutes_ago: float):
    now = timezone.now()
    Deflection.objects.create(token=uuid.uuid4(), user=w.customer, query="洗衣機", shown=shown, opened=opened,
                              case=case, created_at=now - timedelta(days=days_ago),
                              updated_at=now - timedelta(minutes=updated_minutes_ago))


@pytest.fixture
def data(w):
    _searches(w, "洗衣機", times=4, results=1, days_ago=2, clicked=1)
    _searches(w, "冷氣", times=2, results=0, days_ago=3)
    _searches(w, "冷氣", times=1, results=0, days_ago=20)
    _searches(w, "電池", times=5, results=0, days_ago=60)
    _searches(w, "warranty", times=1, results=2, days_ago=100)
    hant, en = translation(w.washer, "zh-hant"), translation(w.washer, "en")
    vote_record(translation=hant, voter="v0", user=None, helpful=True)
    for n, comment in enumerate(["沒寫要等多久。", "", "運費誰付？", "太長了。", "看不懂。"], start=1):
        vote_record(translation=hant, voter=f"v{n}", user=None, helpful=False, comment=comment)
    for n in range(4):
        vote_record(translation=en, voter=f"e{n}", user=None, helpful=True)
    vote_record(translation=en, voter="e9", user=None, helpful=False, comment="Too short.")
    for n in range(2):
        vote_record(translation=translation(w.handbook, "zh-hant"), voter=f"h{n}", user=None, helpful=False)
    _deflection(w, shown=[w.washer.pk], opened=[w.washer.pk], case=w.case, days_ago=1, updated_minutes_ago=600)
    _deflection(w, shown=[w.washer.pk], opened=[], days_ago=2, updated_minutes_ago=120)
    _deflection(w, shown=[w.washer.pk], opened=[w.washer.pk], days_ago=0.01, updated_minutes_ago=10)
    _deflection(w, shown=[], opened=[], days_ago=1, updated_minutes_ago=600)
    _deflection(w, shown=[w.washer.pk, w.handbook.pk], opened=[], days_ago=40, updated_minutes_ago=60 * 24 * 40)
    ArticleTranslation.objects.filter(pk=hant.pk).update(view_count=10)
    ArticleTranslation.objects.filter(pk=en.pk).update(view_count=3)
    ArticleTranslation.objects.filter(article=w.handbook).update(view_count=5)
    return w


def _rows(rows):
    return [(r.example, r.searches, r.with_results, r.clicks) for r in rows]


@pytest.mark.parametrize(("days", "top", "empty", "deflection"), [
    (7, [("洗衣機", 4, 4, 1), ("冷氣", 2, 0, 0)], [("冷氣", 2, 0, 0)], (3, 2, 1, 1)),
    (30, [("洗衣機", 4, 4, 1), ("冷氣", 3, 0, 0)], [("冷氣", 3, 0, 0)], (3, 2, 1, 1)),
    (90, [("電池", 5, 0, 0), ("洗衣機", 4, 4, 1), ("冷氣", 3, 0, 0)], [("電池", 5, 0, 0), ("冷氣", 3, 0, 0)],
     (4, 2, 1, 2)),
])
def test_numbers_for_each_period(data, days, top, empty, deflection):
    response = client_for(data.supervisor).get("/desk/kb/analytics/", {"days": days})
    assert response.status_code == 200
    context = response.context
    assert _rows(context["top"]) == top
    assert _rows(context["empty"]) == empty
    d = context["deflection"]
    assert (d.forms, d.opened, d.submitted, d.answered) == deflection
    poor = context["poor"]
    assert [(p.translation.article_id, p.translation.language, p.votes, round(p.rate, 3)) for p in poor] == [
        (data.washer.pk, "zh-hant", 6, 0.167)]
    assert poor[0].comments == ["看不懂。", "太長了。", "運費誰付？"]  # the latest three from readers who said no
    assert [(t.article_id, t.language, t.view_count) for t in context["viewed"][:3]] == [
        (data.washer.pk, "zh-hant", 10), (data.handbook.pk, "zh-hant", 5), (data.washer.pk, "en", 3)]


def test_the_page_says_it_in_words(data):
    html = client_for(data.supervisor).get("/desk/kb/analytics/", {"days": 7}).content.decode()
    assert 'href="?days=7" aria-current="page"' in html
    assert '<span class="kb-stat-n">3</span>' in html  # forms that showed articles
    assert "<strong>33%</strong>" in html  # answered: 1 of 3
    empty = html.split('id="kb-empty-searches"', 1)[1].split("</section>", 1)[0]
    assert "<td>冷氣</td><td class=\"num\">2</td>" in empty
    assert 'href="/desk/kb/new/?title=%E5%86%B7%E6%B0%A3"' in empty  # write the missing article
    poor = html.split('id="kb-poor"', 1)[1].split("</section>", 1)[0]
    assert "<strong>17%</strong> helpful · 6 votes" in poor
    assert "“看不懂。”" in poor


def _grow(w, n: int):
    for i in range(n):
        _searches(w, f"query{i}", times=1, results=i % 2, days_ago=1)
        _deflection(w, shown=[w.washer.pk], opened=[w.washer.pk] if i % 2 else [], days_ago=1,
                    updated_minutes_ago=120)


ANALYTICS_QUERIES = 9  # session, user, top searches, empty searches, poor ratings, their comments,
#                       deflection summary, most viewed, unread notifications


def test_the_page_costs_the_same_for_little_and_much(data, django_assert_num_queries):
    client = client_for(data.supervisor)
    with django_assert_num_queries(ANALYTICS_QUERIES):
        assert client.get("/desk/kb/analytics/").status_code == 200
    _grow(data, 30)
    with django_assert_num_queries(ANALYTICS_QUERIES):
        response = client.get("/desk/kb/analytics/")
    assert len(response.context["top"]) == 20
