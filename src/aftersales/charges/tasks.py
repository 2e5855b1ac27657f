"""Charges background jobs: quotes past their valid-until day become expired, once a day."""

from __future__ import annotations

from huey import crontab

from aftersales.core.jobs import periodic_job


@periodic_job(crontab(minute="15", hour="0"))
def quotes_expire_job() -> None:
    """Every night: sent quotes whose valid-until day has passed become expired (idempotent)."""
    from aftersales.charges.actions import quote_expire_due

    quote_expire_due()
