"""Background jobs of the search room."""

from __future__ import annotations

from aftersales.core.jobs import job


@job()
def search_index_job(scope: str, ids: str) -> None:
    """Index these ids (comma-separated) again: the retry when indexing after a commit failed.
    Idempotent: it reads the sources as they are now."""
    from aftersales.search.actions import index_refresh

    index_refresh(scope=scope, ids=[int(i) for i in ids.split(",") if i])
