"""Leads must be members of the agreement's organisation: a composite foreign key onto
Membership (organization_id, user_id). PostgreSQL only (SQLite cannot add a foreign key to an
existing table); on SQLite the forms and services enforce the same rule.
ON DELETE SET NULL (column) needs PostgreSQL 15."""

from django.db import migrations

LEAD_COLUMNS = ["marketing_lead_id", "sales_lead_id"]


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in LEAD_COLUMNS:
        name = f"agreement_{column.removesuffix('_id')}_is_member"
        schema_editor.execute(
            f"ALTER TABLE agreements_agreement ADD CONSTRAINT {name} "
            f"FOREIGN KEY (organization_id, {column}) "
            "REFERENCES organizations_membership (organization_id, user_id) "
            f"ON DELETE SET NULL ({column}) DEFERRABLE INITIALLY DEFERRED"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in LEAD_COLUMNS:
        name = f"agreement_{column.removesuffix('_id')}_is_member"
        schema_editor.execute(f"ALTER TABLE agreements_agreement DROP CONSTRAINT {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_agreement_sections"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
