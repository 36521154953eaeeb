"""Everything that differs between SQLite and PostgreSQL lives here, with the unit of work."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.core.extensions import db
from app.errors import ServiceError

_write_intent: ContextVar[bool] = ContextVar("onevoice_write_intent", default=False)


def is_sqlite(engine: Engine | None = None) -> bool:
    """Whether the app runs on the embedded engine."""
    return (engine or db.engine).dialect.name == "sqlite"


MIN_SQLITE = (3, 33)


def configure_engine(engine: Engine, busy_timeout_ms: int = 15000) -> None:
    """Per-connection settings: durable, concurrent SQLite (a writer waits up to
    ``busy_timeout_ms`` for the write lock, then answers 503); nothing extra on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    if sqlite3.sqlite_version_info < MIN_SQLITE:  # UPDATE ... FROM (the time pass, #19)
        raise RuntimeError(f"OneVoice needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer; "
                           f"this Python's sqlite3 module uses {sqlite3.sqlite_version}")

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
            "PRAGMA synchronous=FULL",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        # A write transaction takes the write lock up front (IMMEDIATE), so it waits on
        # busy_timeout instead of failing with "database is locked" when a read upgrades.
        # Reads stay DEFERRED and run beside writers thanks to WAL.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


@contextmanager
def unit_of_work():
    """One write transaction: commits on success, rolls back on any error.

    Whatever read transaction the request had open is ended first, so on SQLite the write
    transaction begins IMMEDIATE. Nested use joins the outer unit.
    """
    if _write_intent.get():
        yield db.session
        return
    db.session.commit()  # ends the read transaction; expire_on_commit is off
    token = _write_intent.set(True)
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _write_intent.reset(token)


def backup_sqlite(dest: Path) -> None:
    """Copy the embedded database to ``dest`` with SQLite's online backup API.

    Safe while the app serves requests (it copies a consistent snapshot, retrying pages that
    change). Written to ``dest.partial`` first and renamed, so a failed copy leaves no file
    that looks like a backup. On PostgreSQL use ``pg_dump`` (docs/deploy.md).
    """
    if not is_sqlite():
        raise ServiceError("backup_sqlite_only", field="DATABASE_URL")
    if dest.exists():
        raise ServiceError("backup_exists", field="dest", path=str(dest))
    if not dest.parent.is_dir():
        raise ServiceError("backup_no_folder", field="dest", path=str(dest.parent))
    partial = dest.with_name(dest.name + ".partial")
    source, target = sqlite3.connect(db.engine.url.database), sqlite3.connect(partial)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
    os.replace(partial, dest)


# --- outbox readers and work queues (webhooks) ----------------------------------------------


def committed_high_water(column) -> int | None:
    """The largest value of an increasing id ``column`` at or below which every row is
    committed, or None when the table is busy (try again later).

    SQLite has one writer at a time, so ids become visible in order and the visible maximum
    is safe. On PostgreSQL transactions commit ids out of order: a SHARE lock waits for every
    transaction inserting into the table to end, so no id at or below the maximum read under
    it can appear later. The lock is held for that one read, and waited for at most 2 s.
    """
    if is_sqlite():
        return db.session.scalar(select(func.max(column))) or 0
    try:
        with unit_of_work():
            db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
            db.session.execute(text(f"LOCK TABLE {column.table.name} IN SHARE MODE"))
            return db.session.scalar(select(func.max(column))) or 0
    except OperationalError:
        return None


def dialect_insert(table):
    """The engine's INSERT for ``table`` (a model or a Table): it has
    ``on_conflict_do_nothing`` and ``on_conflict_do_update`` on both engines."""
    return (sqlite_insert if is_sqlite() else pg_insert)(table)


def insert_missing(model, rows: list[dict]) -> None:
    """Insert ``rows``, leaving alone those whose key exists already (ON CONFLICT DO NOTHING)."""
    db.session.execute(dialect_insert(model).values(rows).on_conflict_do_nothing())


def skip_locked(query, of):
    """A work-queue claim: on PostgreSQL lock the chosen rows of ``of``, skipping rows another
    worker is claiming (FOR UPDATE SKIP LOCKED); on SQLite the query as it is, since the
    IMMEDIATE write transaction already keeps every other writer out until it commits."""
    return query if is_sqlite() else query.with_for_update(skip_locked=True, of=of)
