"""One change, two languages (app/domain/translations.py) as tables: no app, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.bulletin.format import dump_bulletin, parse_bulletin
from app.domain.bulletin.types import BulletinDoc, ContentError, Fact
from app.domain.eligibility import Agent, Certification, Requirement, evaluate
from app.domain.translations import (
    credited_version,
    disagreements,
    reading_language,
    same_value,
    translation_is_current,
)

GATE = datetime(2010, 8, 29, 15, tzinfo=UTC)  # 2010-08-30 00:00 in Seoul
ORIGINAL = BulletinDoc(
    slug="wifi", title="Wi-Fi login", lang="en", effective=date(2010, 9, 1),
    deadline=date(2010, 8, 30), skills=("wibro", "wifi"), teams=("wibro_care", "wired_care"),
    pass_mark=80, recertify_after_days=180, body="", source="",
    facts=(
        Fact("f-login", "Wi-Fi login credential", "WiBro ID and password",
             old_value="a separate bundle ID", critical=True),
        Fact("f-bundle", "Separate bundle needed", "no", "bool", old_value="yes", critical=True),
        Fact("f-date", "Effective date", "2010-09-01", "date"),
        Fact("f-callback", "Call back within", "2 hours", "duration"),
        Fact("f-credit", "Credit limit", "KRW 10,000", "money", old_value="KRW 5,000"),
        Fact("f-data", "Monthly data", "50 GB", "quantity"),
    ),
)
KOREAN = replace(
    ORIGINAL, slug="wifi-ko", title="와이파이 로그인", lang="ko", translation_of="wifi",
    facts=(
        Fact("f-login", "와이파이 로그인 계정", "와이브로 ID와 비밀번호",
             old_value="별도의 결합상품 ID", critical=True),
        Fact("f-bundle", "별도 결합상품 필요 여부", "아니오", "bool", old_value="예",
             critical=True),
        Fact("f-date", "시행일", "2010-09-01", "date"),
        Fact("f-callback", "회신 시한", "2시간", "duration"),
        Fact("f-credit", "감면 한도", "10,000원", "money", old_value="5,000원"),
        Fact("f-data", "월 데이터", "50기가", "quantity"),
    ),
)


def _fact(doc: BulletinDoc, fact_id: str, **changes) -> BulletinDoc:
    facts = tuple(replace(f, **changes) if f.key == fact_id else f for f in doc.facts)
    return replace(doc, facts=facts)


def test_a_faithful_translation_agrees():
    assert disagreements(ORIGINAL, KOREAN, "wifi") == []


@pytest.mark.parametrize(("translation", "field", "fact", "words"), [
    (replace(KOREAN, lang="en"), "lang", None, "another language"),
    (replace(KOREAN, effective=date(2010, 9, 2)), "effective", None, "2010-09-01"),
    (replace(KOREAN, deadline=None), "deadline", None, "(none)"),
    (replace(KOREAN, gate="immediate"), "gate", None, "gate: a translation must agree with"),
    (replace(KOREAN, teams=("wired_care",)), "teams", None, "[wired_care]"),
    (replace(KOREAN, teams=()), "teams", None, "(every team)"),
    (replace(KOREAN, skills=("wifi",)), "skills", None, "here [wifi]"),
    (replace(KOREAN, pass_mark=70), "pass_mark", None, "70"),
    (replace(KOREAN, recertify_after_days=None), "recertify_after_days", None, "(none)"),
    (_fact(KOREAN, "f-bundle", value="예"), "facts", "f-bundle", "bool values must be equal"),
    (_fact(KOREAN, "f-bundle", old_value=None), "facts", "f-bundle", "was:"),
    (_fact(KOREAN, "f-date", value="2010-09-02"), "facts", "f-date", "2010-09-02"),
    (_fact(KOREAN, "f-callback", value="3시간"), "facts", "f-callback", "3시간"),
    (_fact(KOREAN, "f-callback", value="2일"), "facts", "f-callback", "duration values"),
    (_fact(KOREAN, "f-credit", old_value="3,000원"), "facts", "f-credit", "was: '3,000원'"),
    (_fact(KOREAN, "f-data", value="30기가"), "facts", "f-data", "30기가"),
    (_fact(KOREAN, "f-data", type="text"), "facts", "f-data", "type=text here"),
    (_fact(KOREAN, "f-login", critical=False), "facts", "f-login", "is critical in 'wifi'"),
    (_fact(KOREAN, "f-date", key="f-day"), "facts", "f-date", "has no translation"),
], ids=["lang", "effective", "deadline", "gate", "teams", "teams-all", "skills", "pass-mark",
        "recertify", "bool", "bool-was", "date", "duration-number", "duration-unit", "money-was",
        "quantity", "type", "critical", "missing-fact"])
def test_a_translation_that_differs_is_named_by_field_or_fact(translation, field, fact, words):
    found = disagreements(ORIGINAL, translation, "wifi")
    assert found, "the difference went unnoticed"
    first = found[0]
    assert (first.field, first.fact) == (field, fact)
    assert words in first.message


def test_an_extra_fact_in_the_translation_is_named():
    extra = replace(KOREAN, facts=KOREAN.facts + (Fact("f-extra", "덤", "예", "bool"),))
    assert [(d.field, d.fact) for d in disagreements(ORIGINAL, extra, "wifi")] == [
        ("facts", "f-extra")]


def test_text_values_are_free_text_in_each_language():
    assert disagreements(ORIGINAL, _fact(KOREAN, "f-login", value="아무 말"), "wifi") == []


@pytest.mark.parametrize(("kind", "first", "second", "same"), [
    ("bool", "yes", "예", True), ("bool", "no", "아니오", True), ("bool", "No", "아니요", True),
    ("bool", "yes", "불가", False), ("bool", "true", "가능", True),
    ("date", "2010-09-01", "2010-09-01", True), ("date", "2010-09-01", "2010-09-02", False),
    ("duration", "2 hours", "2시간", True), ("duration", "2 hours", "2분", False),
    ("duration", "36 months", "36개월", True), ("duration", "3 days", "3일", True),
    ("money", "KRW 10,000", "10,000원", True), ("money", "₩10,000", "10000원", True),
    ("money", "KRW 10,000", "$10,000", False), ("money", "10,000원", "1,000원", False),
    ("quantity", "50 GB", "50기가", True), ("quantity", "3 attempts", "3회", True),
    ("quantity", "50 GB", "50 MB", False),
    ("quantity", "3 lines", "3 회선", True),  # an unknown unit: the numbers decide
    ("enum:plans", "Basic", "basic", True), ("enum:plans", "basic", "premium", False),
    ("text", "anything", "무엇이든", True),
    ("bool", None, None, True), ("bool", "yes", None, False),
])
def test_typed_values_are_compared_as_values(kind, first, second, same):
    assert same_value(kind, first, second) is same


@pytest.mark.parametrize(("preferred", "languages", "expected"), [
    ("ko", ["en", "ko"], "ko"),
    ("en", ["en", "ko"], "en"),
    (None, ["en", "ko"], "en"),  # no preference: the original's language
    ("", ["ko", "en"], "ko"),
    ("ja", ["en", "ko"], "en"),  # a language the change does not have: the original's
    ("ko-KR", ["en", "ko"], "ko"),
    ("ko_KR", ["en", "ko"], "ko"),
    ("KO", ["en", "ko"], "ko"),
    ("en-GB", ["ko", "en"], "en"),
    ("ko", ["en"], "en"),  # no translation (yet, or an outdated one): the original
])
def test_each_reader_gets_their_language_or_the_originals(preferred, languages, expected):
    assert reading_language(preferred, languages) == expected


@pytest.mark.parametrize(("paired", "original", "current"), [
    (7, 7, True),  # the translation's pair is in the original's lineage (minor changes keep it)
    (7, 9, False),  # a material version of the original started lineage 9: needs translation
    (None, 7, False),
])
def test_a_translation_is_current_while_its_pair_is_in_the_originals_lineage(
        paired, original, current):
    assert translation_is_current(paired, original) is current


AGENT = Agent(active=True, team="wired_care", skills=frozenset({"wifi"}))
REQUIREMENT = Requirement(1, "wifi", 1, "wifi", GATE, accepts=frozenset({11}))
PASSED = GATE - timedelta(days=1)


@pytest.mark.parametrize(("version_id", "paired_with", "cleared"), [
    (11, None, True),  # the original's quiz
    (21, 11, True),  # the Korean translation's quiz, paired with the original's version 11
    (21, None, False),  # a bulletin that is no translation certifies only itself
    (21, 12, False),  # paired with another version the requirement does not accept
])
def test_passing_either_languages_quiz_certifies_the_change(version_id, paired_with, cleared):
    cert = Certification(credited_version(version_id, paired_with), PASSED)
    result = evaluate(AGENT, [REQUIREMENT], [cert], GATE + timedelta(days=1))
    assert result["wifi"].cleared is cleared


FILE = """---
id: wifi-ko
title: 와이파이
lang: ko
effective: 2010-09-01
skills: [wifi]
translation_of: {original}
---
본문

## 사실 {{#facts}}
- **시행일** {{#f-date type=date}}: 2010-09-01
"""


def test_translation_of_is_read_from_the_front_matter_and_written_back():
    doc = parse_bulletin(FILE.format(original="wifi"), "wifi-ko.md")
    assert doc.translation_of == "wifi"
    assert parse_bulletin(dump_bulletin(doc), "again.md").translation_of == "wifi"
    old = parse_bulletin(FILE.format(original="wifi").replace("translation_of: wifi\n", ""),
                         "plain.md")
    assert old.translation_of is None  # bulletins without it are read as before


@pytest.mark.parametrize(("original", "message"), [
    ("wifi-ko", "wifi-ko.md:7: translation_of: a bulletin cannot be a translation of itself"),
    ("Wi Fi", "wifi-ko.md:7: translation_of: 'Wi Fi' is not a valid slug"),
])
def test_a_bad_translation_of_is_refused_with_its_line(original, message):
    with pytest.raises(ContentError) as refused:
        parse_bulletin(FILE.format(original=original), "wifi-ko.md")
    assert message in str(refused.value)
