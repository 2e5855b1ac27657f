"""Searching: the same steps on every database, a fixed number of queries (decision 0025).

1. The query's terms (`tokenizer.query_terms`, or `suggest_terms` while someone types).
2. The backend's match index gives the newest `Scope.window` documents that hold every term and
   meet the reader's filters (who may see what, the language asked for).
3. One query counts each term in each field of those candidates (SQL `replace`/`length` on
   the stored terms); one reads each term's document count; one the scope's totals.
4. `scoring` ranks them; a knowledge-base article shows once, in the reader's language if it
   matched too.
5. The scope checks the best hits against the live rows (so a row not yet re-indexed after a
   change never shows what the reader may no longer see) and gives their texts, from which
   the snippets are cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from aftersales.search import highlight, registry, scoring
from aftersales.search.backends import MatchQuery, backend
from aftersales.search.models import ScopeStats
from aftersales.search.tokenizer import query_terms, suggest_terms

MAX_LIMIT = 50
EXTRA_FOR_CHECKS = 10  # hits ranked beyond the limit, in case some fail the live check


@dataclass(frozen=True)
class Hit:
    id: int
    scope: str
    title: str  # HTML: escaped, the query's words in <mark>
    snippet: str  # HTML: escaped, the query's words in <mark>
    score: float
    url: str = ""
    lang: str = ""
    number: str = ""
    document_id: int = 0


@dataclass(frozen=True)
class Results:
    query: str
    scope: str
    hits: list[Hit] = field(default_factory=list)
    matched: int = 0  # documents that matched (up to the scope's window), before the live check
    terms: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.hits


def _needle(term: str, prefix: bool) -> str:
    return f" {term}" if prefix else f" {term} "


COLUMNS = ("id", "parent", "lang", "title_len", "body_len", "extra_len", "popularity", "recency")


def _term_counts(table: str, ids: list[int], terms: list[str], prefix: str | None,
                 fields: tuple[str, ...]) -> list[scoring.Candidate]:
    """The candidates' rows with, for each term and field the reader searches, how often the
    term occurs there — counted by the database: (length(f) − length(replace(f, ' t ', ''))) / len(' t ')."""
    wanted = [(t, False) for t in terms] + ([(prefix, True)] if prefix else [])
    counts, params = [], []
    for term, is_prefix in wanted:
        needle = _needle(term, is_prefix)
        for name in fields:
            counts.append(f"(length({name}) - length(replace({name}, %s, ''))) / %s")
            params += [needle, len(needle)]
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT {', '.join(COLUMNS)}, {', '.join(counts)} FROM {table} WHERE id IN ({marks})"  # noqa: S608
    out = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])
        rows = cursor.fetchall()
    width = len(COLUMNS)
    for row in rows:
        doc_id, parent, lang, title_len, body_len, extra_len, popularity, recency = row[:width]
        candidate = scoring.Candidate(
            id=doc_id, parent=parent or doc_id, lang=lang,
            lengths={"title": title_len, "body": body_len, "extra": extra_len},
            popularity=popularity, recency=float(recency))
        i = width
        for term, _p in wanted:
            for name in fields:
                if row[i]:
                    candidate.tf[(term, name)] = row[i]
                i += 1
        out.append(candidate)
    return out


def search(*, user, scope: str, q: str, lang: str | None = None, limit: int = 20, suggest: bool = False,
           prefer_lang: str = "", narrow: dict | None = None) -> Results:
    """Documents holding every term of `q` (while typing, with `suggest`: the last word as a
    prefix) that the reader may see, best first."""
    definition = _definition(scope)
    terms, prefix = suggest_terms(q) if suggest else (query_terms(q), None)
    filters = definition.filters_for(user, lang, **(narrow or {}))
    if filters is None or (not terms and not prefix):
        return Results(query=q.strip(), scope=scope, terms=tuple(terms))
    match = MatchQuery(terms=tuple(terms), prefix=prefix, filters=tuple(filters))
    return _run(definition, user, match, q=q, lang=lang, limit=limit, prefer_lang=prefer_lang)


MORE_LIKE_THIS_TERMS = 8


def more_like_this(*, user, scope: str, text: str, lang: str | None = None, limit: int = 5,
                   prefer_lang: str = "", narrow: dict | None = None) -> Results:
    """Documents about what a longer text is about (a request being written, a case): its most
    telling terms — those in the fewest documents, but in some — any of which may match, ranked
    so that documents holding more of them come first. ("More like this", as Lucene does it.)"""
    definition = _definition(scope)
    filters = definition.filters_for(user, lang, **(narrow or {}))
    terms = query_terms(text)
    if filters is None or not terms:
        return Results(query=text.strip()[:200], scope=scope)
    with connection.cursor() as cursor:
        dfs = backend().document_frequencies(cursor, definition.table, terms)
    stats_row = ScopeStats.objects.filter(scope=scope).first()
    documents = stats_row.documents if stats_row else 0
    telling = sorted((t for t in terms if 0 < dfs.get(t, 0) <= max(documents // 2, 1)), key=lambda t: (dfs[t], t))
    picked = tuple(telling[:MORE_LIKE_THIS_TERMS])
    if not picked:
        return Results(query=text.strip()[:200], scope=scope, terms=())
    match = MatchQuery(terms=picked, filters=tuple(filters), any_term=True)
    # The snippets mark every telling term of the text, not only the few that were matched on.
    return _run(definition, user, match, q=text, lang=lang, limit=limit, prefer_lang=prefer_lang,
                dfs={t: dfs[t] for t in picked}, stats_row=stats_row, marked=telling)


def _definition(scope: str) -> registry.Scope:
    definition = registry.get(scope)
    if definition is None:
        raise LookupError(scope)
    return definition


def _stats(stats_row: ScopeStats | None, fallback: int) -> scoring.Stats:
    if stats_row is None:
        return scoring.Stats(documents=fallback, totals={})
    return scoring.Stats(documents=stats_row.documents, totals={
        "title": stats_row.title_total, "body": stats_row.body_total, "extra": stats_row.extra_total})


_NOT_LOADED = object()


def _run(definition: registry.Scope, user, match: MatchQuery, *, q: str, lang: str | None, limit: int,
         prefer_lang: str, dfs: dict[str, int] | None = None, stats_row=_NOT_LOADED,
         marked: list[str] | None = None) -> Results:
    limit = max(1, min(int(limit), MAX_LIMIT))
    scope, terms, prefix = definition.name, list(match.terms), match.prefix
    query_text = q.strip()[:200]
    engine = backend()
    with connection.cursor() as cursor:
        ids = engine.candidates(cursor, definition.table, match, definition.window)
        if not ids:
            return Results(query=query_text, scope=scope, terms=tuple(terms))
        if dfs is None:
            dfs = engine.document_frequencies(cursor, definition.table, terms)
    dfs = dict(dfs)
    if prefix:
        dfs[prefix] = len(ids)
    fields = definition.fields_for(user)
    candidates = _term_counts(definition.table, ids, terms, prefix, fields)
    wanted = terms + ([prefix] if prefix else [])
    if match.any_term:
        candidates = [c for c in candidates if any(c.holds_all([t], fields) for t in wanted)]
    elif fields != scoring.ALL_FIELDS:  # the index matched every field; this reader searches fewer
        candidates = [c for c in candidates if c.holds_all(wanted, fields)]
    if stats_row is _NOT_LOADED:
        stats_row = ScopeStats.objects.filter(scope=scope).first()
    ranked = scoring.ranked(candidates, wanted, _stats(stats_row, len(candidates)), dfs, fields)
    if definition.one_per_parent:
        ranked = scoring.one_per_parent(ranked, prefer_lang or (lang or ""))
    top = ranked[: limit + EXTRA_FOR_CHECKS]
    shown = definition.shown(user, [c.id for c in top])
    hits = []
    for c in top:
        item = shown.get(c.id)
        if item is None:
            continue
        hits.append(Hit(
            id=item.id, scope=scope, score=c.score, url=item.url, lang=item.lang or c.lang, number=item.number,
            document_id=c.id, title=highlight.highlight(item.title, marked or terms, prefix),
            snippet=highlight.snippet(item.text, marked or terms, prefix)))
        if len(hits) == limit:
            break
    return Results(query=query_text, scope=scope, hits=hits, matched=len(candidates), terms=tuple(terms))
