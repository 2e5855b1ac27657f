"""Core background jobs (found by Huey's autodiscovery of `tasks` modules)."""

from __future__ import annotations

import time

from huey import crontab

from aftersales.core.jobs import periodic_job, record_heartbeat


@periodic_job(crontab(minute="*"))
def jobs_heartbeat() -> None:
    """Every minute: record that a consumer is alive. The model for the SLA sweep."""
    record_heartbeat(time.time())
