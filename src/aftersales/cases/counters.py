"""Case counts per (team, assignee, status), kept by the database itself (decision 0013).

Triggers on the case table move one unit between buckets whenever a case is inserted,
deleted, or changes team, assignee or status, inside the same transaction as the change.
That holds for every write path: the case actions, the admin, `bulk_create` in the demo
generator, raw SQL. `rebuild()` recomputes every bucket from the cases (the migration that
installs the triggers runs it, and `aftersales recount` does on demand).

On PostgreSQL the update trigger touches its two buckets in key order, so two transactions
moving cases in opposite directions cannot deadlock on the counter rows.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import transaction

TABLE = "cases_casecounter"
CASES = "cases_case"

_KEY_OLD = "coalesce(OLD.team_id, 0), coalesce(OLD.assignee_id, 0), OLD.status"
_KEY_NEW = "coalesce(NEW.team_id, 0), coalesce(NEW.assignee_id, 0), NEW.status"


def _sqlite_add(key: str) -> str:
    return (f"INSERT INTO {TABLE} (team_key, assignee_key, status, n) VALUES ({key}, 1) "
            f"ON CONFLICT (team_key, assignee_key, status) DO UPDATE SET n = n + 1;")


def _sqlite_take(prefix: str) -> str:
    return (f"UPDATE {TABLE} SET n = n - 1 WHERE team_key = coalesce({prefix}.team_id, 0) "
            f"AND assignee_key = coalesce({prefix}.assignee_id, 0) AND status = {prefix}.status;")


SQLITE_INSTALL = [
    f"CREATE TRIGGER case_counter_insert AFTER INSERT ON {CASES} BEGIN {_sqlite_add(_KEY_NEW)} END",
    f"CREATE TRIGGER case_counter_delete AFTER DELETE ON {CASES} BEGIN {_sqlite_take('OLD')} END",
    f"CREATE TRIGGER case_counter_update AFTER UPDATE OF team_id, assignee_id, status ON {CASES} "
    f"WHEN coalesce(OLD.team_id, 0) <> coalesce(NEW.team_id, 0) "
    f"OR coalesce(OLD.assignee_id, 0) <> coalesce(NEW.assignee_id, 0) OR OLD.status <> NEW.status "
    f"BEGIN {_sqlite_take('OLD')} {_sqlite_add(_KEY_NEW)} END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS case_counter_insert",
    "DROP TRIGGER IF EXISTS case_counter_delete",
    "DROP TRIGGER IF EXISTS case_counter_update",
]

POSTGRES_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION case_counter_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    take_first boolean := TG_OP = 'DELETE';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Lock the two buckets in key order: take from the old one first only when it sorts first.
        take_first := (coalesce(OLD.team_id, 0), coalesce(OLD.assignee_id, 0), OLD.status)
                    < (coalesce(NEW.team_id, 0), coalesce(NEW.assignee_id, 0), NEW.status);
    END IF;
    IF take_first THEN
        UPDATE {TABLE} SET n = n - 1 WHERE team_key = coalesce(OLD.team_id, 0)
            AND assignee_key = coalesce(OLD.assignee_id, 0) AND status = OLD.status;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO {TABLE} (team_key, assignee_key, status, n)
            VALUES (coalesce(NEW.team_id, 0), coalesce(NEW.assignee_id, 0), NEW.status, 1)
            ON CONFLICT (team_key, assignee_key, status) DO UPDATE SET n = {TABLE}.n + 1;
    END IF;
    IF TG_OP = 'UPDATE' AND NOT take_first THEN
        UPDATE {TABLE} SET n = n - 1 WHERE team_key = coalesce(OLD.team_id, 0)
            AND assignee_key = coalesce(OLD.assignee_id, 0) AND status = OLD.status;
    END IF;
    RETURN NULL;
END
$$""",
    f"CREATE TRIGGER case_counter_insert_delete AFTER INSERT OR DELETE ON {CASES} "
    f"FOR EACH ROW EXECUTE FUNCTION case_counter_apply()",
    f"CREATE TRIGGER case_counter_update AFTER UPDATE OF team_id, assignee_id, status ON {CASES} "
    f"FOR EACH ROW WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id "
    f"OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.status IS DISTINCT FROM NEW.status) "
    f"EXECUTE FUNCTION case_counter_apply()",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS case_counter_insert_delete ON {CASES}",
    f"DROP TRIGGER IF EXISTS case_counter_update ON {CASES}",
    "DROP FUNCTION IF EXISTS case_counter_apply()",
]

REBUILD = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} (team_key, assignee_key, status, n) "
    f"SELECT coalesce(team_id, 0), coalesce(assignee_id, 0), status, count(*) FROM {CASES} "
    f"GROUP BY coalesce(team_id, 0), coalesce(assignee_id, 0), status",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    raise NotImplementedError(f"case counters have no triggers for {vendor}")


def install(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False) + _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)


def rebuild(connection=default_connection) -> None:
    """Recount every bucket from the cases, under the case table's write lock on PostgreSQL
    so no change slips between the delete and the insert."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {CASES} IN SHARE MODE")
        for sql in REBUILD:
            cursor.execute(sql)


def _present(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [CASES])
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                           [CASES])
        return {row[0] for row in cursor.fetchall()}


EXPECTED = {
    "sqlite": {"case_counter_insert", "case_counter_delete", "case_counter_update"},
    "postgresql": {"case_counter_insert_delete", "case_counter_update"},
}


def ensure(connection=default_connection) -> bool:
    """Put the triggers back (and recount) if a migration lost them — SQLite drops a table's
    triggers when Django rebuilds the table to alter it. Runs after every `migrate`.
    Returns whether anything had to be done."""
    wanted = EXPECTED.get(connection.vendor)
    if wanted is None or wanted <= _present(connection):
        return False
    install(connection)
    rebuild(connection)
    return True
