"""Ranking: BM25 over weighted fields, computed the same way whichever database matched —
plain Python, no Django (decision 0025).

The backends only find candidates and count, in SQL, how often each query term occurs in each
field of each candidate; everything that decides the order happens here, from integers both
databases return identically. So SQLite and PostgreSQL give the same ids in the same order.

    f(t, D)  = Σ_field weight(field) × tf(t, field)
    score(D) = Σ_t idf(t) × f(t, D) × (k1 + 1) / (f(t, D) + k1 × (1 − b + b × |D| / avgdl))
    idf(t)   = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))

|D| and avgdl count the terms of the fields the reader may search (customers: title and body).
Ties go to the more popular document, then the more recent, then the higher id.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

K1 = 1.2
B = 0.75
WEIGHTS: Mapping[str, float] = {"title": 3.0, "body": 1.0, "extra": 0.5}
PUBLIC_FIELDS = ("title", "body")
ALL_FIELDS = ("title", "body", "extra")


@dataclass(frozen=True)
class Stats:
    """The scope's document count and total terms per field."""

    documents: int
    totals: Mapping[str, int]


@dataclass
class Candidate:
    id: int
    parent: int
    lang: str
    lengths: Mapping[str, int]
    popularity: int
    recency: float
    tf: dict[tuple[str, str], int] = field(default_factory=dict)
    score: float = 0.0

    def holds_all(self, terms: Iterable[str], fields: Sequence[str]) -> bool:
        """Every term occurs in one of `fields` (the index matched on all fields, staff-only included)."""
        return all(any(self.tf.get((t, f), 0) for f in fields) for t in terms)


def idf(documents: int, df: int) -> float:
    df = min(max(df, 0), documents)
    return math.log(1.0 + (documents - df + 0.5) / (df + 0.5))


def bm25(candidate: Candidate, terms: Sequence[str], stats: Stats, dfs: Mapping[str, int],
         fields: Sequence[str]) -> float:
    n = max(stats.documents, 1)
    avgdl = max(sum(stats.totals.get(f, 0) for f in fields) / n, 1.0)
    dl = sum(candidate.lengths.get(f, 0) for f in fields)
    norm = K1 * (1.0 - B + B * dl / avgdl)
    total = 0.0
    for term in terms:
        freq = sum(WEIGHTS[f] * candidate.tf.get((term, f), 0) for f in fields)
        if freq:
            total += idf(n, dfs.get(term, 0)) * freq * (K1 + 1.0) / (freq + norm)
    return round(total, 9)


def ranked(candidates: Iterable[Candidate], terms: Sequence[str], stats: Stats, dfs: Mapping[str, int],
           fields: Sequence[str]) -> list[Candidate]:
    """Score each candidate and sort: score, popularity, recency, id — all descending."""
    out = list(candidates)
    for c in out:
        c.score = bm25(c, terms, stats, dfs, fields)
    out.sort(key=lambda c: (-c.score, -c.popularity, -c.recency, -c.id))
    return out


def one_per_parent(ranked_candidates: Iterable[Candidate], prefer_lang: str = "") -> list[Candidate]:
    """One document per parent (an article, whose translations are documents), in the ranked
    order of each parent's best document. The reader's language is shown when it matched too,
    carrying the parent's best score (a Simplified query finds both Chinese translations)."""
    chosen: dict[int, Candidate] = {}
    top: dict[int, Candidate] = {}
    for c in ranked_candidates:
        if c.parent not in top:
            top[c.parent] = chosen[c.parent] = c
        elif prefer_lang and c.lang == prefer_lang and chosen[c.parent].lang != prefer_lang:
            chosen[c.parent] = c
    out = []
    for parent, best in top.items():
        shown = chosen[parent]
        shown.score = best.score
        out.append(shown)
    return out
