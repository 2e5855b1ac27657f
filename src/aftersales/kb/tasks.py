"""Background jobs of the knowledge base."""

from __future__ import annotations

from huey import crontab

from aftersales.core.jobs import periodic_job


@periodic_job(crontab(minute="*"))
def kb_publish_due_job() -> None:
    """Scheduled translations go live within a minute of their time."""
    from aftersales.kb.actions import kb_publish_due

    kb_publish_due()


@periodic_job(crontab(minute="17"))
def kb_popularity_job() -> None:
    """Once an hour the search index learns each article's views (the tie-breaker)."""
    from aftersales.kb.actions import kb_popularity_refresh

    kb_popularity_refresh()
