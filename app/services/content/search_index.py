"""The search index of the agent knowledge base: the only module with engine-specific search SQL.

SQLite holds ``bulletin_search`` as an FTS5 virtual table with the trigram tokenizer: terms
of 3 characters or more are answered by ``MATCH`` from the index (ranked by bm25), shorter
ones by ``LIKE`` over the same table. PostgreSQL holds it as a plain table with a pg_trgm
GIN index on ``title || ' ' || body``, answered by ``ILIKE`` (which uses that index for
terms of 3 characters or more) and ranked by ``similarity``. Both match substrings,
case-insensitively, so Korean needs no word splitting.

Rows are written with engine-neutral statements when a version is published
(:func:`index_version`, called from ``services.bulletins.publish``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, text

from app.core.database import is_sqlite
from app.core.extensions import db
from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import Fact
from app.domain.markup import plain_text
from app.domain.search_text import TRIGRAM, index_entries
from app.models import BulletinVersion
from app.models.search import bulletin_search


@dataclass(frozen=True)
class IndexRow:
    """One matching row: a fact of a version (``fact`` set) or the version's body."""

    slug: str
    version: int
    fact: str | None
    title: str
    body: str


def index_version(version: BulletinVersion) -> int:
    """(Re)write the index rows of a published version; returns how many were written."""
    body = plain_text(parse_bulletin(version.source, version.slug).body)
    facts = [Fact(key=f.key, label=f.label, value=f.value, old_value=f.old_value)
             for f in version.facts]
    entries = index_entries(version.title, body, facts)
    db.session.execute(delete(bulletin_search).where(
        bulletin_search.c.slug == version.slug, bulletin_search.c.version == version.number))
    db.session.execute(insert(bulletin_search), [
        {"slug": version.slug, "version": version.number, "fact": e.fact, "title": e.title,
         "body": e.body} for e in entries])
    return len(entries)


def _like(term: str) -> str:
    """A LIKE pattern matching ``term`` anywhere, its wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _phrase(term: str) -> str:
    """An FTS5 string: the term as one phrase (trigram tables match it as a substring)."""
    return '"' + term.replace('"', '""') + '"'


def _sqlite_sql(terms: tuple[str, ...], params: dict) -> str:
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    where = []
    if long_terms:
        params["match"] = " AND ".join(_phrase(t) for t in long_terms)
        where.append("bulletin_search MATCH :match")
    for n, term in enumerate(t for t in terms if len(t) < TRIGRAM):
        params[f"like{n}"] = _like(term)
        # An expression, not the bare column: FTS5 answers LIKE on a column from the trigram
        # index, which cannot hold patterns under 3 characters (SQLite 3.40 then finds
        # nothing for multibyte text such as "와이"); the expression makes it a plain scan.
        where.append(f"(title || ' ' || body) LIKE :like{n} ESCAPE '\\'")
    order = "rank" if long_terms else "(fact IS NULL), slug, version"
    return ("SELECT slug, version, fact, title, body FROM bulletin_search WHERE "
            + " AND ".join(where)
            + " AND (slug || ':' || version) IN :live"
            + f" ORDER BY {order} LIMIT :limit")


def _postgres_sql(terms: tuple[str, ...], params: dict) -> str:
    where = []
    for n, term in enumerate(terms):
        params[f"like{n}"] = _like(term)
        where.append(f"(title || ' ' || body) ILIKE :like{n} ESCAPE '\\'")
    params["query"] = " ".join(terms)
    return ("SELECT slug, version, fact, title, body FROM bulletin_search WHERE "
            + " AND ".join(where)
            + " AND (slug || ':' || CAST(version AS TEXT)) IN :live"
            " ORDER BY similarity(title || ' ' || body, :query) DESC, (fact IS NULL),"
            " slug, version LIMIT :limit")


def find(terms: tuple[str, ...], live: list[tuple[str, int]], limit: int = 20) -> list[IndexRow]:
    """Rows containing every term, among the versions ``live`` ((slug, number) pairs), best
    first."""
    if not terms or not live:
        return []
    params: dict = {"live": [f"{slug}:{number}" for slug, number in live], "limit": limit}
    sql = _sqlite_sql(terms, params) if is_sqlite() else _postgres_sql(terms, params)
    statement = text(sql).bindparams(bindparam("live", expanding=True))
    return [IndexRow(slug, int(version), fact, title, body)
            for slug, version, fact, title, body in db.session.execute(statement, params)]
