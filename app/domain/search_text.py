"""The agent knowledge base's text rules: query terms, index entries and snippets.

Search matches substrings, case-insensitively, in any script: every term of the query must
occur in an entry (its title or its text). Korean needs no word splitting this way: "와이파이"
finds "와이파이 로그인 계정". Engines index trigrams, so terms of 3 characters or more use
the index and shorter ones ("와이") are matched by a scan (see
app/services/content/search_index.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.bulletin.types import Fact
from app.domain.refusals import Refused

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
TRIGRAM = 3  # shortest term an n-gram index can answer


@dataclass(frozen=True)
class Entry:
    """One row of the search index: a fact (label; value and old value) or a bulletin body."""

    fact: str | None  # the fact id; None for the bulletin's body
    title: str
    body: str


def search_terms(query: str) -> tuple[str, ...]:
    """The distinct terms of ``query`` (split on blanks), in order; ValueError when unusable.

    The message names the problem: empty, longer than MAX_QUERY_LENGTH characters, or more
    than MAX_TERMS terms.
    """
    text = " ".join((query or "").split())
    if not text:
        raise Refused("search_empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise Refused("search_too_long", n=len(text), limit=MAX_QUERY_LENGTH)
    terms: list[str] = []
    for term in text.split(" "):
        if term.casefold() not in (t.casefold() for t in terms):
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise Refused("search_too_many_words", n=len(terms), limit=MAX_TERMS)
    return tuple(terms)


def fact_entry(fact: Fact) -> Entry:
    """A fact's index entry: its label, then its value and the value it replaces."""
    body = fact.value if fact.old_value is None else f"{fact.value}\n{fact.old_value}"
    return Entry(fact.key, fact.label, body)


def index_entries(title: str, body_text: str, facts: Iterable[Fact]) -> list[Entry]:
    """The index entries of one bulletin version: one per fact, then one for its body."""
    return [fact_entry(f) for f in facts] + [Entry(None, title, body_text)]


def matches(text: str, terms: Sequence[str]) -> bool:
    """Whether every term occurs in ``text`` (case-insensitive)."""
    folded = text.casefold()
    return all(term.casefold() in folded for term in terms)


@dataclass(frozen=True)
class Segment:
    """A piece of a snippet; ``hit`` when it is an occurrence of a search term."""

    text: str
    hit: bool = False


def highlight(text: str, terms: Sequence[str]) -> tuple[Segment, ...]:
    """Split ``text`` into plain and matching segments (longest terms first, no overlap)."""
    if not text:
        return ()
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not ordered:
        return (Segment(text),)
    pattern = re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)
    segments, start = [], 0
    for found in pattern.finditer(text):
        if found.start() > start:
            segments.append(Segment(text[start:found.start()]))
        segments.append(Segment(found.group(0), True))
        start = found.end()
    if start < len(text):
        segments.append(Segment(text[start:]))
    return tuple(segments)


def snippet(text: str, terms: Sequence[str], width: int = 160) -> tuple[Segment, ...]:
    """About ``width`` characters of ``text`` around the first match, highlighted.

    Cut at blanks where possible; an ellipsis marks text left out on either side.
    """
    flat = " ".join(text.split())
    if len(flat) <= width:
        return highlight(flat, terms)
    folded = flat.casefold()
    hits = [folded.find(t.casefold()) for t in terms if t and t.casefold() in folded]
    first = min(hits) if hits else 0
    start = max(0, first - width // 3)
    if start:
        blank = flat.rfind(" ", 0, start)
        start = blank + 1 if blank != -1 and start - blank < 20 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        blank = flat.find(" ", end)
        end = blank if blank != -1 and blank - end < 20 else end
    piece = ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
    return highlight(piece, terms)
