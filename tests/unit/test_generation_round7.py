"""The causes of the sixth blind rating, each fixed by shape and tested on made-up labels,
values and titles (none of them the rated bulletins' own): a label naming no service takes
the bulletin's subject; a menu path is a noun asked with 어디; a question word by the value's
type; English labels no template fits make no item (the author writes ``ask=``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items, generation_warnings
from app.domain.generation.anchor import en_generic, en_subject, ko_generic, ko_subject
from app.domain.generation.cloze import cloze_parts
from app.domain.generation.cloze_guard import heading_lead
from app.domain.generation.context import GenerationContext
from app.domain.generation.english import question_from_embedded
from app.domain.generation.korean_claims import korean_claims
from app.domain.generation.korean_phrasing import ko_question, ko_statement
from app.domain.generation.neutral import unphrased_label
from app.domain.generation.phrasing import question_stem, said_as, yes_no_claims, yes_no_question
from app.domain.generation.values import is_path, ko_what

EN = BulletinDoc(slug="b", title="t", effective=date(2027, 5, 3), skills=("billing",),
                 facts=(), body="", source="")
KO = replace(EN, lang="ko")


def fact(label, value, old=None, nots=(), ask=None, type_="text", key="f-x"):
    return Fact(key, label, value, type_, old, tuple(nots), ask=ask)


# -- 1. a label naming no service takes the bulletin's subject ------------------------------

@pytest.mark.parametrize(("label", "generic"), [
    ("적용 비율", True),                 # attribute nouns only
    ("기본료율", False),                 # 료 alone is no attribute noun here
    ("월 최소 이용 요금", True),
    ("3개월 적용 기준 기간", True),      # a number and attribute nouns
    ("가족 결합 할인율", False),         # names the family bundle
    ("데이터 이월 한도", False),
    ("", False),
])
def test_a_korean_label_is_generic_when_made_of_attribute_nouns(label, generic):
    assert ko_generic(label) is generic


@pytest.mark.parametrize(("title", "subject"), [
    ("가족 결합 할인 — 3회선부터 적용합니다", "가족 결합 할인"),
    ("해외 로밍 요금제: 하루 단위로 바뀝니다", "해외 로밍 요금제"),
    ("요금이 다음 달부터 오릅니다", None),      # a sentence, not a name
    ("허브 요금 변경 — 7월부터", None),         # an event, not a service
    ("T", None),
])
def test_the_korean_subject_is_the_titles_noun_phrase(title, subject):
    assert ko_subject(replace(KO, title=title)) == subject


NAMED = ("Customers of the travel SIM, of Cloud Backup Plus, of family plans and of number "
         "blocking are told; paper bills and a lost or stolen phone are mentioned too.")


@pytest.mark.parametrize(("title", "subject"), [
    ("Travel SIM — the price drops in May", "the travel SIM"),
    ("Cloud Backup Plus goes to 200 GB a month", "the Cloud Backup Plus"),
    ("Family plans — a fifth line is free", "family plans"),
    ("Number blocking: now in the app", "number blocking"),
    ("Hub rules change", None),                     # an event
    ("The night shift owns every refund", None),    # a sentence about someone
    ("T", None),
    ("Paper bills turn opt-in — new accounts get an e-bill", None),  # an unknown verb: the
    ("Lost or stolen device — suspend at once", None),  # text never says either phrase
])
def test_the_english_subject_is_the_titles_noun_phrase(title, subject):
    assert en_subject(replace(EN, title=title, body=NAMED)) == subject


def test_an_english_subject_the_text_never_names_is_not_taken():
    assert en_subject(replace(EN, title="Travel SIM — the price drops", body="")) is None


@pytest.mark.parametrize(("label", "generic"), [
    ("A member already overseas can join", True),
    ("Must a customer show ID at the counter?", True),   # "ID" is no name
    ("Monthly cap on the travel SIM", False),           # shares the subject's words
    ("Minimum age for Family Link", False),             # names something proper
    ("Travel SIMs per account", False),                 # plural of the subject's noun
])
def test_an_english_label_is_generic_when_it_shares_nothing_with_the_subject(label, generic):
    assert en_generic(label, "the travel SIM") is generic


def test_a_generic_korean_label_is_said_of_the_subject():
    doc = replace(KO, title="가족 결합 할인 — 3회선부터 적용합니다")
    item = fact("적용 비율", "15%", nots=("10%", "20%"), type_="quantity")
    assert question_stem(doc, item) == "가족 결합 할인의 적용 비율은 얼마입니까?"
    assert said_as(doc, item, "15%") == ("가족 결합 할인의 적용 비율은 15%입니다.", True)
    named = fact("가족 결합 할인율", "15%", type_="quantity")
    assert question_stem(doc, named) == "가족 결합 할인율은 얼마입니까?"  # names it already
    untitled = replace(doc, title="요금이 다음 달부터 오릅니다")
    assert question_stem(untitled, item) == "적용 비율은 얼마입니까?"  # no subject: as before


def test_a_generic_english_label_is_said_for_the_subject():
    doc = replace(EN, title="Travel SIM — the price drops in May", body=NAMED)
    joined = fact("A member already overseas can join", "yes", type_="bool")
    assert yes_no_question(doc, joined) == "For the travel SIM, can a member already overseas join?"
    cap = fact("Daily data after the limit", "1 GB", nots=("2 GB", "5 GB"), type_="quantity")
    assert question_stem(doc, cap) == "For the travel SIM, what is the daily data after the limit?"
    said, sound = said_as(doc, cap, "1 GB")
    assert sound and said == "For the travel SIM, the daily data after the limit is 1 GB."
    dated = replace(cap, old_value="500 MB")
    assert question_stem(doc, dated).startswith("From 3 May 2027, for the travel SIM, what is")
    named = fact("Daily data on the travel SIM", "1 GB", type_="quantity")
    assert not question_stem(doc, named).startswith("For ")
    assert question_stem(replace(doc, title="Hub rules change"), cap).startswith("What is")


# -- 2. a menu path is a noun ---------------------------------------------------------------

@pytest.mark.parametrize(("value", "path"), [
    ("앱 > 요금 > 가족 등록", True),
    ("CRM → Orders → Hold", True),
    ("Portal -> Refunds", True),
    ("3,000원 > 1,000원", True),
    ("고객센터 게시판", False),
    ("5% off", False),
])
def test_a_value_with_separators_is_a_path(value, path):
    assert is_path(value) is path


def test_a_korean_path_value_is_asked_where_and_never_turned_into_a_verb():
    item = fact("가족 등록 메뉴", "앱 > 요금 > 가족 등록", nots=("앱 > 설정 > 알림 해제",))
    assert ko_question(item, "noun") == "가족 등록 메뉴는 어디입니까?"
    assert ko_statement(item, "noun", item.value) == "가족 등록 메뉴는 앱 > 요금 > 가족 등록입니다."
    assert ko_statement(item, "noun", "앱 > 설정 > 알림 해제") == \
        "가족 등록 메뉴는 앱 > 설정 > 알림 해제입니다."
    steps = fact("진행 순서", "접수 → 확인 → 환급")  # steps, not a place
    assert ko_question(steps, "noun") == "진행 순서는 어떻게 됩니까?"


# -- 3. the Korean question word by the value's type ----------------------------------------

@pytest.mark.parametrize(("label", "value", "type_", "nots", "word"), [
    ("환불 기한", "10일", "duration", ("5일", "20일"), "며칠입니까?"),   # days, not the 10th
    ("납부 기한", "10일", "text", ("5일", "20일"), "언제입니까?"),       # could be the 10th
    ("알림 횟수", "2회", "quantity", ("알림 없음 0회", "4회"), "몇 회입니까?"),
    ("확인 번호", "8자리", "text", ("4자리", "6자리"), "몇 자리입니까?"),
    ("확인 번호", "문자의 8자리 코드", "text", ("주문 번호 12자리",), "무엇입니까?"),
])
def test_the_korean_question_word_follows_the_value_type(label, value, type_, nots, word):
    assert ko_what(fact(label, value, nots=nots, type_=type_)) == word


# -- 4. English labels pasted into templates ------------------------------------------------

@pytest.mark.parametrize(("label", "question"), [
    ("Where managers approve the credit", "Where do managers approve the credit?"),
    ("Where the manager approves the credit", "Where does the manager approve the credit?"),
    ("Where supervisors record whether the refund was paid",
     "Where do supervisors record whether the refund was paid?"),
])
def test_an_embedded_question_agrees_and_keeps_its_inner_question(label, question):
    assert question_from_embedded(label) == question


@pytest.mark.parametrize(("label", "kind", "unphrased"), [
    ("Must be signed before the refund", "noun", True),     # verb-initial
    ("Should be kept for a year", "noun", True),
    ("When to escalate a fault instead", "condition", True),
    ("Fees the credit is not applied to", "open", True),     # a relative clause, no "that"
    ("Call the customer back within", "open", False),        # an imperative rule
    ("Fees that the credit covers", "noun", False),
    ("When the router fails", "condition", False),
])
def test_labels_no_template_fits_are_recognised(label, kind, unphrased):
    assert unphrased_label(label, kind) is unphrased


@pytest.mark.parametrize("label", [
    "Must be signed before the refund", "When to escalate a fault instead",
    "Fees the credit is not applied to"])
def test_such_a_label_gets_no_statement(label):
    item = fact(label, "a signed form from the customer", nots=("nothing", "a phone call"))
    assert said_as(EN, item, item.value)[1] is False


# -- 3b. Korean subject/predicate: who a rule applies to, a repeated head, note clauses -----

def test_a_rule_applied_to_people_is_said_with_에게_and_the_bulletins_subject():
    assert korean_claims("휴직자 적용 여부") == \
        ("휴직자에게 적용됩니다", "휴직자에게 적용되지 않습니다")
    assert korean_claims("할인 적용 여부") == ("할인이 적용됩니다", "할인이 적용되지 않습니다")
    doc = replace(KO, title="육아 할인 — 만 8세 이하 자녀")
    item = fact("휴직자 적용 여부", "예", nots=("아니요",), type_="bool")
    assert yes_no_claims(doc, item)[0] == "육아 할인은 휴직자에게 적용됩니다."
    assert yes_no_question(doc, item) == "육아 할인은 휴직자에게 적용됩니까?"
    told = fact("고객에게 매장 방문을 권하는지", "아니요", nots=("예",), type_="bool")
    assert not yes_no_question(doc, told).startswith("육아 할인")  # the agent's own act


def test_a_value_repeating_the_labels_head_is_asked_as_an_amount_and_not_stated():
    item = fact("조기 해지 고객의 위약금", "위약금의 30%", nots=("위약금의 10%", "전액"))
    assert ko_question(item, "noun") == "조기 해지 고객의 위약금은 얼마입니까?"
    assert said_as(KO, item, item.value)[1] is False


def test_note_clauses_with_their_own_subjects_are_not_stated():
    item = fact("기존 모뎀 처리", "직원이 회수함, 고객은 보관하지 않음", nots=("고객이 반송",))
    assert said_as(KO, item, item.value)[1] is False
    listed = fact("접수 창구", "매장, 고객센터 전화")
    assert said_as(KO, listed, listed.value)[1] is True


def test_a_condition_label_is_asked_what_and_said_as_a_noun():
    item = fact("무료로 옮기는 조건", "2년 재가입", nots=("1년 재가입", "결합 가입"))
    assert ko_question(item, "noun") == "무료로 옮기는 조건은 무엇입니까?"
    assert ko_statement(item, "noun", item.value) == "무료로 옮기는 조건은 2년 재가입입니다."


def test_a_subject_that_prints_an_option_is_not_put_in_the_stem():
    doc = replace(EN, title="PhoneSafe is now DeviceCare — same price")
    item = fact("Name of the insurance plan", "DeviceCare", old="PhoneSafe",
                nots=("CarePlus", "SafeBox"))
    assert not question_stem(doc, item).startswith(("For ", "From 3 May 2027, for"))


# -- 6. cloze stems -------------------------------------------------------------------------

@pytest.mark.parametrize(("stem", "heading"), [
    ("How members join: dial _____ from the phone.", True),
    ("Note: the fee is _____.", False),           # a one-word lead is stripped elsewhere
    ("If they hang up, call back: the case closes after _____.", False),  # a sentence
    ("The fee is _____ a month.", False),
])
def test_a_heading_before_the_blank_is_recognised(stem, heading):
    assert heading_lead(stem) is heading


def test_a_changed_facts_cloze_says_from_when_or_is_not_made():
    item = fact("Daily travel SIM data for each member", "4 GB", old="2 GB",
                nots=("3 GB", "8 GB"), type_="quantity")
    body = "Each member gets ==4 GB== of travel SIM data a day abroad.\n"
    doc = replace(EN, title="Travel SIM — more data", body=body, facts=(item,))
    stem, term, wrongs = cloze_parts(doc, item, GenerationContext())
    assert stem == "From 3 May 2027, each member gets _____ of travel SIM data a day abroad."
    assert wrongs[0].source == "old"
    unchanged = replace(item, old_value=None)
    plain = cloze_parts(replace(doc, facts=(unchanged,)), unchanged, GenerationContext())
    assert plain[0] == "Each member gets _____ of travel SIM data a day abroad."
    blank_first = replace(doc, body="==4 GB== of travel SIM data a day goes to each member.\n")
    assert cloze_parts(blank_first, item, GenerationContext()) is None


def test_an_unchanged_facts_cloze_may_open_on_the_blank():
    item = fact("Daily travel SIM data for each member", "4 GB", nots=("3 GB", "8 GB"),
                type_="quantity")
    body = "==4 GB== of travel SIM data a day goes to each member.\n"
    doc = replace(EN, title="Travel SIM — more data", body=body, facts=(item,))
    assert cloze_parts(doc, item, GenerationContext())[0].startswith("_____ of travel SIM")


@pytest.mark.parametrize(("label", "value", "code"), [
    ("조기 해지 고객의 위약금", "위약금의 30%", "advice_value_repeats_label"),
    ("기존 모뎀 처리", "직원이 회수함, 고객은 보관하지 않음", "advice_note_value"),
])
def test_the_author_is_told_why_no_statement_was_made(label, value, code):
    item = fact(label, value, nots=("전액", "면제"), key="f-w")
    doc = replace(KO, facts=(item,))
    codes = [w.code for w in generation_warnings(doc, generate_items(doc))]
    assert code in codes and "advice_no_statement" not in codes
