"""Test set-up shared by every app's tests: fast password hashing, uploads in a temp dir,
API clients per role."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if item.get_closest_marker("postgres_only") and "postgresql" not in engine:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL; the test command runs it there"))


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
