"""The Markdown body of a bulletin file: split prose from the Facts section, read fact lines.

Private helper of :mod:`app.domain.bulletin.format`. Problems are ``(line, message)`` pairs
with 1-based file line numbers.

The Facts section starts at the first level-2 heading whose text is ``Facts`` (any case) or
that ends with the attribute ``{#facts}`` (``## 사실 {#facts}``), outside fenced code.
It ends at the next level-1 or level-2 heading; everything from there on is more prose and
is appended to the body. Inside the section only fact lines, blank lines and HTML comments
may appear.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from app.domain.bulletin.front_matter import (
    DATE_RE,
    FACT_ID_ALLOWED,
    FACT_ID_RE,
    LineProblem,
)
from app.domain.bulletin.types import FACT_TYPES, Fact
from app.domain.refusals import Problem

FACT_FORM = "'- **Label** {#id type=...}: value'"
MISSING_FACTS = Problem.of("facts_missing")
P = Problem.of
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_FACTS_ATTR_RE = re.compile(r"\{[ \t]*#facts[ \t]*\}$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FACT_RE = re.compile(
    r"^-[ \t]+\*\*(?P<label>.+?)\*\*[ \t]*\{(?P<attrs>[^{}]*)\}[ \t]*:(?P<rest>.*)$")
_GROUP_RE = re.compile(r"^[ \t]*(was|not)[ \t]*:(.*)$", re.IGNORECASE | re.DOTALL)
_ENUM_RE = re.compile(r"^enum:[a-z][a-z0-9_]*$")
_BOOL_WORDS = frozenset({"yes", "no", "true", "false", "예", "아니오", "아니요", "가능", "불가"})
_QUOTED_RE = {name: re.compile(rf'(?:^|[ \t]){name}[ \t]*=[ \t]*"(?P<text>[^"]*)"')
              for name in ("ask", "say")}
_NUMBER_RE = re.compile(r"\d")


@dataclass
class Body:
    """The body split up: ``prose`` (Markdown), the facts read and where the section is."""

    prose: str = ""
    facts: list[Fact] = field(default_factory=list)
    fact_ids: set[str] = field(default_factory=set)  # also ids of facts with problems
    heading_line: int | None = None


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING_RE.match(line)
    if not match:
        return None
    text = re.sub(r"[ \t]+#+$", "", match.group(2) or "")
    return len(match.group(1)), text


def _is_facts_heading(heading: tuple[int, str] | None) -> bool:
    if heading is None or heading[0] != 2:
        return False
    return heading[1].casefold() == "facts" or bool(_FACTS_ATTR_RE.search(heading[1]))


def _fence_step(fence: str | None, line: str) -> str | None:
    """Return the fence still open after ``line`` (``None`` when outside code)."""
    match = _FENCE_RE.match(line)
    if fence is None:
        return match.group(1) if match else None
    closing = line.strip()
    if closing and set(closing) == {fence[0]} and len(closing) >= len(fence):
        return None
    return fence


def _blank_trimmed(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines)


def _split(numbered: list[tuple[int, str]], out: list[LineProblem], body: Body,
           ) -> tuple[list[str], list[tuple[int, str]], list[str]]:
    """Sort body lines into prose before, fact-section lines, and prose after."""
    before: list[str] = []
    section: list[tuple[int, str]] = []
    after: list[str] = []
    fence: str | None = None
    in_section = False
    for number, line in numbered:
        heading = None if fence else _heading(line)
        fence = _fence_step(fence, line)
        if _is_facts_heading(heading):
            if body.heading_line is not None:
                out.append((number, P("facts_duplicate_section", line=body.heading_line)))
            body.heading_line = body.heading_line or number
            in_section = True
        elif body.heading_line is None:
            before.append(line)
        elif in_section and not (heading and heading[0] <= 2):
            section.append((number, line))
        else:
            in_section = False
            after.append(line)
    return before, section, after


def _matching_open(text: str) -> int | None:
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return None


def _split_groups(rest: str) -> tuple[str, list[str], list[str]]:
    """Peel ``(was: ...)`` and ``(not: ...)`` groups off the end of a fact's value."""
    value, was, nots = rest.strip(), [], []
    while value.endswith(")"):
        start = _matching_open(value)
        match = _GROUP_RE.match(value[start + 1:-1]) if start is not None else None
        if match is None:
            break
        (was if match.group(1).lower() == "was" else nots).insert(0, match.group(2).strip())
        value = value[:start].rstrip()
    return value, was, nots


def _read_attrs(attrs: str) -> tuple[list[str], list[str], list[str]]:
    tokens = attrs.split()
    ids = [token[1:] for token in tokens if token.startswith("#")]
    types = [token[5:] for token in tokens if token.startswith("type=")]
    others = [token for token in tokens if not token.startswith(("#", "type="))]
    return ids, types, others


def _read_quoted(name: str, attrs: str, line: int,
                 out: list[LineProblem]) -> tuple[str, str | None]:
    """Take the optional ``ask="question"`` or ``say="statement"`` attribute out of ``attrs``."""
    pattern = _QUOTED_RE[name]
    found = list(pattern.finditer(attrs))
    if not found:
        return attrs, None
    text = " ".join(found[0].group("text").split())
    wrong = found[1:] if text else found  # a second one, or an empty one, is not understood
    out.extend((line, P("fact_unknown_attribute", token=m.group(0).strip())) for m in wrong)
    return pattern.sub(" ", attrs), text or None


def said_value(say: str, value: str, kind: str = "text") -> bool:
    """Whether the author's statement writes the fact's value as it is (any case and
    spacing; a date also as agents read it, "1 June 2028" or "2028년 6월 1일"), so that a
    wrong value can take its place in a false statement."""
    forms = [value]
    if kind == "date" and DATE_RE.match(value.strip()):
        day = date.fromisoformat(value.strip())
        forms += [f"{day.day} {calendar.month_name[day.month]} {day.year}",
                  f"{day.year}년 {day.month}월 {day.day}일"]
    said = " ".join(say.split()).casefold()
    return any(" ".join(form.split()).casefold() in said for form in forms)


def _identity(attrs: str, line: int, out: list[LineProblem]) -> tuple[str | None, str]:
    ids, types, others = _read_attrs(attrs)
    out.extend((line, P("fact_unknown_attribute", token=token)) for token in others)
    if len(ids) != 1:
        out.append((line, P("fact_needs_one_id")))
        return None, "text"
    key, kind = ids[0], (types[-1] if types else "text")
    if not FACT_ID_RE.match(key):
        out.append((line, P("fact_id_invalid", key=key, allowed=FACT_ID_ALLOWED)))
    if len(types) > 1:
        out.append((line, P("fact_types_many", key=key)))
    if kind not in FACT_TYPES and not _ENUM_RE.match(kind):
        out.append((line, P("fact_type_unknown", key=key, kind=kind, known=FACT_TYPES)))
    return key, kind


def _type_problem(kind: str, text: str) -> Problem | None:
    if kind == "bool" and text.casefold() not in _BOOL_WORDS:
        return P("type_not_bool")
    if kind == "date":
        try:
            if DATE_RE.match(text) and date.fromisoformat(text):
                return None
        except ValueError:
            pass
        return P("type_not_date")
    if kind in ("money", "quantity", "duration") and not _NUMBER_RE.search(text):
        return P("type_no_number", kind=kind)
    return None


def _check_values(key: str, kind: str, value: str, old: str | None, nots: list[str],
                  line: int, out: list[LineProblem]) -> None:
    if old is not None and old.casefold() == value.casefold():
        out.append((line, P("fact_was_same", key=key, old=old)))
    if value.casefold() in (text.casefold() for text in nots):
        out.append((line, P("fact_not_is_value", key=key, value=value)))
    for role, text in [("value", value), ("was", old)] + [("not", text) for text in nots]:
        problem = _type_problem(kind, text) if text else None
        if problem:
            out.append((line, P(f"fact_{role}_wrong", key=key, text=text, problem=problem)))


def _values(key: str, rest: str, line: int, out: list[LineProblem]):
    value, was, not_groups = _split_groups(rest)
    nots = list(dict.fromkeys(v.strip() for g in not_groups for v in g.split(";") if v.strip()))
    if not value:
        out.append((line, P("fact_no_value", key=key)))
    if len(was) > 1:
        out.append((line, P("fact_was_many", key=key)))
    if "" in was:
        out.append((line, P("fact_was_empty", key=key)))
    if not_groups and not nots:
        out.append((line, P("fact_not_empty", key=key)))
    return value, (was[0] if was else None), tuple(nots)


def read_fact_line(text: str, line: int, out: list[LineProblem]) -> tuple[Fact | None, str | None]:
    """Read one ``- **Label** {#id type=T ask="..." say="..."}: value (was: ...) (not: a; b)``
    line.

    Returns the fact (``None`` when the line has a problem) and its id when one could be
    read, so that later checks (duplicates, ``critical``) still see it.
    """
    match = _FACT_RE.match(text.strip())
    if match is None:
        out.append((line, P("fact_malformed", form=FACT_FORM)))
        return None, None
    found: list[LineProblem] = []
    attrs, ask = _read_quoted("ask", match.group("attrs"), line, found)
    attrs, say = _read_quoted("say", attrs, line, found)
    key, kind = _identity(attrs, line, found)
    if key is None:
        out.extend(found)
        return None, None
    value, old, nots = _values(key, match.group("rest"), line, found)
    _check_values(key, kind, value, old, list(nots), line, found)
    yes_no = kind == "bool" or value.casefold().rstrip(".") in _BOOL_WORDS
    if say and value and not yes_no and not found and not said_value(say, value, kind):
        found.append((line, P("fact_say_without_value", key=key, value=_one_space(value))))
    out.extend(found)
    if found:
        return None, key
    # runs of spaces and tabs inside a label or value are one space: what the text says does
    # not change, and no later pattern meets a run of thousands of blanks
    label, value = _one_space(match.group("label")), _one_space(value)
    old, nots = (_one_space(old) if old else old), tuple(dict.fromkeys(map(_one_space, nots)))
    return Fact(key, label, value, kind, old, nots, line=line, ask=ask, say=say), key


def _one_space(text: str) -> str:
    return " ".join(text.split())


def _read_section(section: list[tuple[int, str]], out: list[LineProblem], body: Body) -> int:
    """Read the fact lines into ``body``; return how many lines looked like facts."""
    first_line: dict[str, int] = {}
    in_comment, fact_lines = False, 0
    for number, line in section:
        text = line.strip()
        if in_comment or text.startswith("<!--"):
            in_comment = "-->" not in text.removeprefix("<!--")
        elif text.startswith("-"):
            fact_lines += 1
            fact, key = read_fact_line(text, number, out)
            if key in first_line:
                out.append((number, P("fact_id_duplicate", key=key, line=first_line[key])))
            elif key is not None:
                first_line[key] = number
                body.facts.extend([fact] if fact else [])
        elif text:
            out.append((number, P("fact_line_not_a_fact", form=FACT_FORM)))
    body.fact_ids = set(first_line)
    return fact_lines


def read_body(lines: list[str], start: int) -> tuple[Body, list[LineProblem]]:
    """Read the body of a bulletin file: ``lines[start:]`` (newline-free file lines).

    A missing Facts section is reported at the file's last line (where it would be added);
    a Facts section without facts at its heading.
    """
    out: list[LineProblem] = []
    body = Body()
    before, section, after = _split(list(enumerate(lines, 1))[start:], out, body)
    body.prose = "\n\n".join(part for part in map(_blank_trimmed, (before, after)) if part)
    if body.heading_line is None:
        out.append((max(len(lines), 1), MISSING_FACTS))
        return body, out
    if not _read_section(section, out, body):
        out.append((body.heading_line, P("facts_empty")))
    return body, out
