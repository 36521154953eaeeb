"""Round 4 of issue #14: table tests on made-up labels for each defect class of the fourth
blind rating (count labels asked as questions, no label-colon statements, the effective
date named by the bulletin's title)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact, OptionDraft
from app.domain.generation import generate_items
from app.domain.generation.answers import ko_answer_statement
from app.domain.generation.claims import claims
from app.domain.generation.cloze import counted_aside
from app.domain.generation.count_labels import count_label_question
from app.domain.generation.korean_claims import korean_claims
from app.domain.generation.neutral import action_question
from app.domain.generation.option_sets import length_first
from app.domain.generation.phrasing import explanation, question_stem, said_as

EN = BulletinDoc(slug="b", title="Hub rules change", effective=date(2027, 5, 3),
                 skills=("billing",), facts=(), body="", source="")
KO = replace(EN, lang="ko", title="허브 요금 변경")


def fact(label, value, kind="text", old=None, nots=(), key="f-x"):
    return Fact(key, label, value, kind, old, tuple(nots))


@pytest.mark.parametrize(("label", "value", "kind", "question"), [
    ("Tablets that can join one hub at the same time", "2 tablets", "quantity",
     "How many tablets can join one hub at the same time?"),
    ("Tablets that can be linked to one account", "up to 4 tablets", "quantity",
     "What is the maximum number of tablets that can be linked to one account?"),
    ("Routers allowed on one contract", "3 routers", "quantity",
     "How many routers are allowed on one contract?"),
    ("Tariff switches allowed per cycle", "2 switches", "quantity",
     "How many tariff switches are allowed per cycle?"),
    ("Hours between the reminder and the cut-off", "48 hours", "duration",
     "How many hours are there between the reminder and the cut-off?"),
    ("Most an agent can refund without sign-off", "KRW 5,000", "money",
     "What is the most an agent can refund without sign-off?"),
    ("Unpaid bills before the line is cut", "2 bills", "quantity",
     "After how many unpaid bills is the line cut?"),
    ("Wrong codes before the hubs are locked", "3 codes", "quantity",
     "After how many wrong codes are the hubs locked?"),
    ("Unpaid bills before the line goes dark", "2 bills", "quantity", None),  # a verb to inflect
    ("Most hubs allowed per flat", "3 hubs", "quantity", None),  # the bound: english_counts
    ("Saved numbers the hub can dial", "10 numbers", "quantity",
     "How many saved numbers can the hub dial?"),
    ("Monthly hub fee", "KRW 3,000", "money", None),
    ("Tablets that can join one hub", "2 tablets", "text", None),  # counts only
])
def test_a_count_label_hiding_a_clause_is_asked_as_a_real_question(label, value, kind, question):
    assert count_label_question(fact(label, value, kind)) == question


@pytest.mark.parametrize(("label", "value", "kind"), [
    ("Tablets that can join one hub at the same time", "2 tablets", "quantity"),
    ("Routers allowed on one contract", "3 routers", "quantity"),
    ("Most an agent can refund without sign-off", "KRW 5,000", "money"),
])
def test_a_count_label_gets_its_question_and_no_statement(label, value, kind):
    item = fact(label, value, kind, nots=("1 tablet", "5 tablets"))
    doc = replace(EN, facts=(item,))
    assert question_stem(doc, item) == count_label_question(item)
    assert said_as(doc, item, value)[1] is False  # a smaller count "can" join too
    assert explanation(doc, item).startswith(count_label_question(item))
    assert not [i for i in generate_items(doc) if i.kind == "true_false"]


@pytest.mark.parametrize(("doc", "label", "value"), [
    (EN, "Who signs the delivery note when a router is swapped", "the engineer"),
    (EN, "How the engineer resets the router", "hold the reset pin for 5 seconds"),
    (EN, "Deposit the shop must hold back", "KRW 50,000"),
    (KO, "고객이 약정을 일찍 끝내고 싶으면", "위약금 안내 후 해지"),
    (KO, "모뎀 교체 접수 순서", "확인 → 접수 → 안내"),
])
def test_no_true_false_item_is_ever_a_label_colon_value(doc, label, value):
    item = fact(label, value, old="zz", nots=("yy", "xx"))
    items = generate_items(replace(doc, facts=(item,)))
    for made in items:
        if made.kind == "true_false" and made.recipe == "true_false":
            assert not made.stem.rstrip(".").endswith(f": {value}")


@pytest.mark.parametrize(("lang", "title", "stem", "said"), [
    ("en", "Hub fees drop — from KRW 3,000 to KRW 2,000",
     "From what date does the change “Hub fees drop” apply?",
     "The change “Hub fees drop” applies from 3 May 2027."),
    ("ko", "허브 요금 변경 — 3,000원에서 2,000원으로", "허브 요금 변경은 언제부터 적용됩니까?",
     "허브 요금 변경은 2027년 5월 3일부터 적용됩니다."),
    ("ko", "허브 요금 인하", "허브 요금 인하는 언제부터 적용됩니까?",
     "허브 요금 인하는 2027년 5월 3일부터 적용됩니다."),
    ("ko", "허브 최대 3대로 확대", "‘허브 최대 3대로 확대’ 안내 내용은 언제부터 적용됩니까?",
     "‘허브 최대 3대로 확대’ 안내 내용은 2027년 5월 3일부터 적용됩니다."),
    ("en", "Hub rental — cheaper from May", "From what date do the changes in “Hub rental” apply?",
     "The changes in “Hub rental” apply from 3 May 2027."),
    ("ko", "허브 요금이 내립니다", "‘허브 요금이 내립니다’ 안내 내용은 언제부터 적용됩니까?",
     "‘허브 요금이 내립니다’ 안내 내용은 2027년 5월 3일부터 적용됩니다."),
    ("ko", "화난 고객 — 기록을 남깁니다", "‘화난 고객’ 안내 내용은 언제부터 적용됩니까?",
     "‘화난 고객’ 안내 내용은 2027년 5월 3일부터 적용됩니다."),
])
def test_the_effective_date_is_asked_about_what_takes_effect(lang, title, stem, said):
    item = fact("Effective date" if lang == "en" else "시행일", "2027-05-03", "date")
    doc = replace(EN, lang=lang, title=title, facts=(item,))
    assert question_stem(doc, item) == stem
    value = "3 May 2027" if lang == "en" else "2027년 5월 3일"
    assert said_as(doc, item, value) == (said, True)


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "The “Hub” rules"),
    ("en", "Hub fees drop by a third and every customer on the old plan moves to the new one"),
    ("ko", "허브 요금이 3분의 1 내리고, 옛 요금제 고객은 모두 새 요금제로 옮깁니다"),
])
def test_a_title_that_cannot_be_used_gets_no_effective_date_item(lang, title):
    item = fact("Effective date", "2027-05-03", "date")
    doc = replace(EN, lang=lang, title=title, facts=(item,))
    assert not [i for i in generate_items(doc) if i.fact == "f-x" and i.kind != "cloze"]


@pytest.mark.parametrize(("question", "positive", "negative"), [
    ("Does a tariff switch reset the warranty?", "A tariff switch resets the warranty",
     "A tariff switch does not reset the warranty"),  # "switch" belongs to the subject
    ("Does a line move cancel the bundle?", "A line move cancels the bundle",
     "A line move does not cancel the bundle"),
    ("Does the hub reset the password?", "The hub resets the password",
     "The hub does not reset the password"),
    ("Does spare data roll over?", "Spare data rolls over", "Spare data does not roll over"),
])
def test_a_do_question_keeps_a_noun_noun_subject_whole(question, positive, negative):
    assert claims(question, "en") == (positive, negative)


@pytest.mark.parametrize(("label", "value", "kind", "question"), [
    ("Smallest top-up accepted", "KRW 1,000", "money", "What is the smallest top-up accepted?"),
    ("Documents required", "ID card", "text", "Which documents are required?"),
])
def test_a_superlative_label_is_not_asked_which(label, value, kind, question):
    item = fact(label, value, kind)
    assert question_stem(replace(EN, facts=(item,)), item) == question


def test_a_prohibition_is_asked_are_you_allowed_to():
    assert action_question("Ask the caller for their hub PIN", "must_not") == \
        "Are you allowed to ask the caller for their hub PIN?"


@pytest.mark.parametrize(("label", "positive", "negative"), [
    ("허브 결합 할인 유지", "허브 결합 할인이 유지됩니다", "허브 결합 할인이 유지되지 않습니다"),
    ("배송비 포함", "배송비가 포함됩니다", "배송비가 포함되지 않습니다"),
    ("고객에게 매장에 다시 가라고 안내", "고객에게 매장에 다시 가라고 안내합니다",
     "고객에게 매장에 다시 가라고 안내하지 않습니다"),  # no 를 after a quoted instruction
    ("젖은 허브도 무상 교체되는지", "젖은 허브도 무상 교체됩니다",
     "젖은 허브는 무상 교체되지 않습니다"),  # the question's 도 is not kept in the negation
    ("전송 속도 변경되는지", "전송 속도 변경됩니다", "전송 속도 변경되지 않습니다"),
])
def test_korean_claims_use_the_passive_and_no_stray_particles(label, positive, negative):
    assert korean_claims(label) == (positive, negative)


@pytest.mark.parametrize(("question", "value", "said"), [
    ("허브를 반납하면 언제 보증금이 돌아옵니까?", "3시간",
     "허브를 반납하면 3시간 안에 보증금이 돌아옵니다."),
    ("허브를 반납하면 언제 보증금이 돌아옵니까?", "2영업일",
     "허브를 반납하면 2영업일 안에 보증금이 돌아옵니다."),
    ("요금 변경은 언제 적용됩니까?", "다음 달 1일", "요금 변경은 다음 달 1일에 적용됩니다."),
])
def test_a_korean_duration_answers_when_with_an(question, value, said):
    assert ko_answer_statement(question, value) == said


def test_a_korean_bracketed_condition_goes_before_the_label():
    item = fact("직원이 돌려줄 수 있는 최대 금액 (1년에 한 번)", "3,000원", "money",
                nots=("5,000원", "1,000원"))
    doc = replace(KO, facts=(item,))
    assert question_stem(doc, item) == "1년에 한 번, 직원이 돌려줄 수 있는 최대 금액은 얼마입니까?"
    assert "(" not in said_as(doc, item, "3,000원")[0]


def test_a_yes_no_fact_without_a_claim_is_explained_by_its_question_and_answer():
    item = fact("Is the new hub a different model from the old hub?", "no", "bool")
    doc = replace(EN, facts=(item,))
    assert explanation(doc, item) == "Is the new hub a different model from the old hub? No."


def test_a_korean_answer_that_repeats_the_topic_noun_is_not_spliced():
    assert ko_answer_statement("합산 청구가 되면 요금은 누가 냅니까?",
                               "대표자 한 명이 전체 요금을 납부") is None


@pytest.mark.parametrize(("stem", "term", "gives_away"), [
    ("A customer may link _____ to one hub (a laptop, a phone and a TV, for example).",
     "3 devices", True),
    ("A customer may link _____ to one hub (a laptop or a phone).", "2 devices", True),
    ("A customer may link _____ to one hub (a laptop or a phone).", "4 devices", False),
    ("A customer may link _____ to one hub.", "3 devices", False),
])
def test_a_cloze_whose_bracketed_list_counts_the_key_is_refused(stem, term, gives_away):
    assert counted_aside(stem, term) is gives_away


def _cloze_stems(body, item):
    doc = replace(EN, body=body, facts=(item,))
    return [i.stem for i in generate_items(doc) if i.kind == "cloze"]


def test_no_cloze_is_made_from_table_markup_and_a_lead_in_is_dropped():
    item = fact("Monthly hub fee", "KRW 2,000", "money", old="KRW 3,000",
                nots=("KRW 2,500", "KRW 4,000"))
    table = "| fee | before | now |\n|---|---|---|\n| monthly hub fee | KRW 3,000 | ==KRW 2,000== |"
    assert _cloze_stems(table, item) == []
    idle = fact("Idle hub logout", "30 minutes", "duration", nots=("10 minutes", "60 minutes"))
    stems = _cloze_stems("Unchanged: an idle hub session is logged out after ==30 minutes==.",
                         idle)
    assert all(not s.startswith("Unchanged") for s in stems)


@pytest.mark.parametrize(("key", "texts", "first"), [
    ("restart the hub and wait for the green light", ["reset it", "call 100",
     "unplug the hub and plug it back in", "send an engineer to the house"],
     ["unplug the hub and plug it back in", "send an engineer to the house"]),
    ("3 hubs", ["2 hubs", "5 hubs"], ["2 hubs", "5 hubs"]),  # short keys: order kept
])
def test_distractors_of_the_keys_length_are_offered_first(key, texts, first):
    wrongs = [OptionDraft(text=t, source="not") for t in texts]
    assert [w.text for w in length_first(key, wrongs)][:2] == first


def test_the_old_value_stays_first_whatever_its_length():
    wrongs = [OptionDraft(text="no", source="old"), OptionDraft(text="a long enough one",
                                                                  source="not")]
    assert length_first("a rather long key value here", wrongs)[0].source == "old"


def test_a_korean_bracketed_qualifier_stays_on_its_noun():
    item = fact("허브 월 요금 (부가세 포함)", "3,300원", "money", nots=("3,000원", "2,200원"))
    doc = replace(KO, facts=(item,))
    assert question_stem(doc, item) == "허브 월 요금(부가세 포함)은 얼마입니까?"
