"""A database-level guard: ledger rows can be inserted, never updated or deleted.

PostgreSQL gets a trigger against UPDATE and DELETE (TRUNCATE, which the test
runner uses to reset tables, fires no row triggers). SQLite gets one against
UPDATE only, because Django flushes SQLite tables with DELETE.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION billing_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'billing_ledgerentry is append-only: ' || TG_OP || ' is not allowed',
        ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_ledger_append_only
    BEFORE UPDATE OR DELETE ON billing_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION billing_ledger_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS billing_ledger_append_only ON billing_ledgerentry;
DROP FUNCTION IF EXISTS billing_ledger_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER billing_ledger_no_update BEFORE UPDATE ON billing_ledgerentry
BEGIN SELECT RAISE(ABORT, 'billing_ledgerentry is append-only: UPDATE is not allowed'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS billing_ledger_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_plans")]
    operations = [migrations.RunPython(forwards, backwards)]
