"""Bulletin files (product.md, section 4): parse them, and write them back out.

A bulletin file is YAML front matter between two ``---`` lines, Markdown prose, and a
Facts section of fact lines::

    - **Label** {#f-id type=text}: value (was: old value) (not: wrong; also wrong)

The Facts section starts at a level-2 heading ``## Facts`` (any case) or at any level-2
heading ending with ``{#facts}``, such as ``## 사실 {#facts}``. It ends at the next level-1
or level-2 heading; the prose from there on is appended to the body after a blank line, so
:func:`dump_bulletin` writes all the prose before the Facts section. A missing Facts
section is reported at the file's last line.

:func:`parse_bulletin` reports every problem of a file at once, as
``file:line: message``; a file with any problem yields no bulletin at all.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace

from app.domain.bulletin.facts_section import Body, read_body
from app.domain.bulletin.front_matter import FrontMatter, LineProblem, read_front_matter
from app.domain.bulletin.types import BulletinDoc, ContentError, Fact, SourceError
from app.domain.refusals import Problem

__all__ = ["dump_bulletin", "parse_bulletin", "render_fact_line"]


def _file_lines(text: str) -> list[str]:
    """Split ``text`` into lines without a BOM or line ends, dropping the final empty one."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines


def _check_critical(front: FrontMatter, body: Body) -> list[LineProblem]:
    if body.heading_line is None:
        return []  # already reported as a missing Facts section
    line = front.lines.get("critical", 1)
    return [(line, Problem.of("critical_unknown_fact", key=key))
            for key in front.values.get("critical", ()) if key not in body.fact_ids]


def _build(text: str, front: FrontMatter, body: Body) -> BulletinDoc:
    values = dict(front.values)
    critical = values.get("critical", ())
    facts = tuple(replace(fact, critical=fact.key in critical) for fact in body.facts)
    return BulletinDoc(facts=facts, body=body.prose, source=text, **values)


def parse_bulletin(text: str, filename: str = "<bulletin>", *,
                   known_skills: Collection[str] | None = None,
                   known_teams: Collection[str] | None = None) -> BulletinDoc:
    """Parse the text of a bulletin file into a :class:`BulletinDoc`.

    Raises :class:`ContentError` listing every problem, sorted by line, each as
    ``filename:line: message``. Skills and teams are checked against ``known_skills`` and
    ``known_teams`` only when those are given. Handles a UTF-8 BOM and CRLF line ends;
    ``source`` is ``text`` unchanged.
    """
    lines = _file_lines(text)
    front, problems = read_front_matter(lines, known_skills, known_teams)
    body = Body()
    if front.body_start is not None:
        body, body_problems = read_body(lines, front.body_start)
        problems = problems + body_problems + _check_critical(front, body)
    if problems:
        ordered = sorted(problems, key=lambda problem: problem[0])
        raise ContentError([SourceError.at(filename, line, problem) for line, problem in ordered])
    return _build(text, front, body)


def render_fact_line(fact: Fact) -> str:
    """Write ``fact`` as a fact line of the Facts section (the inverse of reading one)."""
    line = f"- **{fact.label}** {{#{fact.key} type={fact.type}}}: {fact.value}"
    if fact.old_value is not None:
        line += f" (was: {fact.old_value})"
    if fact.not_values:
        line += f" (not: {'; '.join(fact.not_values)})"
    return line


def _list(values: tuple[str, ...]) -> str:
    return f"[{', '.join(values)}]"


def _front_matter_lines(doc: BulletinDoc) -> list[str]:
    lines = [
        f"id: {doc.slug}",
        f"title: {json.dumps(doc.title, ensure_ascii=False)}",  # JSON strings are YAML
        f"lang: {doc.lang}",
        f"effective: {doc.effective.isoformat()}",
        f"skills: {_list(doc.skills)}",
    ]
    optional = [
        ("teams", _list(doc.teams) if doc.teams else None),
        ("deadline", doc.deadline.isoformat() if doc.deadline else None),
        ("gate", doc.gate if doc.gate != "deadline" else None),
        ("time_limit_minutes", doc.time_limit_minutes),
        ("pass_mark", doc.pass_mark),
        ("critical", _list(doc.critical) if doc.critical else None),
        ("supersedes", _list(doc.supersedes) if doc.supersedes else None),
        ("recertify_after_days", doc.recertify_after_days),
        ("review", doc.review),
        ("translation_of", doc.translation_of),
    ]
    return lines + [f"{name}: {value}" for name, value in optional if value is not None]


def dump_bulletin(doc: BulletinDoc) -> str:
    """Write ``doc`` as a bulletin file (for ``content export``).

    Parsing the result gives a bulletin equal to ``doc`` apart from ``source`` and the
    facts' line numbers. All prose comes before a ``## Facts`` heading; optional fields
    left at their defaults are omitted.
    """
    parts = ["---", *_front_matter_lines(doc), "---"]
    if doc.body:
        parts += [doc.body, ""]
    parts += ["## Facts", *(render_fact_line(fact) for fact in doc.facts)]
    return "\n".join(parts) + "\n"
