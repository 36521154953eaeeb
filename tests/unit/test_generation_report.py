"""The item-generation benchmark (benchmarks/generation_report.py): its numbers on a tiny
corpus worked out by hand, its targets, its command line, and the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.bulletin.format import parse_bulletin
from app.domain.generation import (
    GATES,
    RECIPES,
    GenerationContext,
    check_item,
    deliverable,
    generate_items,
)
from benchmarks.generation_report import (
    DEFAULT_DIR,
    Share,
    main,
    measure,
    raw_items,
    render,
    unwarned_gaps,
)

# f-paper (bool, critical, was: yes): the question [Yes(old), No] (a true/false item in the
#   choice slot) and the claim and its negation, true_false x2                   -> 3 items
# f-channel (text, not: a catch-all): the choice item offers "none of the above" and is
#   dropped by no_catch_all; true_false x2 stay                                    -> 2 items,
#   1 kind: a coverage problem, and a warning (no choice item: add not: values)
# f-late (text "5%"): the was: value is far longer than "5%" but is never dropped: choice
#   [5%, 10% (not), 6%, old] and true_false x2                                      -> 3 items;
#   a warning on its length, and the lint flags f-late-1 (mixed_units)
EN = """\
---
id: tiny-en
title: Tiny English bulletin
lang: en
effective: 2024-05-01
skills: [billing]
critical: [f-paper]
---
From 1 May 2024 paper bills are gone, refunds go by bank transfer and the late fee is 5%.

## Facts
- **Paper bill available** {#f-paper type=bool}: no (was: yes)
- **Refund channel** {#f-channel type=text}: bank transfer (not: none of the above; cash at a store)
- **Late fee** {#f-late type=text}: 5% (was: a fixed ten thousand won) (not: 10%)
"""

# f-pay (text, was: 은행 창구): the old value is the only wrong value, so no choice or cloze
#   item; true_false x2                                 -> 2 items, a coverage problem, warned
# f-date (date, unchanged): choice with 3 ladder dates, true_false x2             -> 3 items
KO = """\
---
id: tiny-ko
title: 작은 한국어 공지
lang: ko
effective: 2024-06-01
skills: [billing]
---
2024년 6월 1일부터 요금은 ==앱==으로 냅니다.

## 사실 {#facts}
- **납부 방법** {#f-pay type=text}: 앱 (was: 은행 창구)
- **시행일** {#f-date type=date}: 2024-06-01
"""


@pytest.fixture
def tiny(tmp_path: Path) -> list[Path]:
    (tmp_path / "tiny-en.md").write_text(EN, encoding="utf-8")
    (tmp_path / "tiny-ko.md").write_text(KO, encoding="utf-8")
    return sorted(tmp_path.glob("*.md"))


@pytest.fixture
def report(tiny):
    return measure(tiny, repeat=2)


def test_counts(report):
    assert [(b.slug, b.lang, b.facts, b.critical_facts, b.items) for b in report.bulletins] == [
        ("tiny-en", "en", 3, 1, 8), ("tiny-ko", "ko", 2, 0, 5)]
    assert (report.files, report.facts, report.critical_facts) == (2, 5, 1)
    assert (report.raw_items, report.items) == (14, 13)
    assert report.kinds == {"choice": 2, "true_false": 11}
    spread = {lang: (s.min, round(s.mean, 2), s.max, s.n)
              for lang, s in report.items_per_fact.items()}
    assert spread == {"all": (2, 2.6, 3, 5), "en": (2, 2.67, 3, 3), "ko": (2, 2.5, 3, 2)}


def test_recipes_and_sources(report):
    produced = {name: (s.raw, s.delivered) for name, s in report.recipes.items()}
    assert produced == {"choice": (4, 3), "true_false": (10, 10), "cloze": (0, 0),
                        "perturbed": (0, 0), "scenario": (0, 0)}
    assert list(report.recipes) == list(RECIPES)
    # f-late's false statement takes the not: value "10%": the old value "a fixed ten
    # thousand won" is not a number like the key "5%" (splice.same_shape)
    assert report.sources == {"old": 4, "not": 3, "glossary": 0, "perturbed": 5,
                              "other_bulletin": 0}


def test_gates_raw_and_delivered(report):
    assert list(report.gates_raw) == list(GATES) == list(report.gates_delivered)
    raw = {name: (s.passed, s.total) for name, s in report.gates_raw.items()}
    assert raw == {name: (13, 14) if name == "no_catch_all" else (14, 14) for name in GATES}
    assert all((s.passed, s.total) == (13, 13) for s in report.gates_delivered.values())
    assert (report.raw_all_gates.passed, report.raw_all_gates.total) == (13, 14)
    assert report.delivered_all_gates.value == 1.0
    assert report.raw_reproduces_delivered
    dropped = {line.split(" (")[0] for line in report.gate_failures}
    assert dropped == {"tiny-en f-channel-1"}
    assert all(": no_catch_all: " in line for line in report.gate_failures)


def test_coverage_gaps_come_with_a_warning(report):
    assert (report.coverage_facts.passed, report.coverage_facts.total) == (3, 5)
    assert (report.coverage_critical.passed, report.coverage_critical.total) == (1, 1)
    assert [p.split(":")[0] + ":" + p.split(":")[1] for p in report.coverage_problems] == [
        "tiny-en: fact f-channel", "tiny-ko: fact f-pay"]
    assert [w.split(": ")[1] + ": " + w.split(": ")[2][:14] for w in report.warnings] == [
        "fact f-channel: no choice item", "fact f-late: the was", "fact f-late: the text never",
        "fact f-pay: no choice item", "fact f-pay: the text never"]  # nor their old values
    assert unwarned_gaps(report) == []


def test_old_value_coverage(report):
    # choice-kind items of was: facts: f-late-1 (f-paper-1 is a Yes/No true/false item)
    assert (report.old_value.passed, report.old_value.total) == (1, 1)
    assert report.old_value_misses == []


def test_lint_share(report):
    assert (report.lint.passed, report.lint.total) == (12, 13)
    assert report.lint_flagged == ["tiny-en f-late-1: mixed_units"]
    assert {lang: (s.passed, s.total) for lang, s in report.lint_by_lang.items()} == {
        "en": (7, 8), "ko": (5, 5)}


def test_key_positions(report):
    assert {size: sum(row.values()) for size, row in report.key_positions.items()} == {4: 2}
    assert all(list(row) == list(range(1, size + 1))
               for size, row in report.key_positions.items())
    assert report.cloze_key_positions == {}
    assert (report.korean_cloze, report.korean_cloze_paired) == (0, 0)
    assert report.shared_keys == 0  # no fact id is in both bulletins


def test_same_fact_id_in_two_bulletins_gets_the_same_key_position(tmp_path):
    # The shuffle is seeded from seed, fact id and recipe only, so f-date-1 puts the correct
    # date at the same position in both bulletins.
    for slug in ("one", "two"):
        text = KO.replace("id: tiny-ko", f"id: {slug}")
        (tmp_path / f"{slug}.md").write_text(text, encoding="utf-8")
    report = measure(sorted(tmp_path.glob("*.md")), repeat=1)
    # f-date-1: true/false items are not counted
    assert (report.shared_keys, report.shared_keys_same_position) == (1, 1)


def test_targets_and_render(report):
    verdict = {t.name.split(" (")[0]: t.passed for t in report.targets}
    assert verdict == {
        "every bulletin parses": True, "delivered items passing every gate": True,
        "raw recipe run reproduces generate_items": True, "old-value coverage": True,
        "items free of lint defects": False, "coverage": True,
        "generation time, whole corpus": True,
    }
    assert not report.passed
    assert 0 < report.seconds < 1 and len(report.seconds_runs) == 2
    text = render(report)
    assert "Targets:" in text and text.rstrip().endswith("Result: FAIL")
    assert "FAIL  items free of lint defects" in text and "92.3% (12/13)" in text
    assert "PASS  delivered items passing every gate" in text
    assert "no_catch_all" in text and "92.9% (13/14)" in text


def test_raw_items_filtered_are_what_generate_items_delivers():
    doc = parse_bulletin(EN, "tiny-en.md")
    context = GenerationContext()
    kept = deliverable(raw_items(doc, context, 3), lang=doc.lang)
    assert kept == generate_items(doc, context=context, seed=3)
    assert all(not check_item(item, lang=doc.lang) for item in kept)


def test_share_and_json(tiny, capsys):
    assert Share().value is None and str(Share()) == "n/a (0/0)"
    assert str(Share(1, 4)) == "25.0% (1/4)"
    assert main([str(tiny[0].parent), "--json", "--repeat", "1"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is False and data["items"] == 13
    assert data["lint"] == {"passed": 12, "total": 13, "value": 12 / 13}


def test_parse_errors_fail_a_target(tmp_path, capsys):
    (tmp_path / "good.md").write_text(KO, encoding="utf-8")
    (tmp_path / "bad.md").write_text(KO.replace("effective: 2024-06-01", "effective: soon"),
                                     encoding="utf-8")
    report = measure(sorted(tmp_path.glob("*.md")), repeat=1)
    assert len(report.bulletins) == 1 and report.parse_errors
    assert report.parse_errors[0].startswith("bad.md:")
    assert not next(t for t in report.targets if t.name == "every bulletin parses").passed
    assert main([str(tmp_path / "empty")]) == 2
    assert "no bulletin files" in capsys.readouterr().err


def test_real_corpus_meets_every_target():
    paths = sorted(DEFAULT_DIR.glob("*.md"))
    report = measure(paths, repeat=3)
    assert len(report.bulletins) == 14
    assert sorted(b.lang for b in report.bulletins) == ["en"] * 7 + ["ko"] * 7
    timing = "generation time, whole corpus (median)"
    failing = [(t.name, t.measured) for t in report.targets if not t.passed and t.name != timing]
    assert not failing, render(report)
    assert report.delivered_all_gates.value == 1.0
    assert report.old_value.value == 1.0
    assert report.lint.value >= 0.95
    assert not unwarned_gaps(report)
    # The time target is wall-clock time (the command line checks it). Here the CPU time is
    # checked: other processes on a busy 2-core machine must not fail the unit tests.
    assert report.cpu_seconds < 1.0, render(report)
