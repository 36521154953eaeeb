"""What changed between two versions: facts by id, and the source line by line."""

from __future__ import annotations

import pytest

from app.domain.bulletin.types import Fact
from app.domain.versions_diff import (
    FactChange,
    FieldChange,
    LineRow,
    Side,
    diff_facts,
    diff_lines,
    fact_changes,
)

LOGIN = Fact("f-login", "Wi-Fi login credential", "WiBro ID and password",
             old_value="a separate Wi-Fi bundle ID", not_values=("the mobile phone number",))
BUNDLE = Fact("f-bundle", "Separate Wi-Fi bundle needed", "no", type="bool", old_value="yes",
              critical=True)
DATE = Fact("f-date", "Effective date", "2010-09-01", type="date")


def _with(fact: Fact, **changes) -> Fact:
    from dataclasses import replace

    return replace(fact, **changes)


@pytest.mark.parametrize(("new", "expected"), [
    (LOGIN, ()),
    (_with(LOGIN, value="WiBro ID"), (FieldChange("value", "WiBro ID and password", "WiBro ID"),)),
    (_with(LOGIN, label="Login"), (FieldChange("label", "Wi-Fi login credential", "Login"),)),
    (_with(LOGIN, old_value=None), (FieldChange("old_value", "a separate Wi-Fi bundle ID", None),)),
    (_with(LOGIN, not_values=()), (FieldChange("not_values", ("the mobile phone number",), ()),)),
    (_with(LOGIN, critical=True), (FieldChange("critical", False, True),)),
    (_with(LOGIN, type="enum:plans"), (FieldChange("type", "text", "enum:plans"),)),
    # The line a fact sits on is not part of what it states.
    (_with(LOGIN, line=40), ()),
    (_with(LOGIN, value="x", label="y"),
     (FieldChange("label", "Wi-Fi login credential", "y"),
      FieldChange("value", "WiBro ID and password", "x"))),
], ids=["same", "value", "label", "was-removed", "not-removed", "critical", "type", "line-only",
        "two-fields-in-order"])
def test_fact_changes(new, expected):
    assert fact_changes(LOGIN, new) == expected


def test_diff_facts_added_removed_changed_unchanged():
    plan = Fact("f-plan", "Eligible plan", "WiBro 50 GB")
    old = [LOGIN, BUNDLE, DATE]
    new = [_with(LOGIN, value="WiBro ID"), DATE, plan]
    diff = diff_facts(old, new)
    assert diff.added == (plan,)
    assert diff.removed == (BUNDLE,)
    assert diff.changed == (FactChange("f-login", "Wi-Fi login credential", (
        FieldChange("value", "WiBro ID and password", "WiBro ID"),)),)
    assert diff.unchanged == ("f-date",)
    assert not diff.empty


@pytest.mark.parametrize(("old", "new"), [([], []), ([LOGIN, DATE], [DATE, LOGIN])],
                         ids=["empty", "reordered"])
def test_diff_facts_without_changes_is_empty(old, new):
    assert diff_facts(old, new).empty


def test_a_fact_renamed_by_id_is_removed_and_added():
    diff = diff_facts([LOGIN], [_with(LOGIN, key="f-credential")])
    assert [f.key for f in diff.removed] == ["f-login"]
    assert [f.key for f in diff.added] == ["f-credential"]
    assert diff.changed == ()


def _kinds(rows: list[LineRow]) -> list[tuple]:
    return [(r.kind, r.left.number, r.left.text, r.right.number, r.right.text) for r in rows]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("a\nb", "a\nb", [("equal", 1, "a", 1, "a"), ("equal", 2, "b", 2, "b")]),
    ("a\nb", "a\nc", [("equal", 1, "a", 1, "a"), ("replace", 2, "b", 2, "c")]),
    ("a", "a\nb", [("equal", 1, "a", 1, "a"), ("insert", None, "", 2, "b")]),
    ("a\nb", "b", [("delete", 1, "a", None, ""), ("equal", 2, "b", 1, "b")]),
    # A replaced block of unequal length pairs what it can, then deletes or inserts.
    ("x\ny\nz", "q", [("replace", 1, "x", 1, "q"), ("delete", 2, "y", None, ""),
                      ("delete", 3, "z", None, "")]),
    ("x", "p\nq", [("replace", 1, "x", 1, "p"), ("insert", None, "", 2, "q")]),
    ("a\r\nb", "a\nb", [("equal", 1, "a", 1, "a"), ("equal", 2, "b", 2, "b")]),
    ("와이파이\n끝", "와이브로\n끝", [("replace", 1, "와이파이", 1, "와이브로"),
                                ("equal", 2, "끝", 2, "끝")]),
], ids=["equal", "replace", "insert", "delete", "replace-shorter", "replace-longer", "crlf",
        "korean"])
def test_diff_lines(old, new, expected):
    assert _kinds(diff_lines(old, new)) == expected


def test_diff_lines_keeps_every_line_of_both_sides():
    old, new = "1\n2\n3\n4\n5", "1\n3\n4b\n5\n6"
    rows = diff_lines(old, new)
    assert [r.left.text for r in rows if r.left.number] == old.split("\n")
    assert [r.right.text for r in rows if r.right.number] == new.split("\n")
    assert rows[0] == LineRow("equal", Side(1, "1"), Side(1, "1"))
