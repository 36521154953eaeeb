"""Starting a translation in the guided editor: the pre-fill agrees with its original
(everything but the words the trainer translates), under a new id, in the other language."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.bulletin.form import form_from_doc, render_form
from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.translate import (
    other_language,
    translation_form,
    translation_id,
    untranslated,
)
from app.domain.translations import disagreements

ROOT = Path(__file__).resolve().parents[2]
ORIGINALS = [p for p in sorted((ROOT / "policy_changes").glob("*.md"))
             if "translation_of:" not in p.read_text(encoding="utf-8")]


def test_there_are_originals():
    assert len(ORIGINALS) >= 5


@pytest.mark.parametrize("path", ORIGINALS, ids=lambda p: p.name)
def test_an_untouched_prefill_agrees_with_its_original(path):
    original = parse_bulletin(path.read_text(encoding="utf-8"), path.name)
    form = translation_form(form_from_doc(original), {original.slug})
    doc = parse_bulletin(render_form(form).text)
    assert doc.slug != original.slug and doc.translation_of == original.slug
    assert doc.lang == other_language(original.lang) != original.lang
    assert disagreements(original, doc, original.slug) == []
    assert [(f.key, f.type, f.critical) for f in doc.facts] == [
        (f.key, f.type, f.critical) for f in original.facts]


@pytest.mark.parametrize("path", ORIGINALS[:3], ids=lambda p: p.name)
def test_a_changed_typed_value_or_date_disagrees_at_its_fact(path):
    original = parse_bulletin(path.read_text(encoding="utf-8"), path.name)
    form = translation_form(form_from_doc(original), set())
    form.effective = "2031-01-01"
    typed = next((r for r in form.facts if r.type in ("date", "money", "bool", "quantity",
                                                       "duration")), None)
    if typed is not None:
        flip = {"yes": "no", "no": "yes", "예": "no", "아니오": "yes"}
        typed.value = {"date": "2031-02-02", "bool": flip.get(typed.value, "yes")}.get(
            typed.type, "999999")
        typed.say = ""  # a statement holding the old value would be refused first
    found = disagreements(original, parse_bulletin(render_form(form).text), original.slug)
    assert "effective" in {d.field for d in found}
    if typed is not None:
        assert typed.key in {d.fact for d in found}


@pytest.mark.parametrize("slug, lang, taken, expected", [
    ("fee-change", "ko", set(), "fee-change-ko"),
    ("fee-change", "ko", {"fee-change-ko"}, "fee-change-ko-2"),
    ("fee-change-en", "ko", set(), "fee-change-ko"),
    ("fee-change-ko", "en", set(), "fee-change-en"),
    ("x" * 80, "ko", set(), "x" * 77 + "-ko"),
])
def test_translation_ids_are_new(slug, lang, taken, expected):
    assert translation_id(slug, lang, taken) == expected


@pytest.mark.parametrize("lang, expected", [("en", "ko"), ("en-GB", "ko"), ("ko", "en"),
                                            ("ko-KR", "en")])
def test_the_other_language(lang, expected):
    assert other_language(lang) == expected


def test_untranslated_marks_the_words_still_the_originals():
    path = ROOT / "policy_changes" / "wibro50-wifi-login.md"
    source = form_from_doc(parse_bulletin(path.read_text(encoding="utf-8")))
    form = translation_form(source, set())
    todo = untranslated(form, source)
    assert todo.fields == {"title", "body"}
    for index, row in enumerate(form.facts):
        assert "label" in todo.rows[index]
        assert ("value" in todo.rows[index]) == (row.type == "text")
    form.title, form.facts[0].label = "새 제목", "번역된 이름"
    again = untranslated(form, source)
    assert again.fields == {"body"} and "label" not in again.rows.get(0, set())
    done = replace(form, body="번역", facts=[])
    assert not untranslated(done, source)
