"""The scopes search knows: what each indexes, who may find what in it, and how a hit is
shown. `cases` is registered by this app (`search/case_documents.py`), `kb` by the knowledge
base; each scope's rules come from its own app's access functions, so search never decides
who sees what by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from aftersales.search.documents import Document, filter_term
from aftersales.search.models import IndexedDocument


@dataclass(frozen=True)
class Shown:
    """A hit as the reader sees it: what the result links to and the texts to cut snippets from."""

    id: int
    title: str
    text: str
    url: str = ""
    lang: str = ""
    number: str = ""


@dataclass(frozen=True)
class Scope:
    name: str
    model: type[IndexedDocument]
    # The documents of these source ids, as they are now; an id whose source is gone (or is
    # no longer to be found, like an unpublished article) is simply not in the answer.
    documents: Callable[[list[int]], list[Document]]
    # Every source id, in batches, for a full rebuild.
    all_ids: Callable[[int], Iterator[list[int]]]
    # The filter groups a reader's query must meet (every group, any term of each), or None
    # when the reader may find nothing here at all.
    filters_for: Callable[..., list[tuple[str, ...]] | None]
    # Which fields the reader's terms may match: customers never find a case by its internal notes.
    fields_for: Callable[[object], tuple[str, ...]]
    # The hits the reader may still see (checked against the live rows, so a stale index row
    # never shows something deleted or hidden), keyed by document id, ready to show.
    shown: Callable[[object, list[int]], dict[int, Shown]]
    # Several documents per parent (an article's translations): show one per parent.
    one_per_parent: bool = False
    # How many of the newest matching documents are ranked (decision 0025).
    window: int = 500

    @property
    def table(self) -> str:
        return self.model._meta.db_table


_SCOPES: dict[str, Scope] = {}


def register(scope: Scope) -> None:
    _SCOPES[scope.name] = scope


def get(name: str) -> Scope | None:
    return _SCOPES.get(name)


def names() -> list[str]:
    return sorted(_SCOPES)


def any_of(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(filter_term(k) for k in keys)
