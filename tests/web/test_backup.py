"""``flask backup DEST``: a consistent copy of the SQLite database, or a clear refusal."""

from __future__ import annotations

import os
import sqlite3

import pytest

from tests.conftest import PG_URL


@pytest.mark.skipif(bool(PG_URL), reason="backup copies SQLite; PostgreSQL is backed up "
                                          "with pg_dump (test_backup_refuses_postgresql)")
def test_backup_copies_the_live_database(org, runner, tmp_path):
    dest = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(dest)])
    assert result.exit_code == 0, result.output
    assert f"wrote {dest}" in result.output
    with sqlite3.connect(dest) as copy:
        emails = {e for (e,) in copy.execute("SELECT email FROM users")}
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "agent@example.com" in emails and len(emails) == 6
    assert not os.path.exists(f"{dest}.partial")


@pytest.mark.skipif(bool(PG_URL), reason="SQLite only")
@pytest.mark.parametrize(("name", "message"), [
    ("exists.sqlite3", "exists already"),
    ("missing-folder/copy.sqlite3", "does not exist"),
])
def test_backup_refuses_bad_destinations(org, runner, tmp_path, name, message):
    (tmp_path / "exists.sqlite3").write_text("keep me")
    result = runner.invoke(args=["backup", str(tmp_path / name)])
    assert result.exit_code == 1
    assert message in result.output
    assert (tmp_path / "exists.sqlite3").read_text() == "keep me"


@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_backup_refuses_postgresql(org, runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert not (tmp_path / "copy").exists()
