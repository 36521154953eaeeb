"""The author's own statement of a fact (``say="..."``): read from the fact line, used as it
is by the true/false items and the explanation, a wrong value put where the value stands, a
yes/no statement turned round only when the negation is certain (issue #14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.facts_section import read_fact_line
from app.domain.bulletin.form import FactRow, fact_line, form_from_doc
from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items, generation_warnings
from app.domain.generation.authored import authored, authored_question, negated
from app.domain.generation.context import GenerationContext

EN = BulletinDoc(slug="b", title="Paper bills become opt-in", effective=date(2028, 5, 1),
                 skills=("billing",), facts=(), body="", source="")
KO = replace(EN, lang="ko")


def fact(value, say, old=None, nots=(), type_="text", label="Paper bill fee", ask=None):
    return Fact("f-x", label, value, type_, old, tuple(nots), ask=ask, say=say)


def made(doc, item):
    return generate_items(replace(doc, facts=(item,)), context=GenerationContext())


# --- the fact line ---------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "say"), [
    ('- **Paper bill fee** {#f-fee type=money say="From the June 2028 bill, a paper bill costs '
     'KRW 1,000."}: KRW 1,000 (was: KRW 0)',
     "From the June 2028 bill, a paper bill costs KRW 1,000."),
    ('- **종이 청구서 요금** {#f-fee say="6월 청구분부터 종이   청구서는 1,000원입니다." '
     'type=money}: 1,000원', "6월 청구분부터 종이 청구서는 1,000원입니다."),
    ('- **Switch date** {#f-d type=date say="Paper bills stop on 1 June 2028."}: 2028-06-01',
     "Paper bills stop on 1 June 2028."),
    ('- **Switch date** {#f-d type=date say="종이 청구서는 2028년 6월 1일에 중단됩니다."}: '
     '2028-06-01',
     "종이 청구서는 2028년 6월 1일에 중단됩니다."),
    ('- **Call needed** {#f-c type=bool say="Existing customers do not need to call."}: no',
     "Existing customers do not need to call."),
    ("- **Monthly fee** {#f-fee type=money}: ₩30,000", None),  # old bulletins stay valid
])
def test_the_say_attribute_is_read_from_the_fact_line(line, say):
    problems: list = []
    found, _ = read_fact_line(line, 7, problems)
    assert problems == [] and found.say == say


@pytest.mark.parametrize(("line", "problem"), [
    ('- **Fee** {#f-fee type=money say="A paper bill costs KRW 2,000."}: KRW 1,000',
     "fact 'f-fee': say=\"...\" must write the value 'KRW 1,000' as it is, so that a wrong "
     "value can take its place"),
    ('- **Day** {#f-d type=date say="Paper bills stop in June."}: 2028-06-01',
     "fact 'f-d': say=\"...\" must write the value '2028-06-01' as it is, so that a wrong "
     "value can take its place"),
    ('- **X** {#f-x say=""}: a', "unknown fact attribute 'say=\"\"'"),
    ('- **X** {#f-x say="a" say="a b"}: a', "unknown fact attribute 'say=\"a b\"'"),
])
def test_a_statement_without_its_value_is_refused_by_name(line, problem):
    problems: list = []
    found, key = read_fact_line(line, 7, problems)
    assert found is None and key is not None
    assert [str(p) for _, p in problems] == [problem]


def test_the_guided_editor_writes_say_back_and_reads_it_again():
    row = FactRow(key="f-fee", label="Paper bill fee", say="A paper bill costs KRW 1,000.",
                  type="money", value="KRW 1,000", was="KRW 0")
    line = fact_line(row)
    assert 'say="A paper bill costs KRW 1,000."' in line
    problems: list = []
    found, _ = read_fact_line(line, 1, problems)
    assert problems == [] and found.say == row.say
    doc = replace(EN, facts=(found,))
    assert form_from_doc(doc).facts[0].say == row.say


# --- statements ------------------------------------------------------------------------------

@pytest.mark.parametrize(("doc", "item", "value", "said"), [
    (EN, fact("KRW 1,000", "From the June 2028 bill, a paper bill costs KRW 1,000."), "KRW 500",
     "From the June 2028 bill, a paper bill costs KRW 500."),
    (EN, fact("krw 1,000", "a paper bill costs KRW 1,000"), "KRW 0",
     "A paper bill costs KRW 0."),  # any case; capitalised, with its full stop
    (KO, fact("3일", "해지 신청 후 3일이 지나면 번호가 해지됩니다."), "5일",
     "해지 신청 후 5일이 지나면 번호가 해지됩니다."),
    (KO, fact("문자", "포인트 소멸 안내는 문자로 보냅니다."), "이메일",
     "포인트 소멸 안내는 이메일로 보냅니다."),  # 으로/로 after the new word
    (KO, fact("문자", "포인트 소멸 안내는 문자로 보냅니다."), "우편",
     "포인트 소멸 안내는 우편으로 보냅니다."),
    (KO, fact("1,000원", "종이 청구서 요금은 1,000원이 됩니다."), "500원",
     "종이 청구서 요금은 500원이 됩니다."),
    (KO, fact("앱", "비밀번호는 앱에서 바꿉니다."), "대리점",
     "비밀번호는 대리점에서 바꿉니다."),
    (EN, fact("2028-06-01", "Paper bills stop on 1 June 2028.", type_="date"), "1 July 2028",
     "Paper bills stop on 1 July 2028."),
    (EN, fact("KRW 1,000", None), "KRW 500", None),  # no say: the generator's own phrasing
    (EN, fact("WiBro ID and password", "Customers log in with their WiBro ID and password."),
     "a separate Wi-Fi bundle ID", "Customers log in with a separate Wi-Fi bundle ID."),
    (EN, fact("monthly fee", "The router has a monthly fee."), "one-off charge",
     "The router has a one-off charge."),
    (EN, fact("monthly fee", "The router has a monthly fee."), "annual fee",
     "The router has an annual fee."),
])
def test_a_wrong_value_takes_the_values_place_in_the_authors_sentence(doc, item, value, said):
    assert authored(doc, item, value) == said


@pytest.mark.parametrize(("text", "lang", "other"), [
    ("Existing customers do not need to call", "en", "Existing customers need to call."),
    ("The customer does not need to call.", "en", "The customer needs to call."),
    ("Customers cannot keep their old number", "en", "Customers can keep their old number."),
    ("The fee is not charged on the first bill", "en", "The fee is charged on the first bill."),
    ("Customers can keep their number", "en", "Customers cannot keep their number."),
    ("A police report is required to unblock the line", "en",
     "A police report is not required to unblock the line."),
    ("The credit applies to the first bill", "en", "The credit does not apply to the first bill."),
    ("The fee cannot be waived if the customer pays late", "en",
     "The fee can be waived if the customer pays late."),
    # not certain: no false statement
    ("If the customer cannot pay, the fee is waived", "en", None),
    ("Paper bills are no longer sent by default", "en", None),
    ("No fee is charged", "en", None),
    ("기존 고객은 전화하지 않아도 됩니다", "ko", "기존 고객은 전화해야 합니다."),
    ("미납 금액이 있으면 납부일을 변경할 수 없습니다", "ko",
     "미납 금액이 있으면 납부일을 변경할 수 있습니다."),
    ("자녀 안심 서비스는 기본으로 켜집니다", "ko", "자녀 안심 서비스는 기본으로 켜지지 않습니다."),
    ("해지 시 위약금이 부과되지 않습니다", "ko", "해지 시 위약금이 부과됩니다."),
    ("포인트는 현금으로 돌려받습니다", "ko", "포인트는 현금으로 돌려받지 않습니다."),
    ("별도 신청이 필요합니다", "ko", "별도 신청이 필요하지 않습니다."),
    ("이 서비스는 무료입니다", "ko", "이 서비스는 무료가 아닙니다."),
    ("보증금은 10만 원입니다", "ko", "보증금은 10만 원이 아닙니다."),
    ("이 서비스는 무료가 아닙니다", "ko", "이 서비스는 무료입니다."),
    ("요금은 월 단위입니다만 예외가 있습니다", "ko", "요금은 월 단위입니다만 예외가 없습니다."),
])
def test_a_yes_no_statement_is_turned_round_only_when_certain(text, lang, other):
    assert negated(text, lang) == other


# --- the items -------------------------------------------------------------------------------

def test_true_false_items_and_the_explanation_say_the_authors_sentence():
    item = fact("KRW 1,000", "From the June 2028 bill, a paper bill costs KRW 1,000.",
                old="KRW 0", nots=("KRW 500", "KRW 2,000"), type_="money")
    told = replace(EN, body="A paper bill cost KRW 0; from the June 2028 bill it costs more.")
    items = {i.key: i for i in made(told, item)}
    assert items["f-x-2"].stem == "From the June 2028 bill, a paper bill costs KRW 1,000."
    assert items["f-x-3"].stem == "From the June 2028 bill, a paper bill costs KRW 0."
    assert [o.correct for o in items["f-x-3"].options] == [False, True]
    assert {i.explanation for i in items.values()} == {
        "From the June 2028 bill, a paper bill costs KRW 1,000. Before: KRW 0."}


def test_an_explanation_that_says_the_old_value_itself_is_not_told_it_twice():
    item = fact("KRW 1,000", "A paper bill goes up from KRW 0 to KRW 1,000.", old="KRW 0",
                nots=("KRW 500", "KRW 2,000"), type_="money")
    items = made(EN, item)
    assert {i.explanation for i in items} == {"A paper bill goes up from KRW 0 to KRW 1,000."}
    # the false statement never swaps the value for the old one it already prints
    false = [i for i in items if i.key == "f-x-3"]
    assert false and "KRW 0 to KRW 0" not in false[0].stem


def test_a_yes_no_fact_states_the_authors_sentence_and_its_negation():
    item = fact("no", "Existing customers do not need to call to switch to e-bills.",
                label="Call needed to switch", type_="bool",
                ask="Do existing customers need to call to switch to e-bills?")
    items = {i.key: i for i in made(EN, item)}
    assert items["f-x-2"].stem == "Existing customers do not need to call to switch to e-bills."
    assert items["f-x-3"].stem == "Existing customers need to call to switch to e-bills."
    assert items["f-x-1"].stem == "Do existing customers need to call to switch to e-bills?"
    assert items["f-x-1"].explanation == items["f-x-2"].stem
    uncertain = replace(item, say="Paper bills are no longer sent by default.")
    assert [i.key for i in made(EN, uncertain) if i.recipe == "true_false"] == ["f-x-2"]


def test_a_label_the_generator_cannot_say_gets_its_statement_from_say():
    label = "Also register as lost"  # fresh7: "The also register as lost is the device's IMEI."
    bare = fact("the device's IMEI", None, label=label, nots=("the SIM number", "the PIN"))
    said = replace(bare, say="When a phone is reported lost, also register the device's IMEI.")
    stems = [i.stem for i in made(EN, said) if i.recipe == "true_false"]
    assert stems == ["When a phone is reported lost, also register the device's IMEI.",
                     "When a phone is reported lost, also register the SIM number."]


def test_the_advice_for_a_fact_without_a_statement_names_say():
    bare = fact("the June 2028 bill, then monthly", None, label="When the fee starts",
                nots=("the May 2028 bill, then monthly", "the July 2028 bill, then monthly"))
    doc = replace(EN, facts=(bare,))
    found = [p for p in generation_warnings(doc, made(EN, bare)) if "statement" in p.code]
    assert found and all('say="..."' in str(p) for p in found)


@pytest.mark.parametrize(("doc", "say", "asked"), [
    (EN, "Existing customers do not need to call to switch.",
     ("Do existing customers need to call to switch?", False)),
    (EN, "From 1 June 2029, customers can keep their number.",
     ("From 1 June 2029, can customers keep their number?", True)),
    (KO, "기존 고객은 전화하지 않아도 됩니다.", ("기존 고객은 전화해야 합니까?", False)),
    (KO, "2029년 6월 1일부터 자녀 안심 서비스는 기본으로 켜집니다.",
     ("2029년 6월 1일부터 자녀 안심 서비스는 기본으로 켜집니까?", True)),
    (KO, "미납 금액이 있으면 납부일을 변경할 수 없습니다.",
     ("미납 금액이 있으면 납부일을 변경할 수 있습니까?", False)),
    (KO, "이 서비스는 무료가 아닙니다.", ("이 서비스는 무료입니까?", False)),
])
def test_a_yes_no_fact_without_ask_is_asked_from_its_statement(doc, say, asked):
    assert authored_question(doc, fact("no", say, type_="bool")) == asked


def test_the_yes_no_question_from_say_is_answered_by_the_statement():
    item = fact("no", "Existing customers do not need to call to switch.", type_="bool",
                label="Call needed")
    choice = next(i for i in made(EN, item) if i.key == "f-x-1")
    assert choice.stem == "Do existing customers need to call to switch?"
    assert [(o.text, o.correct) for o in choice.options] == [("Yes", False), ("No", True)]


def test_the_lint_leaves_a_date_the_author_wrote_in_say_to_the_author():
    from app.domain.generation.lint import lint_items

    item = fact("6 digits", "From 1 May 2028, the account PIN has 6 digits.",
                nots=("4 digits", "8 digits"), type_="quantity", label="PIN length",
                ask="How many digits does the account PIN have?")
    doc = replace(EN, facts=(item,))
    found = lint_items(doc, made(EN, item))
    assert found and not any("change_on_unchanged" in codes for codes in found.values())
    bare = replace(item, say=None, ask=None)  # the same stem without the author's date
    dated = replace(made(EN, item)[0], stem="From 1 May 2028, the account PIN has 6 digits.")
    assert "change_on_unchanged" in lint_items(replace(EN, facts=(bare,)), [dated])[dated.key]


def test_before_is_said_only_where_the_text_says_it_and_the_author_is_told_otherwise():
    item = fact("KRW 1,000", "From the June 2028 bill, a paper bill costs KRW 1,000.",
                old="KRW 0", nots=("KRW 500", "KRW 2,000"), type_="money")
    items = made(EN, item)  # the text says nothing of KRW 0
    assert {i.explanation for i in items} == {item.say}
    codes = [p.code for p in generation_warnings(replace(EN, facts=(item,)), items)]
    assert "advice_old_not_in_text" in codes
    told = replace(EN, body="Paper bills were free (==KRW 0==) until May 2028.", facts=(item,))
    assert "advice_old_not_in_text" not in [
        p.code for p in generation_warnings(told, made(told, item))]


@pytest.mark.parametrize(("body", "old", "told"), [
    ("예약할 수 있는 번호는 1개에서 3개로 늘었습니다.", "1개", True),
    ("보관 기간은 7일에서 14일로 늘었습니다.", "7일", True),
    ("보관 기간은 17일에서 14일로 줄었습니다.", "7일", False),  # not the 7 of 17
    ("The fee was KRW 0 until May.", "KRW 0", True),
])
def test_a_short_korean_old_value_is_found_before_its_particle(body, old, told):
    from app.domain.generation.phrasing import told_before

    item = fact("3개", None, old=old, type_="quantity")
    assert told_before(replace(KO, body=body), item) is told
