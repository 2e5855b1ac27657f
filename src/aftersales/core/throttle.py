"""Counting attempts in Django's cache, so guessing pages (guest tracking, password reset,
resending a verification mail) cannot be hammered.

Windows are fixed: the first counted attempt starts a window of `window` seconds, and every
attempt inside it adds one. The cache is the default one (`settings.CACHES`); with several
processes it must be a shared cache (Redis, Memcached, the database) for the limits to hold
across them. Keys carry a hash, never the raw value (an e-mail or a phone number)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PREFIX = "aftersales:throttle"


@dataclass(frozen=True)
class Limit:
    scope: str  # e.g. "track.ip"
    max_attempts: int
    window: int  # seconds


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{PREFIX}:{limit.scope}:{digest}"


def attempts(limit: Limit, value: str) -> int:
    return int(cache.get(_key(limit, value), 0))


def is_limited(limit: Limit, value: str) -> bool:
    """True once `value` has used up its attempts in the current window."""
    return attempts(limit, value) >= limit.max_attempts


def count_attempt(limit: Limit, value: str) -> int:
    """Add one attempt for `value`; returns the count in the current window."""
    key = _key(limit, value)
    if cache.add(key, 1, timeout=limit.window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window starts
        cache.set(key, 1, timeout=limit.window)
        return 1


def reset(limit: Limit, value: str) -> None:
    cache.delete(_key(limit, value))


def client_ip(request: HttpRequest) -> str:
    """The address the connection came from. Behind a reverse proxy this is the proxy, so
    the proxy must pass the real address in REMOTE_ADDR (uvicorn's --proxy-headers does)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many_response(request: HttpRequest, limit: Limit) -> HttpResponse:
    """429 with a page that says how long to wait (the whole window, which is an upper bound)."""
    minutes = max(1, limit.window // 60)
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(limit.window)
    return response
