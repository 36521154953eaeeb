"""Moodle XML: :func:`parse_moodle_xml` reads a question bank, :func:`dump_moodle_xml` writes ours.

Only ``<question type="multichoice">`` with ``<single>true</single>`` (the default) and
``type="truefalse"`` are imported; ``type="category"`` entries are read past; every other
question (shortanswer, numerical, matching, essay, description, cloze, multichoice with
``single`` false, ...) is reported in ``skipped`` with the line of its ``<question`` tag.

Safety and line numbers: the text is parsed once with :mod:`xml.parsers.expat`, whose events
build an :mod:`xml.etree.ElementTree` tree through a ``TreeBuilder``; the start handler notes
the line of every ``<question>`` element (ElementTree alone keeps no lines). A ``<!DOCTYPE``
or ``<!ENTITY`` declaration is refused with :class:`ContentError` before anything in it is
read, so no entity can be declared, let alone expanded (the "billion laughs" attack); without
a DTD, an unknown ``&entity;`` is an XML syntax error. Malformed XML raises
:class:`ContentError` with expat's line.

Texts with ``format="html"`` are reduced to their text; other formats are read as written.
An item's explanation is the general feedback, else the feedback of the right answer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from xml.parsers import expat

from app.domain.bulletin.types import ContentError, ItemDraft, SourceError
from app.domain.interchange import Answer, Collector, ImportResult, html_to_text

_TYPE_NAMES = {"shortanswer": "short answer", "match": "matching", "cloze": "embedded answers"
               " (Moodle cloze)", "multianswer": "embedded answers (Moodle cloze)",
               "randomsamatch": "random short-answer matching", "ddwtos": "drag and drop",
               "gapselect": "select missing words", "calculatedmulti": "calculated"}


class _Refused(Exception):
    """A construct refused for safety, at a line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def _tree(text: str, filename: str) -> tuple[ET.Element, dict[int, int]]:
    """The document's root and the line of each ``<question>`` (by ``id`` of its element)."""
    builder, lines = ET.TreeBuilder(), {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(tag, attrs)
        if tag == "question":
            lines[id(element)] = parser.CurrentLineNumber

    def refuse(what: str):
        def handler(*_args: object) -> None:
            raise _Refused(parser.CurrentLineNumber, f"{what} is not allowed in a question"
                           " bank (entity expansion is refused for safety)")
        return handler

    parser.StartElementHandler, parser.EndElementHandler = start, builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse("a <!DOCTYPE> declaration")
    parser.EntityDeclHandler = refuse("an <!ENTITY> declaration")
    try:
        parser.Parse(text.lstrip("\ufeff"), True)
    except expat.ExpatError as exc:
        raise ContentError([SourceError(filename, exc.lineno or 1, "xml_syntax",
                                        {"problem": expat.ErrorString(exc.code)})]) from exc
    except _Refused as exc:
        raise ContentError([SourceError(filename, exc.line, str(exc))]) from exc
    return builder.close(), lines


def _text(element: ET.Element | None, default_format: str = "moodle_auto_format") -> str:
    """The ``<text>`` of an element such as ``<questiontext format="html">``, as plain text."""
    if element is None:
        return ""
    raw = element.findtext("text") or ""
    return html_to_text(raw) if element.get("format", default_format) == "html" else raw.strip()


def _answer(element: ET.Element) -> Answer:
    """One ``<answer fraction="100">`` with its text and feedback."""
    try:
        weight = float(element.get("fraction", "0"))
    except ValueError:
        weight = 0.0
    return Answer(_text(element), weight, _text(element.find("feedback")))


def _read(question: ET.Element, line: int, out: Collector) -> None:
    """Import or report one ``<question>``."""
    kind = question.get("type", "")
    if kind == "category":
        return None
    title = question.findtext("name/text")
    stem = _text(question.find("questiontext"))
    general = _text(question.find("generalfeedback"))
    answers = [_answer(element) for element in question.findall("answer")]
    if kind == "multichoice":
        single = (question.findtext("single") or "true").strip().lower() not in ("false", "0")
        return out.choice(line, title, stem, answers, general, multiple=not single)
    if kind == "truefalse":
        return _true_false(question, line, out, title, stem, general)
    return out.unsupported(line, _TYPE_NAMES.get(kind, kind or "untyped"))


def _true_false(question: ET.Element, line: int, out: Collector, title: str | None,
                stem: str, general: str) -> None:
    """A truefalse question: the answer whose text is "true" says whether the stem is."""
    answers = question.findall("answer")
    if len(answers) != 2:
        return out.skip(line, f"a true/false question needs 2 answers, not {len(answers)}")
    parsed = [_answer(element) for element in answers]
    texts = [(element.findtext("text") or "").strip().lower() for element in answers]
    truth = parsed[texts.index("true") if "true" in texts else 0].weight >= 100
    right_first = sorted(parsed, key=lambda answer: answer.weight < 100)
    explanation = general or next((a.feedback for a in right_first if a.feedback), "")
    return out.true_false(line, title, stem, truth, explanation)


def parse_moodle_xml(text: str, filename: str = "<xml>", *,
                     fact: str = "imported") -> ImportResult:
    """Read a Moodle XML question bank: its choice and true/false items, and what it skipped.

    Raises :class:`ContentError` for malformed XML, a DOCTYPE/ENTITY declaration, or a root
    other than ``<quiz>``.
    """
    root, lines = _tree(text, filename)
    if root.tag != "quiz":
        raise ContentError([SourceError(filename, 1, "xml_not_quiz", {"tag": root.tag})])
    out = Collector(filename, fact)
    for question in root.iter("question"):
        _read(question, lines[id(question)], out)
    return out.result()


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Append a child element, with text and attributes."""
    child = ET.SubElement(parent, tag, attrs)
    if text is not None:
        child.text = text
    return child


def _texted(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    """Append ``<tag format="plain_text"><text>...</text></tag>``."""
    element = _add(parent, tag, format="plain_text", **attrs)
    _add(element, "text", text)
    return element


def _xml_question(quiz: ET.Element, item: ItemDraft) -> None:
    """One item as a multichoice or truefalse ``<question>``."""
    true_false = item.kind == "true_false"
    question = _add(quiz, "question", type="truefalse" if true_false else "multichoice")
    _add(_add(question, "name"), "text", item.key)
    _texted(question, "questiontext", item.stem)
    _texted(question, "generalfeedback", item.explanation)
    _add(question, "defaultgrade", "1")
    _add(question, "hidden", "0")
    if true_false:
        truth = bool(item.options) and item.options[0].correct
        options = [("true", truth), ("false", not truth)]
    else:
        for tag, value in (("single", "true"), ("shuffleanswers", "1"),
                           ("answernumbering", "abc")):
            _add(question, tag, value)
        options = [(option.text, option.correct) for option in item.options]
    for text, correct in options:
        answer = _texted(question, "answer", text, fraction="100" if correct else "0")
        _texted(answer, "feedback", "")


def dump_moodle_xml(items: Sequence[ItemDraft], *, category: str | None = None) -> str:
    """Write items as a Moodle XML ``<quiz>`` (UTF-8, texts escaped, no CDATA).

    ``category`` (e.g. ``"$course$/top/OneVoice"``) adds a category entry first. Texts are
    ``plain_text``, so Moodle shows them as written; a true/false item's first option is its
    "true" statement, and the option labels and sources are not carried.
    """
    quiz = ET.Element("quiz")
    if category is not None:
        _add(_add(_add(quiz, "question", type="category"), "category"), "text", category)
    for item in items:
        _xml_question(quiz, item)
    ET.indent(quiz, "  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"
