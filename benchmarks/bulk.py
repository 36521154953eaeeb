"""Chunked bulk inserts with SQLAlchemy Core, in foreign-key order.

The data generator produces millions of rows; the ORM (one object and one identity-map
entry per row) would take hours. Rows are buffered per table and written with
``connection.execute(table.insert(), rows)`` (an executemany) in chunks; before a table is
written, every table it depends on is written first, so foreign keys always hold, on SQLite
(``foreign_keys=ON``) as on PostgreSQL. A commit every ``commit_every`` rows keeps SQLite's
write-ahead log small.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

from app.core.extensions import db


class BulkWriter:
    """Buffer rows per table; write them in chunks, parents before children."""

    def __init__(self, connection: Connection, *, chunk: int = 20_000,
                 commit_every: int = 400_000):
        self.connection = connection
        self.chunk = chunk
        self.commit_every = commit_every
        self.order = [t.name for t in db.metadata.sorted_tables]  # parents first
        self.buffers: dict[str, list[dict]] = {}
        self.counts: Counter[str] = Counter()
        self._since_commit = 0

    def add(self, table: str, row: dict) -> None:
        """Queue one row of ``table``; writes everything queued when the buffer is full."""
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush()

    def extend(self, table: str, rows) -> None:
        """Queue many rows of ``table``."""
        for row in rows:
            self.add(table, row)

    def flush(self) -> None:
        """Write every queued row, in foreign-key order; commit when enough has piled up."""
        for name in self.order:
            rows = self.buffers.get(name)
            if rows:
                self.connection.execute(_table(name).insert(), rows)
                self.counts[name] += len(rows)
                self._since_commit += len(rows)
                self.buffers[name] = []
        if self._since_commit >= self.commit_every:
            self.connection.commit()
            self._since_commit = 0

    def close(self) -> None:
        """Write what is left, move PostgreSQL's id sequences past the ids given, commit."""
        self.flush()
        if self.connection.dialect.name == "postgresql":
            _advance_sequences(self.connection)
        self.connection.commit()


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _advance_sequences(connection: Connection) -> None:
    """Ids were given explicitly, so the serial sequences never moved: set them to max(id)."""
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                    column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                    and column.type.python_type is int):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
