"""Quiz item interchange with Moodle: GIFT (:mod:`.gift`) and Moodle XML (:mod:`.moodle_xml`).

A customer's question bank comes in through :func:`parse_gift` / :func:`parse_moodle_xml` and
ours goes out through :func:`dump_gift` / :func:`dump_moodle_xml`. OneVoice serves only single-
answer multiple choice (``choice``, or ``cloze`` when the stem holds one blank ``_____``) and
true/false; every other question (matching, numerical, short answer, essay, description,
multiple-answer, partial credit) is reported in :attr:`ImportResult.skipped` with its line,
never dropped silently. A malformed file raises :class:`~app.domain.bulletin.types.ContentError`.

Imported items are hand-written drafts: status ``draft``, recipe ``""``, the ``fact`` given to
the parser (``"imported"`` by default; GIFT ``$CATEGORY`` lines and Moodle XML categories are
read past, not mapped to facts), and wrong options without a source (``None``). An item's key
is a slug of the question's title (``-2``, ``-3`` on clashes), or ``q-<line>`` without one.

This module holds what both formats share; the parsers and dumpers live in the submodules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from app.domain.bulletin.types import ItemDraft, OptionDraft, SourceError
from app.domain.generation.korean import BLANK

ONLY = "(only multiple choice and true/false)"
KEY_LENGTH = 60  # a slug's most characters, leaving room for "-<n>" (items.key is 80)
_BREAK_TAGS = frozenset(("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"))


@dataclass(frozen=True)
class ImportResult:
    """What an import read: the supported items, and every question it could not take."""

    items: tuple[ItemDraft, ...]
    skipped: tuple[SourceError, ...]  # "file:line: skipped: <why>"


@dataclass(frozen=True)
class Answer:
    """One answer as a Moodle question holds it: ``weight`` is the percent of the mark."""

    text: str
    weight: float  # 100 = right, 0 or less = wrong, in between = partial credit
    feedback: str = ""


class _TextOnly(HTMLParser):
    """Collects an HTML fragment's text; line-breaking tags become newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))  # source line breaks are just spaces


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, one line per block."""
    reader = _TextOnly()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def slug(title: str) -> str:
    """A key made of a title: lower case, words joined by ``-``, apostrophes dropped."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"['\u2019]", "", text)
    text = re.sub(r"[^\w-]+", "-", text).strip("-_")
    text = re.sub(r"-{2,}", "-", text)
    if len(text) > KEY_LENGTH:
        text = text[:KEY_LENGTH].rsplit("-", 1)[0] or text[:KEY_LENGTH]
    return text


class Collector:
    """Gathers one file's imported items and skipped questions, and gives unique keys."""

    def __init__(self, filename: str, fact: str):
        self.filename = filename
        self.fact = fact
        self.items: list[ItemDraft] = []
        self.skipped: list[SourceError] = []
        self._keys: set[str] = set()

    def skip(self, line: int, reason: str) -> None:
        """Report the question at ``line`` as not imported, saying why."""
        self.skipped.append(SourceError(self.filename, line, "import_skipped",
                                        {"reason": reason}))

    def unsupported(self, line: int, what: str) -> None:
        """Report a question of a type OneVoice does not serve."""
        self.skip(line, f"{what} question is not supported {ONLY}")

    def key(self, title: str | None, line: int) -> str:
        """The title's slug (``q-<line>`` without one), made unique with ``-2``, ``-3``..."""
        base = slug(title or "") or f"q-{line}"
        key, n = base, 1
        while key in self._keys:
            n += 1
            key = f"{base}-{n}"
        self._keys.add(key)
        return key

    def choice(self, line: int, title: str | None, stem: str, answers: list[Answer],
               general: str = "", *, multiple: bool = False) -> None:
        """Import a single-answer multiple choice question, or report why it cannot be."""
        right = [a for a in answers if a.weight >= 100]
        partial = [a for a in answers if 0 < a.weight < 100]
        if multiple:
            return self.unsupported(line, "multiple-answer")
        if partial:
            return self.skip(line, f"multiple choice question with partial credit"
                                   f" ({partial[0].weight:g}%) is not supported (one option"
                                   f" must be fully right, the others wrong)")
        if len(right) != 1:
            return self.skip(line, f"multiple choice question with {len(right) or 'no'} correct"
                                   f" options is not supported (exactly one must be correct)")
        if len(answers) < 2 or any(not a.text for a in answers):
            return self.skip(line, "multiple choice question needs at least 2 options,"
                                   " each with text")
        kind = "cloze" if stem.count(BLANK) == 1 else "choice"
        options = tuple(OptionDraft(a.text, correct=a.weight >= 100) for a in answers)
        return self._add(line, title, kind, stem, options, general or right[0].feedback)

    def true_false(self, line: int, title: str | None, stem: str, truth: bool,
                   explanation: str) -> None:
        """Import a true/false question: options ("True", "False"), one of them correct."""
        options = (OptionDraft("True", correct=truth), OptionDraft("False", correct=not truth))
        self._add(line, title, "true_false", stem, options, explanation)

    def _add(self, line: int, title: str | None, kind: str, stem: str,
             options: tuple[OptionDraft, ...], explanation: str) -> None:
        if not stem:
            return self.skip(line, "the question has no text")
        self.items.append(ItemDraft(key=self.key(title, line), fact=self.fact, kind=kind,
                                    stem=stem, options=options, explanation=explanation))
        return None

    def result(self) -> ImportResult:
        """Everything gathered, in file order."""
        return ImportResult(items=tuple(self.items), skipped=tuple(self.skipped))


# The submodules import the helpers above from this package, so they come last.
from app.domain.interchange.gift import dump_gift, parse_gift  # noqa: E402  (needs helpers above)
from app.domain.interchange.moodle_xml import (  # noqa: E402  (needs helpers above)
    dump_moodle_xml,
    parse_moodle_xml,
)

__all__ = ["Answer", "ImportResult", "dump_gift", "dump_moodle_xml", "html_to_text",
           "parse_gift", "parse_moodle_xml", "slug"]
