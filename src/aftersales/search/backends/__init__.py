"""The match indexes behind one interface, chosen by the database in use (decision 0025).

A backend knows how to build its index over a document table (`install`), how to empty it
fast (`clear`), which documents hold every term of a query — the newest first, at most
`limit` (`candidates`) — and in how many documents each term occurs (`document_frequencies`).
Reading the candidates' term counts, scoring and ordering are shared (`search.selectors`),
so both backends answer the same ids in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.db import connection


@dataclass(frozen=True)
class MatchQuery:
    """Every term (or, with `any_term`, at least one), the prefix (if any) and one of each
    filter group's terms must be there."""

    terms: tuple[str, ...]
    prefix: str | None = None
    filters: tuple[tuple[str, ...], ...] = ()
    any_term: bool = False

    @property
    def empty(self) -> bool:
        return not self.terms and not self.prefix


class Backend(Protocol):
    vendor: str
    counts_terms: bool

    def install(self, cursor, table: str) -> None: ...

    def uninstall(self, cursor, table: str) -> None: ...

    def clear(self, cursor, table: str) -> None: ...

    def candidates(self, cursor, table: str, query: MatchQuery, limit: int) -> list[int]: ...

    def document_frequencies(self, cursor, table: str, terms: list[str]) -> dict[str, int]: ...

    def bulk_begin(self, cursor, table: str) -> None: ...

    def bulk_end(self, cursor, table: str) -> None: ...

    def after_write(self, cursor, table: str, delta: Mapping[str, int]) -> None: ...

    def optimize(self, cursor, table: str) -> None: ...


def backend_for(vendor: str) -> Backend:
    if vendor == "sqlite":
        from aftersales.search.backends.sqlite import SqliteBackend

        return SqliteBackend()
    if vendor == "postgresql":
        from aftersales.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    raise NotImplementedError(f"search has no backend for {vendor}")


def backend() -> Backend:
    return backend_for(connection.vendor)
