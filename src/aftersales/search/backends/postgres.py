"""PostgreSQL: a generated `tsvector` column over the stored terms, with a GIN index
(decision 0025).

`tsv` is `array_to_tsvector` of the terms of every field and the filter terms — the same
terms SQLite's FTS5 indexes, no PostgreSQL parser or dictionary in between — computed by the
database on every insert and update. A query is a `tsquery` of quoted lexemes joined with `&`
(`|` inside a filter group, `:*` for a prefix), so operators typed by a person are only
characters of a lexeme.
"""

from __future__ import annotations

import re

from aftersales.search.backends import MatchQuery

_TABLE = re.compile(r"[a-z_]{1,40}")
TERMS = ("title", "body", "extra", "filters")
# How many of the newest documents the first look covers before the rest of the table is
# searched (see `candidates`).
RECENT_WINDOW = 50_000


def _checked(table: str) -> str:
    if not _TABLE.fullmatch(table):
        raise ValueError(f"not a search table: {table!r}")
    return table


def lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(query: MatchQuery) -> str:
    parts = [lexeme(t) for t in query.terms]
    if query.prefix:
        parts.append(lexeme(query.prefix) + ":*")
    if query.any_term and len(parts) > 1:
        parts = ["(" + " | ".join(parts) + ")"]
    for group in query.filters:
        parts.append("(" + " | ".join(lexeme(f) for f in group) + ")")
    return " & ".join(parts)


class PostgresBackend:
    vendor = "postgresql"

    def install(self, cursor, table: str) -> None:
        table = _checked(table)
        arrays = " || ".join(f"string_to_array(btrim({c}), '  ')" for c in TERMS)
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN tsv tsvector "
                       f"GENERATED ALWAYS AS (array_to_tsvector({arrays})) STORED")
        cursor.execute(f"CREATE INDEX {table}_tsv ON {table} USING gin (tsv) WITH (fastupdate = off)")

    def uninstall(self, cursor, table: str) -> None:
        table = _checked(table)
        cursor.execute(f"DROP INDEX IF EXISTS {table}_tsv")
        cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS tsv")

    def clear(self, cursor, table: str) -> None:
        cursor.execute(f"TRUNCATE {_checked(table)}")

    def candidates(self, cursor, table: str, query: MatchQuery, limit: int) -> list[int]:
        table = _checked(table)
        cursor.execute(f"SELECT id FROM {table} WHERE tsv @@ %s::tsquery ORDER BY id DESC LIMIT %s",
                       [tsquery(query), limit])
        return [row[0] for row in cursor.fetchall()]

    def document_frequencies(self, cursor, table: str, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        table = _checked(table)
        counts = ", ".join(f"(SELECT count(*) FROM {table} WHERE tsv @@ %s::tsquery)" for _ in terms)
        cursor.execute(f"SELECT {counts}", [lexeme(t) for t in terms])
        return dict(zip(terms, cursor.fetchone(), strict=True))

    def optimize(self, cursor, table: str) -> None:
        cursor.execute(f"ANALYZE {_checked(table)}")
