"""The one classifier of temporary database unavailability (503 database_unavailable)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy import exc

from app.core.db_unavailable import unavailable_cause

REFUSED = ('connection failed: connection to server at "127.0.0.1", port 1 failed: '
           "Connection refused\n\tIs the server running on that host?")

CASES = [
    (sqlite3.OperationalError("database is locked"), "locked"),
    (sqlite3.OperationalError("database table is locked: users"), "locked"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read_only"),
    (sqlite3.OperationalError("unable to open database file"), "unreachable"),
    (sqlite3.OperationalError("disk I/O error"), "unreachable"),
    (sqlite3.OperationalError("no such table: users"), None),  # a bug, not an outage
    (sqlite3.IntegrityError("UNIQUE constraint failed: users.email"), None),
    (pg.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"),
     "read_only"),
    (pg.AdminShutdown("terminating connection due to administrator command"), "unreachable"),
    (pg.CannotConnectNow("the database system is starting up"), "unreachable"),
    (pg.TooManyConnections("sorry, too many clients already"), "unreachable"),
    (pg.LockNotAvailable("canceling statement due to lock timeout"), "locked"),
    (psycopg.OperationalError(REFUSED), "unreachable"),
    (psycopg.OperationalError("server closed the connection unexpectedly"), "unreachable"),
    (psycopg.OperationalError("consuming input failed: something odd"), None),
    (pg.UniqueViolation("duplicate key value violates unique constraint"), None),
    (pg.UndefinedTable('relation "users" does not exist'), None),
    (pg.QueryCanceled("canceling statement due to statement timeout"), None),
    (exc.OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked")),
     "locked"),
    (exc.InternalError("INSERT ...", {}, pg.ReadOnlySqlTransaction("read-only")), "read_only"),
    (exc.OperationalError("SELECT 1", {}, psycopg.OperationalError(REFUSED)), "unreachable"),
    (exc.IntegrityError("INSERT ...", {}, pg.UniqueViolation("duplicate")), None),
    (ValueError("database is locked"), None),  # the words alone are not enough
    (None, None),
]


@pytest.mark.parametrize(("error", "cause"), CASES, ids=[repr(c[0])[:60] for c in CASES])
def test_unavailable_cause(error, cause):
    assert unavailable_cause(error) == cause


def test_a_cause_behind_a_raise_from_is_found():
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError as inner:
            raise RuntimeError("while saving") from inner
    except RuntimeError as outer:
        assert unavailable_cause(outer) == "locked"
