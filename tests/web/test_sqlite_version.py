"""The embedded engine needs SQLite 3.33 (UPDATE ... FROM): an older one is named at start."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from app.core import database


def test_an_old_sqlite_is_named_at_start(monkeypatch, tmp_path):
    monkeypatch.setattr(database.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(database.sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(RuntimeError, match=r"needs SQLite 3\.33 or newer; .* uses 3\.31\.1"):
        database.configure_engine(create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}"))


def test_this_sqlite_is_new_enough(tmp_path):
    database.configure_engine(create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
