"""Every value the deployment tunes comes from the environment, read here and nowhere else.

Values an operator changes at run time (SLA targets, policies, auto-close days) live in
the database instead; this module is only for what a process needs before it starts.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Config:
    data_dir: Path
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    time_zone: str
    database: dict[str, Any]
    max_upload_bytes: int
    email_backend: str
    default_from_email: str
    base_url: str  # links in mail sent from background jobs, which have no request
    redis_url: str
    jobs_queue: str
    jobs_immediate: bool
    jobs_lease_seconds: int
    jobs_workers: int


def _data_dir() -> Path:
    path = Path(env_str("AFTERSALES_DATA_DIR", "data")).expanduser().resolve()
    (path / "static").mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    given = env_str("SECRET_KEY")
    if given:
        return given
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must agree on one key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def _database(data_dir: Path) -> dict[str, Any]:
    url = env_str("DATABASE_URL") or f"sqlite:///{data_dir / 'aftersales.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue on busy_timeout instead of deadlocking.
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    db["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
    return db


def load() -> Config:
    data_dir = _data_dir()
    debug = env_bool("DEBUG", False)
    return Config(
        data_dir=data_dir,
        debug=debug,
        secret_key=_secret_key(data_dir),
        allowed_hosts=env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"]),
        csrf_trusted_origins=env_list("CSRF_TRUSTED_ORIGINS", []),
        time_zone=env_str("TIME_ZONE", "UTC"),
        database=_database(data_dir),
        max_upload_bytes=env_int("AFTERSALES_MAX_UPLOAD_BYTES", 20 * 1024 * 1024),
        email_backend=env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        default_from_email=env_str("DEFAULT_FROM_EMAIL", "aftersales@localhost"),
        base_url=env_str("AFTERSALES_BASE_URL", "http://127.0.0.1:8000"),
        # Background jobs (core/jobs.py, decision 0017): SQLite queue in the data dir unless
        # REDIS_URL names a Redis server; the queue name keeps deployments sharing one Redis apart.
        redis_url=env_str("REDIS_URL"),
        jobs_queue=env_str("AFTERSALES_JOBS_QUEUE", "aftersales"),
        jobs_immediate=env_bool("AFTERSALES_JOBS_IMMEDIATE", False),
        jobs_lease_seconds=env_int("AFTERSALES_JOBS_LEASE_SECONDS", 30),
        jobs_workers=env_int("AFTERSALES_JOBS_WORKERS", 2),
    )
