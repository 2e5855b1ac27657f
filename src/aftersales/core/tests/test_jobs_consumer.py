"""Real consumers in subprocesses (`aftersales worker`), on Redis and on the SQLite queue:
a job runs; a job enqueued with no consumer up runs when one starts; a job whose consumer
is killed (SIGKILL) mid-job runs to completion after a restart (decision 0017)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from huey.contrib.djhuey import HUEY

from aftersales.core.jobqueue import ReliableRedisStorage, ReliableSqliteStorage
from aftersales.core.tests.jobs_probe import probe

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LEASE_SECONDS = 1


class Queue:
    def __init__(self, backend: str, tmp_path: Path):
        self.backend = backend
        self.name = f"test_{uuid.uuid4().hex[:12]}"
        self.data_dir = tmp_path / "data"
        self.data_dir.mkdir()
        self.out = tmp_path / "probe.txt"
        self.out.touch()
        self.logs = tmp_path
        if backend == "redis":
            self.storage = ReliableRedisStorage(self.name, url=REDIS_URL, lease_seconds=LEASE_SECONDS)
        else:
            self.storage = ReliableSqliteStorage(self.name, filename=str(self.data_dir / "jobs.sqlite3"),
                                                 lease_seconds=LEASE_SECONDS)
        self.procs: list[subprocess.Popen] = []

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "AFTERSALES_JOBS_IMMEDIATE")}
        env.update({"AFTERSALES_DATA_DIR": str(self.data_dir), "AFTERSALES_JOBS_QUEUE": self.name,
                    "AFTERSALES_JOBS_LEASE_SECONDS": str(LEASE_SECONDS), "PYTHONDONTWRITEBYTECODE": "1"})
        if self.backend == "redis":
            env["REDIS_URL"] = REDIS_URL
        return env

    def start_worker(self) -> subprocess.Popen:
        log = (self.logs / f"worker-{len(self.procs)}.log").open("w")
        proc = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "aftersales.cli", "worker", "--workers", "1", "--no-periodic",
             "--import", "aftersales.core.tests.jobs_probe"],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def lines(self) -> list[str]:
        return self.out.read_text(encoding="utf-8").splitlines()

    def wait_for(self, line: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if line in self.lines():
                return
            if self.procs and self.procs[-1].poll() is not None:
                break
            time.sleep(0.05)
        logs = "\n".join(p.read_text() for p in sorted(self.logs.glob("worker-*.log")))
        pytest.fail(f"{line!r} never came; probe file {self.lines()}; worker logs:\n{logs}")

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.storage.flush_all()


@pytest.fixture(params=["redis", "sqlite"])
def queue(request, tmp_path):
    """The app's HUEY pointed at a queue of its own (a unique name), not in immediate mode."""
    q = Queue(request.param, tmp_path)
    saved = HUEY.storage
    HUEY.immediate = False
    HUEY.storage = q.storage
    try:
        yield q
    finally:
        HUEY.storage = saved
        HUEY.immediate = True
        q.close()


def test_a_consumer_runs_a_job_enqueued_before_it_started(queue):
    # given a job waiting in the queue with no consumer up (as after a crash)
    probe(str(queue.out), "a", 0)
    assert queue.storage.queue_size() == 1
    # when a consumer starts
    worker = queue.start_worker()
    # then it runs the job once
    queue.wait_for("done a")
    assert queue.lines() == ["start a", "done a"]
    worker.send_signal(signal.SIGINT)  # graceful stop
    assert worker.wait(timeout=10) == 0
    assert queue.storage.queue_size() == 0
    assert queue.storage.inflight_count() == 0


def test_killing_the_consumer_mid_job_loses_no_job(queue):
    # given a consumer running a slow job
    first = queue.start_worker()
    probe(str(queue.out), "slow", 1500)
    queue.wait_for("start slow")
    # when the consumer is killed mid-job
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=5)
    assert "done slow" not in queue.lines()
    assert queue.storage.inflight_count() == 1  # held, not lost
    # and a consumer starts again
    queue.start_worker()
    # then the job runs to completion, once more, after the dead consumer's lease ran out
    queue.wait_for("done slow")
    assert queue.lines() == ["start slow", "start slow", "done slow"]
    time.sleep(0.3)
    assert queue.storage.queue_size() == 0
    assert queue.storage.inflight_count() == 0
