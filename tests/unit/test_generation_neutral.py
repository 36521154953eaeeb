"""The causes of the second blind rating, each on made-up labels: the neutral frame when a
label's shape is not recognised, Korean wording, need-not never said as should-not, options
compared as sets of list elements, plausible ages, cloze sentences with their subject, and
the lint checks for the new mechanical defects."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft, OptionDraft
from app.domain.generation import generate_items, generation_warnings, lint_items
from app.domain.generation.claims import claims
from app.domain.generation.cloze_guard import balanced, contradicts, has_referent
from app.domain.generation.korean_claims import korean_claims
from app.domain.generation.labels import ko_question_from_embedded
from app.domain.generation.ladders import age_ladder
from app.domain.generation.neutral import (
    action_claims,
    clause_in_noun,
    doubtful_question,
    doubtful_statement,
    neutral_statement,
    neutral_stem,
    obligation,
)
from app.domain.generation.option_sets import (
    holds_key,
    inclusive_first,
    repeats_element,
    restricted_inside,
)
from app.domain.generation.phrasing import question_stem, statement, yes_no_claims

EN = BulletinDoc(slug="b", title="t", effective=date(2027, 5, 3), skills=("billing",),
                 facts=(), body="", source="")
KO = replace(EN, lang="ko")


def fact(label, value, kind="text", old=None, nots=(), ask=None, key="f-x"):
    return Fact(key, label, value, kind, old, tuple(nots), ask=ask)


# -- 1. the neutral frame ---------------------------------------------------------------------

@pytest.mark.parametrize(("label", "lang", "since", "stem"), [
    ("Retries before the modem is reset", "en", None,
     "Retries before the modem is reset: which is correct?"),
    ("Deposit the shop must hold back", "en", "3 May 2027",
     "Deposit the shop must hold back (from 3 May 2027): which is correct?"),
    ("요금제를 바꾸면", "ko", None, "요금제를 바꾸면: 옳은 것은?"),
    ("요금제를 바꾸면", "ko", "2027년 5월 3일", "2027년 5월 3일부터 요금제를 바꾸면: 옳은 것은?"),
])
def test_the_neutral_stem_is_grammatical_whatever_the_label(label, lang, since, stem):
    assert neutral_stem(label, lang, since) == stem


@pytest.mark.parametrize(("label", "value", "lang", "said"), [
    ("How long a voucher code is valid", "5 minutes", "en",
     "How long a voucher code is valid: 5 minutes."),
    ("반송되면", "재발송, 수수료 없음", "ko", "반송되면: 재발송, 수수료 없음."),
])
def test_the_neutral_statement_is_label_colon_value(label, value, lang, said):
    assert neutral_statement(label, value, lang) == said


@pytest.mark.parametrize(("label", "value", "doubtful"), [
    ("Deposit the shop must hold back", "₩50,000", True),  # a contact clause
    ("Retries before the modem is reset", "4 retries", True),  # the value repeats the head
    ("Balance that is paid back", "₩2,000", False),  # a relative clause: a noun phrase
    ("Steps when a modem is faulty", "restart it, then call", False),
    ("Monthly rental fee", "₩3,300", False),
])
def test_a_clause_hidden_in_a_noun_label_is_recognised(label, value, doubtful):
    assert clause_in_noun(label, value) is doubtful


@pytest.mark.parametrize(("question", "doubtful"), [
    ("How long pre-paid does voucher stay valid?", True),
    ("How many towns covered by the offer?", True),
    ("How long does pre-paid voucher stay valid?", False),
    ("How many towns does the offer cover?", False),
    ("When does a trial week end?", False),
])
def test_a_garbled_generated_question_is_caught(question, doubtful):
    assert doubtful_question(question) is doubtful


@pytest.mark.parametrize(("said", "label", "value", "doubtful"), [
    ("the voucher is code valid 5 minutes.", "How long the voucher code is valid", "5 minutes",
     True),  # words out of order
    ("the modem stills receive data after the cap 3 days.",
     "How long the modem still receives data after the cap", "3 days", True),  # new words
    ("when a trial week ends, 7 days after sign-up.", "When a trial week ends",
     "7 days after sign-up", True),  # the clause kept its wh-word
    ("A faulty router is picked up by courier.", "How a faulty router is collected",
     "picked up by courier", False),
    ("The engineer leaves a note after the visit.", "What the engineer does after the visit",
     "leave a note", False),
])
def test_a_garbled_statement_from_a_clause_label_is_caught(said, label, value, doubtful):
    assert doubtful_statement(said, label, "embedded", value) is doubtful


def test_an_unrecognised_label_gets_no_item_and_the_trainer_is_asked_for_the_question():
    shaky = fact("Deposit the shop must hold back", "₩50,000", "money",
                 old="₩30,000", nots=("₩70,000", "₩100,000"))
    doc = replace(EN, facts=(shaky,))
    assert question_stem(doc, shaky) == \
        "Deposit the shop must hold back (from 3 May 2027): which is correct?"
    assert statement(doc, shaky, "₩50,000") == \
        "Deposit the shop must hold back (from 3 May 2027): ₩50,000."
    items = generate_items(doc)
    assert not [item for item in items if item.recipe == "choice"]  # never the frame
    assert [w.code for w in generation_warnings(doc, items)][:1] == ["advice_write_ask"]


@pytest.mark.parametrize(("label", "positive", "negative"), [
    ("Sole shops qualify for the loyalty credit", "Sole shops qualify for the loyalty credit",
     "Sole shops do not qualify for the loyalty credit"),
    ("Warranty months reset after a repair", "Warranty months reset after a repair",
     "Warranty months do not reset after a repair"),
])
def test_a_plural_subject_and_verb_is_a_claim_not_there_is(label, positive, negative):
    assert claims(label, "en") == (positive, negative)


# -- 2. Korean wording ------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "question"), [
    ("요금제 이름이 바뀌는지", "요금제 이름이 바뀝니까?"),
    ("모뎀 번호를 받는지", "모뎀 번호를 받습니까?"),
])
def test_a_korean_whether_clause_becomes_a_question(label, question):
    assert ko_question_from_embedded(label) == question


@pytest.mark.parametrize(("label", "positive", "negative"), [
    ("상담 중 고객이 먼저 창을 닫아도 됩니까?", "상담 중 고객이 먼저 창을 닫아도 됩니다",
     "상담 중 고객이 먼저 창을 닫으면 안 됩니다"),
    ("야간에 매장 문을 열어도 됩니까?", "야간에 매장 문을 열어도 됩니다",
     "야간에 매장 문을 열면 안 됩니다"),
    ("요금제 이름이 바뀌는지", "요금제 이름이 바뀝니다", "요금제 이름이 바뀌지 않습니다"),
])
def test_korean_permission_is_denied_with_myeon_an_doemnida(label, positive, negative):
    assert korean_claims(label) == (positive, negative)


def test_a_korean_possible_or_impossible_action_is_said_with_su_itda():
    rule = fact("보호자 동의 없이 요금제 변경", "불가", "bool")
    doc = replace(KO, facts=(rule,))
    assert yes_no_claims(doc, rule) == ("보호자 동의 없이 요금제를 변경할 수 없습니다.",
                                        "보호자 동의 없이 요금제를 변경할 수 있습니다.")


@pytest.mark.parametrize(("label", "value", "said"), [
    # a telegraphic value after a condition: the plain frame, not a pasted sentence
    ("요금을 두 번 내면", "자동 환불 불가, 상담사가 환불 접수",
     "요금을 두 번 내면: 자동 환불 불가, 상담사가 환불 접수."),
    # the label's verb again at the end ("신청할 때 … 신청합니다")
    ("해지를 신청할 때", "명의자가 신분증과 함께 신청",
     "해지를 신청할 때: 명의자가 신분증과 함께 신청."),
])
def test_korean_condition_statements_that_would_be_telegraphic_use_the_frame(label, value,
                                                                            said):
    doc = replace(KO, facts=(fact(label, value),))
    assert statement(doc, doc.facts[0], value) == said


def test_a_korean_age_is_asked_with_myeot_se():
    age = fact("할인받는 나이", "만 70세 이상", "quantity", nots=("만 65세 이상", "만 75세 이상"))
    assert question_stem(replace(KO, facts=(age,)), age) == "할인받는 나이는 몇 세입니까?"


def test_a_korean_condition_answered_with_a_time_is_not_asked_how():
    when = fact("주소를 바꾸면", "다음 달 청구서부터 적용", nots=("즉시 적용", "석 달 뒤 적용"))
    assert question_stem(replace(KO, facts=(when,)), when) == "주소를 바꾸면: 옳은 것은?"


# -- 3. need-not is never should-not ----------------------------------------------------------

@pytest.mark.parametrize(("body", "meaning"), [
    ("After a handover the new agent need not check the customer's PIN again.", "need_not"),
    ("Agents must never read the customer's PIN back on the phone.", "must_not"),
    ("The PIN is four digits.", None),
])
def test_the_meaning_of_no_is_read_from_the_bulletin(body, meaning):
    assert obligation(body, "Check the customer's PIN again after a handover"
                      if "handover" in body else "Read the customer's PIN back") == meaning


@pytest.mark.parametrize(("truth", "meaning", "expected"), [
    (False, "need_not",
     ("You do not have to check the PIN again.", "You must check the PIN again.")),
    (False, "must_not", ("You must not check the PIN again.", "You may check the PIN again.")),
    (False, None, None),
    (True, None, ("You must check the PIN again.", "You do not have to check the PIN again.")),
])
def test_an_action_label_is_never_phrased_as_should(truth, meaning, expected):
    assert action_claims("Check the PIN again", truth, meaning) == expected


def test_an_exemption_is_a_do_not_have_to_item_keyed_true():
    body = "After a handover the receiving agent ==need not== check the customer's PIN again."
    rule = fact("Check the customer's PIN again after a handover", "no", "bool")
    items = generate_items(replace(EN, body=body, facts=(rule,)))
    stems = [i.stem for i in items]
    assert "You do not have to check the customer's PIN again after a handover." in stems
    assert not any("should" in s for s in stems)


# -- 3 and 4. options as sets of list elements -------------------------------------------------

@pytest.mark.parametrize(("key", "option", "held"), [
    ("모뎀, 전원선, 영수증", "모뎀, 전원선, 모뎀과 영수증", True),  # the key spliced with another
    ("by post, by email", "by post, by email or in a shop", True),  # a superset
    ("by post, by email", "by post only", False),
    ("check, book, confirm", "book, check, confirm", False),  # a wrong order of steps
    ("₩5,000", "₩5,000 a month", False),  # one element: not a list
])
def test_a_wrong_option_naming_every_key_element_is_found(key, option, held):
    assert holds_key(key, option) is held


@pytest.mark.parametrize(("option", "repeated"), [
    ("114번만, 앱, 114번", True),
    ("in a shop only, online, in a shop", True),
    ("앱, 홈페이지, 114번", False),
])
def test_an_option_naming_an_element_twice_is_found(option, repeated):
    assert repeats_element(option) is repeated


# -- 4. plausible ages, cloze --------------------------------------------------------------------

@pytest.mark.parametrize(("key", "first"), [
    (19, [20, 15, 14]),  # within 5 years (fresh9: 만 25세 beside 만 19세 is unlikely)
    (65, [60, 70]),
    (24, [20, 19, 14]),
])
def test_ages_sit_on_the_5_year_grid_or_the_usual_thresholds(key, first):
    assert age_ladder(Decimal(key))[:4] == [Decimal(n) for n in first]
    assert Decimal(key + 5) not in age_ladder(Decimal(key)) or (key + 5) % 5 == 0


@pytest.mark.parametrize(("stem", "option", "absurd"), [
    ("월 _____의 발송 수수료가 부과됩니다.", "월 0원(무료)", True),
    ("A _____ delivery fee is charged.", "free", True),
    ("A _____ delivery fee is charged.", "₩3,000", False),
    ("배송은 _____입니다.", "무료", False),  # no charge in the sentence
])
def test_a_free_option_in_a_sentence_about_a_charge_is_absurd(stem, option, absurd):
    assert contradicts(stem, option) is absurd


@pytest.mark.parametrize(("stem", "label", "ok"), [
    ("The code works for _____.", "How long the voucher code is valid", False),
    ("The voucher code sent by text is valid for _____.", "How long the voucher code is valid",
     True),
    ("쌓은 날부터 _____입니다.", "마일리지 유효기간", False),
    ("필요한 서류는 _____입니다.", "명의 변경에 필요한 서류", False),
    ("명의 변경에 필요한 서류는 _____입니다.", "명의 변경에 필요한 서류", True),
    ("Customers on the _____ plan get free calls.", "Eligible plan", True),  # the head noun
])
def test_a_cloze_sentence_must_say_what_it_is_about(stem, label, ok):
    assert has_referent(stem, label) is ok


@pytest.mark.parametrize(("stem", "ok"), [
    ("Give _____ of notice (weekends.", False),
    ("Give _____ of notice (weekends do not count).", True),
])
def test_a_cloze_sentence_cut_inside_brackets_is_refused(stem, ok):
    assert balanced(stem) is ok


# -- lint: the new mechanical defects ---------------------------------------------------------

def _item(kind, stem, options):
    return ItemDraft(key="f-x-1", fact="f-x", kind=kind, stem=stem,
                     options=tuple(OptionDraft(t, correct=c) for t, c in options),
                     explanation="", recipe="choice")


@pytest.mark.parametrize(("item", "code"), [
    (_item("choice", "Where can a customer pay?",
           [("앱, 홈페이지, 114번", True), ("114번만, 홈페이지, 114번", False),
            ("대리점만", False)]),
     "repeated_element"),
    (_item("choice", "What must the customer bring?",
           [("ID, bill, card", True), ("ID, bill, ID and card", False), ("ID only", False)]),
     "option_holds_key"),
    (_item("true_false", "다음 내용이 맞습니까? “채널이 바뀌는지”",
           [("예", False), ("아니요", True)]),
     "quoted_clause"),
    (_item("true_false", "Is this so: “whether the fee is waived”?",
           [("Yes", True), ("No", False)]),
     "quoted_clause"),
])
def test_the_lint_flags_the_new_mechanical_defects(item, code):
    doc = replace(EN, facts=(fact("X", "x"),))
    assert code in lint_items(doc, [item])["f-x-1"]


def test_the_lint_passes_a_clean_list_item():
    item = _item("choice", "What must the customer bring?",
                 [("ID, bill, card", True), ("ID, bill", False), ("bill, card, passport", False)])
    doc = replace(EN, facts=(fact("X", "x"),))
    assert lint_items(doc, [item])["f-x-1"] == []


@pytest.mark.parametrize(("option", "garbled"), [
    ("앱, 대리점만, 114번", True),
    ("app, store only, web", True),
    ("앱과 홈페이지만", False),
    ("앱, 홈페이지, 114번", False),
])
def test_a_restricted_element_spliced_into_a_list_is_garbled(option, garbled):
    assert restricted_inside(option) is garbled


def test_beside_an_inclusive_key_an_inclusive_wrong_option_comes_first():
    wrongs = [OptionDraft("by post only", source="not"),
              OptionDraft("in a shop only", source="old"),
              OptionDraft("by post or by email", source="not")]
    ordered = inclusive_first("by post, by email or in a shop", wrongs)
    assert [w.text for w in ordered] == ["in a shop only", "by post or by email", "by post only"]
    assert inclusive_first("₩5,000", wrongs) == wrongs


def test_a_thousands_separator_is_no_list_separator():
    assert holds_key("₩5,000, VAT included", "₩15,000, VAT included") is False
    assert repeats_element("₩1,000, ₩1,000") is True
