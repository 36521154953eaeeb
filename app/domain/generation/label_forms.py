"""What a label says of itself: its own time, and a qualifier after a comma.

A label or ``ask=`` that names its own date or starting time ("2027년 6월부터 …", "10월 15일
이후 가입하는 …", "from 1 June") gets no effective date before it (:func:`dated`), and a short
qualifier after a comma ("Monthly cap per service, before VAT") is put in brackets
(:func:`parenthesised`) so no sentence leaves the comma open.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact
from app.domain.generation.labels import AUX, FINITE, is_participle, words

__all__ = ["dated", "own_time", "parenthesised"]

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november"
           "|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_OWN_TIME = re.compile(
    rf"\d{{4}}\s*년|\d{{1,2}}\s*월\s*\d{{1,2}}\s*일|\d{{1,2}}\s*월\s*(부터|이후)|\d{{4}}-\d{{1,2}}|\b\d{{1,2}}\s+({_MONTHS})\b|\b({_MONTHS})\s+\d"
    rf"|(날|일|월|년|때|시점|시행|개통|가입|변경|신청)\s*(부터|이후)|\b(from|after|since|starting)"
    rf"\s+(the\s+)?(\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b|({_MONTHS})\b|\d{{4}}\b"
    rf"|(next|this) (month|week|year|bill)\b|today\b|launch\b)",
    re.IGNORECASE)


def own_time(fact: Fact) -> bool:
    """The label or ``ask=`` already names a date or a starting time ("2011년 1월부터 …",
    "10월 15일 이후 가입하는 …", "from 1 March", "after launch"): the effective date is not
    put before it ("2011년 1월 1일부터 2011년 1월부터 …")."""
    return any(_OWN_TIME.search(text) for text in (fact.label, fact.ask) if text)


def dated(fact: Fact) -> bool:
    """A stem names the effective date: the fact changed, is no date itself and does not
    already name its own time."""
    return bool(fact.old_value) and fact.type != "date" and not own_time(fact)


_QUALIFIER_LEAD = frozenset((
    "before", "after", "excluding", "including", "incl", "excl", "with", "without", "per",
    "in", "on", "at", "for", "from", "until", "within", "plus", "minus", "ex", "net", "gross",
    "inclusive", "exclusive", "only", "each", "a", "every", "not"))


def parenthesised(label: str) -> str:
    """An English label's trailing qualifier after a comma put in brackets: "Monthly cap per
    service, before VAT" -> "Monthly cap per service (before VAT)", so no sentence leaves the
    comma open ("... per service, before VAT is ..."). Anything else after a comma (a clause)
    stays, and the label is then not built into a sentence (``en_doubtful``)."""
    head, comma, tail = label.strip().rpartition(",")
    tail_words = words(tail)
    lead = bool(tail_words) and (tail_words[0] in _QUALIFIER_LEAD or is_participle(
        tail_words[0], predicates=False))  # "counted from its launch date"
    marked = len(tail_words) <= 3 and tail_words and is_participle(tail_words[-1])  # "VAT
    if not comma or not head.strip() or not tail_words or len(tail_words) > 5 \
            or "," in head or not (lead or marked) \
            or any(w in AUX or w in FINITE for w in tail_words):
        return label  # excluded", "tax included"
    return f"{head.strip()} ({tail.strip()})"
