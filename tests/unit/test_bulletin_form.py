"""The guided editor's form model: bulletin -> form -> bulletin file -> the same bulletin,
for every bulletin we have; problems placed at their field or fact row; copy ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.bulletin.form import (
    BulletinForm,
    FactRow,
    copy_id,
    fact_line,
    form_from_doc,
    place_problems,
    render_form,
    rows_moved,
)
from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import ContentError

ROOT = Path(__file__).resolve().parents[2]
BULLETINS = sorted([*(ROOT / "policy_changes").glob("*.md"),
                    *(ROOT / "benchmarks" / "corpus").glob("**/*.md")])


def _comparable(doc):
    """A parsed bulletin without what a rewrite may change: the text and line numbers."""
    return replace(doc, source="", facts=tuple(replace(f, line=0) for f in doc.facts))


def test_there_are_bulletins_to_round_trip():
    assert len(BULLETINS) >= 40
    assert any("policy_changes" in str(p) for p in BULLETINS)


@pytest.mark.parametrize("path", BULLETINS, ids=lambda p: str(p.relative_to(ROOT)))
def test_form_to_markdown_to_form_is_lossless(path):
    doc = parse_bulletin(path.read_text(encoding="utf-8"), path.name)
    form = form_from_doc(doc)
    again = parse_bulletin(render_form(form).text, path.name)
    assert _comparable(again) == _comparable(doc)
    assert form_from_doc(again) == form
    assert render_form(form_from_doc(again)).text == render_form(form).text


def _form(**changes) -> BulletinForm:
    base = BulletinForm(slug="fee-change", title="Fees: new rules", effective="2026-01-05",
                        skills=["billing"], body="From January the ==late fee== changes.",
                        facts=[FactRow("f-fee", "Late fee", "", "money", "5,000 won",
                                       "3,000 won", "4,000 won; 6,000 won", True)])
    return replace(base, **changes)


def test_a_form_renders_quoted_where_yaml_needs_it_and_parses():
    form = _form(title='Fees: "new" rules', teams=["wired_care"], pass_mark="90",
                 gate="immediate", lang="ko")
    text = render_form(form).text
    assert 'title: "Fees: \\"new\\" rules"' in text and "## 사실 {#facts}" in text
    doc = parse_bulletin(text)
    assert doc.title == 'Fees: "new" rules' and doc.critical == ("f-fee",)
    assert doc.facts[0].not_values == ("4,000 won", "6,000 won") and doc.pass_mark == 90
    assert doc.gate == "immediate" and doc.teams == ("wired_care",)


def test_fact_line_writes_ask_was_and_not():
    row = FactRow("f-x", "A question", 'What is it?', "text", "this", "that", " a ;b ;")
    assert fact_line(row) == ('- **A question** {#f-x type=text ask="What is it?"}: this '
                              "(was: that) (not: a; b)")


def _problems(form: BulletinForm, **known):
    rendered = render_form(form)
    with pytest.raises(ContentError) as caught:
        parse_bulletin(rendered.text, **known)
    return place_problems(caught.value.errors, rendered)


@pytest.mark.parametrize(("changes", "field", "fragment"), [
    ({"slug": ""}, "slug", "id: a value is required"),
    ({"slug": "Bad Id"}, "slug", "is not a valid slug"),
    ({"title": ""}, "title", "title: a value is required"),
    ({"effective": "2026-02-30"}, "effective", "is not a valid date"),
    ({"effective": ""}, "effective", "effective: a value is required"),
    ({"skills": []}, "skills", "at least one skill"),
    ({"skills": ["nope"]}, "skills", "unknown call type 'nope'"),
    ({"pass_mark": "120"}, "pass_mark", "whole number from 1 to 100"),
    ({"deadline": "soon"}, "deadline", "is not a valid date"),
    ({"lang": "english!"}, "lang", "not a language tag"),
    ({"supersedes": ["fee-change"]}, "supersedes", "cannot supersede itself"),
    ({"body": "```\nopen fence"}, "body", "missing Facts section"),
    ({"facts": [FactRow()]}, "facts", "has no facts"),
])
def test_problems_are_placed_at_their_field(changes, field, fragment):
    placed = _problems(_form(**changes), known_skills={"billing"})
    assert not placed.general and not placed.rows
    assert any(fragment in p.message for p in placed.fields[field]), placed


def test_problems_of_a_fact_are_placed_at_its_row_blank_rows_skipped():
    rows = [FactRow("f-a", "A", value="yes", type="bool"), FactRow(),
            FactRow("f-b", "B", value="maybe", type="bool"), FactRow("f-a", "A2", value="x")]
    placed = _problems(_form(facts=rows))
    assert sorted(placed.rows) == [2, 3] and not placed.fields
    assert "is not a bool" in placed.rows[2][0].message
    assert "duplicate fact id 'f-a'" in placed.rows[3][0].message


def test_copy_ids_are_new():
    assert copy_id("fee-change", set()) == "fee-change-copy"
    assert copy_id("fee-change", {"fee-change-copy", "fee-change-copy-2"}) == "fee-change-copy-3"
    long = "a" * 80
    made = copy_id(long, {long[:75] + "-copy"})
    assert made != long and len(made) <= 80 and made.endswith("-copy-2")


@pytest.mark.parametrize(("index", "step", "order"), [
    (0, 1, "bac"), (2, -1, "acb"), (0, -1, "abc"), (2, 1, "abc"), (5, 1, "abc")])
def test_rows_move_within_the_table(index, step, order):
    rows = [FactRow(key=k) for k in "abc"]
    assert "".join(r.key for r in rows_moved(rows, index, step)) == order
