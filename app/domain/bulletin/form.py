"""The guided editor's form model: a bulletin as the fields a trainer fills in, and back.

The bulletin file stays the source of truth. :func:`form_from_doc` turns a parsed bulletin
into a :class:`BulletinForm` (every field a string as typed, the facts as rows);
:func:`render_form` writes the form as a bulletin file and records, for every line it
wrote, which field or fact row the line came from, so that the parser's ``file:line``
problems can be shown at the field they concern (:func:`place_problems`). Parsing the
rendered file gives the same bulletin the form was made from (the round trip is tested
over every bulletin of ``policy_changes/`` and ``benchmarks/corpus/``).

What a parsed bulletin does not keep is not kept either: comments, the order of
``critical:`` (written in fact order), prose after the Facts section (written before it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from app.domain.bulletin.types import BulletinDoc, SourceError

FACT_PARTS = ("key", "label", "ask", "say", "type", "value", "was", "nots", "critical")
LIST_FIELDS = ("skills", "teams", "supersedes")
TEXT_FIELDS = ("slug", "title", "lang", "effective", "deadline", "gate",
               "time_limit_minutes", "pass_mark", "recertify_after_days", "review", "body",
               "translation_of")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
_YAML_WORDS = frozenset({"null", "~", "true", "false", "yes", "no", "on", "off"})


@dataclass
class FactRow:
    """One row of the fact table, as typed: ``nots`` is ``"a; b"``."""

    key: str = ""
    label: str = ""
    ask: str = ""
    type: str = "text"
    value: str = ""
    was: str = ""
    nots: str = ""
    critical: bool = False
    say: str = ""  # the author's statement (``say="..."``), after the rest: rows are built
    # positionally in places

    def is_blank(self) -> bool:
        """A row added and left empty (it is not written)."""
        return not any((self.key, self.label, self.ask, self.say, self.value, self.was,
                        self.nots))


@dataclass
class BulletinForm:
    """A bulletin as the guided editor's fields (``slug`` is the front matter's ``id``)."""

    slug: str = ""
    title: str = ""
    lang: str = "en"
    effective: str = ""
    skills: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    deadline: str = ""
    gate: str = "deadline"
    time_limit_minutes: str = ""
    pass_mark: str = ""
    supersedes: list[str] = field(default_factory=list)
    recertify_after_days: str = ""
    review: str = ""
    body: str = ""
    facts: list[FactRow] = field(default_factory=list)
    translation_of: str = ""  # the original's id when this bulletin is its translation
    critical_order: list[str] = field(default_factory=list)  # as ``critical:`` listed them


@dataclass(frozen=True)
class Place:
    """Where a line of the rendered file came from: a field, or fact row ``row``."""

    field: str
    row: int | None = None


@dataclass
class Rendered:
    """The bulletin file written from a form, and where each of its lines came from."""

    text: str
    places: dict[int, Place]


@dataclass
class Placed:
    """Problems by the field (``fields``) or fact row (``rows``) they concern; the rest."""

    fields: dict[str, list[SourceError]] = field(default_factory=dict)
    rows: dict[int, list[SourceError]] = field(default_factory=dict)
    general: list[SourceError] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value)


def form_from_doc(doc: BulletinDoc) -> BulletinForm:
    """The form of a parsed bulletin: what the trainer would have typed to write it."""
    rows = [FactRow(key=f.key, label=f.label, ask=f.ask or "", say=f.say or "",
                    type=f.type, value=f.value,
                    was=_text(f.old_value), nots="; ".join(f.not_values), critical=f.critical)
            for f in doc.facts]
    return BulletinForm(
        slug=doc.slug, title=doc.title, lang=doc.lang, effective=doc.effective.isoformat(),
        skills=list(doc.skills), teams=list(doc.teams),
        deadline=doc.deadline.isoformat() if doc.deadline else "", gate=doc.gate,
        time_limit_minutes=_text(doc.time_limit_minutes), pass_mark=_text(doc.pass_mark),
        supersedes=list(doc.supersedes), recertify_after_days=_text(doc.recertify_after_days),
        review=_text(doc.review), body=doc.body, facts=rows,
        translation_of=_text(doc.translation_of),
        critical_order=list(doc.critical))


def _critical(form: BulletinForm, rows: list[FactRow]) -> list[str]:
    """The critical rows' ids, in the order ``critical:`` had them, new ones after."""
    keys = [_one_line(r.key) for r in rows if r.critical and _one_line(r.key)]
    rank = {key: n for n, key in enumerate(form.critical_order)}
    return sorted(dict.fromkeys(keys), key=lambda k: (rank.get(k, len(rank)), keys.index(k)))


def _one_line(text: str) -> str:
    return " ".join(_text(text).split())


def _scalar(text: str) -> str:
    """A YAML scalar the front matter reads back as ``text`` (quoted when it must be)."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def _yaml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def fact_line(row: FactRow) -> str:
    """A fact row as a line of the Facts section."""
    attrs = f"#{_one_line(row.key)} type={_one_line(row.type) or 'text'}"
    if _one_line(row.ask):
        attrs += f' ask="{_one_line(row.ask)}"'
    if _one_line(row.say):
        attrs += f' say="{_one_line(row.say)}"'
    line = f"- **{_one_line(row.label)}** {{{attrs}}}: {_one_line(row.value)}"
    if _one_line(row.was):
        line += f" (was: {_one_line(row.was)})"
    nots = [n.strip() for n in _one_line(row.nots).split(";") if n.strip()]
    if nots:
        line += f" (not: {'; '.join(nots)})"
    return line


def facts_heading(lang: str) -> str:
    """The Facts heading in the bulletin's language (Korean: ``## 사실 {#facts}``)."""
    return "## 사실 {#facts}" if _one_line(lang).lower().startswith("ko") else "## Facts"


def _front_lines(form: BulletinForm, rows: list[FactRow]) -> list[tuple[str, str]]:
    """``(field, line)`` pairs of the front matter; required fields are always written."""
    one = {name: _one_line(getattr(form, name)) for name in TEXT_FIELDS if name != "body"}
    critical = _critical(form, rows)
    lines = [("slug", f"id: {_scalar(one['slug'])}" if one["slug"] else "id:"),
             ("title", f"title: {json.dumps(one['title'], ensure_ascii=False)}"
              if one["title"] else "title:")]
    if one["lang"]:
        lines.append(("lang", f"lang: {_scalar(one['lang'])}"))
    lines += [("effective", f"effective: {_scalar(one['effective'])}" if one["effective"]
               else "effective:"),
              ("skills", f"skills: {_yaml_list(_one_line(s) for s in form.skills)}")]
    optional = [("teams", _yaml_list(form.teams) if form.teams else ""),
                ("deadline", _scalar(one["deadline"]) if one["deadline"] else ""),
                ("gate", _scalar(one["gate"]) if one["gate"] not in ("", "deadline") else ""),
                *[(name, _scalar(one[name]) if one[name] else "")
                  for name in ("time_limit_minutes", "pass_mark")],
                ("critical", _yaml_list(critical) if critical else ""),
                ("supersedes", _yaml_list(form.supersedes) if form.supersedes else ""),
                *[(name, _scalar(one[name]) if one[name] else "")
                  for name in ("recertify_after_days", "review", "translation_of")]]
    return lines + [(name, f"{name}: {value}") for name, value in optional if value]


def render_form(form: BulletinForm) -> Rendered:
    """Write ``form`` as a bulletin file, whatever was typed; blank fact rows are left out.

    Every line is recorded with its :class:`Place` (file lines count from 1): the front
    matter fields, the body's lines (``body``), the Facts heading (``facts``) and each fact
    row (``fact``, its row index in ``form.facts``).
    """
    lines: list[str] = ["---"]
    places: dict[int, Place] = {}

    def add(line: str, place: Place | None) -> None:
        lines.append(line)
        if place is not None:
            places[len(lines)] = place

    kept = [(n, row) for n, row in enumerate(form.facts) if not row.is_blank()]
    for name, line in _front_lines(form, [row for _, row in kept]):
        add(line, Place(name))
    add("---", None)
    body = _text(form.body).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if body.strip():
        for line in body.split("\n"):
            add(line.rstrip(), Place("body"))
        add("", None)
    add(facts_heading(form.lang), Place("facts"))
    for index, row in kept:
        add(fact_line(row), Place("fact", index))
    return Rendered("\n".join(lines) + "\n", places)


def place_problems(problems: Iterable[SourceError], rendered: Rendered) -> Placed:
    """Sort the parser's problems of a rendered form by the field or fact row they concern.

    A problem is placed by its line; a missing required field (``field_missing``, reported
    at line 1) by the field it names. A problem no field explains (a YAML error spanning
    fields) is general.
    """
    placed = Placed()
    for problem in problems:
        place = rendered.places.get(problem.line)
        if problem.code == "field_missing":
            name = str(problem.params.get("name", ""))
            place = Place("slug" if name == "id" else name)
        elif problem.code == "facts_missing":
            place = Place("body")  # an open code fence in the body hid the heading
        elif place is not None and place.field == "critical":
            place = Place("facts")
        if place is None:
            placed.general.append(problem)
        elif place.row is not None:
            placed.rows.setdefault(place.row, []).append(problem)
        else:
            placed.fields.setdefault(place.field, []).append(problem)
    return placed


def copy_id(slug: str, taken: Collection[str]) -> str:
    """A new id for a copy of bulletin ``slug``: ``slug-copy``, ``slug-copy-2``, ... never
    one in ``taken`` and never ``slug`` itself; at most 80 characters."""
    number = 1
    while True:
        suffix = "-copy" + (f"-{number}" if number > 1 else "")
        candidate = slug[:80 - len(suffix)] + suffix
        if candidate not in taken and candidate != slug:
            return candidate
        number += 1


def rows_moved(rows: list[FactRow], index: int, step: int) -> list[FactRow]:
    """``rows`` with row ``index`` moved ``step`` places (kept within the table)."""
    target = max(0, min(len(rows) - 1, index + step))
    if not 0 <= index < len(rows) or target == index:
        return list(rows)
    moved = list(rows)
    moved.insert(target, moved.pop(index))
    return moved
