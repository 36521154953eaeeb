"""The agent knowledge base's search index: one row per fact and one per bulletin body.

Declared here so both engines know the table (and tests can empty it); its physical shape
differs: an FTS5 virtual table with the trigram tokenizer on SQLite, a plain table with a
pg_trgm GIN index on PostgreSQL (migration 0002g). Only app/services/content/search_index.py reads
and writes it.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from app.core.extensions import db

bulletin_search = Table(
    "bulletin_search",
    db.metadata,
    Column("slug", String(80), nullable=False),
    Column("version", Integer, nullable=False),
    Column("fact", String(64)),  # the fact id; NULL for the row of the bulletin's body
    Column("title", Text, nullable=False),  # the fact's label, or the bulletin's title
    Column("body", Text, nullable=False),  # value and old value, or the body's plain text
)
