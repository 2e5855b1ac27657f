"""A job for the consumer tests, loaded by `aftersales worker --import` in the subprocess."""

from __future__ import annotations

import time
from pathlib import Path

from aftersales.core.jobs import job


def _write(path: str, line: str) -> None:
    with Path(path).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()


@job(retries=0)
def probe(path: str, token: str, millis: int) -> None:
    """Record its start, take `millis` ms, record its end."""
    _write(path, f"start {token}")
    time.sleep(millis / 1000)
    _write(path, f"done {token}")
