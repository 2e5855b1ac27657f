"""Keyset (cursor) pagination: the cost of a page does not grow with its depth.

A cursor is an opaque, URL-safe token holding the sort key of the last row served.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import ErrorCode, ValidationFailed

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed(ErrorCode.INVALID_CURSOR, _("The cursor is not valid; start again without it."))


def decode_cursor(token: str, kinds: tuple[type, ...]) -> list[Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(values, list) or len(values) != len(kinds):
        raise _bad_cursor()
    out: list[Any] = []
    for value, kind in zip(values, kinds, strict=True):
        if kind is datetime:
            if not isinstance(value, str):
                raise _bad_cursor()
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError as exc:
                raise _bad_cursor() from exc
            if parsed.tzinfo is None:
                raise _bad_cursor()
            out.append(parsed)
        elif kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise _bad_cursor()
            out.append(value)
        else:
            raise _bad_cursor()
    return out


def order_by(keys: tuple[str, ...], *, descending: bool = True) -> list[str]:
    return [f"-{k}" if descending else k for k in keys]


def after_cursor(keys: tuple[str, ...], values: list[Any], *, descending: bool = True) -> Q:
    """The rows that come after `values` in the order of `keys`."""
    beyond, up_to = ("lt", "lte") if descending else ("gt", "gte")
    cond = Q()
    for i, key in enumerate(keys):
        step = Q(**{f"{key}__{beyond}": values[i]})
        for j in range(i):
            step &= Q(**{keys[j]: values[j]})
        cond |= step
    if len(keys) > 1:
        # A plain bound on the leading key lets the index seek straight to the cursor;
        # the OR alone makes some planners walk the index from the top.
        cond &= Q(**{f"{keys[0]}__{up_to}": values[0]})
    return cond


def keyset_page(
    qs: QuerySet,
    *,
    keys: tuple[str, ...],
    kinds: tuple[type, ...],
    cursor: str | None,
    limit: int,
    descending: bool = True,
) -> Page:
    """Newest first by `keys` (or oldest first with `descending=False`); the last key must be
    unique, e.g. `id`."""
    limit = max(1, min(limit, MAX_LIMIT))
    qs = qs.filter(after_cursor(keys, decode_cursor(cursor, kinds), descending=descending)) if cursor else qs
    rows = list(qs.order_by(*order_by(keys, descending=descending))[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, k) for k in keys])
    return Page(items=rows, next_cursor=next_cursor)
