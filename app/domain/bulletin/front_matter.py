"""The YAML front matter of a bulletin file: find it, read it, check every field.

Private helper of :mod:`app.domain.bulletin.format`. Problems are ``(line, Problem)``
pairs (app/domain/refusals) with 1-based file line numbers; the caller adds the file name.

Scalars are read from the composed YAML nodes as the text the author wrote, never through
YAML 1.1 type guessing, so ``lang: no`` is Norwegian, ``effective: 2010-09-01`` and
``effective: "2010-09-01"`` mean the same, and ``2010-02-30`` is reported, not raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

import yaml

from app.domain.refusals import Problem

LineProblem = tuple[int, Problem]
P = Problem.of

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FACT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE_ALLOWED = P("allowed_code")
SLUG_ALLOWED = P("allowed_slug")
FACT_ID_ALLOWED = P("allowed_fact_id")

GATES = ("deadline", "immediate")
REVIEWS = ("after_pass", "always", "never", "after_cap")
REQUIRED = ("id", "title", "effective", "skills")
_NULL_TAG = "tag:yaml.org,2002:null"
_FIRST_YAML_LINE = 2  # the file's line 1 is the opening `---`
_NOUNS = {  # list field -> (what one entry is, its pattern, what the pattern allows)
    "skills": ("code", CODE_RE, CODE_ALLOWED),
    "teams": ("code", CODE_RE, CODE_ALLOWED),
    "critical": ("fact_id", FACT_ID_RE, FACT_ID_ALLOWED),
    "supersedes": ("slug", SLUG_RE, SLUG_ALLOWED),
}


@dataclass
class FrontMatter:
    """What was read: ``values`` by :class:`BulletinDoc` field name, ``lines`` by YAML key.

    ``body_start`` is the 0-based index of the first line after the front matter, or
    ``None`` when the front matter never ends (the body cannot be told apart then).
    """

    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body_start: int | None = 0


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + _FIRST_YAML_LINE


def _scalar(name: str, node: yaml.Node, expected: Problem, out: list[LineProblem]) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return node.value.strip()
    out.append((_line(node), P("field_expected", name=name, expected=expected)))
    return None


def _read_slug(name: str, node: yaml.Node, out: list[LineProblem]) -> str | None:
    raw = _scalar(name, node, P("expect_slug"), out)
    if raw is not None and not SLUG_RE.match(raw):
        out.append((_line(node), P("field_pattern", name=name, raw=raw, noun=P("noun_slug"),
                                   allowed=SLUG_ALLOWED)))
        return None
    return raw


def _read_title(name: str, node: yaml.Node, out: list[LineProblem]) -> str | None:
    raw = _scalar(name, node, P("expect_text"), out)
    if raw == "":
        out.append((_line(node), P("field_empty", name=name)))
        return None
    return raw


def _read_lang(name: str, node: yaml.Node, out: list[LineProblem]) -> str | None:
    raw = _scalar(name, node, P("expect_language"), out)
    if raw is not None and not LANG_RE.match(raw):
        out.append((_line(node), P("field_not_language", name=name, raw=raw)))
        return None
    return raw


def _read_date(name: str, node: yaml.Node, out: list[LineProblem]) -> date | None:
    raw = _scalar(name, node, P("expect_date"), out)
    if raw is None:
        return None
    try:
        if DATE_RE.match(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    out.append((_line(node), P("field_not_date", name=name, raw=raw)))
    return None


def _choice_reader(options: tuple[str, ...]) -> Callable:
    def read(name: str, node: yaml.Node, out: list[LineProblem]) -> str | None:
        raw = _scalar(name, node, P("expect_one_of", options=options), out)
        if raw is not None and raw not in options:
            out.append((_line(node), P("field_not_choice", name=name, raw=raw, options=options)))
            return None
        return raw
    return read


def _number_reader(upper: int | None) -> Callable:
    wanted = P("expect_number_up_to", upper=upper) if upper else P("expect_positive_number")

    def read(name: str, node: yaml.Node, out: list[LineProblem]) -> int | None:
        raw = _scalar(name, node, wanted, out)
        if raw is None:
            return None
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
        if number >= 1 and (upper is None or number <= upper):
            return number
        out.append((_line(node), P("field_not_number", name=name, raw=raw, wanted=wanted)))
        return None
    return read


def _read_list(name: str, node: yaml.Node, out: list[LineProblem]) -> tuple[str, ...] | None:
    noun, pattern, allowed = _NOUNS[name]
    if isinstance(node, yaml.ScalarNode):
        items = [node] if node.value.strip() else []
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
    else:
        out.append((_line(node), P("field_expected", name=name, expected=P(f"expect_{noun}s"))))
        return None
    values: list[str] = []
    problems = len(out)
    for item in items:
        raw = _scalar(name, item, P(f"expect_{noun}s"), out)
        if raw is not None and not pattern.match(raw):
            out.append((_line(item), P("field_pattern", name=name, raw=raw, noun=P(f"noun_{noun}"),
                                       allowed=allowed)))
        elif raw is not None and raw not in values:
            values.append(raw)
    return tuple(values) if len(out) == problems else None


_READERS: dict[str, Callable] = {
    "id": _read_slug, "title": _read_title, "lang": _read_lang, "effective": _read_date,
    "skills": _read_list, "teams": _read_list, "deadline": _read_date,
    "gate": _choice_reader(GATES), "time_limit_minutes": _number_reader(1440),
    "pass_mark": _number_reader(100), "critical": _read_list, "supersedes": _read_list,
    "recertify_after_days": _number_reader(None), "review": _choice_reader(REVIEWS),
    "translation_of": _read_slug,
}


def _split(lines: list[str]) -> tuple[str | None, int | None, list[LineProblem]]:
    """Return the YAML text, the index of the first body line, and any problem."""
    if not lines or lines[0].rstrip() != "---":
        return None, 0, [(1, P("front_matter_missing"))]
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), index + 1, []
    return None, None, [(1, P("front_matter_not_closed"))]


def _compose(text: str) -> tuple[yaml.Node | None, list[LineProblem]]:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), []
    except yaml.MarkedYAMLError as exc:
        # At the end of the text the context (where the open quote or bracket is) says more.
        at_end = "end of stream" in (exc.problem or "")
        mark = (exc.context_mark if at_end else None) or exc.problem_mark or exc.context_mark
        line = mark.line + _FIRST_YAML_LINE if mark else 1
        context = f" ({exc.context})" if exc.context else ""
        return None, [(line, P("front_matter_yaml", problem=f"{exc.problem}{context}"))]
    except yaml.YAMLError as exc:
        return None, [(1, P("front_matter_yaml", problem=str(exc)))]


def _read_fields(root: yaml.MappingNode, front: FrontMatter, out: list[LineProblem]) -> None:
    for key_node, value_node in root.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = _line(key_node)
        if key not in _READERS:
            out.append((line, P("field_unknown", key=key)))
        elif key in front.lines:
            out.append((line, P("field_duplicate", key=key, line=front.lines[key])))
        else:
            front.lines[key] = line
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL_TAG:
                if key in REQUIRED:
                    out.append((line, P("field_value_required", name=key)))
                continue
            value = _READERS[key](key, value_node, out)
            if value is not None:
                front.values["slug" if key == "id" else key] = value


def _check_codes(front: FrontMatter, kind: str, known: Collection[str] | None,
                 out: list[LineProblem]) -> None:
    if known is None:
        return
    for code in front.values.get(f"{kind}s", ()):
        if code not in known:
            name = f"unknown_{kind}" if known else f"unknown_{kind}_none"
            out.append((front.lines[f"{kind}s"], P(name, code=code, choices=sorted(known))))


def _check_whole(front: FrontMatter, known_skills: Collection[str] | None,
                 known_teams: Collection[str] | None, out: list[LineProblem]) -> None:
    for name in REQUIRED:
        if name not in front.lines:
            out.append((1, P("field_missing", name=name)))
    if "skills" in front.values and not front.values["skills"]:
        out.append((front.lines["skills"], P("skills_none")))
    slug = front.values.get("slug")
    if slug and slug in front.values.get("supersedes", ()):
        out.append((front.lines["supersedes"], P("supersedes_itself", slug=slug)))
    if slug and slug == front.values.get("translation_of"):
        out.append((front.lines["translation_of"], P("translation_of_itself", slug=slug)))
    _check_codes(front, "skill", known_skills, out)
    _check_codes(front, "team", known_teams, out)


def read_front_matter(lines: list[str], known_skills: Collection[str] | None = None,
                      known_teams: Collection[str] | None = None,
                      ) -> tuple[FrontMatter, list[LineProblem]]:
    """Read and check the front matter at the top of ``lines`` (newline-free file lines).

    Returns the values found and every problem, each at the line it is on. Missing required
    fields are reported at line 1. Unknown skills and teams are checked only when the
    corresponding ``known_*`` collection is given.
    """
    text, body_start, problems = _split(lines)
    front = FrontMatter(body_start=body_start)
    if text is None:
        return front, problems
    root, problems = _compose(text)
    if problems:
        return front, problems
    if root is not None and not isinstance(root, yaml.MappingNode):
        return front, [(_line(root), P("front_matter_not_mapping"))]
    if root is not None:
        _read_fields(root, front, problems)
    _check_whole(front, known_skills, known_teams, problems)
    return front, problems
