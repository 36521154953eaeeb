"""A database that is read-only, locked or unreachable answers 503 database_unavailable with
Retry-After (the API's error shape, or a translated page), logged once per cause, and writes
nothing. Real conditions: a SQLite file opened read-only, a write lock held by another
connection, PostgreSQL's ``default_transaction_read_only`` on the test database, and a
server that is not there (a closed port; on SQLite a folder that does not exist).
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core import db_unavailable
from app.core.extensions import db
from app.models.calls import Call
from app.models.webhooks import OutboxMessage
from tests.conftest import PG_URL, _config
from tests.web.worker_process import database_url

CALL = [{"call_id": "c-1", "agent": "A1", "skill": "wired",  # A1 does not hold wired
         "answered_at": "2026-12-04T10:10:00+09:00"}]


@pytest.fixture(autouse=True)
def fresh_log():
    db_unavailable._noted.clear()
    yield
    db_unavailable._noted.clear()


def sqlite_path(app) -> str:
    return make_url(database_url(app)).database


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Call)),
                db.session.scalar(select(func.count()).select_from(OutboxMessage)))


@contextmanager
def read_only(app, tmp_path):
    """The app's database refusing writes; yields an app that sees it so."""
    if not PG_URL:
        url = f"sqlite:///file:{sqlite_path(app)}?mode=ro&uri=true"
        yield create_app(_config(url, tmp_path))
        return
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = make_url(PG_URL).database
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    try:
        with app.app_context():
            db.engine.dispose()  # new connections start read-only
        yield app
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        admin.dispose()
        with app.app_context():
            db.engine.dispose()


def unreachable_url(tmp_path) -> str:
    if PG_URL:
        return make_url(PG_URL).set(host="127.0.0.1", port=1).render_as_string(
            hide_password=False)  # nothing listens on port 1
    return f"sqlite:///{tmp_path / 'no-such-folder' / 'onevoice.sqlite3'}"


def assert_unavailable(response, cause: str) -> None:
    assert response.status_code == 503, response.data[:300]
    assert response.headers["Retry-After"] == "5"
    error = response.json["error"]
    assert error["code"] == "database_unavailable"
    assert error["details"] == {"cause": cause, "retry_after": 5}
    assert "nothing was changed" in error["message"]


def test_a_read_only_database_answers_503_and_writes_nothing(app, org, tmp_path):
    headers = org.headers("router@example.com")
    with read_only(app, tmp_path) as refusing:
        response = refusing.test_client().post("/api/v1/calls", json=CALL, headers=headers)
        assert_unavailable(response, "read_only")
        assert counts(app) == (0, 0)
    assert counts(app) == (0, 0)  # nothing half-written
    again = app.test_client().post("/api/v1/calls", json=CALL, headers=headers)
    assert again.status_code == 200 and again.json["accepted"] == 1
    assert counts(app) == (1, 1)  # the call and its call.violation message


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's whole-database write lock; PostgreSQL "
                    "locks rows, and its lock_timeout is in the classifier's table")
def test_a_write_lock_held_by_another_connection_answers_503_locked(app, org, tmp_path):
    headers = org.headers("router@example.com")
    impatient = create_app({**_config(database_url(app), tmp_path),
                            "ONEVOICE_SQLITE_BUSY_TIMEOUT_MS": 200})
    holder = sqlite3.connect(sqlite_path(app), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        response = impatient.test_client().post("/api/v1/calls", json=CALL, headers=headers)
        assert_unavailable(response, "locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(app) == (0, 0)
    response = impatient.test_client().post("/api/v1/calls", json=CALL, headers=headers)
    assert response.status_code == 200 and counts(app) == (1, 1)


def test_an_unreachable_database_answers_503(tmp_path):
    gone = create_app(_config(unreachable_url(tmp_path), tmp_path))
    response = gone.test_client().get("/api/v1/agents/A1/eligibility",
                                      headers={"Authorization": "Bearer whatever"})
    assert_unavailable(response, "unreachable")


def test_the_page_says_so_in_the_readers_language_and_the_log_says_it_once(tmp_path, caplog):
    gone = create_app(_config(unreachable_url(tmp_path), tmp_path))
    client = gone.test_client()
    client.set_cookie("lang", "ko")
    with caplog.at_level(logging.WARNING, logger="onevoice.database"):
        pages = [client.post("/login", data={"email": "a@example.com", "password": "x"})
                 for _ in range(3)]
    for page in pages:
        assert page.status_code == 503 and page.headers["Retry-After"] == "5"
        html = page.get_data(as_text=True)
        assert '<html lang="ko">' in html and "잠시 사용할 수 없습니다" in html
        assert "5초 후에 다시 시도해 주세요" in html
    english = gone.test_client().post("/login", data={"email": "a@example.com", "password": "x"})
    assert "Nothing you sent was saved" in english.get_data(as_text=True)
    notes = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(notes) == 1 and "(unreachable)" in notes[0].getMessage()
    assert notes[0].exc_info is None  # a line, not a traceback per request


def test_any_other_database_error_stays_a_500_with_its_traceback(tmp_path, caplog):
    from sqlalchemy.exc import IntegrityError

    from app.core.security import allow

    application = create_app({**_config(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path),
                              "TESTING": False})

    @application.get("/broken-for-this-test")
    @allow()
    def broken():
        raise IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint"))

    with caplog.at_level(logging.ERROR):
        response = application.test_client().get("/broken-for-this-test")
    assert response.status_code == 500 and "Retry-After" not in response.headers
    assert any(r.exc_info for r in caplog.records)  # a bug keeps its traceback
