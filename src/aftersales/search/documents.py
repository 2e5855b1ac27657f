"""What a search index holds for one document, in the one format both backends read — plain
Python, no Django (decision 0025).

A document has three weighted text fields — `title`, `body` (what its readers see) and `extra`
(what only staff see: internal notes, the customer's name) — plus filter keys (who may see it,
its language, its state). Each field is stored as its tokenizer terms, every term wrapped in
single spaces (` 保修  维修  charg `): the match indexes split on the spaces, and a term's
frequency in a field is `(len(field) - len(field.replace(' t ', ''))) / len(' t ')`, which
SQLite and PostgreSQL both compute in SQL without sending the field back.

Filter keys become terms that no text can produce: `§` followed by ASCII letters and digits
(`§pub`, `§c42`); the tokenizer only ever yields letters, digits and CJK characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from aftersales.search.tokenizer import index_terms

FILTER_MARK = "\u00a7"  # §
_FILTER_KEY = re.compile(r"[a-z0-9]{1,40}")
FIELDS = ("title", "body", "extra")
MAX_TITLE_TERMS = 500
# Every document also carries the filter term `w<id // BUCKET>`: a backend that cannot read its
# matches newest first (PostgreSQL's GIN) asks for the newest buckets first (`backends/postgres.py`).
BUCKET = 20_000


def filter_term(key: str) -> str:
    """`pub` → `§pub`. Keys are ASCII letters and digits only, so they survive every tokenizer."""
    if not _FILTER_KEY.fullmatch(key):
        raise ValueError(f"filter keys are 1-40 lowercase ASCII letters or digits, not {key!r}")
    return FILTER_MARK + key


def pack(terms: Iterable[str]) -> str:
    """Terms as stored: each wrapped in single spaces, so ' t ' finds every whole occurrence."""
    terms = list(terms)
    return f" {'  '.join(terms)} " if terms else ""


def unpack(packed: str) -> list[str]:
    return packed.split()


@dataclass(frozen=True)
class Document:
    """One searchable thing: a case, or one language of a knowledge-base article."""

    id: int
    title: str
    body: str = ""
    extra: str = ""
    filters: tuple[str, ...] = ()
    lang: str = ""
    parent: int = 0  # what several documents share (the article of its translations)
    popularity: int = 0
    recency: datetime | None = None
    terms: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def field_terms(self) -> dict[str, list[str]]:
        if not self.terms:
            title = index_terms(self.title)[:MAX_TITLE_TERMS]
            object.__setattr__(self, "terms", {"title": title, "body": index_terms(self.body),
                                               "extra": index_terms(self.extra)})
        return self.terms

    def row(self) -> dict[str, object]:
        """The columns of the document table (the same on SQLite and PostgreSQL)."""
        terms = self.field_terms()
        return {
            "id": self.id, "parent": self.parent, "lang": self.lang[:10],
            "title": pack(terms["title"]), "body": pack(terms["body"]), "extra": pack(terms["extra"]),
            "filters": pack(filter_term(k) for k in dict.fromkeys([*self.filters, f"w{self.id // BUCKET}"])),
            "title_len": len(terms["title"]), "body_len": len(terms["body"]), "extra_len": len(terms["extra"]),
            "popularity": max(0, int(self.popularity)),
            "recency": int(self.recency.timestamp()) if self.recency else 0,
        }
