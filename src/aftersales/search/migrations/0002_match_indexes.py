"""The match index of each document table: a contentless FTS5 table with its triggers on
SQLite, a generated tsvector column with a GIN index on PostgreSQL (decision 0025)."""

from django.db import migrations

TABLES = ("search_doc_cases", "search_doc_kb")


def install(apps, schema_editor):
    from aftersales.search.backends import backend_for

    engine = backend_for(schema_editor.connection.vendor)
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            engine.install(cursor, table)


def uninstall(apps, schema_editor):
    from aftersales.search.backends import backend_for

    engine = backend_for(schema_editor.connection.vendor)
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            engine.uninstall(cursor, table)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents")]
    operations = [migrations.RunPython(install, uninstall)]
