"""Configuration comes from the environment, read in one place."""

from __future__ import annotations

from django.db.backends.sqlite3.base import DatabaseWrapper

from aftersales import config


def test_defaults_are_an_sqlite_file_in_the_data_dir_and_no_debug(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "TIME_ZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AFTERSALES_DATA_DIR", str(tmp_path / "d"))
    cfg = config.load()
    assert cfg.data_dir == (tmp_path / "d").resolve()
    assert cfg.database["ENGINE"] == "django.db.backends.sqlite3"
    assert cfg.database["NAME"] == str(cfg.data_dir / "aftersales.sqlite3")
    assert cfg.debug is False
    assert cfg.time_zone == "UTC"
    assert "127.0.0.1" in cfg.allowed_hosts


def test_database_url_and_lists_are_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("AFTERSALES_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://svc:p%40ss@db.internal:6543/aftersales")
    monkeypatch.setenv("ALLOWED_HOSTS", "help.example.com, 10.0.0.5 ,")
    monkeypatch.setenv("DEBUG", "yes")
    monkeypatch.setenv("TIME_ZONE", "Asia/Taipei")
    cfg = config.load()
    db = cfg.database
    assert (db["ENGINE"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "django.db.backends.postgresql", "svc", "p@ss", "db.internal", 6543, "aftersales")
    assert cfg.allowed_hosts == ["help.example.com", "10.0.0.5"]
    assert cfg.debug is True and cfg.time_zone == "Asia/Taipei"


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config._secret_key(tmp_path)
    assert len(first) >= 50
    assert config._secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config._secret_key(tmp_path) == "from-the-environment"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(monkeypatch, tmp_path, django_db_blocker):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings_dict = {**config._database(tmp_path), "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False,
                     "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "CONN_MAX_AGE": 0}
    wrapper = DatabaseWrapper(settings_dict, alias="walcheck")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()
