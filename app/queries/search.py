"""The agent knowledge base: search the facts and text of the bulletins agents are told.

Only versions in force or scheduled (published, effective date ahead) are searched: a
version replaced by a newer one, or superseded by another bulletin, drops out the moment
the new one takes over. Each result names the bulletin, the fact matched with its value
(or a snippet of the text), the effective date and the lifecycle status, and links to the
fact on the agent's bulletin page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.core.extensions import db
from app.domain.lifecycle import Lifecycle
from app.domain.refusals import Refused
from app.domain.search_text import Segment, highlight, search_terms, snippet
from app.errors import ServiceError
from app.models import Fact
from app.services.content.lifecycle import live_versions, timeline
from app.services.content.search_index import IndexRow, find

DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class FactHit:
    """The fact a result matched."""

    key: str
    label: str
    value: str
    old_value: str | None


@dataclass(frozen=True)
class SearchResult:
    """One search result, ready for a page or the API."""

    slug: str
    version: int
    title: str
    effective: date
    gate_at: datetime | None
    life: Lifecycle
    fact: FactHit | None  # None: the bulletin's text matched
    heading: tuple[Segment, ...]  # the fact's label (or the bulletin's title), highlighted
    snippet: tuple[Segment, ...]  # the matching text, highlighted (plain text, never HTML)
    was: tuple[Segment, ...] = ()  # a fact's old value, highlighted

    @property
    def anchor(self) -> str | None:
        """The fragment of the fact on the bulletin's page (None: the bulletin's text)."""
        return None if self.fact is None else f"fact-{self.fact.key}"

    def as_json(self, url: str) -> dict:
        """The result in the API's shape; ``url`` is its page (the view builds it)."""
        return {
            "bulletin": self.slug, "version": self.version, "title": self.title,
            "effective": self.effective.isoformat(),
            "status": self.life.status,
            "fact": None if self.fact is None else {
                "id": self.fact.key, "label": self.fact.label, "value": self.fact.value,
                "was": self.fact.old_value},
            "snippet": "".join(s.text for s in self.snippet),
            "url": url,
        }


def search(query: str, *, limit: int = DEFAULT_LIMIT,
           at: datetime | None = None) -> tuple[tuple[str, ...], list[SearchResult]]:
    """(the query's terms, results best first) over the versions agents are told now."""
    try:
        terms = search_terms(query)
    except Refused as error:
        raise ServiceError.of(error.problem, field="q") from None
    known = timeline()
    live = live_versions(at, known)
    rows = find(terms, sorted(live), limit)
    facts = _facts(rows, known.ids)
    versions = {(v.slug, v.number): v for v in known.versions}
    results = []
    for row in rows:
        key = (row.slug, row.version)
        fact = facts.get((known.ids[key], row.fact)) if row.fact else None
        results.append(_result(row, versions[key], live[key], fact, terms))
    return terms, results


def _facts(rows: list[IndexRow], ids: dict[tuple[str, int], int]) -> dict:
    """The stored facts the rows name, by (version id, key), in one query."""
    wanted = {ids[(r.slug, r.version)] for r in rows if r.fact is not None}
    if not wanted:
        return {}
    found = db.session.scalars(select(Fact).where(Fact.version_id.in_(wanted))).all()
    return {(f.version_id, f.key): f for f in found}


def _result(row: IndexRow, version, life: Lifecycle, fact: Fact | None,
            terms: tuple[str, ...]) -> SearchResult:
    hit, was = None, ()
    if fact is not None:
        hit = FactHit(fact.key, fact.label, fact.value, fact.old_value)
        segments, heading = highlight(fact.value, terms), highlight(fact.label, terms)
        was = highlight(fact.old_value or "", terms)
    else:
        segments, heading = snippet(row.body, terms), highlight(version.title, terms)
    return SearchResult(
        slug=row.slug, version=row.version, title=version.title, effective=version.effective,
        gate_at=version.gate_at, life=life, fact=hit, heading=heading,
        snippet=segments, was=was,
    )
