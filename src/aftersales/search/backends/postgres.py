"""PostgreSQL: a generated `tsvector` column over the stored terms, with a GIN index
(decision 0025).

`tsv` is `array_to_tsvector` of the terms of every field and the filter terms — the same
terms SQLite's FTS5 indexes, no PostgreSQL parser or dictionary in between — computed by the
database on every insert and update. A query is a `tsquery` of quoted lexemes joined with `&`
(`|` inside a filter group, `:*` for a prefix), so operators typed by a person are only
characters of a lexeme.

The newest matches are found window by window down the id range: every document carries the
filter term of its id bucket (`§w<id // 20000>`), so the GIN index itself answers "the matches
among the newest 20,000 ids", then the next 80,000, then 400,000, then the rest — and only the
matching rows of each window are read from the table. Left to itself the planner may walk the
primary key backwards testing every row's tsvector (the whole table, when a query is rare among
the reader's documents), or read every match before sorting (hundreds of thousands of rows for
a common word); with an id range instead of the bucket terms it misjudges multi-term queries as
rare and still reads every match.

Counting the documents that hold a term from a GIN index reads its whole posting list (most of
a second for a term in 700,000 documents), so counts are kept in `search_termfrequency` once a
term has been asked for, and every index write moves them (`after_write`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import transaction

from aftersales.search.backends import MatchQuery
from aftersales.search.documents import BUCKET, filter_term

_TABLE = re.compile(r"[a-z_]{1,40}")
TERMS = ("title", "body", "extra", "filters")
# How many id buckets (documents.BUCKET ids each) each look covers, newest first.
WINDOWS = (1, 4, 20)
# After a full rebuild the counts of every term in at least this many documents are kept at once
# (one pass of ts_stat); rarer terms are counted when first asked for, which is quick for them.
PREFILL_DOCUMENTS = 500
COUNTS = "search_termfrequency"


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
    counts_terms = True  # index writes must report how each term's document count moved

    def install(self, cursor, table: str) -> None:
        table = _checked(table)
        arrays = " || ".join(f"string_to_array(btrim({c}), '  ')" for c in TERMS)
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN tsv tsvector "
                       f"GENERATED ALWAYS AS (array_to_tsvector({arrays})) STORED")
        self._create_index(cursor, table)

    @staticmethod
    def _create_index(cursor, table: str) -> None:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_tsv ON {table} USING gin (tsv) WITH (fastupdate = off)")

    def uninstall(self, cursor, table: str) -> None:
        table = _checked(table)
        cursor.execute(f"DROP INDEX IF EXISTS {table}_tsv")
        cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS tsv")

    def clear(self, cursor, table: str) -> None:
        table = _checked(table)
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(f"DELETE FROM {COUNTS} WHERE index_table = %s", [table])

    def bulk_begin(self, cursor, table: str) -> None:
        """A full rebuild loads faster without the GIN index; it is built once at the end."""
        cursor.execute(f"DROP INDEX IF EXISTS {_checked(table)}_tsv")

    def bulk_end(self, cursor, table: str) -> None:
        table = _checked(table)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self._create_index(cursor, table)
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"LOCK TABLE {COUNTS} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {COUNTS} WHERE index_table = %s", [table])  # counted mid-rebuild
        cursor.execute(f"INSERT INTO {COUNTS} (index_table, term, documents) "
                       f"SELECT %s, word, ndoc FROM ts_stat('SELECT tsv FROM {table}') "
                       f"WHERE ndoc >= %s AND left(word, 1) <> '§'", [table, PREFILL_DOCUMENTS])

    def candidates(self, cursor, table: str, query: MatchQuery, limit: int) -> list[int]:
        table = _checked(table)
        q = tsquery(query)
        cursor.execute(f"SELECT max(id) FROM {table}")
        top = cursor.fetchone()[0]
        if top is None:
            return []
        newest = top // BUCKET
        if newest < 1:  # one bucket holds everything: no need to look window by window
            cursor.execute(f"SELECT id FROM {table} WHERE tsv @@ %s::tsquery ORDER BY id DESC LIMIT %s", [q, limit])
            return [row[0] for row in cursor.fetchall()]
        found: list[int] = []
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_indexscan = off")
            high = newest
            for size in WINDOWS:
                if len(found) >= limit or high < 0:
                    break
                buckets = range(high, max(high - size, -1), -1)
                within = " | ".join(lexeme(filter_term(f"w{b}")) for b in buckets)
                cursor.execute(f"SELECT id FROM {table} WHERE tsv @@ %s::tsquery ORDER BY id DESC LIMIT %s",
                               [f"{q} & ({within})", limit - len(found)])
                found.extend(row[0] for row in cursor.fetchall())
                high -= size
            if len(found) < limit and high >= 0:  # the rest: few matches, or the newest would have filled it
                cursor.execute(f"SELECT id FROM {table} WHERE tsv @@ %s::tsquery AND id < %s ORDER BY id DESC "
                               f"LIMIT %s", [q, (high + 1) * BUCKET, limit - len(found)])
                found.extend(row[0] for row in cursor.fetchall())
            cursor.execute("SET LOCAL enable_indexscan = on")
        return found

    def document_frequencies(self, cursor, table: str, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        table = _checked(table)
        cursor.execute(f"SELECT term, documents FROM {COUNTS} WHERE index_table = %s AND term = ANY(%s)",
                       [table, list(terms)])
        found = dict(cursor.fetchall())
        missing = [t for t in terms if t not in found]
        if missing:
            with transaction.atomic():
                # Index writes update the counts table (ROW EXCLUSIVE); this lock waits for those
                # under way and holds new ones back until the new counts are in, so no write
                # falls between a count and its row.
                cursor.execute(f"LOCK TABLE {COUNTS} IN SHARE ROW EXCLUSIVE MODE")
                for term in missing:
                    cursor.execute(f"SELECT count(*) FROM {table} WHERE tsv @@ %s::tsquery", [lexeme(term)])
                    found[term] = cursor.fetchone()[0]
                cursor.execute(
                    f"INSERT INTO {COUNTS} (index_table, term, documents) "
                    f"SELECT %s, t, n FROM unnest(%s::text[], %s::bigint[]) AS m(t, n) "
                    f"ON CONFLICT (index_table, term) DO NOTHING",
                    [table, missing, [found[t] for t in missing]])
        return {t: found[t] for t in terms}

    def after_write(self, cursor, table: str, delta: Mapping[str, int]) -> None:
        """Move the kept counts of the terms whose document count an index write changed."""
        changed = {t: d for t, d in delta.items() if d}
        if not changed:
            return
        cursor.execute(
            f"UPDATE {COUNTS} AS f SET documents = f.documents + d.delta "
            f"FROM unnest(%s::text[], %s::bigint[]) AS d(term, delta) "
            f"WHERE f.index_table = %s AND f.term = d.term",
            [list(changed), list(changed.values()), _checked(table)])

    def optimize(self, cursor, table: str) -> None:
        cursor.execute(f"ANALYZE {_checked(table)}")
