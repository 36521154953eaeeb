"""Comparing option texts, and finding the sentence around a ``==marked==`` term.

Two option texts are "the same" when their normalised forms are equal: Unicode NFKC,
casefolded, whitespace collapsed, thousands separators dropped between digits
(``1,000`` = ``1000``) and no blank between a number and its unit (``50 GB`` = ``50GB``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER_UNIT_GAP = re.compile(r"(?<=\d)\s+(?=[^\W\d_])")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
_ASCII_WORD = re.compile(r"[a-z0-9]")
_BLOCK_START = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")
SHORT = 2  # needles this short must stand alone in any script ("예" is not found in "예정")
_WORD = re.compile(r"[^\W_]+")
STOPWORDS = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "by", "at", "from",
    "is", "are", "be", "new", "old", "no", "yes",
))


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Return the comparison form of an option or stem text (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    collapsed = " ".join(folded.split())
    return _NUMBER_UNIT_GAP.sub("", _THOUSANDS.sub("", collapsed))


def bare(text: str) -> str:
    """The comparison form without a leading article: "the WiBro ID" is "WiBro ID"."""
    return re.sub(r"^(the|a|an) ", "", normalise(text))


def same_text(a: str, b: str) -> bool:
    """Tell whether two texts are equal once normalised."""
    return normalise(a) == normalise(b)


def contains_text(haystack: str, needle: str) -> bool:
    """Tell whether ``needle`` occurs in ``haystack`` once both are normalised.

    An ASCII letter or digit may not touch either end of the match, so "no" is not found in
    "now"; Hangul is matched as a plain substring because particles attach to words, except
    for needles of up to :data:`SHORT` characters, which no letter of any script may touch.
    The texts are also compared with the blank after a number kept, so "₩30,000" is found in
    "the fee ₩30,000 or more" (normalising alone would join "30000or").
    """
    return any(_found(hay, pin) for hay, pin in (
        (normalise(haystack), normalise(needle)), (_spaced(haystack), _spaced(needle))))


def _spaced(text: str) -> str:
    """Like :func:`normalise` but keeping the blank between a number and what follows."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return _THOUSANDS.sub("", folded)


def _found(hay: str, pin: str) -> bool:
    if not pin:
        return False
    start = hay.find(pin)
    while start >= 0:
        end = start + len(pin)
        before = hay[start - 1] if start else " "
        after = hay[end] if end < len(hay) else " "
        touches = (lambda c: c.isalnum()) if len(pin) <= SHORT else _ASCII_WORD.match
        if not touches(before) and not touches(after):
            return True
        start = hay.find(pin, start + 1)
    return False


def significant_words(text: str) -> set[str]:
    """Return the casefolded words of ``text`` worth comparing (no stopwords, 2+ chars)."""
    words = _WORD.findall(normalise(text))
    return {w for w in words if len(w) > 1 and w not in STOPWORDS}


def _blocks(body: str) -> list[str]:
    """Paragraphs, headings and list items of Markdown ``body``, each on one line."""
    blocks: list[list[str]] = [[]]
    for line in body.splitlines():
        starts_block = _BLOCK_START.match(line)
        if not line.strip() or starts_block:
            blocks.append([])
        if line.strip():
            blocks[-1].append(_BLOCK_START.sub("", line) if starts_block else line)
    return [" ".join(" ".join(lines).split()) for lines in blocks if lines]


def _plain_inline(text: str) -> str:
    """Drop inline Markdown a stem should not show: bold, italics, code and link targets."""
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub(r"\2", text.replace("`", ""))


_RUN_IN = re.compile(r"^\s*\*\*[^*]+[.:?？]\*\*\s+")  # "**What changed.**", "**그다음은?**"


def sentence_with_mark(body: str, term: str) -> str | None:
    """Return the sentence of ``body`` that holds ``==term==``, as plain one-line text.

    Headings and list items are blocks of their own, and a bold run-in heading that opens a
    paragraph ("**What changed.** ...") is left out; inline Markdown other than the marks is
    removed.
    """
    for block in _blocks(body):
        block = _RUN_IN.sub("", block)  # "**What changed.** The forwarded part ...": a heading
        for sentence in sentences(block):
            if f"=={term}==" in sentence:
                return _plain_inline(sentence.strip())
    return None


_ABBREVIATION = re.compile(r"(\b(a\.m|p\.m|e\.g|i\.e|etc|approx|incl|no|vs|mr|ms|dr)\.|\b[A-Z]\.)$",
                           re.IGNORECASE)


def sentences(block: str) -> list[str]:
    """The sentences of a paragraph: never split inside a ``==mark==`` or after an
    abbreviation ("9 a.m. to 9 p.m.", "e.g."), so a cloze stem is never cut mid-phrase."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(block):
        if out and (out[-1].count("==") % 2 or _ABBREVIATION.search(out[-1])):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def body_sentences(body: str) -> list[str]:
    """Every sentence of Markdown ``body``, block by block, each as one line of text."""
    return [sentence for block in _blocks(body) for sentence in sentences(block)]


def unmark(text: str) -> str:
    """Drop the ``==`` marks around terms, keeping the terms."""
    return re.sub(r"==(?![\s=])(.+?)(?<![\s=])==", r"\1", text)
