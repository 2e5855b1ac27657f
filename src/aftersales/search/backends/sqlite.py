"""SQLite: a contentless FTS5 table per document table, filled by triggers (decision 0025).

The document table keeps the terms; FTS5 keeps only the inverted index (`content=''`,
`detail=column`: which documents and which columns hold a term, no positions, no sizes — the
ranking is ours). The `ascii` tokenizer splits on ASCII spaces and punctuation only, so the
terms our tokenizer wrote (Chinese bigrams, Hangul, `‧` single characters, `§` filters) are
indexed as they are. Triggers on the document table keep the index in step on every write,
whoever writes; deleting from a contentless table takes the old values, which the trigger has.
An `fts5vocab` table counts the documents that hold a term.
"""

from __future__ import annotations

import re

from aftersales.search.backends import MatchQuery

COLUMNS = ("title", "body", "extra", "filters")
_TABLE = re.compile(r"[a-z_]{1,40}")


def _names(table: str) -> tuple[str, str]:
    if not _TABLE.fullmatch(table):
        raise ValueError(f"not a search table: {table!r}")
    return f"{table}_fts", f"{table}_vocab"


def phrase(term: str) -> str:
    """An FTS5 string: quoted, so NEAR, OR, AND, NOT, `*` and `:` inside it are plain text."""
    return '"' + term.replace('"', '""') + '"'


def match_expression(query: MatchQuery) -> str:
    parts = [phrase(t) for t in query.terms]
    if query.prefix:
        parts.append(phrase(query.prefix) + " *")
    joiner = " OR " if query.any_term else " AND "
    expression = "{title body extra} : (" + joiner.join(parts) + ")"
    for group in query.filters:
        expression += " AND filters : (" + " OR ".join(phrase(f) for f in group) + ")"
    return expression


class SqliteBackend:
    vendor = "sqlite"
    counts_terms = False  # fts5vocab counts the documents of a term from the index itself

    def install(self, cursor, table: str) -> None:
        fts, vocab = _names(table)
        cols = ", ".join(COLUMNS)
        new = ", ".join(f"new.{c}" for c in COLUMNS)
        old = ", ".join(f"old.{c}" for c in COLUMNS)
        cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='', tokenize='ascii', "
                       f"detail='column', columnsize=0)")
        cursor.execute(f"CREATE VIRTUAL TABLE {vocab} USING fts5vocab({fts}, 'row')")
        cursor.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN "
                       f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        cursor.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
                       f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
        cursor.execute(f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
                       f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                       f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        cursor.execute(f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {cols} FROM {table}")

    def uninstall(self, cursor, table: str) -> None:
        fts, vocab = _names(table)
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {vocab}")
        cursor.execute(f"DROP TABLE IF EXISTS {fts}")

    def clear(self, cursor, table: str) -> None:
        """Empty the document table and its index at once (not a delete command per row)."""
        fts, _vocab = _names(table)
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_ad")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
        cols = ", ".join(COLUMNS)
        old = ", ".join(f"old.{c}" for c in COLUMNS)
        cursor.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
                       f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")

    def candidates(self, cursor, table: str, query: MatchQuery, limit: int) -> list[int]:
        fts, _vocab = _names(table)
        cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s",
                       [match_expression(query), limit])
        return [row[0] for row in cursor.fetchall()]

    def document_frequencies(self, cursor, table: str, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        _fts, vocab = _names(table)
        # One statement, one `term = ?` lookup per term: fts5vocab seeks an equality, while
        # `term IN (…)` would read the whole vocabulary.
        sql = " UNION ALL ".join(f"SELECT term, doc FROM {vocab} WHERE term = %s" for _ in terms)
        cursor.execute(sql, list(terms))
        found = dict.fromkeys(terms, 0)
        found.update({term: doc for term, doc in cursor.fetchall()})
        return found

    def bulk_begin(self, cursor, table: str) -> None:
        pass

    def bulk_end(self, cursor, table: str) -> None:
        self.optimize(cursor, table)

    def after_write(self, cursor, table: str, delta) -> None:
        pass

    def optimize(self, cursor, table: str) -> None:
        fts, _vocab = _names(table)
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
