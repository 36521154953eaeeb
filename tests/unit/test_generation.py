"""Item generation: recipes, distractors, ladders, coverage and merging a regeneration."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft, OptionDraft
from app.domain.generation import (
    RECIPES,
    SLOTS,
    GenerationContext,
    check_item,
    coverage_problems,
    generate_items,
    generation_warnings,
    merge_regenerated,
    recipe,
)
from app.domain.generation.ladders import (
    date_ladder,
    duration_ladder,
    money_ladder,
    parse_date,
    quantity_ladder,
)
from app.domain.generation.normalise import normalise, sentence_with_mark

EN_BODY = """From 1 September, customers on the ==WiBro 50 GB== plan log into our Wi-Fi
hotspots with their ==WiBro ID==. No separate ==Wi-Fi bundle== is needed."""

EN_DOC = BulletinDoc(  # the example bulletin of product.md, section 4
    slug="wibro50-wifi-login",
    title="WiBro 50 GB customers log into Wi-Fi hotspots with their WiBro ID",
    effective=date(2010, 9, 1), skills=("wibro", "wifi"), body=EN_BODY, source="",
    critical=("f-login", "f-bundle"),
    facts=(
        Fact("f-login", "Wi-Fi login credential", "WiBro ID and password",
             old_value="a separate Wi-Fi bundle ID", line=20),
        Fact("f-bundle", "Separate Wi-Fi bundle needed", "no", "bool", old_value="yes", line=21),
        Fact("f-date", "Effective date", "2010-09-01", "date", line=22),
        Fact("f-plan", "Eligible plan", "WiBro 50 GB", not_values=("WiBro 30 GB", "WiBro 10 GB"),
             line=23),
    ),
)

KO_BODY = """9월 1일부터 ==와이브로 50GB== 요금제 고객은 ==와이브로 아이디==로 와이파이존에
로그인합니다. 별도의 ==와이파이 번들==은 필요하지 않습니다."""

KO_DOC = BulletinDoc(
    slug="wibro50-wifi-login-ko", title="와이브로 50GB 고객 와이파이 로그인", lang="ko",
    effective=date(2010, 9, 1), skills=("wibro", "wifi"), body=KO_BODY, source="",
    facts=(
        Fact("f-login", "와이파이 로그인 수단", "와이브로 아이디와 비밀번호",
             old_value="별도의 와이파이 번들 아이디", critical=True),
        Fact("f-bundle", "별도 와이파이 번들 필요", "아니요", "bool", old_value="예",
             critical=True),
        Fact("f-date", "시행일", "2010-09-01", "date"),
        Fact("f-plan", "대상 요금제", "와이브로 50GB",
             not_values=("와이브로 30GB", "와이브로 10GB")),
        Fact("f-fee", "월 요금", "33,000원", "money", old_value="38,500원"),
    ),
)

NUMBERS_DOC = BulletinDoc(
    slug="wibro-fees-2010", title="WiBro fees", effective=date(2010, 10, 1), skills=("wibro",),
    body="The ==monthly fee== drops and the ==data allowance== grows.", source="",
    critical=("f-fee",),
    facts=(
        Fact("f-fee", "Monthly fee", "₩33,000", "money", old_value="₩38,500"),
        Fact("f-cap", "Data allowance", "50 GB", "quantity", old_value="30 GB"),
        Fact("f-grace", "Cancellation grace period", "30 days", "duration"),
        Fact("f-switch", "Last day to switch plans", "2010-10-15", "date"),
        Fact("f-tier", "Default plan", "WiBro 30 GB", "enum:plans"),
    ),
)
GLOSSARY = GenerationContext(glossary={"plans": ("WiBro 10 GB", "WiBro 30 GB", "WiBro 50 GB")})
CASES = [(EN_DOC, None), (KO_DOC, None), (NUMBERS_DOC, GLOSSARY)]
CASE_IDS = ["en", "ko", "numbers"]


def by_key(items: list[ItemDraft]) -> dict[str, ItemDraft]:
    return {item.key: item for item in items}


def correct_text(item: ItemDraft) -> str:
    return next(option.text for option in item.options if option.correct)


def test_a_fact_with_only_its_old_value_gets_no_choice_item_and_a_warning():
    # product.md's example: the old value is the only wrong login credential known, so a
    # choice item would have two options; the trainer is told to add not: values instead.
    items = by_key(generate_items(EN_DOC))
    assert "f-login-1" not in items
    assert [k for k in items if k.startswith("f-login")] == ["f-login-2", "f-login-3"]
    assert [w.message for w in generation_warnings(EN_DOC, list(items.values()))] == [
        ("fact f-login: no choice item: 1 wrong value(s) of the value's kind are known and 2"
         " are needed; add 1 more not: value(s) written like the value")]
    true = items["f-login-2"]
    assert true.explanation == ("Since 1 September 2010, the Wi-Fi login credential is WiBro ID"
                                " and password. Before: a separate Wi-Fi bundle ID.")


def test_login_choice_offers_the_old_value_as_a_wrong_option():
    doc = replace(EN_DOC, facts=(replace(EN_DOC.facts[0], not_values=(
        "the mobile phone number and PIN", "the customer's e-mail address")),))
    item = by_key(generate_items(doc))["f-login-1"]
    assert (item.kind, item.recipe, item.fact) == ("choice", "choice", "f-login")
    assert item.stem == "From 1 September 2010, what is the Wi-Fi login credential?"
    assert correct_text(item) == "WiBro ID and password"
    assert OptionDraft("a separate Wi-Fi bundle ID", source="old") in item.options
    # the key names two things: the one-thing "e-mail address" is not offered alone (a form
    # cue) but paired with a part of the key
    assert {o.text for o in item.options} == {
        "WiBro ID and password", "a separate Wi-Fi bundle ID", "the mobile phone number and PIN",
        "WiBro ID and the customer's e-mail address"}


@pytest.mark.parametrize(("doc", "context"), CASES, ids=CASE_IDS)
def test_coverage_gaps_are_only_the_facts_the_trainer_is_warned_about(doc, context):
    items = generate_items(doc, context=context)
    warned = {w.params["key"] for w in generation_warnings(doc, items)}
    gaps = {p.params["key"] for p in coverage_problems(doc, items)}
    assert gaps <= warned
    for fact in doc.facts:
        if fact.key in warned:
            continue
        mine = [item for item in items if item.fact == fact.key]
        critical = fact.critical or fact.key in doc.critical
        assert len(mine) >= (3 if critical else 2), fact.key


@pytest.mark.parametrize(("doc", "context"), CASES, ids=CASE_IDS)
def test_every_generated_item_passes_every_gate(doc, context):
    for item in generate_items(doc, context=context):
        assert check_item(item, lang=doc.lang) == [], item


@pytest.mark.parametrize(("doc", "context"), CASES, ids=CASE_IDS)
def test_generation_is_deterministic_and_keys_are_stable(doc, context):
    first = generate_items(doc, context=context, seed=7)
    assert generate_items(doc, context=context, seed=7) == first
    other_seed = generate_items(doc, context=context, seed=8)
    assert {i.key for i in other_seed} <= {i.key for i in generate_items(doc, context=context)} \
        | {i.key for i in first}
    assert len({i.key for i in first}) == len(first)
    for item in first:
        slot = int(item.key.rsplit("-", 1)[1])
        assert item.key == f"{item.fact}-{slot}"
        assert slot in (SLOTS[item.recipe], SLOTS.get(f"{item.recipe}_false"))


def test_the_key_position_varies_over_the_corpus():
    positions = [
        [option.correct for option in item.options].index(True)
        for doc, context in CASES for item in generate_items(doc, context=context)
        if item.kind != "true_false"
    ]
    assert len(set(positions)) >= 3
    assert positions.count(0) < len(positions) / 2


def test_true_false_pair_states_the_new_and_the_old_value():
    items = by_key(generate_items(EN_DOC))
    true, false = items["f-login-2"], items["f-login-3"]
    assert true.stem == ("From 1 September 2010, the Wi-Fi login credential is"
                         " WiBro ID and password.")
    assert false.stem.endswith("is a separate Wi-Fi bundle ID.")
    assert [o.text for o in true.options] == ["True", "False"] == [o.text for o in false.options]
    assert correct_text(true) == "True" and correct_text(false) == "False"
    assert false.options[0].source == "old"  # answering "True" is the old misconception


def test_yes_no_fact_is_asked_and_judged_in_plain_sentences():
    items = by_key(generate_items(EN_DOC))
    question, true, false = items["f-bundle-1"], items["f-bundle-2"], items["f-bundle-3"]
    assert question.stem == "From 1 September 2010, is a separate Wi-Fi bundle needed?"
    assert (question.kind, question.recipe) == ("true_false", "choice")
    assert [(o.text, o.correct, o.source) for o in question.options] == [
        ("Yes", False, "old"), ("No", True, None)]
    assert true.stem == "From 1 September 2010, a separate Wi-Fi bundle is not needed."
    assert false.stem == "From 1 September 2010, a separate Wi-Fi bundle is needed."
    assert correct_text(true) == "True" and correct_text(false) == "False"
    assert not any("—" in item.stem for item in items.values())


def test_date_fact_stem_does_not_give_the_effective_date_away():
    item = by_key(generate_items(EN_DOC))["f-date-1"]
    assert item.stem == ("From what date does the change “WiBro 50 GB customers log into Wi-Fi"
                         " hotspots with their WiBro ID” apply?")  # it says what takes effect
    assert correct_text(item) == "1 September 2010"
    assert {o.source for o in item.options if not o.correct} == {"perturbed"}


def test_an_unchanged_fact_is_asked_without_a_date():
    items = by_key(generate_items(EN_DOC))
    assert items["f-plan-1"].stem == "What is the eligible plan?"  # no was: value
    assert items["f-plan-2"].stem == "The eligible plan is WiBro 50 GB."


@pytest.mark.parametrize(("key", "stem", "answer", "wrong"), [
    ("f-plan-4", ("From 1 September, customers on the _____ plan log into our Wi-Fi hotspots"
                 " with their WiBro ID."), "WiBro 50 GB",
     {"WiBro 30 GB", "WiBro 10 GB", "WiBro 20 GB"}),
])
def test_cloze_blanks_a_marked_term_of_the_fact(key, stem, answer, wrong):
    body = EN_BODY.replace("==WiBro 50 GB==", "==WiBro 50 GB==").replace(
        "their ==WiBro ID==", "their WiBro ID")
    doc = replace(EN_DOC, body=body, facts=(replace(EN_DOC.facts[3], not_values=(
        "WiBro 30 GB", "WiBro 10 GB", "WiBro 20 GB")),))
    item = by_key(generate_items(doc))[key]
    assert (item.kind, item.stem, correct_text(item)) == ("cloze", stem, answer)
    assert {o.text for o in item.options if not o.correct} <= wrong  # the fact's own values
    choice = by_key(generate_items(doc))[key.replace("-4", "-1")]
    assert {o.text for o in item.options} != {o.text for o in choice.options}


def test_cloze_never_takes_options_from_another_fact():
    # "Wi-Fi bundle" is marked but is no fact's value: no cloze, and no marked term is
    # offered to another fact's blank.
    items = generate_items(EN_DOC)
    assert not [item for item in items if item.kind == "cloze"]


MARKDOWN_BODY = """# Wi-Fi login

From 1 September, customers on the **==WiBro 50 GB==** plan log into [our hotspots](https://x)
with their ==WiBro ID==.

- Call `100` and press 4 for ==NeSPOT== questions.
"""


@pytest.mark.parametrize(("term", "sentence"), [
    ("WiBro ID", ("From 1 September, customers on the ==WiBro 50 GB== plan log into our"
                  " hotspots with their ==WiBro ID==.")),
    ("NeSPOT", "Call 100 and press 4 for ==NeSPOT== questions."),
    ("Wi-Fi bundle", None),
])
def test_sentence_with_mark_reads_markdown_blocks(term, sentence):
    assert sentence_with_mark(MARKDOWN_BODY, term) == sentence


def test_perturbed_and_scenario_items_are_retired():
    # An editor rated every one of them a duplicate of the choice item: they make nothing.
    doc = replace(EN_DOC, facts=(replace(EN_DOC.facts[0], not_values=(
        "the mobile phone number and PIN", "the customer's e-mail address")),))
    for items in (generate_items(doc), generate_items(NUMBERS_DOC)):
        assert not [item for item in items if item.recipe in ("perturbed", "scenario")]


def test_korean_bulletin_generates_korean_items():
    items = by_key(generate_items(KO_DOC))
    assert items["f-login-2"].stem == (
        "2010년 9월 1일부터 와이파이 로그인 수단은 와이브로 아이디와 비밀번호입니다.")
    assert [o.text for o in items["f-login-2"].options] == ["맞음", "틀림"]
    assert items["f-bundle-1"].stem == "2010년 9월 1일부터 별도 와이파이 번들이 필요합니까?"
    assert sorted(o.text for o in items["f-bundle-1"].options) == ["아니요", "예"]
    assert items["f-bundle-2"].stem == "2010년 9월 1일부터 별도 와이파이 번들이 필요하지 않습니다."
    assert items["f-date-1"].stem == \
        "‘와이브로 50GB 고객 와이파이 로그인’ 안내 내용은 언제부터 적용됩니까?"
    assert correct_text(items["f-date-1"]) == "2010년 9월 1일"
    assert items["f-fee-1"].stem == "2010년 9월 1일부터 월 요금은 얼마입니까?"
    # the body never gives the old fee: no "(이전: …)" the bulletin does not say
    assert items["f-fee-1"].explanation == "2010년 9월 1일부터 월 요금은 33,000원입니다."
    told = replace(KO_DOC, body=KO_BODY + "\n월 요금은 38,500원에서 내립니다.")
    assert "(이전: 38,500원)" in by_key(generate_items(told))["f-fee-1"].explanation
    assert items["f-plan-1"].stem == "대상 요금제는 무엇입니까?"  # unchanged: no date


@pytest.mark.parametrize(("key", "answer", "expected_wrong"), [
    ("f-fee-1", "₩33,000", {"₩38,500"}),
    ("f-cap-1", "50 GB", {"30 GB"}),
    ("f-grace-1", "30 days", set()),
    ("f-switch-1", "15 October 2010", set()),
])
def test_choice_items_take_near_values_from_ladders(key, answer, expected_wrong):
    item = by_key(generate_items(NUMBERS_DOC))[key]
    wrong = {o.text for o in item.options if not o.correct}
    assert correct_text(item) == answer and len(item.options) == 4
    assert expected_wrong <= wrong
    assert normalise(answer) not in {normalise(text) for text in wrong}
    assert {o.source for o in item.options if not o.correct} <= {"old", "perturbed"}


def test_enum_fact_draws_from_its_glossary():
    item = by_key(generate_items(NUMBERS_DOC, context=GLOSSARY))["f-tier-1"]
    assert {o.text for o in item.options} == {"WiBro 10 GB", "WiBro 30 GB", "WiBro 50 GB"}
    assert {o.source for o in item.options if not o.correct} == {"glossary"}


def test_other_bulletins_lend_options_but_never_their_true_values():
    context = GenerationContext(other_facts=(
        Fact("f-cap", "Data allowance", "100 GB", "quantity", old_value="20 GB"),  # true there
        Fact("f-cap2", "Data allowance for students", "40 GB", "quantity"),
    ))
    items = generate_items(NUMBERS_DOC, context=context)
    texts = {normalise(o.text) for item in items if item.fact == "f-cap" for o in item.options}
    assert normalise("100 GB") not in texts
    choice = by_key(items)["f-cap-1"]
    assert OptionDraft("20 GB", source="other_bulletin") in choice.options
    assert OptionDraft("40 GB", source="other_bulletin") in choice.options


def test_a_declared_old_value_stays_even_when_another_bulletin_still_states_it():
    context = GenerationContext(other_facts=(Fact("f-fee", "Monthly fee", "₩38,500", "money"),))
    choice = by_key(generate_items(NUMBERS_DOC, context=context))["f-fee-1"]
    assert OptionDraft("₩38,500", source="old") in choice.options


def test_a_fact_without_any_wrong_value_is_reported():
    doc = replace(EN_DOC, facts=(Fact("f-note", "Hotline", "Call 100, press 4", critical=True),),
                  body="Nothing marked.")
    items = generate_items(doc)
    assert items == []  # "Hotline: Call 100, press 4." is no statement an editor accepts
    assert [p.message for p in coverage_problems(doc, items)] == [
        "critical fact f-note: 0 item(s) of 0 kind(s); needs at least 3 items of 2 different kinds"
    ]
    assert generation_warnings(doc, items)[0].message.startswith("fact f-note: no choice item")


def test_recipes_are_a_registry():
    assert list(RECIPES) == ["choice", "true_false", "cloze", "perturbed", "scenario"]

    @recipe("nothing")
    def nothing(doc, fact, context, rng):
        return []

    try:
        assert RECIPES["nothing"] is nothing
        assert generate_items(EN_DOC) == generate_items(EN_DOC)
    finally:
        del RECIPES["nothing"]


@pytest.mark.parametrize(("value", "expected"), [
    # Korean prices with VAT sit on a 1,100 grid: the neighbours stay on it
    # one grid step either side only when 5 % or more away: not ₩31,900 beside ₩33,000
    ("₩33,000", ["₩29,700", "₩36,300", "₩16,500", "₩66,000"]),
    ("33,000원", ["29,700원", "36,300원", "16,500원", "66,000원"]),
    ("$9.99", ["$8.99", "$10.99", "$5.00", "$19.98"]),
    ("5,000 won", ["6,000 won", "3,000 won", "10,000 won", "4,000 won"]),
    ("free", []),
])
def test_money_ladder(value, expected):
    assert money_ladder(value) == expected


def test_a_free_amount_borrows_the_neighbours_of_the_old_price():
    assert money_ladder("0원", around="2,200원") == ["1,100원", "4,400원", "3,300원"]
    assert money_ladder("0원") == []


@pytest.mark.parametrize(("value", "family", "first"), [
    ("50 GB", None, ["40 GB", "60 GB", "30 GB"]),
    ("50GB", None, ["40GB", "60GB", "30GB"]),
    ("1.5 GB", None, ["0.5 GB", "2.5 GB"]),  # the same decimals
    ("5.9%", None, ["4.9%", "6.9%", "3.9%", "7.9%"]),
    ("1,000개", "count", ["800개", "1,500개"]),  # not 999 and 1,001
    ("300 minutes", None, ["250 minutes", "400 minutes", "200 minutes"]),
    ("1 device", "count", ["2 devices", "3 devices"]),
    ("3 attempts", "count", ["4 attempts", "2 attempts", "5 attempts", "1 attempt"]),
    # ages are thresholds people set: the 5-year grid and the usual 14/19/20/65/70, never 64
    # beside 65 nor 24 beside 19
    ("65 years", "age", ["60 years", "70 years"]),
    ("만 24세", "age", ["만 20세", "만 19세", "만 14세"]),
    ("19 years", "age", ["20 years", "15 years", "14 years"]),
    ("14 years", "age", ["10 years", "19 years", "20 years"]),
    ("256 kbps", None, ["128 kbps", "384 kbps", "64 kbps", "512 kbps"]),  # not 250 kbps
    ("24", None, ["20", "15", "30"]),  # not 25: a near-duplicate of 24
    ("500 MB", None, ["400 MB", "600 MB", "300 MB"]),
])
def test_quantity_ladder(value, family, first):
    assert quantity_ladder(value, family)[: len(first)] == first


@pytest.mark.parametrize(("value", "contract", "expected"), [
    ("30 days", False, ["14 days", "60 days", "10 days", "90 days"]),
    ("14일", False, ["10일", "30일", "7일", "5일"]),
    ("2 hours", False, ["1 hour", "3 hours", "4 hours", "6 hours"]),
    ("24 hours", False, ["12 hours", "48 hours", "8 hours", "72 hours", "6 hours"]),
    # the unit is the first word: "방문 24시간 전" is on the hour ladder, not 20/25시간
    ("방문 24시간 전", False, ["방문 12시간 전", "방문 48시간 전", "방문 8시간 전",
                          "방문 72시간 전", "방문 6시간 전"]),
    ("48 hours before the visit", False, ["24 hours before the visit",
                                          "72 hours before the visit",
                                          "12 hours before the visit"]),
    ("2 working days", False, ["1 working day", "3 working days", "5 working days"]),
    ("3영업일", False, ["2영업일", "5영업일", "1영업일", "7영업일"]),
    ("12 months", True, ["24 months", "36 months"]),  # contracts run 12, 24 or 36 months
    ("36 months", True, ["24 months", "12 months"]),
    ("3 fortnights", False, []),
])
def test_duration_ladder(value, contract, expected):
    assert duration_ladder(value, contract=contract) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("2010-09-01", "en", ["1 August 2010", "1 October 2010", "25 August 2010", "8 September 2010"]),
    ("2010-09-01", "ko", ["2010년 8월 1일", "2010년 10월 1일", "2010년 8월 25일",
                          "2010년 9월 8일"]),
    ("2010-12-20", "en", ["20 November 2010", "20 January 2011", "13 December 2010",
                          "27 December 2010"]),
    ("someday", "en", []),
])
def test_date_ladder(value, lang, expected):
    assert date_ladder(value, lang) == expected


@pytest.mark.parametrize(("text", "day"), [
    ("2010-09-01", date(2010, 9, 1)), ("2010.9.1", date(2010, 9, 1)),
    ("2010년 9월 1일", date(2010, 9, 1)), ("1 September 2010", date(2010, 9, 1)),
    ("2010-02-30", None), ("soon", None),
])
def test_parse_date(text, day):
    assert parse_date(text) == day


def draft(key: str, stem: str = "generated", status: str = "draft", recipe_name: str = "choice"):
    return ItemDraft(key=key, fact=key.rsplit("-", 1)[0], kind="choice", stem=stem,
                     options=(OptionDraft("a", correct=True), OptionDraft("b", source="old")),
                     status=status, recipe=recipe_name)


NEW_A, NEW_B = ("f-a-1", "new stem", "draft"), ("f-b-1", "brand new", "draft")


@pytest.mark.parametrize(("existing", "protected", "expected"), [
    # a draft is refreshed from the new generation; its key stays
    ([draft("f-a-1", "old stem")], set(), [NEW_A, NEW_B]),
    # a trainer-edited draft is never overwritten
    ([draft("f-a-1", "edited")], {"f-a-1"}, [("f-a-1", "edited", "draft"), NEW_B]),
    # approved and retired items are kept as they are
    ([draft("f-a-1", "ok", "approved")], set(), [("f-a-1", "ok", "approved"), NEW_B]),
    ([draft("f-a-1", "bad", "retired")], set(), [("f-a-1", "bad", "retired"), NEW_B]),
    # a draft whose key is no longer generated is dropped, unless protected or hand-written
    ([draft("f-gone-1")], set(), [NEW_A, NEW_B]),
    ([draft("f-gone-1", "mine")], {"f-gone-1"}, [("f-gone-1", "mine", "draft"), NEW_A, NEW_B]),
    ([draft("f-hand-9", "typed", recipe_name="")], set(),
     [("f-hand-9", "typed", "draft"), NEW_A, NEW_B]),
    # an approved item no longer generated stays (retiring it is the trainer's call)
    ([draft("f-old-1", "x", "approved")], set(), [("f-old-1", "x", "approved"), NEW_A, NEW_B]),
])
def test_merge_regenerated(existing, protected, expected):
    # new keys are appended as drafts, whatever status the generator gave them
    generated = [draft("f-a-1", "new stem"), draft("f-b-1", "brand new", status="approved")]
    merged = merge_regenerated(existing, generated, protected=protected)
    assert [(item.key, item.stem, item.status) for item in merged] == expected


def test_merge_keeps_the_existing_order_and_appends_new_items():
    existing = [draft("f-b-1", "b", "approved"), draft("f-a-1", "a")]
    generated = [draft("f-a-1", "a2"), draft("f-b-1", "b2"), draft("f-c-1", "c")]
    merged = merge_regenerated(existing, generated, protected=())
    assert [(i.key, i.stem) for i in merged] == [("f-b-1", "b"), ("f-a-1", "a2"), ("f-c-1", "c")]
