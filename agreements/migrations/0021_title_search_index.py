"""A trigram index for the dashboard's title search, on PostgreSQL only.

`title__icontains` compiles to `UPPER(title::text) LIKE UPPER('%...%')`, which no B-tree index can
answer: at 10,000 agreements the search counted and listed by reading every title (about 20 ms per
page). A GIN index with `gin_trgm_ops` on that same expression answers it from the index.

SQLite has no such index and scans its (small) table. `pg_trgm` is a trusted extension, so a
database owner can create it; where even that is refused, the search still works, only slower, so
the migration warns instead of failing the deploy.
"""

import warnings

from django.db import DatabaseError, migrations, transaction

INDEX = "agreement_title_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        warnings.warn(f"pg_trgm unavailable, title search stays unindexed: {error}", stacklevel=1)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON agreements_agreement"
        " USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0020_dashboard_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
