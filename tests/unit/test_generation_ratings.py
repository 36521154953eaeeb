"""The ratings script (benchmarks/rating_report.py): A rates per recipe and language from an
editor's TSV, and the documentation block it rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.rating_report import END, START, main, read, table, update_docs

TSV = """item_id\tbulletin\tlang\trecipe\trating\treason
f-a-1\tx\ten\tchoice\tA\t
f-a-2\tx\ten\ttrue_false\tB\tstiff wording
f-b-1\ty\tko\tchoice\tC\twrong key: 7일 is also right
f-b-4\ty\tko\tcloze\ta\t

"""


@pytest.fixture
def tsv(tmp_path: Path) -> Path:
    path = tmp_path / "round1.tsv"
    path.write_text(TSV, encoding="utf-8")
    return path


def test_a_rates_per_recipe_and_language(tsv):
    ratings = read(tsv)
    assert [(r.item, r.rating) for r in ratings] == [
        ("f-a-1", "A"), ("f-a-2", "B"), ("f-b-1", "C"), ("f-b-4", "A")]
    text = table("round1", ratings)
    assert "| choice | 100.0% (1/1) | 0.0% (0/1) | 50.0% (1/2) |" in text
    assert "| all | 50.0% (1/2) | 50.0% (1/2) | 50.0% (2/4) |" in text
    assert "A 2, B 1, C 1; C for a wrong or ambiguous key: 1" in text
    assert "- y f-b-1: wrong key: 7일 is also right" in text


def test_a_rating_other_than_abc_is_refused(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("f-a-1\tx\ten\tchoice\tD\t\n", encoding="utf-8")
    assert main([str(bad)]) == 2
    assert "rating 'D' is not A, B or C" in capsys.readouterr().err


def test_the_docs_block_is_replaced(tsv, tmp_path):
    doc = tmp_path / "generation.md"
    doc.write_text(f"before\n{START}\nold numbers\n{END}\nafter\n", encoding="utf-8")
    assert main([str(tsv), "--docs", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith(f"before\n{START}\n#### round1") and text.endswith(f"{END}\nafter\n")
    assert "old numbers" not in text
    with pytest.raises(ValueError):
        update_docs(tsv, "x")
