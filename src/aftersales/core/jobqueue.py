"""Huey queues that lose no job when a consumer dies mid-job (decision 0017).

Huey's own storages take a message off the queue when a worker picks it up (Redis BRPOP,
SQLite DELETE) and acknowledge nothing: a consumer killed mid-job (kill -9, OOM, power)
loses that job; the maintainer says so (coleifer/huey#418, #559, #844). Here a worker
*moves* the message to an in-flight list of its own consumer instead, and removes it from
there only when the job has finished (done, failed for good, or put back for a retry).

Each consumer holds a lease (refreshed by a heartbeat thread, `lease_seconds` long). Any
consumer periodically puts the in-flight messages of consumers whose lease has lapsed back
at the head of the queue, so a job in flight at a crash runs again once the lease runs out
(at least once; jobs are idempotent by contract, `core/jobs.py`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

from huey import Huey
from huey import signals as S
from huey.storage import RedisStorage, SqliteStorage

logger = logging.getLogger("aftersales.jobs")


class _Leased:
    """The lease, heartbeat and periodic recovery shared by both storages."""

    lease_seconds: float
    _owner: str | None
    _owner_pid: int | None
    _next_recovery: float

    def _init_lease(self, lease_seconds: float) -> None:
        self.lease_seconds = float(lease_seconds)
        self._owner = None
        self._owner_pid = None
        self._next_recovery = 0.0
        self._lease_lock = threading.Lock()

    @property
    def owner(self) -> str:
        """This consumer process's name; made on first dequeue (a forked child gets its own)."""
        with self._lease_lock:
            if self._owner is None or self._owner_pid != os.getpid():
                self._owner_pid = os.getpid()
                self._owner = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
                self.renew_lease(self._owner)
                threading.Thread(target=self._heartbeat, args=(self._owner,), daemon=True,
                                 name="jobs-lease").start()
            return self._owner

    def _heartbeat(self, owner: str) -> None:
        while self._owner == owner:
            time.sleep(max(self.lease_seconds / 3, 0.2))
            try:
                self.renew_lease(owner)
            except Exception:  # a broker blip: the next beat tries again
                logger.exception("Could not renew the job consumer's lease")

    def maybe_recover(self) -> None:
        now = time.monotonic()
        if now < self._next_recovery:
            return
        self._next_recovery = now + max(self.lease_seconds / 2, 0.5)
        moved = self.recover_orphans()
        if moved:
            logger.warning("Put %d job(s) of a stopped consumer back on the queue", moved)

    def renew_lease(self, owner: str) -> None:
        raise NotImplementedError

    def recover_orphans(self) -> int:
        raise NotImplementedError

    def ack(self, data: bytes) -> None:
        raise NotImplementedError


class ReliableRedisStorage(_Leased, RedisStorage):
    """Redis's "reliable queue" pattern: BLMOVE into a per-consumer list, LREM when done."""

    def __init__(self, name: str = "huey", lease_seconds: float = 30, **kwargs):
        super().__init__(name, **kwargs)
        self._init_lease(lease_seconds)
        self.inflight_prefix = f"huey.inflight.{self.name}."
        self.lease_prefix = f"huey.lease.{self.name}."

    def renew_lease(self, owner: str) -> None:
        self.conn.set(self.lease_prefix + owner, "1", px=int(self.lease_seconds * 1000))

    def dequeue(self):
        self.maybe_recover()
        key = self.inflight_prefix + self.owner
        if self.blocking:
            return self.conn.blmove(self.queue_key, key, self.read_timeout, "RIGHT", "LEFT")
        return self.conn.lmove(self.queue_key, key, "RIGHT", "LEFT")

    def ack(self, data: bytes) -> None:
        self.conn.lrem(self.inflight_prefix + self.owner, 1, data)

    def recover_orphans(self) -> int:
        moved = 0
        for raw in self.conn.scan_iter(match=self.inflight_prefix + "*", count=500):
            key = raw.decode() if isinstance(raw, bytes) else raw
            owner = key[len(self.inflight_prefix):]
            if self.conn.exists(self.lease_prefix + owner):
                continue
            # LMOVE is atomic: two consumers recovering at once move each message once.
            while self.conn.lmove(key, self.queue_key, "LEFT", "RIGHT") is not None:
                moved += 1
        return moved

    def inflight_count(self) -> int:
        return sum(self.conn.llen(k) for k in self.conn.scan_iter(match=self.inflight_prefix + "*"))

    def flush_all(self) -> None:
        super().flush_all()
        for pattern in (self.inflight_prefix + "*", self.lease_prefix + "*"):
            for key in self.conn.scan_iter(match=pattern):
                self.conn.delete(key)


class ReliableSqliteStorage(_Leased, SqliteStorage):
    """The same on SQLite: dequeue moves the row to `inflight` in one exclusive transaction."""

    table_inflight = ("create table if not exists inflight (id integer not null primary key, "
                      "queue text not null, owner text not null, data blob not null)")
    table_lease = ("create table if not exists lease (queue text not null, owner text not null, "
                   "expires real not null, primary key(queue, owner))")
    ddl = [*SqliteStorage.ddl, table_inflight, table_lease]

    def __init__(self, name: str = "huey", lease_seconds: float = 30, **kwargs):
        super().__init__(name, **kwargs)
        self._init_lease(lease_seconds)

    def renew_lease(self, owner: str) -> None:
        self.sql("insert or replace into lease (queue, owner, expires) values (?, ?, ?)",
                 (self.name, owner, time.time() + self.lease_seconds), commit=True)

    def dequeue(self):
        self.maybe_recover()
        if not self.sql("select 1 from task where queue = ? limit 1", (self.name,), results=True):
            return None
        owner = self.owner
        with self.db(commit=True) as curs:
            curs.execute("select id, data from task where queue = ? order by priority desc, id limit 1",
                         (self.name,))
            row = curs.fetchone()
            if row is None:
                return None
            tid, data = row
            curs.execute("delete from task where id = ?", (tid,))
            curs.execute("insert into inflight (queue, owner, data) values (?, ?, ?)",
                         (self.name, owner, self.to_blob(data)))
            return bytes(data)

    def ack(self, data: bytes) -> None:
        self.sql("delete from inflight where id = (select id from inflight where queue = ? and owner = ? "
                 "and data = ? limit 1)", (self.name, self.owner, self.to_blob(data)), commit=True)

    def recover_orphans(self) -> int:
        orphaned = ("queue = ? and owner not in (select owner from lease where queue = ? and expires > ?)")
        args = (self.name, self.name, time.time())
        with self.db(commit=True) as curs:
            curs.execute(f"insert into task (queue, data, priority) select queue, data, 1 from inflight "  # noqa: S608
                         f"where {orphaned} order by id", args)
            moved = curs.rowcount
            curs.execute(f"delete from inflight where {orphaned}", args)  # noqa: S608
            curs.execute("delete from lease where queue = ? and expires < ?", (self.name, time.time() - 3600))
        return max(moved, 0)

    def inflight_count(self) -> int:
        return self.sql("select count(*) from inflight where queue = ?", (self.name,), results=True)[0][0]

    def flush_all(self) -> None:
        super().flush_all()
        self.sql("delete from inflight where queue = ?", (self.name,), commit=True)
        self.sql("delete from lease where queue = ?", (self.name,), commit=True)


class _AcknowledgingHuey(Huey):
    """Acknowledges a message once its job has finished; an interrupted job is not acknowledged."""

    def dequeue(self):
        data = self.storage.dequeue()
        if data is None:
            return None
        try:
            task = self.deserialize_task(data)
        except Exception:
            self.storage.ack(data)  # a message nobody can read would come back forever
            raise
        task._aftersales_message = data
        return task

    def _emit(self, signal, task, *args, **kwargs):
        if signal == S.SIGNAL_INTERRUPTED:
            task._aftersales_interrupted = True
        return super()._emit(signal, task, *args, **kwargs)

    def execute(self, task, timestamp=None):
        value = super().execute(task, timestamp)
        message = getattr(task, "_aftersales_message", None)
        if message is not None and not getattr(task, "_aftersales_interrupted", False):
            # Done, failed for good, put back for a retry (a new message) or scheduled for later.
            self.storage.ack(message)
        return value


class ReliableRedisHuey(_AcknowledgingHuey):
    storage_class = ReliableRedisStorage


class ReliableSqliteHuey(_AcknowledgingHuey):
    storage_class = ReliableSqliteStorage
