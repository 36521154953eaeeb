"""webhook push: NOTIFY onevoice_webhooks when an outbox row is inserted (PostgreSQL)

A statement-level trigger on ``outbox_messages`` and ``eligibility_events`` sends
``pg_notify('onevoice_webhooks', <table>)`` inside the inserting transaction, so every path
that writes the outbox (the ORM, bulk inserts, SQL) wakes the worker's pusher at commit, and
a rolled-back insert wakes nobody. SQLite has no NOTIFY: the pusher polls there
(app/services/integration/webhook_push.py).

Revision ID: 0009w
Revises: 0008
"""

from alembic import op

revision = '0009w'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLES = ("outbox_messages", "eligibility_events")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE OR REPLACE FUNCTION onevoice_webhook_wake() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('onevoice_webhooks', TG_TABLE_NAME);
            RETURN NULL;
        END $$
    """)
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_wake ON {table}")
        op.execute(f"CREATE TRIGGER {table}_wake AFTER INSERT ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION onevoice_webhook_wake()")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_wake ON {table}")
    op.execute("DROP FUNCTION IF EXISTS onevoice_webhook_wake()")
