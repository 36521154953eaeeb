"""Generator round 12 (#14): what the twelfth blind rating marked in English, by its shape.

"1 time" for once; a key of two alternatives ("sequential or round-robin") among single
options, which gives it away; a value its product name already says ("How much data does
WiBro Tab 20 give?" — 20 GB); and the echo question an editor rewrites ("… once in how many
months?").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items, generation_warnings
from app.domain.generation.context import GenerationContext
from app.domain.generation.cues import echo_question, value_in_name
from app.domain.generation.distractors import pair
from app.domain.generation.english import idiomatic_counts

EN = BulletinDoc(slug="b", title="Hunting groups for business lines",
                 effective=date(2034, 3, 2), skills=("business",), facts=(), body="", source="")
KO = replace(EN, lang="ko", title="와이브로 탭 요금제")


def made(doc, *facts):
    return generate_items(replace(doc, facts=facts), context=GenerationContext())


def warned(doc, *facts):
    doc = replace(doc, facts=facts)
    return [p.code for p in generation_warnings(doc, generate_items(doc))]


@pytest.mark.parametrize(("text", "said"), [
    ("1 time", "once"),
    ("2 times", "twice"),
    ("3 times", "3 times"),
    ("calls the customer 1 time.", "calls the customer once."),
    ("at most 2 times a month", "at most twice a month"),
    ("One time per month", "Once per month"),
    ("a 1 time fee", "a 1 time fee"),           # a compound keeps its number
    ("2 times speed", "2 times speed"),
    ("21 times", "21 times"),                   # a whole number only
    ("12 times", "12 times"),
])
def test_counts_of_times_are_said_as_english_says_them(text, said):
    assert idiomatic_counts(text) == said


def test_items_say_once_and_twice_in_stem_options_and_explanation():
    calls = Fact("f-calls", "Calls before the technician leaves", "2 times", "quantity", None,
                 ("1 time", "3 times"),
                 ask="How many times does the technician call the customer before leaving?",
                 say="The technician calls the customer 2 times before leaving.")
    items = made(EN, calls)
    texts = [t for i in items for t in (i.stem, i.explanation, *(o.text for o in i.options))]
    assert items and not any("1 time" in t or "2 times" in t for t in texts)
    choice = next(i for i in items if i.kind == "choice")
    assert next(o.text for o in choice.options if o.correct) == "twice"
    assert "once" in {o.text for o in choice.options}


def test_korean_items_are_left_as_written():
    calls = Fact("f-calls", "방문 전 전화 횟수", "2회", "quantity", None, ("1회", "3회"),
                 ask="기사는 방문 전에 고객에게 몇 번 전화합니까?",
                 say="기사는 방문 전에 고객에게 2회 전화합니다.")
    assert any("2회" in i.stem for i in made(KO, calls))


@pytest.mark.parametrize(("value", "parts"), [
    ("sequential or round-robin order", ("sequential", " or ", "round-robin order")),
    ("문자 또는 이메일", ("문자", " 또는 ", "이메일")),
    ("ID card and a bill", ("ID card", " and ", "a bill")),
    ("12 months or longer", None),              # a bound, not two alternatives
    ("KRW 3,000 or more", None),
])
def test_two_alternatives_are_a_pair_like_two_things(value, parts):
    assert pair(value) == parts


def test_a_key_of_two_alternatives_is_offered_among_pairs_only():
    order = Fact("f-order", "Call orders a business can choose", "sequential or round-robin",
                 "text", None, ("random", "longest idle first"),
                 ask="Which call orders can a business choose for its hunting group?",
                 say="A business can choose sequential or round-robin for its hunting group.")
    choice = next(i for i in made(EN, order) if i.kind == "choice")
    assert len(choice.options) >= 3
    assert all(" or " in o.text for o in choice.options)  # the key's form is no cue


def fact(value, ask, say, label="Monthly data", kind="quantity"):
    return Fact("f-data", label, value, kind, None, (), ask=ask, say=say)


@pytest.mark.parametrize(("found", "name"), [
    (fact("20 GB", "How much data a month does WiBro Tab 20 give?",
          "WiBro Tab 20 gives 20 GB of data a month."), "Tab 20"),
    (fact("20기가", "와이브로 탭 20 요금제의 월 데이터는 얼마입니까?",
          "와이브로 탭 20 요금제는 매월 20기가를 제공합니다."), "탭 20"),
    (fact("KRW 5,000", "What does Plan 5000 cost?", "Plan 5000 costs KRW 5,000.",
          kind="money"), "Plan 5000"),
    (fact("100 GB", "How much data does 5G Premium 100 give?", "5G Premium 100 gives 100 GB."),
     "Premium 100"),
    # a date, a bound of the value, a step number or another amount is no name
    (fact("20 GB", "From 20 May 2034, how much data does the plan give?",
          "From 20 May 2034, the plan gives 20 GB."), None),
    (fact("20 lines", "How many lines can a family add, at most 20?",
          "A family can add up to 20 lines."), None),
    (fact("20기가", "최대 몇 기가를 제공합니까?", "최대 20기가를 제공합니다."), None),
    (fact("3 working days", "Within how many working days does Step 3 happen?",
          "Step 3 happens within 3 working days.", kind="duration"), None),
    (fact("5G", "What network does it use?", "It uses 5G.", kind="text"), None),
])
def test_a_value_its_product_name_gives_away(found, name):
    assert value_in_name(found) == name


def test_no_item_is_made_from_a_value_the_name_gives_away_and_the_author_is_told():
    data = replace(fact("20 GB", "How much data a month does WiBro Tab 20 give?",
                        "WiBro Tab 20 gives 20 GB of data a month."),
                   not_values=("10 GB", "30 GB"))
    assert made(EN, data) == []
    assert "advice_value_in_name" in warned(EN, data)
    other = replace(data, ask="How much data a month does the tablet plan give?",
                    say="The tablet plan gives 20 GB of data a month.")
    assert made(EN, other) and "advice_value_in_name" not in warned(EN, other)


@pytest.mark.parametrize(("ask", "echo"), [
    ("An agent can waive the no-show fee at most once per customer in how many months?", True),
    ("The fee is waived after how many days?", True),
    ("From 17 March 2034, how much does a reprint cost?", False),
    ("In how many days is the deposit refunded?", False),
    ("Up to how many lines can a family add?", False),
    ("For a business line, how many numbers can be kept?", False),
    ("Which call orders can a business choose?", False),
    ("기사는 방문 전에 고객에게 몇 번 전화합니까?", False),  # Korean puts it mid-sentence
])
def test_an_echo_question_is_told_to_the_author(ask, echo):
    assert echo_question(ask) is echo


def test_the_echo_question_advice_names_the_fact():
    waive = Fact("f-waive", "Waiver period", "12 months", "duration", None,
                 ("6 months", "24 months"),
                 ask="An agent can waive the fee at most once per customer in how many months?",
                 say="An agent can waive the fee at most once per customer in 12 months.")
    assert "advice_ask_word_first" in warned(EN, waive)
    assert "advice_ask_word_first" not in warned(
        EN, replace(waive, ask="How many months apart can an agent waive the fee?"))
