"""Directory sync rows: the agents HR/WFM sends, checked before anything is written.

Pure functions over plain data. ``parse_csv`` turns a CSV file into raw rows (numbered as in
the file, the header being row 1); ``validate_rows`` checks raw rows (from the CSV or from a
JSON array) against the teams, skills and accounts that exist and returns every problem at
once, so a sync is all-or-nothing; ``classify`` says what a valid row changes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.refusals import Problem, english

CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Any printable text but "/" (it would break /agents/{external_id}/eligibility).
EXTERNAL_ID = re.compile(r"^[^/\x00-\x1f\x7f]{1,128}$")
FIELDS = ("external_id", "name", "email", "team", "skills", "active")
REQUIRED = ("external_id", "name", "email", "team", "skills")
TRUE = frozenset({"true", "yes", "y", "1", "active"})
FALSE = frozenset({"false", "no", "n", "0", "inactive"})


@dataclass(frozen=True)
class RowError:
    """One problem: the row (file row or array index), the field at fault, what is wrong."""

    row: int
    field: str | None
    code: str  # a catalogue code (app/domain/refusals); one it lacks is shown as written
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def message(self) -> str:
        """The problem in English."""
        return english(self.code, self.params)

    @classmethod
    def of(cls, row: int, field: str | None, problem: Problem) -> RowError:
        """The ``problem`` found in ``row`` at ``field``."""
        return cls(row, field, problem.code, problem.params)

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RawRow:
    """A row as received: its number and its fields (JSON-like values)."""

    row: int
    values: Mapping[str, object]


@dataclass(frozen=True)
class AgentRow:
    """A valid row: one agent as the directory says it should be."""

    row: int
    external_id: str
    name: str
    email: str
    team: str
    skills: frozenset[str]
    active: bool = True


@dataclass(frozen=True)
class Account:
    """An existing user, as validation needs to see it (to refuse clashes)."""

    external_id: str | None
    email: str
    role: str


@dataclass(frozen=True)
class AgentRecord:
    """An existing agent's current directory fields."""

    external_id: str | None
    name: str
    email: str
    team: str | None
    skills: frozenset[str]
    active: bool


@dataclass(frozen=True)
class Change:
    """What applying a row does: created/updated/unchanged, and why eligibility may move.

    ``cause`` is None when eligibility cannot change (a new name or e-mail only);
    ``reassign`` says the agent may now need assignments (new, new skill, new team, back).
    """

    row: AgentRow
    kind: str  # created | updated | unchanged
    cause: str | None = None
    reassign: bool = False


# --- CSV ------------------------------------------------------------------------------------


def split_skills(cell: str) -> list[str]:
    """Skill codes from a CSV cell: separated by ``;`` or white space."""
    return [code for code in re.split(r"[;\s]+", cell.strip()) if code]


def parse_active(cell: str) -> bool | None:
    """A CSV ``active`` cell as a bool (empty = active), or None when unreadable."""
    text = cell.strip().lower()
    if text == "" or text in TRUE:
        return True
    return False if text in FALSE else None


def _header_errors(header: list[str]) -> list[RowError]:
    errors = [RowError(1, name or None, "column_unknown", {"column": repr(name),
                                                           "fields": FIELDS})
              for name in header if name not in FIELDS]
    errors += [RowError(1, name, "column_twice", {"column": repr(name)})
               for n, name in enumerate(header) if name in FIELDS and name in header[:n]]
    errors += [RowError(1, name, "column_missing", {"column": repr(name)})
               for name in REQUIRED if name not in header]
    return errors


def _csv_values(header: list[str], cells: list[str], row: int
                ) -> tuple[RawRow | None, list[RowError]]:
    """A CSV record as a raw row (its other fields still checked when ``active`` is bad)."""
    if len(cells) != len(header):
        return None, [RowError(row, None, "cells_count", {"expected": len(header),
                                                          "found": len(cells)})]
    values: dict[str, object] = {name: cell.strip()
                                 for name, cell in zip(header, cells, strict=True)}
    values["skills"] = split_skills(str(values["skills"]))
    errors = []
    if "active" in values:
        active = parse_active(str(values["active"]))
        if active is None:
            errors.append(RowError(row, "active", "active_cell_invalid",
                                   {"value": repr(values.pop("active"))}))
        else:
            values["active"] = active
    return RawRow(row, values), errors


def parse_csv(text: str) -> tuple[list[RawRow], list[RowError]]:
    """A directory CSV file's rows, numbered as in the file (header = row 1).

    Blank lines are skipped but counted. A row with a bad ``active`` cell is still returned
    (without it), so its other fields are checked too.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [RowError(1, None, "csv_empty", {"header": ",".join(FIELDS)})]
    except csv.Error as error:
        return [], [RowError(1, None, "csv_header_unreadable", {"problem": str(error)})]
    errors = _header_errors(header)
    if errors:
        return [], errors
    rows: list[RawRow] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                parsed, found = _csv_values(header, cells, start)
                rows += [parsed] if parsed else []
                errors += found
            start = reader.line_num + 1
    except csv.Error as error:
        errors.append(RowError(start, None, "csv_unreadable", {"problem": str(error)}))
    return rows, errors


# --- validation -----------------------------------------------------------------------------


def required_text(values: Mapping, name: str, limit: int, errors: list,
                  row: int) -> str | None:
    """A required, non-blank string field of at most ``limit`` characters (stripped), or None
    with the problem added to ``errors``."""
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(RowError(row, name, "row_field_required", {"field": name}))
        return None
    if not isinstance(value, str):
        errors.append(RowError(row, name, "row_field_not_text", {"field": name}))
        return None
    if len(value.strip()) > limit:
        errors.append(RowError(row, name, "row_field_too_long", {"field": name,
                                                                  "limit": limit}))
        return None
    return value.strip()


def _unknown(kind: str, code: str, known: Collection[str]) -> Problem:
    """An unknown skill or team code, listing the known ones (and the separator hint for a
    CSV cell that is not one code)."""
    if kind == "skill" and not CODE.match(code):
        return Problem.of("row_skill_separator", code=code)
    name = f"unknown_{kind}" if known else f"unknown_{kind}_none"
    return Problem.of(name, code=code, choices=sorted(known))


def _skills(values: Mapping, known: Collection[str], errors: list, row: int) -> frozenset[str]:
    value = values.get("skills")
    if value is None:
        errors.append(RowError(row, "skills", "row_skills_required"))
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        errors.append(RowError(row, "skills", "row_skills_not_list"))
        return frozenset()
    for code in dict.fromkeys(value):
        if code not in known:
            errors.append(RowError.of(row, "skills", _unknown("skill", code, known)))
    return frozenset(value)


def _row_fields(raw: RawRow, teams: Collection[str], skills: Collection[str]):
    """The row's checked fields, and the problems found in this row alone."""
    errors: list[RowError] = []
    values, row = raw.values, raw.row
    errors += [RowError(row, name, "row_field_unknown", {"field": repr(name), "fields": FIELDS})
               for name in values if name not in FIELDS]
    external_id = required_text(values, "external_id", 128, errors, row)
    if external_id and not EXTERNAL_ID.match(external_id):
        errors.append(RowError(row, "external_id", "row_external_id_invalid",
                               {"value": repr(external_id)}))
    name = required_text(values, "name", 200, errors, row)
    email = required_text(values, "email", 254, errors, row)
    if email and not EMAIL.match(email):
        errors.append(RowError(row, "email", "email_invalid", {"value": repr(email)}))
    team = required_text(values, "team", 64, errors, row)
    if team and team not in teams:
        errors.append(RowError.of(row, "team", _unknown("team", team, teams)))
    codes = _skills(values, skills, errors, row)
    active = values.get("active", True)
    if not isinstance(active, bool):
        errors.append(RowError(row, "active", "row_active_not_bool"))
    return (external_id, name, (email or "").lower(), team, codes, active), errors


def _clash(row: AgentRow, by_external: Mapping, by_email: Mapping) -> list[RowError]:
    errors = []
    same = by_external.get(row.external_id)
    if same is not None and same.role != "agent":
        errors.append(RowError(row.row, "external_id", "row_external_id_not_agent",
                               {"value": repr(row.external_id),
                                "role": Problem(f"role_{same.role}")}))
    owner = by_email.get(row.email)
    # An agent created by hand (no external id) is linked by e-mail, unless the row's
    # external id already names someone else.
    linkable = (owner is not None and owner.role == "agent" and owner.external_id is None
                and same is None)
    if owner is not None and owner.external_id != row.external_id and not linkable:
        errors.append(RowError(row.row, "email", "row_email_taken_by", {
            "email": row.email, "id": repr(owner.external_id)}) if owner.external_id
            else RowError(row.row, "email", "row_email_taken", {"email": row.email}))
    return errors


def _repeats(rows: list[AgentRow]) -> list[RowError]:
    errors, seen_id, seen_email = [], {}, {}
    for row in rows:
        for seen, name, value in ((seen_id, "external_id", row.external_id),
                                  (seen_email, "email", row.email)):
            if value in seen:
                errors.append(RowError(row.row, name, "row_repeated",
                                       {"value": repr(value), "row": seen[value]}))
            seen.setdefault(value, row.row)
    return errors


def validate_rows(raw_rows: Sequence[RawRow], *, teams: Collection[str],
                  skills: Collection[str], accounts: Iterable[Account] = ()
                  ) -> tuple[list[AgentRow], list[RowError]]:
    """Check every row; return the valid rows and all the problems (sorted by row).

    Rows must name an existing team and existing skills; an ``external_id`` may not belong to
    a non-agent; an e-mail may not belong to another user (an agent without an external id
    is linked instead); neither may repeat within the batch. Any problem means the caller
    writes nothing.
    """
    accounts = list(accounts)
    by_external = {a.external_id: a for a in accounts if a.external_id is not None}
    by_email = {a.email: a for a in accounts}
    rows, errors = [], []
    for raw in raw_rows:
        if not isinstance(raw.values, Mapping):
            errors.append(RowError(raw.row, None, "row_not_object"))
            continue
        fields, found = _row_fields(raw, teams, skills)
        if found:
            errors += found
            continue
        row = AgentRow(raw.row, *fields)
        errors += _clash(row, by_external, by_email)
        rows.append(row)
    errors += _repeats(rows)
    return rows, sorted(errors, key=lambda e: (e.row, e.field or ""))


# --- what a row changes ---------------------------------------------------------------------


def classify(row: AgentRow, current: AgentRecord | None) -> Change:
    """What applying ``row`` to the agent as it is (``current``; None = new) changes.

    The eligibility cause, by precedence: ``agent_created``, ``deactivated``,
    ``reactivated``, ``skills_changed``, ``team_changed``; None for name/e-mail changes.
    """
    if current is None:
        return Change(row, "created", "agent_created", reassign=row.active)
    skills_moved = row.skills != current.skills
    team_moved = row.team != current.team
    if not current.active and row.active:
        cause = "reactivated"
    elif current.active and not row.active:
        cause = "deactivated"
    elif skills_moved:
        cause = "skills_changed"
    elif team_moved:
        cause = "team_changed"
    else:
        cause = None
    gained = bool(row.skills - current.skills) or team_moved or cause == "reactivated"
    same = (cause is None and row.name == current.name and row.email == current.email
            and row.external_id == current.external_id)
    return Change(row, "unchanged" if same else "updated", cause,
                  reassign=row.active and gained)
