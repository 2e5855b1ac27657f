"""Job conventions in immediate mode: after commit only, ids only, bounded retries."""

from __future__ import annotations

import pytest
from django.db import transaction

from aftersales.core import jobs
from aftersales.core.tasks import jobs_heartbeat

runs: list[tuple[str, int]] = []
failures_left: dict[int, int] = {}


@jobs.job(retries=0)
def record_run(case_id: int) -> None:
    runs.append(("run", case_id))


@jobs.job(retries=3, retry_delay=0)
def flaky(case_id: int) -> None:
    runs.append(("try", case_id))
    if failures_left.get(case_id, 0) > 0:
        failures_left[case_id] -= 1
        raise RuntimeError("not yet")
    runs.append(("ok", case_id))


@pytest.fixture(autouse=True)
def _clean():
    runs.clear()
    failures_left.clear()


@pytest.mark.django_db
def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(django_capture_on_commit_callbacks):
    def action_that_fails() -> None:
        with transaction.atomic():
            jobs.enqueue_after_commit(record_run, 7)
            assert runs == []  # not before commit either
            raise RuntimeError("roll back")

    # given a transaction that enqueues a job and then fails
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        action_that_fails()
    # then nothing was queued and nothing ran
    assert callbacks == []
    assert runs == []


@pytest.mark.django_db
def test_a_job_enqueued_in_a_committed_transaction_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        jobs.enqueue_after_commit(record_run, 8)
        assert runs == []
    assert len(callbacks) == 1
    assert runs == [("run", 8)]


@pytest.mark.django_db(transaction=True)
def test_after_commit_in_a_real_transaction():
    with transaction.atomic():
        jobs.enqueue_after_commit(record_run, 9)
        assert runs == []
    assert runs == [("run", 9)]


def test_a_failing_job_is_retried_until_it_succeeds():
    failures_left[1] = 2
    flaky(1)
    assert runs == [("try", 1), ("try", 1), ("try", 1), ("ok", 1)]


def test_retries_are_bounded():
    failures_left[2] = 100
    flaky(2)
    assert runs == [("try", 2)] * 4  # the first run and 3 retries, then it gives up
    assert failures_left[2] == 96


@jobs.job()
def with_defaults(case_id: int) -> None:
    runs.append(("defaults", case_id))


def test_the_default_retry_policy_is_bounded_exponential_back_off():
    task = with_defaults.s(1)
    assert (task.retries, task.retry_delay, task.retry_backoff) == (5, 2, 2.0)


@pytest.mark.parametrize("bad", [object(), {"id": 1}, [1], 1.5, True])
def test_jobs_take_ids_only(bad):
    with pytest.raises(TypeError, match="Jobs take ids"):
        jobs.enqueue_after_commit(record_run, bad)
    assert runs == []


def test_the_heartbeat_records_when_a_consumer_last_ran():
    assert jobs.last_heartbeat() is None
    jobs_heartbeat()
    first = jobs.last_heartbeat()
    assert first is not None
    jobs_heartbeat()
    assert jobs.last_heartbeat() >= first
