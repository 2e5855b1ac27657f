"""Reading numbers out of form fields and query strings.

`str.isdigit()` is true for "²", "١٢" and other scripts' digits, some of which `int()`
refuses, and a string of thousands of digits overflows every integer column (and Python's
own conversion limit). Pages read numbers through here and get None for anything else."""

from __future__ import annotations

MAX_ID_DIGITS = 18  # below 2**63: fits a BIGINT on SQLite and PostgreSQL


def ascii_int(raw: object, *, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """A non-negative whole number in ASCII digits, at most `max_digits` long, or None."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > max_digits or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)
