"""Background jobs: the conventions every `tasks.py` follows (decision 0017).

    from aftersales.core.jobs import enqueue_after_commit, job

    @job()
    def send_reply(message_id: int) -> None:      # ids only; safe to run twice
        ...

    enqueue_after_commit(send_reply, message.pk)   # inside the action's transaction

- **Ids only.** A job gets primary keys (or short strings), reads fresh rows itself, and
  so never acts on a stale object or a row its transaction had not committed.
- **Idempotent by contract.** The queue delivers at least once: a job in flight when its
  consumer dies runs again (`core/jobqueue.py`). A job checks "already done?" first, or
  makes its write conditional (a unique row, `update(...).filter(state=...)`).
- **Bounded retries with exponential back-off.** An exception retries the job `retries`
  times (default 5), waiting `retry_delay` seconds, then twice that, and so on (2, 4, 8,
  16, 32 s: about a minute in all, long enough for a database fail-over or a mail server
  blip, short enough that a real bug shows in the log soon). After that it is logged.
- **Enqueued after commit.** `enqueue_after_commit` waits for the surrounding transaction:
  a rolled-back action enqueues nothing, and the job never sees a row that does not exist.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from huey.api import TaskWrapper
from huey.consumer import Consumer
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

DEFAULT_RETRIES = 5
DEFAULT_RETRY_DELAY = 2  # seconds before the first retry
RETRY_BACKOFF = 2.0  # each further retry waits twice as long

IdArg = int | str | uuid.UUID | None
_ID_TYPES = (int, str, uuid.UUID, type(None))


def job(*, retries: int = DEFAULT_RETRIES, retry_delay: float = DEFAULT_RETRY_DELAY,
        **options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Declare a background job: a Huey task with our retry policy and fresh DB connections."""
    return db_task(retries=retries, retry_delay=retry_delay, retry_backoff=RETRY_BACKOFF, **options)


def periodic_job(schedule: Callable[..., bool], **options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Declare a periodic job (`huey.crontab(...)`); it runs in every consumer with periodic
    jobs enabled, so it must be idempotent like any job (run `aftersales worker --no-periodic`
    on all but one machine to avoid the double work)."""
    return db_periodic_task(schedule, **options)


def _check_ids(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, bool) or not isinstance(value, _ID_TYPES):
            raise TypeError(f"Jobs take ids, not {type(value).__name__} objects: pass the primary key.")


def enqueue_after_commit(task: TaskWrapper, *args: IdArg, using: str | None = None, **kwargs: IdArg) -> None:
    """Enqueue `task(*args, **kwargs)` when the current transaction commits (at once outside one)."""
    _check_ids(args, kwargs)
    transaction.on_commit(lambda: task(*args, **kwargs), using=using)


HEARTBEAT_KEY = "aftersales.jobs.heartbeat"


def record_heartbeat(at: float) -> None:
    """Kept in the queue's own storage (SQLite file or Redis), which every process shares."""
    HUEY.put(HEARTBEAT_KEY, at)


def last_heartbeat() -> float | None:
    """When a consumer last ran `jobs_heartbeat` (a Unix time), or None: for the admin/desk."""
    return HUEY.get(HEARTBEAT_KEY, peek=True)


# ---- consumers ----------------------------------------------------------------------------

class EmbeddedConsumer(Consumer):
    """Runs inside `aftersales serve`: the process's signals belong to uvicorn, which
    stops this consumer with `stop(graceful=True)` when it shuts down."""

    def _set_signal_handlers(self) -> None:
        pass


def build_consumer(*, embedded: bool = False, **overrides: Any) -> Consumer:
    """A Huey consumer with our settings (thread workers) and every app's `tasks` loaded."""
    autodiscover_modules("tasks")
    options = {**settings.HUEY.get("consumer", {}), **{k: v for k, v in overrides.items() if v is not None}}
    config = ConsumerConfig(**options)
    config.validate()
    huey_logger = logging.getLogger("huey")
    if not huey_logger.handlers:
        config.setup_logger(huey_logger)
        huey_logger.propagate = False  # its own handler already prints; not twice via the root
    return (EmbeddedConsumer if embedded else Consumer)(HUEY, **config.values)
