"""The whole search path on the database the suite runs on (SQLite FTS5, then PostgreSQL GIN):
a fixed four-language corpus, exact hit sets, and the order each backend returns checked
against a ranking computed in plain Python from the tokenizer alone. Both backends must equal
that reference, so they return the same ids in the same order for the same data."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.search import registry, scoring
from aftersales.search.actions import index_refresh, index_remove, recount, reindex
from aftersales.search.documents import Document
from aftersales.search.models import ArticleDocument, ScopeStats
from aftersales.search.selectors import search
from aftersales.search.tests import corpus
from aftersales.search.tokenizer import query_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    corpus.load()
    yield
    registry._SCOPES.pop(corpus.SCOPE, None)


def found(q: str, **kw) -> list[int]:
    return [h.id for h in search(user=None, scope=corpus.SCOPE, q=q, limit=50, **kw).hits]


def reference(q: str, fields=scoring.ALL_FIELDS) -> list[int]:
    """The expected ranking without any database: terms from the tokenizer, counts by hand."""
    docs = {d.id: d for d in corpus._documents(list(corpus.CORPUS))}
    terms = {i: {f: Counter(ts) for f, ts in d.field_terms().items()} for i, d in docs.items()}
    wanted = query_terms(q)
    if not wanted:
        return []
    stats = scoring.Stats(documents=len(docs), totals={f: sum(sum(t[f].values()) for t in terms.values())
                                                       for f in scoring.ALL_FIELDS})
    dfs = {w: sum(1 for t in terms.values() if any(t[f][w] for f in scoring.ALL_FIELDS)) for w in wanted}
    candidates = []
    for i, t in terms.items():
        if not all(any(t[f][w] for f in fields) for w in wanted):
            continue
        d = docs[i]
        c = scoring.Candidate(id=i, parent=i, lang=d.lang, lengths={f: sum(t[f].values()) for f in t},
                              popularity=d.popularity, recency=float(int(d.recency.timestamp())))
        c.tf = {(w, f): t[f][w] for w in wanted for f in scoring.ALL_FIELDS if t[f][w]}
        candidates.append(c)
    return [c.id for c in scoring.ranked(candidates, wanted, stats, dfs, fields)]


HIT_SETS = [
    # two-character Chinese queries, in longer text, in either script
    ("保修", {1, 12}),
    ("退货", {2}),
    ("維修", {1, 4, 12}),
    ("维修", {1, 4, 12}),  # Simplified query over Traditional text (1, 4) and Simplified (12)
    ("退貨", {2}),  # Traditional query over Simplified text
    ("發票", {4, 12}),
    ("洗衣机不脱水", {3}),
    ("洗衣機", {3, 10}),
    # Korean: a word finds itself followed by a particle
    ("배터리", {5}),
    ("배터리 교체", {5}),
    ("수리비", {6}),
    ("세탁기 탈수", {14}),
    # English stems
    ("charge", {7, 11}),
    ("charging cable", {7, 11}),
    ("installing washing machines", {8}),
    ("washing machine", {8, 13}),
    ("how do I install it", {8}),
    # mixed script, full width
    ("iPhone 屏幕", {9}),
    ("IPHONE", {9}),
    ("wm-800", {10}),
    ("ＳＮ１２３４５", {10}),
    # nothing
    ("冰箱", set()),
    ("냉장고", set()),
    ("refrigerator", set()),
    ("保修 refrigerator", set()),
]


@pytest.mark.parametrize(("query", "expected"), HIT_SETS)
def test_exact_hit_sets(loaded, query, expected):
    assert set(found(query)) == expected


@pytest.mark.parametrize("query", [q for q, hits in HIT_SETS if hits])
def test_the_order_is_the_reference_ranking(loaded, query):
    assert found(query) == reference(query)


def test_staff_only_text_is_found_only_by_who_may_search_it(loaded):
    assert found("approve swaps") == [11]
    corpus.register(fields=scoring.PUBLIC_FIELDS)
    assert found("approve swaps") == []
    assert found("charging cable") == reference("charging cable", fields=scoring.PUBLIC_FIELDS)


def test_title_outranks_body_and_ties_go_to_the_more_popular(loaded):
    # Four documents of the same length: the word in the title beats the word in the text; between
    # equal scores the more popular comes first, then the more recent (the higher id).
    extra = {91: ("en", "Dishwasher noise", "Check the spray arm now.", "", 1),
             92: ("en", "Spray arm noise", "Check the dishwasher now.", "", 1),
             93: ("en", "Spray arm noise", "Check the dishwasher now.", "", 50),
             94: ("en", "Spray arm noise", "Check the dishwasher now.", "", 1)}
    corpus.CORPUS.update(extra)
    try:
        index_refresh(scope=corpus.SCOPE, ids=list(extra))
        assert found("dishwasher") == [91, 93, 94, 92] == reference("dishwasher")
    finally:
        for key in extra:
            del corpus.CORPUS[key]


def test_a_language_filter(loaded):
    assert set(found("维修", lang="zh-hant")) == {1, 4}
    assert set(found("维修", lang="zh-hans")) == {12}
    assert found("维修", lang="ko") == []


INJECTED = ['"', '""', '"保修', "*", "保修*", "NEAR", "NEAR(保修 退货)", "OR", "保修 OR 退货", "AND", "NOT 保修",
            ":", "title:保修", "{title body}: 保修", "^保修", "-保修", "+保修", "(", ")", "((保修))", "a:b:c",
            "'; DROP TABLE search_doc_kb; --", "\\", "\\'", "'", "保修' & '退货", "!保修", "保修 | 退货", "保修:*",
            "%", "_", "\x00", "   ", ""]


@pytest.mark.parametrize("query", INJECTED)
def test_query_syntax_neither_fails_nor_matches_everything(loaded, query):
    hits = found(query)
    assert len(hits) < len(corpus.CORPUS)
    assert hits == reference(query)
    assert ArticleDocument.objects.count() == len(corpus.CORPUS)  # nothing was dropped


def test_operator_words_are_words(loaded):
    # Document 15 says "NEAR" and "OR" as words: they are found as words, not run as operators.
    assert found("NEAR") == [15]
    assert found("lead OR supervisor") == [15]


def test_suggestions_take_the_last_word_as_a_prefix(loaded):
    assert set(h.id for h in search(user=None, scope=corpus.SCOPE, q="washing mach", suggest=True).hits) == {8, 13}
    assert [h.id for h in search(user=None, scope=corpus.SCOPE, q="instal", suggest=True).hits] == [8]
    assert search(user=None, scope=corpus.SCOPE, q="洗衣机不", suggest=True).hits[0].id == 3


def test_snippets_mark_the_hits_in_the_original_script(loaded):
    hit = search(user=None, scope=corpus.SCOPE, q="维修", lang="zh-hant").hits
    assert {h.id for h in hit} == {1, 4}
    assert all("<mark>維修</mark>" in h.snippet for h in hit)



def test_snippets_and_titles_are_escaped(loaded):
    corpus.CORPUS[97] = ("en", "<b>Warranty</b> & you", "Your warranty <script>alert(1)</script> & more.", "", 1)
    try:
        index_refresh(scope=corpus.SCOPE, ids=[97])
        hit = search(user=None, scope=corpus.SCOPE, q="warranty script").hits[0]
    finally:
        del corpus.CORPUS[97]
    assert hit.title == "&lt;b&gt;<mark>Warranty</mark>&lt;/b&gt; &amp; you"
    assert hit.snippet == ("Your <mark>warranty</mark> &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"
                           " &amp; more.")


def test_edits_and_deletes_leave_no_stale_hits(loaded):
    corpus.CORPUS[99] = ("en", "Dishwasher won't drain", "Clean the dishwasher filter first.", "", 1)
    try:
        index_refresh(scope=corpus.SCOPE, ids=[99])
        assert found("dishwasher") == [99]
        corpus.CORPUS[99] = ("en", "Dryer won't heat", "Check the dryer's thermal fuse.", "", 1)
        index_refresh(scope=corpus.SCOPE, ids=[99])
        assert found("dishwasher") == [] and found("dryer") == [99]
    finally:
        del corpus.CORPUS[99]
    index_refresh(scope=corpus.SCOPE, ids=[99])  # its source is gone: so is its document
    assert found("dryer") == []
    assert not ArticleDocument.objects.filter(pk=99).exists()


def test_the_totals_follow_every_write(loaded):
    index_remove(scope=corpus.SCOPE, ids=[3, 4])
    index_refresh(scope=corpus.SCOPE, ids=[3])
    def totals(row):
        return row.documents, row.title_total, row.body_total, row.extra_total

    kept = totals(ScopeStats.objects.get(scope=corpus.SCOPE))
    assert kept == totals(recount(scope=corpus.SCOPE))
    assert kept[0] == len(corpus.CORPUS) - 1


def test_term_counts_follow_every_write(loaded):
    from django.db import connection

    from aftersales.search.backends import backend

    engine = backend()
    with connection.cursor() as cursor:
        before = engine.document_frequencies(cursor, "search_doc_kb", ["洗衣", "维修"])  # counted, then kept
    assert before == {"洗衣": 2, "维修": 3}
    index_remove(scope=corpus.SCOPE, ids=[3])
    corpus.CORPUS[98] = ("zh-hans", "洗衣机维修", "洗衣机维修预约。", "", 1)
    try:
        index_refresh(scope=corpus.SCOPE, ids=[98])
        with connection.cursor() as cursor:
            assert engine.document_frequencies(cursor, "search_doc_kb", ["洗衣", "维修"]) == {"洗衣": 2, "维修": 4}
    finally:
        del corpus.CORPUS[98]


def test_a_rebuild_gives_the_same_answers(loaded):
    before = {q: found(q) for q, hits in HIT_SETS if hits}
    assert reindex(scope=corpus.SCOPE, batch_size=4) == len(corpus.CORPUS)
    assert {q: found(q) for q in before} == before


WORDS = ["保修", "维修", "維修", "退货", "洗衣机", "배터리가", "배터리", "수리", "charging", "charge", "cable",
         "screen", "屏幕", "发票", "發票", "the", "NEAR", "OR", "iPhone"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), min_size=1, max_size=8),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
def test_any_corpus_finds_exactly_what_holds_every_term(texts, query):
    from aftersales.search.tokenizer import matches

    docs = {i + 1: ("en", "", " ".join(words), "", 0) for i, words in enumerate(texts)}
    saved = dict(corpus.CORPUS)
    corpus.CORPUS.clear()
    corpus.CORPUS.update(docs)
    try:
        corpus.register()
        reindex(scope=corpus.SCOPE)
        q = " ".join(query)
        assert set(found(q)) == {i for i, d in docs.items() if matches(q, d[2])}
        assert found(q) == reference(q)
    finally:
        corpus.CORPUS.clear()
        corpus.CORPUS.update(saved)
        registry._SCOPES.pop(corpus.SCOPE, None)


def test_documents_carry_only_filter_keys_no_text_can_make():
    with pytest.raises(ValueError, match="filter keys"):
        Document(id=1, title="x", filters=("Pub lic",)).row()
    row = Document(id=41_234, title="保修 § pub", filters=("pub",)).row()
    assert row["filters"] == " §pub  §w2 " and "§" not in row["title"]  # w2: the id's bucket of 20,000


SPREAD = [1, 19_999, 20_000, 99_999, 100_000, 479_999, 480_000, 1_000_000, 2_500_000]


@pytest.mark.parametrize("limit", [1, 2, 4, 7, 9, 20])
def test_the_newest_matches_whatever_their_spread(limit):
    """The backend gives the newest `limit` matches, however far apart their ids are (PostgreSQL
    looks in windows of id buckets; FTS5 reads newest first)."""
    from django.db import connection

    from aftersales.search.backends import MatchQuery, backend

    docs = [Document(id=i, title="保修 warranty" if n % 3 else "退货 return", filters=("pub",))
            for n, i in enumerate(SPREAD)]
    ArticleDocument.objects.bulk_create([ArticleDocument(**d.row()) for d in docs])
    matching = sorted((d.id for d in docs if "保修" in d.title), reverse=True)
    with connection.cursor() as cursor:
        got = backend().candidates(cursor, "search_doc_kb", MatchQuery(terms=("保修",),
                                                                        filters=(("§pub",),)), limit)
    assert got == matching[:limit]
