"""Phrasing generated items from a label's shape (labels.py, claims.py, phrasing.py): no
label that is not a noun phrase is pasted into a noun slot, yes/no facts read as plain
questions and claims, Korean question words follow the meaning and particles the word."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.facts_section import read_fact_line
from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items
from app.domain.generation.claims import claims, question_from_claim
from app.domain.generation.english import answer_statement, question_from_embedded
from app.domain.generation.korean import attach
from app.domain.generation.labels import english_shape, korean_shape
from app.domain.generation.phrasing import question_stem, statement, yes_no_question
from app.domain.generation.values import ko_what

EN = BulletinDoc(slug="b", title="t", effective=date(2026, 3, 16), skills=("billing",),
                 facts=(), body="", source="")
KO = replace(EN, lang="ko")


@pytest.mark.parametrize(("label", "shape"), [
    ("Monthly fee", "noun"),
    ("Largest credit the owner can approve without a supervisor", "noun"),
    ("Most data that can roll over", "noun"),
    ("Where can the customer follow the case?", "question"),
    ("Who owns a billing dispute", "question"),
    ("Which document proves the customer's age", "question"),
    ("How customers opt in", "embedded"),
    ("How long one pass lasts", "embedded"),
    ("If the WiBro ID is refused at a hotspot", "condition"),
    ("When a caller cannot pass the ID check", "condition"),
    ("When does the discount start?", "question"),
    ("Call the customer back within", "open"),
    ("Written acknowledgement sent within", "open"),
    ("Handed to the customer at sign-up", "participle"),
    ("Eligible plan", "noun"),
    ("Speed after the daily allowance", "noun"),
    ("A Wi-Fi question you cannot answer", "article"),
    ("114 agents can order a replacement USIM", "claim"),
])
def test_english_label_shapes(label, shape):
    assert english_shape(label) == shape


@pytest.mark.parametrize(("label", "shape"), [
    ("명의변경 수수료", "noun"),
    ("명의변경할 때 필요한 서류", "noun"),
    ("고객이 해지를 요청하면", "condition"),
    ("거절하면", "condition"),
    ("해외에서 사용 가능한지", "embedded"),
    ("별도 넷스팟 결합상품 필요 여부", "embedded"),
    ("앱에서 신청할 수 있나요?", "question"),
])
def test_korean_label_shapes(label, shape):
    assert korean_shape(label) == shape


@pytest.mark.parametrize(("question", "value", "answer"), [
    ("Who owns a formal complaint?", "the complaints team",
     "The complaints team owns a formal complaint."),
    ("Who gets paper bills free?", "customers aged 65 and customers with a disability",
     "Customers aged 65 and customers with a disability get paper bills free."),
    ("Which document proves the customer's age?", "a photo ID card",
     "A photo ID card proves the customer's age."),
    ("How do customers reset a forgotten PIN?", "in the app",
     "Customers reset a forgotten PIN in the app."),
    ("What does a guardian who is not a parent bring?", "their ID",
     "A guardian who is not a parent brings their ID."),
    ("How long does one pass last?", "24 hours", "One pass lasts 24 hours."),
    ("How long before the change were customers told?", "30 days",
     "Customers were told 30 days before the change."),
    ("What should you do first when a customer calls?", "record the call",
     "You should record the call first when a customer calls."),
    ("How many registered numbers can the watch call?", "10 numbers",
     "The watch can call 10 numbers."),
    ("What is the fee?", "₩3,000", "The fee is ₩3,000."),
    ("How many wrong attempts before the PIN is locked?", "5 attempts", None),
])
def test_questions_become_statements_of_their_answer(question, value, answer):
    assert answer_statement(question, value) == answer


@pytest.mark.parametrize(("label", "question"), [
    ("Where customers can follow the case", "Where can customers follow the case?"),
    ("How long one pass lasts", "How long does one pass last?"),
    ("How the customer reaches their specialist again",
     "How does the customer reach their specialist again?"),
    ("How customers opt in", "How do customers opt in?"),  # a plural subject, base verb
    ("How customers switch the pass on", "How do customers switch the pass on?"),
    ("How new customers pay the first bill", "How do new customers pay the first bill?"),
    ("How the", None),  # no verb known: "Which of these describes ..."
    ("What to do first when a customer asks", "What should you do first when a customer asks?"),
    ("What a guardian who is not a parent brings",
     "What does a guardian who is not a parent bring?"),
    ("How long before the change customers were told",
     "How long before the change were customers told?"),
    ("Whether calls from abroad are charged as roaming",
     "Are calls from abroad charged as roaming?"),
    ("When the reward appears", "When does the reward appear?"),
])
def test_embedded_questions_become_direct_ones(label, question):
    assert question_from_embedded(label) == question


def fact(label: str, value: str = "x", kind: str = "text", old: str | None = "y",
         ask: str | None = None, nots: tuple[str, ...] = ()) -> Fact:
    return Fact("f-x", label, value, kind, old, nots, ask=ask)


@pytest.mark.parametrize(("doc", "item", "stem"), [
    (EN, fact("Monthly fee", "₩30,000", "money"), "From 16 March 2026, what is the monthly fee?"),
    (EN, fact("Monthly fee", "₩30,000", "money", old=None), "What is the monthly fee?"),
    (EN, fact("Voice minutes a month", "300 minutes", "quantity"),
     "From 16 March 2026, what are the voice minutes a month?"),
    (EN, fact("Who owns a billing dispute", "the first agent"),
     "From 16 March 2026, who owns a billing dispute?"),
    (EN, fact("How customers opt in", "in the app"),
     "From 16 March 2026, how do customers opt in?"),
    (EN, fact("How customers opt in", "in the app", ask="How do customers opt in?"),
     "From 16 March 2026, how do customers opt in?"),
    (EN, fact("If a customer under 65 asks to join", "offer Basic Talk"),
     "From 16 March 2026, if a customer under 65 asks to join, what do you do?"),
    (EN, fact("If the phone fails the check", "we send it back"),
     "From 16 March 2026, if the phone fails the check, what happens?"),
    (EN, fact("Most authorised contacts per account", "3 contacts", "quantity"),
     "From 16 March 2026, what is the maximum number of authorised contacts per account?"),
    (KO, fact("결제 수단 변경이 반영되는 때", "신청한 다음 달 청구분부터"),
     "2026년 3월 16일 시행 기준으로 결제 수단 변경이 언제부터 반영됩니까?"),
    (EN, fact("Call the customer back within", "2 hours", "duration", old=None),
     "Which completes the rule: “Call the customer back within …”?"),
    (EN, fact("A Wi-Fi question you cannot answer", "warm-transfer", old=None),
     "What is the rule for a Wi-Fi question you cannot answer?"),
    (EN, fact("Outstanding instalments", "stay with us and keep being billed", old=None),
     "What happens to the outstanding instalments?"),
    (EN, fact("Wi-Fi login credential", "WiBro ID", old=None),
     "What is the Wi-Fi login credential?"),  # a name keeps its capitals
    (KO, fact("명의변경 수수료", "0원", "money"),
     "2026년 3월 16일부터 명의변경 수수료는 얼마입니까?"),
    (KO, fact("고객이 해지를 요청하면", "바로 접수"),
     "2026년 3월 16일부터 고객이 해지를 요청하면 어떻게 처리합니까?"),
    (KO, fact("해지를 접수하는 곳", "114, 매장, 앱", old=None), "해지를 접수하는 곳은 어디입니까?"),
    (KO, fact("본인 확인할 때 확인하는 사람", "양도인과 양수인 모두", old=None),
     "본인 확인할 때 확인하는 사람은 누구입니까?"),
    (KO, fact("처리 순서", "a → b → c", old=None), "처리 순서는 어떻게 됩니까?"),
    (KO, fact("접속 화면에 보이는 이름(SSID)", "AirOne_Free", old=None),
     "접속 화면에 보이는 이름(SSID)은 무엇입니까?"),
])
def test_question_stems_follow_the_label_shape(doc, item, stem):
    assert question_stem(doc, item) == stem


@pytest.mark.parametrize(("value", "kind", "old", "nots", "what"), [
    ("300분", "quantity", "200분", (), "몇 분입니까?"),  # an allowance in minutes: not 얼마 동안
    ("만 24세", "quantity", "만 18세", (), "몇 세입니까?"),
    ("3회", "quantity", None, (), "몇 회입니까?"),
    ("3영업일", "duration", "7영업일", (), "며칠입니까?"),
    ("24시간", "duration", None, ("7일", "14일"), "얼마입니까?"),  # mixed units
    ("33,000원", "money", None, (), "얼마입니까?"),
    ("2026-03-01", "date", None, (), "언제입니까?"),
])
def test_korean_question_word_follows_the_meaning(value, kind, old, nots, what):
    assert ko_what(Fact("f-x", "기준", value, kind, old, nots)) == what


@pytest.mark.parametrize(("word", "particle", "expected"), [
    ("수단", "는", "수단은"), ("요금제", "는", "요금제는"), ("이름(SSID)", "는", "이름(SSID)은"),
    ("결합상품", "가", "결합상품이"), ("요금", "를", "요금을"),
])
def test_particles_fit_the_word(word, particle, expected):
    assert attach(word, particle) == expected


@pytest.mark.parametrize(("label", "lang", "positive", "negative"), [
    ("Separate Wi-Fi bundle needed", "en", "A separate Wi-Fi bundle is needed",
     "A separate Wi-Fi bundle is not needed"),
    ("Disputed amount held from collection", "en", "The disputed amount is held from collection",
     "The disputed amount is not held from collection"),
    ("114 agents can order a replacement USIM", "en", "114 agents can order a replacement USIM",
     "114 agents cannot order a replacement USIM"),
    ("Unused data rolls over", "en", "Unused data rolls over", "Unused data does not roll over"),
    ("Porting available at weekends", "en", "Porting is available at weekends",
     "Porting is not available at weekends"),
    ("Credit applied automatically", "en", "The credit is applied automatically",
     "The credit is not applied automatically"),
    ("Ask the customer to call another department", "en",
     "you should ask the customer to call another department",
     "you should not ask the customer to call another department"),
    ("Can be combined with the family discount", "en",
     "It can be combined with the family discount",
     "It cannot be combined with the family discount"),
    ("Can the promotion be combined with the family discount?", "en",
     "The promotion can be combined with the family discount",
     "The promotion cannot be combined with the family discount"),
    ("Can an agent read the PIN back to the caller?", "en",
     "An agent can read the PIN back to the caller",
     "An agent cannot read the PIN back to the caller"),
    ("Does unused data roll over?", "en", "Unused data rolls over",
     "Unused data does not roll over"),
    ("Does data used on the phone slow down too?", "en", "Data used on the phone slows down too",
     "Data used on the phone does not slow down either"),
    ("Do exempt customers have to apply?", "en", "Exempt customers have to apply",
     "Exempt customers do not have to apply"),
    ("Exempt customers have to apply", "en", "Exempt customers have to apply",
     "Exempt customers do not have to apply"),
    ("Data used on the phone slows down too", "en", "Data used on the phone slows down too",
     "Data used on the phone does not slow down either"),
    ("Parents get an alert when the watch leaves a saved area", "en",
     "Parents get an alert when the watch leaves a saved area",
     "Parents do not get an alert when the watch leaves a saved area"),
    ("Wi-Fi calling available on postpaid plans", "en",
     "Wi-Fi calling is available on postpaid plans",
     "Wi-Fi calling is not available on postpaid plans"),
    ("가족 결합 할인을 함께 받습니까?", "ko", "가족 결합 할인을 함께 받습니다",
     "가족 결합 할인을 함께 받지 않습니다"),
    ("주말 설치 추가 요금 부과", "ko", "주말 설치 추가 요금을 부과합니다",
     "주말 설치 추가 요금을 부과하지 않습니다"),
    ("별도 넷스팟 결합상품 필요 여부", "ko", "별도 넷스팟 결합상품이 필요합니다",
     "별도 넷스팟 결합상품이 필요하지 않습니다"),
    ("해지 방어 혜택을 먼저 제안", "ko", "해지 방어 혜택을 먼저 제안합니다",
     "해지 방어 혜택을 먼저 제안하지 않습니다"),
    ("기존 가입자 요금제 자동 변경", "ko", "기존 가입자 요금제를 자동으로 변경합니다",
     "기존 가입자 요금제를 자동으로 변경하지 않습니다"),
    ("약정 기간을 채울수록 위약금 감소", "ko", "약정 기간을 채울수록 위약금이 감소합니다",
     "약정 기간을 채울수록 위약금이 감소하지 않습니다"),
    ("해외에서 사용 가능한지", "ko", "해외에서 사용 가능합니다", "해외에서 사용 가능하지 않습니다"),
    ("앱에서 신청할 수 있나요?", "ko", "앱에서 신청할 수 있습니다", "앱에서 신청할 수 없습니다"),
])
def test_yes_no_labels_become_a_claim_and_its_negation(label, lang, positive, negative):
    assert claims(label, lang) == (positive, negative)


@pytest.mark.parametrize(("claim", "lang", "question"), [
    ("A separate Wi-Fi bundle is needed", "en", "Is a separate Wi-Fi bundle needed?"),
    ("Unused data rolls over", "en", "Does unused data roll over?"),
    ("you should ask the customer to wait", "en", "Should you ask the customer to wait?"),
    ("별도 넷스팟 결합상품이 필요합니다", "ko", "별도 넷스팟 결합상품이 필요합니까?"),
    ("앱에서 신청할 수 있습니다", "ko", "앱에서 신청할 수 있습니까?"),
])
def test_claims_become_yes_no_questions(claim, lang, question):
    assert question_from_claim(claim, lang) == question


def test_a_yes_no_label_that_is_no_claim_is_asked_as_written_and_the_author_warned():
    doc = replace(EN, facts=(Fact("f-x", "Available in shops", "yes", "bool"),))
    assert yes_no_question(doc, doc.facts[0]) == "Is this so: “Available in shops”?"
    noun = replace(doc.facts[0], label="Weekend porting")  # a noun phrase: "Is there ...?"
    assert yes_no_question(doc, noun) == "Is there weekend porting?"
    asked = replace(doc.facts[0], ask="Is porting possible at weekends?")
    assert yes_no_question(doc, asked) == "Is porting possible at weekends?"


@pytest.mark.parametrize(("value", "expected"), [("가능", True), ("불가", False)])
def test_korean_possible_and_impossible_are_yes_and_no(value, expected):
    doc = replace(KO, facts=(Fact("f-x", "해외에서 사용 가능한지", value),))  # type text
    items = {item.key: item for item in generate_items(doc)}
    question = items["f-x-1"]
    assert question.stem == "해외에서 사용 가능합니까?" and question.kind == "true_false"
    assert next(o.text for o in question.options if o.correct) == ("예" if expected else "아니요")
    assert [o.text for o in items["f-x-2"].options] == ["맞음", "틀림"]


@pytest.mark.parametrize(("doc", "item", "value", "sentence"), [
    (EN, fact("Monthly fee", old=None), "₩30,000", "The monthly fee is ₩30,000."),
    (EN, fact("Call the customer back within", old=None), "2 hours",
     "Call the customer back within 2 hours."),
    (EN, fact("If the ID is refused", old=None), "check the option",
     "If the ID is refused, check the option."),
    (EN, fact("Who owns a dispute", old=None), "the first agent",
     "The first agent owns a dispute."),
    (EN, fact("Where can a customer trade in a phone?", old=None), "any company shop",
     "A customer can trade in a phone at any company shop."),
    (EN, fact("How customers opt in", old=None), "by app", "Customers opt in by app."),
    (EN, fact("How the", old=None), "by app",
     "The answer to “Which of these describes how the?” is: by app."),
    (EN, fact("Supervisor callback within", old=None), "4 working hours",
     "A supervisor callback is due within 4 working hours."),
    (EN, fact("Hotspot add-on lasts", old=None), "30 days", "A hotspot add-on lasts 30 days."),
    (EN, fact("Grading takes", old=None), "5 working days", "Grading takes 5 working days."),
    (EN, fact("If the phone fails the check", old=None), "we recycle it",
     "If the phone fails the check, we recycle it."),
    (EN, fact("Are calls home charged as roaming?", old=None), "no, at domestic rates",
     "Calls home are not charged as roaming."),
    (KO, fact("안내 서비스를 신청하는 방법", old=None), "번호를 바꿀 때 자동으로 신청됨",
     "안내 서비스는 번호를 바꿀 때 자동으로 신청됩니다."),
    (KO, fact("데이터 차단을 해제하는 방법", old=None), "출국 전 매장 방문",
     "데이터 차단을 해제하려면 출국 전 매장을 방문합니다."),
    (KO, fact("서비스 불가 지역이면", old=None), "위약금의 50%를 내고 해지",
     "서비스 불가 지역이면 위약금의 50%를 내고 해지합니다."),  # no particle after 내고
    (KO, fact("알리고 싶지 않으면", old=None), "안내를 끌 수 없다고 안내",
     "알리고 싶지 않으면 안내를 끌 수 없다고 안내합니다."),
    (EN, fact("International calls locked for", old=None), "24 hours",
     "International calls are locked for 24 hours."),
    (EN, fact("Most authorised contacts per account", "3 contacts", "quantity", old=None),
     "3 contacts", "The maximum number of authorised contacts per account is 3."),
    (EN, fact("Early repayment fee", old=None), "none", "There is no early repayment fee."),
    (KO, fact("명의변경 수수료", old=None), "0원", "명의변경 수수료는 0원입니다."),
    (KO, fact("미납 요금이 있으면", old=None), "완납 후 명의변경",
     "미납 요금이 있으면, 올바른 답은 ‘완납 후 명의변경’입니다."),
    (KO, fact("고객이 해지를 요청하면", old=None), "바로 해지 접수",
     "고객이 해지를 요청하면 바로 해지 접수합니다."),
    (KO, fact("남은 할부금", old=None), "한 번에 냄", "남은 할부금은 한 번에 냅니다."),
    (KO, fact("필요 서류", old=None), "없음", "필요 서류는 없습니다."),
    (KO, fact("이사 후 약정 기간", old=None), "남은 약정 기간이 그대로 이어짐",
     "이사 후에는 남은 약정 기간이 그대로 이어집니다."),
    (KO, fact("데이터 차단을 해제하는 방법", old=None), "앱에서 해제하거나 로밍센터에 전화",
     "데이터 차단을 해제하려면 앱에서 해제하거나 로밍센터에 전화합니다."),
    (KO, fact("결제 수단 변경이 반영되는 때", old=None), "신청한 다음 달 청구분부터",
     "결제 수단 변경이 신청한 다음 달 청구분부터 반영됩니다."),
    (KO, fact("설치받으려면 예약해야 하는 때", old=None), "이사일 3영업일 전까지",
     "설치받으려면 이사일 3영업일 전까지 예약해야 합니다."),
    (KO, fact("환불 처리 순서", old=None), "본인 확인 → 환불 접수",
     "환불 처리 순서는 본인 확인 → 환불 접수입니다."),
    (EN, fact("International calls on new lines", old=None), "blocked",
     "International calls on new lines are blocked."),
])
def test_statements_never_put_a_clause_into_a_noun_slot(doc, item, value, sentence):
    assert statement(doc, item, value) == sentence


@pytest.mark.parametrize(("line", "ask"), [
    ('- **How customers opt in** {#f-optin type=text ask="How do customers opt in?"}: by app',
     "How do customers opt in?"),
    ('- **거절하면** {#f-no ask="고객이 거절하면 어떻게 안내합니까?" type=text}: 상담 종료',
     "고객이 거절하면 어떻게 안내합니까?"),
    ("- **Monthly fee** {#f-fee type=money}: ₩30,000", None),  # old bulletins stay valid
])
def test_the_ask_attribute_is_read_from_the_fact_line(line, ask):
    problems: list = []
    found, _ = read_fact_line(line, 7, problems)
    assert problems == [] and found.ask == ask


@pytest.mark.parametrize(("line", "problem"), [
    ('- **X** {#f-x ask=""}: a', "unknown fact attribute 'ask=\"\"'"),
    ('- **X** {#f-x ask="A?" ask="B?"}: a', "unknown fact attribute 'ask=\"B?\"'"),
])
def test_an_empty_or_repeated_ask_is_refused(line, problem):
    problems: list = []
    assert read_fact_line(line, 7, problems) == (None, "f-x")
    assert [(line, found.message) for line, found in problems] == [(7, problem)]
