"""Temporary unavailability of the database, named in one place.

A locked, read-only or unreachable database is not a bug: the request is refused with 503,
``Retry-After`` and the code ``database_unavailable`` (app/web/shared/unavailable.py), the worker
waits and tries again, and each cause is logged once a minute rather than a traceback per
request. :func:`unavailable_cause` is the one classifier (a table tested in
tests/unit/test_db_unavailable.py).
"""

from __future__ import annotations

import logging
import sqlite3
import time

# SQLite says what went wrong in the message only.
SQLITE_UNAVAILABLE = (
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("attempt to write a readonly database", "read_only"),
    ("unable to open database file", "unreachable"),
    ("disk i/o error", "unreachable"),
)
# PostgreSQL: by SQLSTATE (psycopg's ``sqlstate``), then by the driver's words for a server
# that cannot be reached at all (no SQLSTATE then).
PG_UNAVAILABLE_STATES = {
    "25006": "read_only",  # read_only_sql_transaction (default_transaction_read_only, replica)
    "55P03": "locked",  # lock_not_available (lock_timeout)
    "57P01": "unreachable",  # admin_shutdown
    "57P02": "unreachable",  # crash_shutdown
    "57P03": "unreachable",  # cannot_connect_now (starting up, in recovery)
    "53300": "unreachable",  # too_many_connections
    "08000": "unreachable", "08001": "unreachable", "08003": "unreachable",
    "08004": "unreachable", "08006": "unreachable",  # connection exceptions
}
PG_UNREACHABLE_WORDS = ("connection refused", "could not connect", "connection failed",
                        "server closed the connection", "terminating connection",
                        "connection is closed", "the connection is lost", "no route to host",
                        "could not translate host name", "timeout expired")


def unavailable_cause(error: BaseException | None) -> str | None:
    """Why the database is temporarily unavailable (``locked``, ``read_only`` or
    ``unreachable``), or None when ``error`` is not such a failure (a real bug: keep the 500).

    Looks through SQLAlchemy's wrapper (``.orig``) and the exception's cause.
    """
    seen = 0
    while error is not None and seen < 5:
        cause = _driver_cause(error)
        if cause:
            return cause
        error = getattr(error, "orig", None) or error.__cause__
        seen += 1
    return None


def _driver_cause(error: BaseException) -> str | None:
    state = getattr(error, "sqlstate", None)
    if state in PG_UNAVAILABLE_STATES:
        return PG_UNAVAILABLE_STATES[state]
    module = type(error).__module__ or ""
    words = str(error).lower()
    if isinstance(error, sqlite3.OperationalError):
        return next((cause for text, cause in SQLITE_UNAVAILABLE if text in words), None)
    if module.startswith("psycopg") and type(error).__name__ == "OperationalError" and \
            state is None:
        return "unreachable" if any(w in words for w in PG_UNREACHABLE_WORDS) else None
    return None


_noted: dict[str, float] = {}
NOTE_EVERY_SECONDS = 60.0


def note_unavailable(error: BaseException, where: str, logger: logging.Logger) -> str | None:
    """Log a database outage once a minute per cause (no traceback); returns the cause, or
    None when ``error`` is not an outage (the caller handles it as any other failure)."""
    cause = unavailable_cause(error)
    if cause is None:
        return None
    now = time.monotonic()
    if now - _noted.get(cause, -1e9) > NOTE_EVERY_SECONDS:
        _noted[cause] = now
        first_line = (str(getattr(error, "orig", None) or error).splitlines() or [""])[0]
        logger.warning("%s: database unavailable (%s): %s", where, cause, first_line[:200])
    return cause
