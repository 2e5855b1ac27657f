"""SLA background jobs: the sweep every minute, and the e-mails it causes."""

from __future__ import annotations

from huey import crontab

from aftersales.core.jobs import job, periodic_job


@periodic_job(crontab(minute="*"))
def sla_sweep_job() -> None:
    """Every minute: handle every warning, breach, escalation and progress update now due.
    Safe in any number of consumers at once (`sla/sweep.py`)."""
    from aftersales.sla.sweep import sla_sweep

    sla_sweep()


@job()
def sla_mail_notifications() -> None:
    """E-mail every SLA notification not yet e-mailed (each one claimed before it is sent)."""
    from aftersales.sla.notify import mail_pending_notifications

    mail_pending_notifications()


@job()
def sla_mail_progress(entry_id: int) -> None:
    from aftersales.sla.notify import mail_progress_update

    mail_progress_update(entry_id)
