"""Moodle GIFT: :func:`parse_gift` reads a question bank, :func:`dump_gift` writes our items.

The reading follows Moodle's own importer (``question/format/gift/format.php``):

* questions are separated by blank lines; whole-line ``//`` comments and ``$CATEGORY:`` lines
  are read past; a question may span several lines (a source line break is a space);
* ``::title::`` names a question (its slug is the item's key); ``[html]``, ``[moodle]``,
  ``[markdown]`` and ``[plain]`` prefixes give a text's format, HTML is reduced to its text,
  and the question's format is the default for its answers and feedback;
* the first ``{ ... }`` is the answer block; text after it makes a missing-word question, whose
  stem gets a blank ``_____`` where the block was (a ``cloze`` item);
* ``=right ~wrong``, ``~%50%partial``, ``#feedback`` per answer, ``####general feedback``;
  ``{T}``, ``{F}``, ``{TRUE}``, ``{FALSE}`` with ``#feedback when wrong#feedback when right``;
* ``\\~ \\= \\# \\{ \\} \\:`` stand for the character itself, ``\\n`` for a line break, ``\\\\``
  for a backslash.

The question type is decided in Moodle's order: empty block = essay, ``#`` first = numerical,
any ``~`` = multiple choice, ``=`` with ``->`` = matching, T/F = true/false, else short answer.
An item's explanation is the general feedback, else the right answer's feedback (for
true/false, else the feedback shown on a wrong answer, which explains the right one).

Malformed text (an unclosed ``{`` or ``::title``, a stray ``}``, a second answer block, text
before the first option) raises :class:`ContentError` listing every problem as ``file:line``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.bulletin.types import ContentError, ItemDraft, SourceError
from app.domain.generation.korean import BLANK
from app.domain.interchange import Answer, Collector, ImportResult, html_to_text

_ESCAPABLE = "\\:#={}~n"  # what a backslash escapes ("\n" is a line break)
_HIDDEN = {char: chr(0xE000 + i) for i, char in enumerate(_ESCAPABLE)}  # private-use stand-ins
_SHOWN = str.maketrans({hidden: "\n" if char == "n" else char for char, hidden in _HIDDEN.items()})
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
_FORMAT_RE = re.compile(r"\[(html|moodle|markdown|plain)\]")
_WEIGHT_RE = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _hide(text: str) -> str:
    """Replace escaped characters with stand-ins, so they are not read as syntax."""
    return _ESCAPE_RE.sub(lambda match: _HIDDEN[match.group(1)], text)


def _text(raw: str, fmt: str) -> tuple[str, str]:
    """A text as meant and its format: prefix read, escapes restored, HTML made plain."""
    raw = raw.strip()
    if match := _FORMAT_RE.match(raw):
        fmt, raw = match.group(1), raw[match.end():]
    raw = " ".join(line.strip() for line in raw.split("\n")).translate(_SHOWN)
    return (html_to_text(raw) if fmt == "html" else raw.strip()), fmt


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """The questions of a file, as (line number, stripped line) runs without comments."""
    blocks: list[list[tuple[int, str]]] = [[]]
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("$CATEGORY:"):
            blocks.append([])
        elif not line.startswith("//"):
            blocks[-1].append((number, line))
    return [block for block in blocks if block]


def _answer(part: str, fmt: str) -> Answer:
    """One ``=right``, ``~wrong`` or ``~%25%partial`` answer, with its ``#feedback``."""
    weight = 100.0 if part[0] == "=" else 0.0
    rest = part[1:]
    if match := _WEIGHT_RE.match(rest):
        weight, rest = float(match.group(1)), rest[match.end():]
    text, _, feedback = rest.partition("#")
    return Answer(_text(text, fmt)[0], weight, _text(feedback, fmt)[0])


def _joined(before: str, after: str) -> str:
    """The question text around a removed answer block, with one space where one was."""
    if not after.strip():
        return before
    space = " " if before[-1:].isspace() or after[:1].isspace() else ""
    return before.rstrip() + space + after.lstrip()


class _Reader:
    """Reads a file's questions into a :class:`Collector`, gathering syntax errors."""

    def __init__(self, filename: str, fact: str):
        self.filename = filename
        self.out = Collector(filename, fact)
        self.errors: list[SourceError] = []

    def error(self, line: int, message: str) -> None:
        """Record a syntax error at ``line``."""
        self.errors.append(SourceError(self.filename, line, message))

    def block(self, lines: list[tuple[int, str]]) -> None:
        """One question: its title, then the text before, inside and after its answer block."""
        text = "\n".join(_hide(line) for _, line in lines)
        first = lines[0][0]

        def at(pos: int) -> int:
            return lines[text.count("\n", 0, pos)][0]

        title, start = None, 0
        if text.startswith("::"):
            start = text.find("::", 2)
            if start < 0:
                return self.error(first, "the question title is not closed: write ::title::")
            title, start = text[2:start].translate(_SHOWN).strip(), start + 2
        opening, closing = text.find("{", start), text.find("}", start)
        if opening < 0 and closing < 0:
            return self.out.unsupported(first, "description (text without answers)")
        if closing < 0:
            return self.error(at(opening), "unclosed '{': the answer block has no closing '}'")
        if opening < 0 or closing < opening:
            return self.error(at(closing), "'}' without an opening '{' (write a literal brace"
                                           " as \\})")
        if extra := re.search(r"[{}]", text[closing + 1:]):
            return self.error(at(closing + 1 + extra.start()), "a second answer block: a question"
                              " has one (write literal braces as \\{ \\})")
        return self.question(first, title, text[start:opening], text[opening + 1:closing],
                             text[closing + 1:])

    def question(self, line: int, title: str | None, before: str, block: str,
                 after: str) -> None:
        """Decide the question's type (in Moodle's order) and import or report it."""
        block, _, general = block.rpartition("####") if "####" in block else (block, "", "")
        answers = block.strip()
        if not answers:
            return self.out.unsupported(line, "essay")
        if answers[0] == "#":
            return self.out.unsupported(line, "numerical")
        if "~" in answers:
            return self.choice(line, title, before, block, after, general)
        if "=" in answers and "->" in answers:
            return self.out.unsupported(line, "matching")
        if answers.split("#", 1)[0].strip() in _TRUE_FALSE:
            return self.true_false(line, title, _joined(before, after), answers, general)
        return self.out.unsupported(line, "short answer")

    def choice(self, line: int, title: str | None, before: str, block: str, after: str,
               general: str) -> None:
        """A multiple choice question; text after the block makes it a missing-word one."""
        stem, fmt = _text(before + BLANK + after if after.strip() else before, "moodle")
        lead, *parts = re.split(r"(?=[=~])", block)
        if lead.strip():
            return self.error(line, f"text before the first option: '{lead.strip()}'"
                                    " (options start with = or ~)")
        answers = [_answer(part, fmt) for part in parts]
        multiple = "=" not in block and sum(a.weight > 0 for a in answers) > 1
        return self.out.choice(line, title, stem, answers, _text(general, fmt)[0],
                               multiple=multiple)

    def true_false(self, line: int, title: str | None, text: str, answers: str,
                   general: str) -> None:
        """A true/false question: ``T#feedback when wrong#feedback when right``."""
        stem, fmt = _text(text, "moodle")
        value, *feedback = answers.split("#", 2)
        wrong, right = (feedback + ["", ""])[:2]
        explanations = (_text(raw, fmt)[0] for raw in (general, right, wrong))
        explanation = next((text for text in explanations if text), "")
        self.out.true_false(line, title, stem, _TRUE_FALSE[value.strip()], explanation)


def parse_gift(text: str, filename: str = "<gift>", *, fact: str = "imported") -> ImportResult:
    """Read a GIFT file: its choice and true/false items, and every question it skipped.

    Raises :class:`ContentError` (every problem as ``file:line``) when the text is malformed.
    """
    reader = _Reader(filename, fact)
    for lines in _blocks(text):
        reader.block(lines)
    if reader.errors:
        raise ContentError(reader.errors)
    return reader.out.result()


def _escape(text: str) -> str:
    """Text written for GIFT: control characters escaped, line breaks as ``\\n``."""
    escaped = re.sub(r"([\\~=#{}:])", r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def _prefix(text: str) -> str:
    """``[plain]`` where Moodle would otherwise read the text as markup or as a format."""
    return "[plain]" if "<" in text or "&" in text or _FORMAT_RE.match(text) else ""


def _option(text: str, correct: bool) -> str:
    """One answer line; a text that starts like a weight gets an explicit one."""
    mark = "=" if correct else "~"
    if _WEIGHT_RE.match(text):
        mark += "%100%" if correct else "%0%"
    return f"\t{mark}{_prefix(text)}{_escape(text.strip())}"


def _gift_item(item: ItemDraft) -> str:
    """One item: ``::key::stem{T}`` or ``::key::stem{ =right ~wrong ####explanation }``."""
    title = f"::{_escape(item.key)}::"
    stem = item.stem.strip()
    general = (f"####{_prefix(item.explanation)}{_escape(item.explanation.strip())}"
               if item.explanation.strip() else "")
    if item.kind == "true_false":
        truth = "T" if item.options and item.options[0].correct else "F"
        return f"{title}{_prefix(stem)}{_escape(stem)}{{{truth}{general}}}"
    lines = [_option(option.text, option.correct) for option in item.options]
    block = "{\n" + "\n".join(lines + ([f"\t{general}"] if general else [])) + "\n}"
    head, blank, tail = stem.partition(BLANK)
    if item.kind == "cloze" and blank and tail.strip():  # the block goes where the blank is
        return f"{title}{_prefix(stem)}{_escape(head)}{block}{_escape(tail)}"
    return f"{title}{_prefix(stem)}{_escape(stem)}{block}"


def dump_gift(items: Sequence[ItemDraft]) -> str:
    """Write items as GIFT, one question per paragraph, keys as ``::titles::``.

    A true/false item's first option is its "true" statement (as the generator writes it);
    the option labels and wrong options' sources are not carried by GIFT.
    """
    return "".join(_gift_item(item) + "\n\n" for item in items)
