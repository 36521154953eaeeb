"""Writers in several processes at once: no "database is locked", no lost write.

Eight processes (``multiprocessing``, spawn: each its own interpreter, app and engine, as
gunicorn workers are) run read-then-write transactions through the app's ``unit_of_work``
against one database for a bounded time. Each transaction locks a shared row (``FOR UPDATE``,
the app's pattern for conflicting writers; SQLite's compiler leaves it out, since its
``BEGIN IMMEDIATE`` already serialises writers), reads how many rows the table holds, and
writes a row whose unique code is that number. A write based on a stale read would collide
on the code, so the codes must come out exactly 0..N-1, and N must equal the sum of the
commits the processes counted.

The duration is ``ONEVOICE_WRITE_LOAD_SECONDS`` (default 4 s, to keep CI fast; 10 s or more
for a longer soak). SQLite runs the first test and PostgreSQL the second, each skipping the
other engine's run (``TEST_DATABASE_URL`` decides, as for the whole suite).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Team

PROCESSES = 8
SECONDS = float(os.environ.get("ONEVOICE_WRITE_LOAD_SECONDS") or 4)
PG_URL = os.environ.get("TEST_DATABASE_URL")
LOCK = "write_load_lock"


def write_loop(url: str, seconds: float, index: int, ready, results) -> None:
    """One process: read-then-write transactions until the time is up; report the counts."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "write-load",
                      "TESTING": True})
    committed, errors = 0, Counter()
    with app.app_context():
        ready.wait(timeout=120)  # all processes start together
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                with unit_of_work() as session:
                    session.scalar(select(Team.id).where(Team.code == LOCK).with_for_update())
                    written = session.scalar(select(func.count(Team.id))) - 1
                    session.add(Team(code=f"w{written:07d}", name=f"written by process {index}"))
                committed += 1
            except DBAPIError as error:
                message = str(error.orig)
                errors["database is locked" if "locked" in message else message[:120]] += 1
        db.engine.dispose()
    results.put((index, committed, dict(errors)))


def run_writers(app) -> tuple[list[tuple[int, int, dict]], list[str]]:
    """Start the processes, release them together, collect their counts and the codes."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        with unit_of_work() as session:
            session.add(Team(code=LOCK, name="the row every writer locks"))
        db.engine.dispose()  # no connection of this process stays open beside the writers
    spawn = multiprocessing.get_context("spawn")
    ready, results = spawn.Barrier(PROCESSES + 1), spawn.Queue()
    processes = [spawn.Process(target=write_loop, args=(url, SECONDS, n, ready, results))
                 for n in range(PROCESSES)]
    for process in processes:
        process.start()
    ready.wait(timeout=120)
    reports = [results.get(timeout=SECONDS + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    with app.app_context():
        codes = list(db.session.scalars(
            select(Team.code).where(Team.code != LOCK).order_by(Team.code)))
    return reports, codes


def check(reports, codes) -> None:
    """Zero errors, every committed write present once, no write based on a stale read."""
    errors = Counter()
    for _index, _committed, found in reports:
        errors.update(found)
    committed = sum(c for _i, c, _e in reports)
    assert errors["database is locked"] == 0, errors
    assert not errors, errors
    assert len(reports) == PROCESSES and all(c > 0 for _i, c, _e in reports), reports
    assert len(codes) == committed, (len(codes), committed)
    assert codes == [f"w{n:07d}" for n in range(committed)]


@pytest.mark.skipif(bool(PG_URL), reason="the SQLite write-lock test; PostgreSQL runs "
                                          "test_postgresql_writers_in_processes instead")
def test_sqlite_writers_in_processes(app):
    reports, codes = run_writers(app)
    check(reports, codes)


@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL); SQLite runs "
                                       "test_sqlite_writers_in_processes instead")
def test_postgresql_writers_in_processes(app):
    reports, codes = run_writers(app)
    check(reports, codes)
