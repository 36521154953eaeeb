"""Everything that differs between SQLite and PostgreSQL lives here, with the unit of work."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

_write_intent: ContextVar[bool] = ContextVar("onevoice_write_intent", default=False)


def is_sqlite(engine: Engine | None = None) -> bool:
    """Whether the app runs on the embedded engine."""
    return (engine or db.engine).dialect.name == "sqlite"


def configure_engine(engine: Engine) -> None:
    """Per-connection settings: durable, concurrent SQLite; nothing extra on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=15000",
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
