"""Test set-up shared by every app's tests: fast password hashing, uploads in a temp dir,
an empty cache, API clients per role."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test's thread; Django would take every
# ORM call there for async code. The tests talk to the database from that thread on purpose.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters (core/throttle.py) must not carry over between tests
    _jobs_immediate()
    from aftersales.search import actions as search_actions

    search_actions._pending.queue = {}  # ids queued for indexing by an earlier test's uncommitted work
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _jobs_immediate() -> None:
    """Background jobs run at once, in the test's thread, on an in-memory queue (decision 0017);
    `core/tests/test_jobs_consumer.py` runs real consumers in subprocesses."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    HUEY.storage.flush_all()


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if item.get_closest_marker("postgres_only") and "postgresql" not in engine:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL; the test command runs it there"))


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium fails the run; it is not skipped."""
    from playwright.sync_api import sync_playwright

    path = os.environ.get("AFTERSALES_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.fail(f"Chromium is not at {path}; `python3 dev.py test` installs it (Debian package chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
