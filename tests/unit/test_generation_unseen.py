"""The defects an editor found on bulletins the generator had never seen (ratings
benchmarks/ratings/fresh1.tsv), each fixed by a general rule and checked here on made-up
labels and values (frozen inputs, no bulletin of the rated set)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items, generation_warnings, lint_items
from app.domain.generation.answers import ko_answer_statement
from app.domain.generation.claims import claims, question_from_claim
from app.domain.generation.cloze import after_determiner, ruled_out, trimmed
from app.domain.generation.distractors import pair
from app.domain.generation.english import answer_statement, question_from_embedded
from app.domain.generation.ladders import money_ladder, swapped_digits
from app.domain.generation.normalise import sentences
from app.domain.generation.phrasing import explanation, question_stem, statement
from app.domain.generation.values import ko_what

EN = BulletinDoc(slug="b", title="t", effective=date(2028, 5, 2), skills=("billing",),
                 facts=(), body="", source="")
KO = replace(EN, lang="ko")


def fact(label: str, value: str = "x", kind: str = "text", old: str | None = "y",
         nots: tuple[str, ...] = (), ask: str | None = None, key: str = "f-x") -> Fact:
    return Fact(key, label, value, kind, old, nots, ask=ask)


# -- yes/no facts: the negation goes on the main clause, "must" is negated as "need not" ----

@pytest.mark.parametrize(("label", "positive", "negative"), [
    ("Late fee charged while a dispute is open",
     "The late fee is charged while a dispute is open",
     "The late fee is not charged while a dispute is open"),
    ("Deposit refunded if the router is returned within 14 days",
     "The deposit is refunded if the router is returned within 14 days",
     "The deposit is not refunded if the router is returned within 14 days"),
    ("Existing customers must sign again", "Existing customers must sign again",
     "Existing customers do not have to sign again"),
    ("The installer must call ahead", "The installer must call ahead",
     "The installer does not have to call ahead"),
    ("Must a guardian be present?", "A guardian must be present",
     "A guardian does not have to be present"),
])
def test_yes_no_claims_negate_the_main_clause_and_must_as_need_not(label, positive, negative):
    assert claims(label, "en") == (positive, negative)


@pytest.mark.parametrize(("claim", "question"), [
    ("The late fee is charged while a dispute is open",
     "Is the late fee charged while a dispute is open?"),
    ("Existing customers must sign again", "Do existing customers have to sign again?"),
    ("The installer must call ahead", "Does the installer have to call ahead?"),
])
def test_yes_no_questions_from_claims(claim, question):
    assert question_from_claim(claim, "en") == question


def test_a_no_fact_with_a_subordinate_clause_is_keyed_on_the_right_sentence():
    doc = replace(EN, facts=(fact("Late fee charged while a dispute is open", "no", "bool",
                                  old=None, key="f-fee"),))
    items = {i.key: i for i in generate_items(doc)}
    true = next(o for o in items["f-fee-2"].options if o.correct)
    assert items["f-fee-2"].stem == "The late fee is not charged while a dispute is open."
    assert true.text == "True"
    assert items["f-fee-1"].explanation == "The late fee is not charged while a dispute is open."


# -- questions answered as plain statements, never "the answer to “...?” is: ..." -----------

@pytest.mark.parametrize(("label", "question"), [
    ("How customers renew the pass", "How do customers renew the pass?"),
    ("How new subscribers pay the first bill", "How do new subscribers pay the first bill?"),
])
def test_embedded_how_with_a_plural_subject(label, question):
    assert question_from_embedded(label) == question


@pytest.mark.parametrize(("question", "value", "said"), [
    ("How do customers renew the pass?", "reply YES to the reminder text",
     "Customers reply YES to the reminder text to renew the pass."),
    ("How does a customer unlock the SIM?", "enter the PUK code",
     "A customer enters the PUK code to unlock the SIM."),
    ("How do customers renew the pass?", "by replying YES", "Customers renew the pass by"
     " replying YES."),
    ("Where does a customer send a complaint letter?", "complaints@example.com",
     "A customer sends a complaint letter to complaints@example.com."),
    ("Where can a customer collect the router?", "any branch",
     "A customer can collect the router at any branch."),
    ("Where can a customer check the balance?", "the app, under Usage",
     "A customer can check the balance in the app, under Usage."),
    ("Which card is accepted first?", "the resident card", "The resident card is accepted"
     " first."),
])
def test_english_answers_as_statements(question, value, said):
    assert answer_statement(question, value) == said


@pytest.mark.parametrize(("question", "value", "said"), [
    ("단말기를 반납하지 않으면 어떻게 합니까?", "위약금 청구",
     "단말기를 반납하지 않으면 위약금을 청구합니다."),
    ("고객이 요금을 미납하면 어떻게 처리합니까?", "문자로 안내",
     "고객이 요금을 미납하면 문자로 안내합니다."),
    ("정지 해제가 언제 적용됩니까?", "다음 날 0시", "정지 해제가 다음 날 0시에 적용됩니다."),
    ("정지 해제가 언제 적용됩니까?", "신청 즉시", "정지 해제가 신청 즉시 적용됩니다."),
    ("고객은 어디에서 반납합니까?", "가까운 대리점", "고객은 가까운 대리점에서 반납합니다."),
    ("누가 보상을 승인합니까?", "팀장", "팀장이 보상을 승인합니다."),
    ("고객은 무엇을 제출합니까?", "가족관계증명서", "고객은 가족관계증명서를 제출합니다."),
    ("보상 한도는 얼마입니까?", "30만 원", "보상 한도는 30만 원입니다."),
    ("장기 고객 문의는 누가 응대합니까?", "전담 상담사가 끝까지 담당",
     "장기 고객 문의는 전담 상담사가 끝까지 담당합니다."),
    ("고객에게 무엇을 어떻게 안내합니까?", "요금 내역을 문자로 안내",
     "고객에게 요금 내역을 문자로 안내합니다."),
    ("이 내용을 어떻게 생각합니까?", "좋음", None),  # not an action the value answers
])
def test_korean_answers_as_statements(question, value, said):
    assert ko_answer_statement(question, value) == said


def test_a_question_not_said_as_a_statement_gets_no_true_false_item_when_a_choice_asks_it():
    unknown = fact("How the", "reply YES", old="call 114", nots=("visit a shop", "send a letter"),
                   key="f-how")
    doc = replace(EN, facts=(unknown,))
    items = generate_items(doc)
    assert [i.kind for i in items] == ["choice"]
    assert "the answer to" not in items[0].explanation.casefold()
    assert any("could not be said as a plain statement" in w
               for w in map(str, generation_warnings(doc, items)))


def test_korean_date_lead_for_a_when_question():
    asked = fact("정지 해제가 언제 적용되는지", "다음 날 0시", old="신청 즉시", nots=("3일 후",))
    assert question_stem(KO, asked) == "2028년 5월 2일 시행 기준으로 정지 해제는 언제 적용됩니까?"
    assert statement(KO, asked, "다음 날 0시") == (
        "2028년 5월 2일 시행 기준으로 정지 해제는 다음 날 0시에 적용됩니다.")
    fee = fact("해지 수수료", "5,500원", "money", old="11,000원")
    assert question_stem(KO, fee) == "2028년 5월 2일부터 해지 수수료는 얼마입니까?"


# -- English noun labels -------------------------------------------------------------------

@pytest.mark.parametrize(("item", "stem", "said"), [
    (fact("Steps when a router is faulty", "restart it, then book a visit", old=None),
     "What are the steps when a router is faulty?",
     "The steps when a router is faulty are: restart it, then book a visit."),
    (fact("Free rental period for new lines", "3 months", "duration", old=None),
     "What is the free rental period for new lines?",
     "The free rental period for new lines is 3 months."),
    (fact("Cooling-off for online orders", "14 days", "duration", old=None),
     "How long is the cooling-off for online orders?",
     "The cooling-off for online orders is 14 days."),
    (fact("Data included per week", "2 GB", "quantity", old=None),
     "How much data is included per week?", "The data included per week is 2 GB."),
])
def test_english_noun_labels(item, stem, said):
    assert question_stem(EN, item) == stem
    assert statement(EN, item, item.value) == said


# -- Korean particles and question words ----------------------------------------------------

@pytest.mark.parametrize(("label", "positive"), [
    ("분실 신고 기간 기본료 청구", "분실 신고 기간에 기본료를 청구합니다"),
    ("이사 당일 설치비 부과", "이사 당일에 설치비를 부과합니다"),
    ("해지 위약금 면제", "해지 위약금을 면제합니다"),
])
def test_korean_time_nouns_take_e_before_the_object(label, positive):
    assert claims(label, "ko")[0] == positive


@pytest.mark.parametrize(("label", "value", "asked"), [
    ("본인 확인 번호", "4자리 숫자", "몇 자리입니까?"),
    ("고객센터 번호", "1588-0010", "몇 번입니까?"),
    ("안내 번호", "상담 메뉴 3번", "무엇입니까?"),
])
def test_korean_question_word_for_numbers(label, value, asked):
    assert ko_what(fact(label, value)) == asked


# -- ladders: plausible, not near-duplicates ------------------------------------------------

def test_codes_change_one_digit_without_wrapping_or_placeholders():
    assert "091" not in swapped_digits("001")
    assert "1588-0000" not in swapped_digits("1588-0010")
    assert swapped_digits("1588-0010")[:2] == ["1588-0011", "1588-0012"]


def test_money_grid_neighbours_only_when_five_percent_away():
    assert "49,000원" not in money_ladder("50,000원")
    assert "₩15,400" in money_ladder("₩16,500")


def test_a_free_amount_gets_wrong_options_near_the_old_price():
    free = fact("월 이용료", "0원", "money", old="5,500원", key="f-fee")
    other = Fact("f-fee", "월 이용료", "61,000원", "money", "59,000원", ())
    from app.domain.generation import GenerationContext
    items = generate_items(replace(KO, facts=(free,)),
                           context=GenerationContext(other_facts=(other,)))
    choice = next(i for i in items if i.kind == "choice")
    assert "61,000원" not in [o.text for o in choice.options]


# -- cloze ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("block", "count"), [
    ("The line is ==080-1234-5678==, open ==9 a.m. to 6 p.m.== on weekdays. Call it.", 2),
    ("Bring ID, e.g. a passport. Then sign.", 2),
    ("첫 문장입니다. 둘째 문장입니다.", 2),
])
def test_sentences_never_split_inside_a_mark_or_after_an_abbreviation(block, count):
    assert len(sentences(block)) == count


@pytest.mark.parametrize(("stem", "cut"), [
    ("The plan is called _____ and customers can join it until 30.",
     "The plan is called _____."),
    ("The team owns _____; the agent no longer follows it up.", "The team owns _____."),
    ("A phone can hold _____: one eSIM and one USIM.", "A phone can hold _____."),
    ("Open between _____ and 9 p.m.", "Open between _____ and 9 p.m."),
    ("고객은 _____을 제출하고 서명합니다.", "고객은 _____을 제출합니다."),
    ("번호는 _____이고 24시간 운영합니다.", "번호는 _____입니다."),
    ("해지하면 _____ 안에 환불하지만 유심 비용은 돌려주지 않습니다.",
     "해지하면 _____ 안에 환불합니다."),
    ("The line, _____, is open 24 hours.", "The line, _____, is open 24 hours."),
    ("Speed drops to _____, as before.", "Speed drops to _____."),
])
def test_cloze_sentences_end_after_the_blanks_clause(stem, cut):
    assert trimmed(stem) == cut


def test_cloze_options_fit_the_determiner_and_are_not_ruled_out():
    assert after_determiner("Customers show their _____.", "a passport only") == "passport only"
    assert after_determiner("Customers show _____.", "a passport only") == "a passport only"
    assert ruled_out("The _____ owns it; the agent who takes the call no longer does.",
                     "the agent who took the call")
    assert not ruled_out("The Safe Home service is called _____.", "Safe Home Plus")


def test_no_cloze_of_a_long_action_or_without_the_old_value():
    body = ("Customers now renew the pass themselves: they ==reply YES to the reminder text==."
            " Lost cards go to ==1588-0010==으로 신고합니다.")
    action = fact("How customers renew the pass", "reply YES to the reminder text",
                  old="call an agent", nots=("visit a shop", "use the app"), key="f-renew")
    doc = replace(EN, body=body, facts=(action,))
    assert not [i for i in generate_items(doc) if i.kind == "cloze"]


def test_the_cloze_sentence_that_gives_a_number_of_the_key_away_is_cut():
    body = "From 2 May 2028 the Teen 18 plan is called ==Teen 20== and customers join it up to 20."
    name = fact("Plan name", "Teen 20", old="Teen 18", nots=("Teen Plus", "Teen Max"),
                key="f-name")
    doc = replace(EN, body=body, facts=(name,))
    cloze = next(i for i in generate_items(doc) if i.kind == "cloze")
    assert cloze.stem == "From 2 May 2028 the Teen 18 plan is called _____."


# -- options printed in the stem, two-thing keys ---------------------------------------------

def test_an_old_value_printed_in_the_label_is_neither_an_option_nor_a_false_statement():
    rename = fact("New name of Net Guard", "Home Shield", old="Net Guard",
                  nots=("Home Keeper", "Safe Net"), key="f-name")
    doc = replace(EN, facts=(rename,))
    items = {i.key: i for i in generate_items(doc)}
    assert "Net Guard" not in [o.text for o in items["f-name-1"].options]
    assert items["f-name-3"].stem.endswith("is Home Keeper.")
    assert any("printed in the label" in w.message
               for w in generation_warnings(doc, list(items.values())))


@pytest.mark.parametrize(("value", "found"), [
    ("신분증과 재직증명서", ("신분증", "과 ", "재직증명서")),
    ("a passport and a utility bill", ("a passport", " and ", "a utility bill")),
    ("Standard 30 GB and above", None),
    ("stay with us and keep paying monthly", None),
    ("신분증", None),
])
def test_two_thing_values(value, found):
    assert pair(value) == found


def test_a_two_thing_key_gets_two_thing_wrong_options():
    docs = fact("가입 시 제출 서류", "신분증과 재직증명서", old=None,
                nots=("주민등록등본", "가족관계증명서"), key="f-docs")
    items = generate_items(replace(KO, facts=(docs,)))
    choice = next(i for i in items if i.kind == "choice")
    assert all(pair(o.text) for o in choice.options)
    assert lint_items(replace(KO, facts=(docs,)), items) == {i.key: [] for i in items}


def test_explanations_never_quote_the_question():
    item = fact("정지 해제가 언제 적용되는지", "다음 날 0시", old=None)
    assert "에 대한 답은" not in explanation(KO, item)


# -- found on the development set (benchmarks/corpus/dev) -----------------------------------

@pytest.mark.parametrize(("item", "stem", "said"), [
    (fact("Who approves a refund", "the team leader", old=None),
     "Who approves a refund?", "The team leader approves a refund."),
    (fact("How a damaged handset is collected", "picked up by courier", old=None),
     "How is a damaged handset collected?", "A damaged handset is picked up by courier."),
    (fact("What the installer does after the last visit", "leave a card", old=None),
     "What does the installer do after the last visit?",
     "The installer leaves a card after the last visit."),
    (fact("Refund due within", "5 working days", "duration", old=None),
     "Which completes the rule: “Refund due within …”?",
     "A refund is due within 5 working days."),
])
def test_wh_labels_found_on_the_development_set(item, stem, said):
    assert question_stem(EN, item) == stem
    assert statement(EN, item, item.value) == said


@pytest.mark.parametrize(("label", "lang", "positive", "negative"), [
    ("Engineer must call ahead", "en", "The engineer must call ahead",
     "The engineer does not have to call ahead"),
    ("보호자 동의 필요", "ko", "보호자 동의가 필요합니다", "보호자 동의가 필요하지 않습니다"),
])
def test_claims_found_on_the_development_set(label, lang, positive, negative):
    assert claims(label, lang) == (positive, negative)


def test_an_amount_is_no_option_beside_a_key_that_is_not_one_but_may_be_judged_false():
    hours = fact("Shop opening hours", "8 a.m. to 8 p.m. every day", old=None,
                 nots=("24 hours a day", "9 a.m. to 6 p.m. on weekdays"), key="f-hours")
    items = {i.key: i for i in generate_items(replace(EN, facts=(hours,)))}
    assert "f-hours-1" not in items  # a choice item would offer "24 hours a day" beside times
    assert items["f-hours-3"].stem == "Shop opening hours are 24 hours a day."


@pytest.mark.parametrize(("label", "question"), [
    ("Where the owner adds members", "Where does the owner add members?"),
    ("How a faulty router is replaced", "How is a faulty router replaced?"),
])
def test_embedded_questions_with_a_determiner_subject(label, question):
    assert question_from_embedded(label) == question


def test_whether_labels_are_claims():
    assert claims("Whether a member can leave the group", "en") == (
        "A member can leave the group", "A member cannot leave the group")


def test_korean_lists_are_not_said_as_actions_and_hours_are_asked_by_the_clock():
    where = fact("명의 변경 접수 창구", "앱, 대리점", old="대리점, 고객센터 전화")
    assert statement(KO, where, "대리점, 고객센터 전화") == (
        "2028년 5월 2일부터 명의 변경 접수 창구는 대리점, 고객센터 전화입니다.")
    hours = fact("방문 가능 시간", "오전 10시부터 오후 6시까지")
    assert ko_what(hours) == "몇 시부터 몇 시까지입니까?"


@pytest.mark.parametrize(("question", "value", "said"), [
    ("Who can request a PUK code?", "the account holder only",
     "Only the account holder can request a PUK code."),
    ("How long is a suspended line kept?", "90 days", "A suspended line is kept for 90 days."),
    ("How long does one pass last?", "24 hours", "One pass lasts 24 hours."),
    ("How much does a late payment cost?", "₩3,000", "A late payment costs ₩3,000."),
    ("What should you tell a customer whose card is declined?", "ask them to use another card",
     None),  # an action is no object: no statement rather than a wrong one
])
def test_answers_found_by_the_label_stress_list(question, value, said):
    assert answer_statement(question, value) == said


def test_uncounted_nouns_take_no_article_in_claims():
    assert claims("Parental consent needed for under-14s", "en")[0] == (
        "Parental consent is needed for under-14s")


@pytest.mark.parametrize(("label", "value", "asked"), [
    ("환불 승인자", "팀장", "누구입니까?"),
    ("명의 변경 담당 부서", "고객관리팀", "어느 부서입니까?"),
    ("먼저 확인할 것", "유심 상태", "무엇입니까?"),
])
def test_korean_question_words_found_by_the_label_stress_list(label, value, asked):
    assert ko_what(fact(label, value)) == asked


@pytest.mark.parametrize(("label", "negative", "question"), [
    ("Customers who move house keep their number",
     "Customers who move house do not keep their number",
     "Do customers who move house keep their number?"),
    ("Agents who take the call log the case", "Agents who take the call do not log the case",
     "Do agents who take the call log the case?"),
    ("Customers that are abroad get a text", "Customers that are abroad do not get a text",
     "Do customers that are abroad get a text?"),
])
def test_claims_past_a_relative_clause(label, negative, question):
    positive, negated = claims(label, "en")
    assert negated == negative
    assert question_from_claim(positive, "en") == question


@pytest.mark.parametrize(("question", "value", "said"), [
    ("Which team handles disputes?", "the billing team", "The billing team handles disputes."),
    ("How long does the free trial last?", "30 days", "The free trial lasts 30 days."),
])
def test_ask_questions_found_by_the_stress_list(question, value, said):
    assert answer_statement(question, value) == said


@pytest.mark.parametrize(("question", "value", "said"), [
    ("요금 분쟁은 어느 팀이 처리합니까?", "요금팀", "요금 분쟁은 요금팀이 처리합니다."),
    ("무료 체험은 며칠입니까?", "30일", "무료 체험은 30일입니다."),
    ("기사는 몇 시부터 몇 시까지 방문합니까?", "오전 9시부터 오후 6시까지",
     "기사는 오전 9시부터 오후 6시까지 방문합니다."),
    ("회선은 언제 개통됩니까?", "신청 후 2시간 이내", "회선은 신청 후 2시간 이내에 개통됩니다."),
    ("기존 고객은 재약정하려면 어떻게 합니까?", "앱에서 새 약정서에 서명",
     "기존 고객은 재약정하려면 앱에서 새 약정서에 서명합니다."),
])
def test_korean_ask_questions_found_by_the_stress_list(question, value, said):
    assert ko_answer_statement(question, value) == said


@pytest.mark.parametrize(("item", "stem", "said"), [
    (fact("Refund rule", "refunds are paid within 5 days", old=None),
     "What is the refund rule?", "The refund rule: refunds are paid within 5 days."),
    (fact("Callback for dropped calls", "call back within 10 minutes", old=None),
     "What is the rule for the callback for dropped calls?",
     "The callback for dropped calls is: call back within 10 minutes."),
    (fact("Eligible customers", "customers aged 65 or over", old=None),
     "Who are the eligible customers?", "Eligible customers are customers aged 65 or over."),
    (fact("Suspension after non-payment", "after 2 missed bills", old=None),
     "When is the suspension after non-payment?",
     "The suspension after non-payment is after 2 missed bills."),
    (fact("Last day the old prefix works", "2 May 2027", old=None),
     "What is the last day the old prefix works?",
     "The last day the old prefix works is 2 May 2027."),
])
def test_noun_labels_by_the_value_they_hold(item, stem, said):
    assert question_stem(EN, item) == stem
    assert statement(EN, item, item.value) == said


@pytest.mark.parametrize(("label", "value", "said"), [
    ("정지 중 기본료", "50% 감면", "정지 중 기본료는 50% 감면됩니다."),
    ("해지 시 남은 할부금", "다음 달 요금에 한 번에 청구",
     "해지 시 남은 할부금은 다음 달 요금에 한 번에 청구됩니다."),
    ("해지 접수 방법", "앱에서 바로 접수", "해지 접수 방법은 앱에서 바로 접수입니다."),
])
def test_korean_fees_undergo_the_action(label, value, said):
    assert statement(KO, fact(label, value, old=None), value) == said


@pytest.mark.parametrize(("label", "asked"), [("가입 대상", "누구입니까?"),
                                              ("해지 신청인", "누구입니까?")])
def test_korean_people_labels(label, asked):
    assert ko_what(fact(label, "상속인")) == asked


@pytest.mark.parametrize(("label", "lang", "positive", "negative"), [
    ("Fee waived for customers over 65", "en", "The fee is waived for customers over 65",
     "The fee is not waived for customers over 65"),
    ("Old SIM still works after the swap", "en", "Old SIM still works after the swap",
     "Old SIM no longer works after the swap"),
    ("Existing customers need to reapply", "en", "Existing customers need to reapply",
     "Existing customers do not need to reapply"),
    ("Is a credit check needed?", "en", "A credit check is needed",
     "A credit check is not needed"),
    ("주말 무료 설치", "ko", "주말에 무료로 설치합니다", "주말에 무료로 설치하지 않습니다"),
    ("교육용 통화 녹음", "ko", "교육용 통화를 녹음합니다", "교육용 통화를 녹음하지 않습니다"),
    ("개통 전 보증금 납부해야 함", "ko", "개통 전 보증금 납부해야 합니다",
     "개통 전 보증금 납부하지 않아도 됩니다"),  # need not, never a prohibition
    ("주말 설치 추가 요금 부과", "ko", "주말 설치 추가 요금을 부과합니다",
     "주말 설치 추가 요금을 부과하지 않습니다"),  # 주말 설치 is one noun: no 에
])
def test_yes_no_claims_found_by_the_stress_list(label, lang, positive, negative):
    assert claims(label, lang) == (positive, negative)


def test_yes_no_questions_found_by_the_stress_list():
    assert question_from_claim("Existing customers need to reapply", "en") == (
        "Do existing customers need to reapply?")


def test_a_cut_after_an_abbreviation_keeps_one_full_stop():
    assert trimmed("The line is _____, open 7 a.m. to 11 p.m.; the old one plays a message.") \
        == "The line is _____, open 7 a.m. to 11 p.m."


@pytest.mark.parametrize(("label", "positive"), [
    ("기간 내 취소 시 위약금 면제", "기간 내 취소 시 위약금을 면제합니다"),
    ("정지 기간 중 기본료 청구", "정지 기간 중 기본료를 청구합니다"),
])
def test_no_e_before_a_postposition(label, positive):
    assert claims(label, "ko")[0] == positive


@pytest.mark.parametrize(("lang", "label", "value", "said"), [
    ("en", "When a payment bounces", "a ₩3,000 fee", "When a payment bounces: a ₩3,000 fee."),
    ("en", "Once the cap is reached", "data stops until midnight",
     "Once the cap is reached, data stops until midnight."),
    ("en", "If the phone fails the check", "we send it back",
     "If the phone fails the check, we send it back."),
    ("ko", "결제가 반송될 때", "3,000원 수수료 부과",
     "결제가 반송될 때 3,000원 수수료를 부과합니다."),
    ("ko", "공유기가 3년 이상 되었으면", "무료 교체",
     "공유기가 3년 이상 되었으면 무료로 교체합니다."),
])
def test_conditions_with_every_kind_of_value(lang, label, value, said):
    assert statement(KO if lang == "ko" else EN, fact(label, value, old=None), value) == said


@pytest.mark.parametrize(("label", "positive", "negative"), [
    ("Priority queue for business customers", "There is a priority queue for business customers",
     "There is no priority queue for business customers"),
    ("Weekend porting", "There is weekend porting", "There is no weekend porting"),
])
def test_noun_phrase_yes_no_labels_say_there_is(label, positive, negative):
    assert claims(label, "en") == (positive, negative)
