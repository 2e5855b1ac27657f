"""Every write to the search indexes (decision 0025).

`index_later` is what other rooms call inside their transactions: the ids are written when the
transaction commits (a rolled-back change is never indexed), in the same process, at once;
should that fail, a background job retries. `index_refresh` reads the sources as they are now,
so it is idempotent and order does not matter: whatever ran last wrote the current state. A
source that is gone or no longer findable loses its document — no stale hit survives an edit
or a delete. `reindex` rebuilds a whole scope in batches with a progress bar.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from tqdm import tqdm

from aftersales.search import registry
from aftersales.search.backends import backend
from aftersales.search.documents import Document
from aftersales.search.models import ScopeStats

log = logging.getLogger(__name__)
BATCH = 1000


def _scope(name: str) -> registry.Scope:
    scope = registry.get(name)
    if scope is None:
        raise LookupError(f"no search scope {name!r}")
    return scope


def _locked_stats(name: str) -> ScopeStats:
    ScopeStats.objects.get_or_create(scope=name)
    return ScopeStats.objects.select_for_update().get(scope=name)


def _write(scope: registry.Scope, ids: list[int], documents: list[Document]) -> None:
    """Replace the documents of `ids` with `documents` (ids without one are removed) and move
    the scope's totals — and, where the backend keeps them, each term's document count — by
    the difference, under the stats row's lock."""
    model = scope.model
    engine = backend()
    with transaction.atomic():
        stats = _locked_stats(scope.name)
        columns = ["title_len", "body_len", "extra_len", *(["title", "body", "extra"] if engine.counts_terms else [])]
        old = list(model.objects.filter(id__in=ids).values_list(*columns))
        delta: Counter[str] = Counter()
        if engine.counts_terms:
            for row in old:
                delta.subtract(set(" ".join(row[3:]).split()))
            for d in documents:
                delta.update(set().union(*d.field_terms().values()))
        if old:
            model.objects.filter(id__in=ids).delete()
        rows = [model(**d.row()) for d in documents]
        model.objects.bulk_create(rows, batch_size=500)
        ScopeStats.objects.filter(pk=stats.pk).update(
            documents=F("documents") + len(rows) - len(old),
            title_total=F("title_total") + sum(r.title_len for r in rows) - sum(o[0] for o in old),
            body_total=F("body_total") + sum(r.body_len for r in rows) - sum(o[1] for o in old),
            extra_total=F("extra_total") + sum(r.extra_len for r in rows) - sum(o[2] for o in old),
        )
        if delta:
            with connection.cursor() as cursor:
                engine.after_write(cursor, scope.table, delta)


def index_refresh(*, scope: str, ids: Iterable[int]) -> int:
    """Index these sources as they are now; returns how many documents they have."""
    definition = _scope(scope)
    wanted = sorted({int(i) for i in ids})
    written = 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start:start + BATCH]
        asked = set(batch)
        documents = [d for d in definition.documents(batch) if d.id in asked]
        _write(definition, batch, documents)
        written += len(documents)
    return written


def index_remove(*, scope: str, ids: Iterable[int]) -> None:
    definition = _scope(scope)
    _write(definition, sorted({int(i) for i in ids}), [])


# ---- after commit ---------------------------------------------------------------------------

_pending = threading.local()


def index_later(scope: str, ids: Iterable[int]) -> None:
    """Index these ids when the current transaction commits (at once outside one). Several calls
    in one transaction index each id once."""
    queue: dict[str, set[int]] | None = getattr(_pending, "queue", None)
    if queue is None:
        queue = _pending.queue = {}
    queue.setdefault(scope, set()).update(int(i) for i in ids)
    # A callback per call: the first to run takes the whole queue, the others find it empty.
    # (Ids left by a rolled-back transaction are indexed with the next commit: harmless, as
    # indexing reads the sources as they are.)
    transaction.on_commit(_flush)


def _flush() -> None:
    queue: dict[str, set[int]] = getattr(_pending, "queue", None) or {}
    _pending.queue = {}
    for scope, ids in queue.items():
        try:
            index_refresh(scope=scope, ids=ids)
        except Exception:  # the change itself is committed; the index catches up in a job
            log.exception("search: indexing %s %s failed; retrying in a background job", scope, sorted(ids)[:20])
            from aftersales.search.tasks import search_index_job

            for start in range(0, len(ids), 200):
                search_index_job(scope, ",".join(str(i) for i in sorted(ids)[start:start + 200]))


# ---- full rebuild ---------------------------------------------------------------------------

def reindex(*, scope: str, batch_size: int = BATCH, progress: bool = False, stream=None) -> int:
    """Rebuild a scope from its sources: empty it, write every document in batches (one
    transaction each), recount the totals. Searches see the rebuilt part as it grows."""
    definition = _scope(scope)
    engine = backend()
    with transaction.atomic():
        _locked_stats(scope)
        with connection.cursor() as cursor:
            engine.clear(cursor, definition.table)
        ScopeStats.objects.filter(scope=scope).update(documents=0, title_total=0, body_total=0, extra_total=0)
    written = 0
    with connection.cursor() as cursor:
        engine.bulk_begin(cursor, definition.table)
    try:
        with tqdm(desc=f"search index {scope}", unit="doc", unit_scale=True, disable=not progress, file=stream,
                  dynamic_ncols=True) as bar:
            for batch in definition.all_ids(batch_size):
                documents = definition.documents(batch)
                with transaction.atomic():
                    definition.model.objects.bulk_create([definition.model(**d.row()) for d in documents],
                                                         batch_size=500)
                written += len(documents)
                bar.update(len(batch))
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            engine.bulk_end(cursor, definition.table)
    recount(scope=scope)
    return written


def recount(*, scope: str) -> ScopeStats:
    """Set the scope's totals from its documents (after a rebuild, or to repair drift)."""
    definition = _scope(scope)
    with transaction.atomic():
        _locked_stats(scope)
        totals = definition.model.objects.aggregate(
            n=Count("id"), title=Sum("title_len"), body=Sum("body_len"), extra=Sum("extra_len"))
        ScopeStats.objects.filter(scope=scope).update(
            documents=totals["n"] or 0, title_total=totals["title"] or 0, body_total=totals["body"] or 0,
            extra_total=totals["extra"] or 0)
        return ScopeStats.objects.get(scope=scope)


def popularity_set(*, scope: str, values: dict[int, int]) -> int:
    """Set documents' popularity (the ranking's tie-breaker) without re-reading their sources.
    Only rows whose value changed are written; the match index is not touched."""
    model = _scope(scope).model
    ids = list(values)
    changed = 0
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        current = dict(model.objects.filter(id__in=chunk).values_list("id", "popularity"))
        with transaction.atomic():
            for pk in chunk:
                if pk in current and current[pk] != int(values[pk]):
                    model.objects.filter(id=pk).update(popularity=int(values[pk]))
                    changed += 1
    return changed
