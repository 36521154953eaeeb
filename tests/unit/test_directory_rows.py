"""Directory rows (app/domain/directory.py): CSV parsing, validation, what a row changes."""

from __future__ import annotations

import pytest

from app.domain.directory import (
    Account,
    AgentRecord,
    AgentRow,
    RawRow,
    RowError,
    classify,
    parse_active,
    parse_csv,
    split_skills,
    validate_rows,
)

TEAMS = {"wibro_care", "wired_care"}
SKILLS = {"wibro", "wifi", "wired"}
HEADER = "external_id,name,email,team,skills,active"
GOOD = {"external_id": "A1", "name": "Kim", "email": "kim@example.com", "team": "wibro_care",
        "skills": ["wibro", "wifi"], "active": True}


def row(**changes) -> RawRow:
    return RawRow(0, {**GOOD, **changes})


def problems(raw_rows, accounts=()) -> list[tuple]:
    _rows, errors = validate_rows(raw_rows, teams=TEAMS, skills=SKILLS, accounts=accounts)
    return [(e.row, e.field, e.message) for e in errors]


# --- CSV cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "codes"), [
    ("wibro;wifi", ["wibro", "wifi"]),
    ("wibro wifi", ["wibro", "wifi"]),
    (" wibro ;  wifi ; ", ["wibro", "wifi"]),
    ("wibro\twifi;wired", ["wibro", "wifi", "wired"]),
    ("", []),
    ("wibro,wifi", ["wibro,wifi"]),  # commas are not separators: validation names the code
])
def test_split_skills(cell, codes):
    assert split_skills(cell) == codes


@pytest.mark.parametrize(("cell", "active"), [
    ("", True), ("true", True), ("TRUE", True), ("yes", True), ("1", True), (" y ", True),
    ("false", False), ("No", False), ("0", False), ("inactive", False),
    ("maybe", None), ("2", None),
])
def test_parse_active(cell, active):
    assert parse_active(cell) is active


# --- CSV files ------------------------------------------------------------------------------


def test_csv_rows_are_numbered_as_in_the_file():
    text = (f"{HEADER}\nA1,Kim,kim@example.com,wibro_care,wibro;wifi,true\n\n"
            "A2,Lee,lee@example.com,wired_care,wired,no\n")
    rows, errors = parse_csv(text)
    assert errors == []
    assert [r.row for r in rows] == [2, 4]
    assert rows[0].values == {**GOOD}
    assert rows[1].values["skills"] == ["wired"] and rows[1].values["active"] is False


def test_csv_quoted_cell_over_two_lines_keeps_the_next_row_number():
    text = f'{HEADER}\nA1,"Kim\nJi-woo",kim@example.com,wibro_care,wibro,\nA2,Lee,x,wired_care,,\n'
    rows, errors = parse_csv(text)
    assert errors == [] and [r.row for r in rows] == [2, 4]
    assert rows[0].values["name"] == "Kim\nJi-woo" and rows[0].values["active"] is True


def test_csv_active_column_is_optional_and_bom_is_ignored():
    rows, errors = parse_csv("\ufeffexternal_id,name,email,team,skills\nA1,Kim,k@x.io,t,s\n")
    assert errors == [] and "active" not in rows[0].values


@pytest.mark.parametrize(("text", "expected"), [
    ("", [(1, None, "the file is empty")]),
    ("external_id,name,email,team\n", [(1, "skills", "column 'skills' is missing")]),
    (f"{HEADER},phone\n", [(1, "phone", "unknown column 'phone'")]),
    (f"{HEADER},name\n", [(1, "name", "column 'name' appears twice")]),
    (f"{HEADER}\nA1,Kim,kim@example.com\n", [(2, None, "expected 6 cells, found 3")]),
    (f"{HEADER}\nA1,Kim,kim@example.com,wibro_care,wibro,perhaps\n",
     [(2, "active", "'perhaps' is not one of true/false")]),
], ids=["empty", "missing-column", "unknown-column", "twice", "short-row", "active"])
def test_csv_problems_name_row_and_field(text, expected):
    _rows, errors = parse_csv(text)
    assert [(e.row, e.field) for e in errors] == [(r, f) for r, f, _m in expected]
    for error, (_r, _f, words) in zip(errors, expected, strict=True):
        assert words in error.message


def test_a_bad_active_cell_does_not_hide_the_rows_other_problems():
    rows, errors = parse_csv(f"{HEADER}\nA1,Kim,bad,moon,wibro,perhaps\n")
    assert [(e.row, e.field) for e in errors] == [(2, "active")]
    assert "active" not in rows[0].values
    assert [(e.row, e.field) for e in validate_rows(rows, teams=TEAMS, skills=SKILLS)[1]] == [
        (2, "email"), (2, "team")]


def test_bad_csv_rows_do_not_hide_good_ones():
    text = f"{HEADER}\nA1,Kim,k@x.io,wibro_care,wibro,true\nbroken\nA3,Park,p@x.io,wired_care,,1\n"
    rows, errors = parse_csv(text)
    assert [r.row for r in rows] == [2, 4] and [e.row for e in errors] == [3]


# --- validation -----------------------------------------------------------------------------


def test_a_good_row_is_valid():
    rows, errors = validate_rows([row()], teams=TEAMS, skills=SKILLS)
    assert errors == []
    assert rows == [AgentRow(0, "A1", "Kim", "kim@example.com", "wibro_care",
                             frozenset({"wibro", "wifi"}), True)]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"team": "moon_base"}, "team", "unknown team 'moon_base'"),
    ({"skills": ["wibro", "telepathy"]}, "skills",
     "unknown call type 'telepathy': choose one of wibro, wifi"),
    ({"skills": ["wibro,wifi"]}, "skills", "separate call types with ';' or spaces"),
    ({"skills": "wibro"}, "skills", "must be a list"),
    ({"skills": None}, "skills", "'skills' is required"),
    ({"external_id": ""}, "external_id", "'external_id' is required"),
    ({"external_id": 17}, "external_id", "must be a string"),
    ({"external_id": "A/1"}, "external_id", "may not contain '/'"),
    ({"external_id": "x" * 129}, "external_id", "longer than 128"),
    ({"name": "  "}, "name", "'name' is required"),
    ({"email": "kim at example"}, "email", "is not an e-mail address"),
    ({"active": "yes"}, "active", "must be true or false"),
    ({"phone": "010"}, "phone", "unknown field 'phone'"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_invalid_fields_are_named(changes, field, words):
    found = problems([row(**changes)])
    assert len(found) == 1 and found[0][:2] == (0, field), found
    assert words in found[0][2]


def test_every_problem_of_every_row_is_reported_in_row_order():
    raw = [RawRow(5, {**GOOD, "external_id": "A5", "email": "a5@x.io", "team": "nope"}),
           RawRow(2, {**GOOD, "skills": ["psychic"], "email": "bad"}),
           RawRow(3, "not an object")]
    assert [(r, f) for r, f, _m in problems(raw)] == [(2, "email"), (2, "skills"), (3, None),
                                                        (5, "team")]


def test_missing_active_means_active_and_email_is_lower_cased():
    values = {k: v for k, v in GOOD.items() if k != "active"}
    rows, _errors = validate_rows([RawRow(0, {**values, "email": "Kim@Example.COM "})],
                                  teams=TEAMS, skills=SKILLS)
    assert rows[0].active is True and rows[0].email == "kim@example.com"


def test_repeats_within_the_batch_name_the_first_row():
    raw = [RawRow(2, GOOD), RawRow(3, {**GOOD, "email": "other@example.com"}),
           RawRow(4, {**GOOD, "external_id": "A9"})]
    assert problems(raw) == [(3, "external_id", "'A1' appears again (first on row 2)"),
                             (4, "email", "'kim@example.com' appears again (first on row 2)")]


@pytest.mark.parametrize(("accounts", "expected"), [
    ([Account("A1", "kim@example.com", "agent")], []),
    ([Account("A1", "old@example.com", "agent")], []),  # a new e-mail for the same agent
    ([Account(None, "kim@example.com", "agent")], []),  # linked by e-mail
    ([Account("A1", "kim@example.com", "trainer")],
     [(0, "external_id", "'A1' belongs to a trainer account, not an agent")]),
    ([Account("B7", "kim@example.com", "agent")],
     [(0, "email", "kim@example.com belongs to another user (external_id 'B7')")]),
    ([Account(None, "kim@example.com", "admin")],
     [(0, "email", "kim@example.com belongs to another user")]),
    ([Account("A1", "a1@example.com", "agent"), Account(None, "kim@example.com", "agent")],
     [(0, "email", "kim@example.com belongs to another user")]),
], ids=["same", "new-email", "link", "non-agent", "email-taken", "admin-email", "no-link"])
def test_clashes_with_existing_accounts(accounts, expected):
    assert problems([row()], accounts) == expected


# --- what a row changes ---------------------------------------------------------------------

ROW = AgentRow(2, "A1", "Kim", "kim@example.com", "wibro_care", frozenset({"wibro", "wifi"}))
NOW = AgentRecord("A1", "Kim", "kim@example.com", "wibro_care", frozenset({"wibro", "wifi"}),
                  True)


def record(**changes) -> AgentRecord:
    return AgentRecord(**{**NOW.__dict__, **changes})


def agent_row(**changes) -> AgentRow:
    return AgentRow(**{**ROW.__dict__, **changes})


@pytest.mark.parametrize(("new", "old", "kind", "cause", "reassign"), [
    (ROW, None, "created", "agent_created", True),
    (agent_row(active=False), None, "created", "agent_created", False),
    (ROW, NOW, "unchanged", None, False),
    (agent_row(name="Kim Ji-woo"), NOW, "updated", None, False),
    (agent_row(email="k@example.com"), NOW, "updated", None, False),
    (ROW, record(external_id=None), "updated", None, False),  # linked by e-mail
    (agent_row(skills=frozenset({"wibro"})), NOW, "updated", "skills_changed", False),
    (agent_row(skills=frozenset({"wibro", "wifi", "wired"})), NOW, "updated", "skills_changed",
     True),
    (agent_row(team="wired_care"), NOW, "updated", "team_changed", True),
    (agent_row(team="wired_care", skills=frozenset({"wired"})), NOW, "updated",
     "skills_changed", True),
    (agent_row(active=False), NOW, "updated", "deactivated", False),
    (agent_row(active=False, team="wired_care"), NOW, "updated", "deactivated", False),
    (ROW, record(active=False), "updated", "reactivated", True),
    (agent_row(active=False), record(active=False), "unchanged", None, False),
    (agent_row(active=False, team="wired_care"), record(active=False), "updated",
     "team_changed", False),
], ids=["new", "new-inactive", "same", "name", "email", "link", "skill-lost", "skill-gained",
        "team", "team-and-skills", "deactivated", "deactivated-and-moved", "reactivated",
        "still-inactive", "inactive-moved"])
def test_classify(new, old, kind, cause, reassign):
    change = classify(new, old)
    assert (change.kind, change.cause, change.reassign) == (kind, cause, reassign)


def test_row_error_reads_as_row_and_field():
    assert str(RowError(3, "team", "unknown team 'x'")) == "row 3, team: unknown team 'x'"
    assert str(RowError(1, None, "the file is empty")) == "row 1: the file is empty"
