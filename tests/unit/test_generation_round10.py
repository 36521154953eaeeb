"""Generator round 10 (#14): the defect classes of the tenth blind rating, each by its shape.

Both C items put a wrong value where no value stood: "1년" inside "2031년", "may not" after the
month in "19 May 2031". Also: "For family members, …" before the author's own question, "as
before" kept in a false statement, "누구나가", a procedure taken for two things.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items
from app.domain.generation.authored import authored, negated
from app.domain.generation.context import GenerationContext
from app.domain.generation.distractors import pair

EN = BulletinDoc(slug="b", title="Family members can split one bill", effective=date(2031, 2, 17),
                 skills=("billing",), facts=(), body="", source="")
KO = replace(EN, lang="ko", title="가족 요금 나눠 내기")


def made(doc, item):
    return generate_items(replace(doc, facts=(item,)), context=GenerationContext())


@pytest.mark.parametrize(("doc", "value", "say", "wrong", "said"), [
    (KO, "1년",
     "2031년 2월 17일부터 kt.com 아이디는 1년 동안 로그인하지 않으면 휴면 계정이 됩니다.",
     "3년", "2031년 2월 17일부터 kt.com 아이디는 3년 동안 로그인하지 않으면 휴면 계정이 됩니다."),
    (EN, "3 days", "From 13 March 2031, the check takes 3 days.", "5 days",
     "From 13 March 2031, the check takes 5 days."),  # not the "3" of "13 March"
    (EN, "may", "Customers may ask twice.", "must", "Customers must ask twice."),
])
def test_a_wrong_value_takes_the_place_of_the_value_as_a_whole_word(doc, value, say, wrong, said):
    assert authored(doc, Fact("f-x", "X", value, say=say), wrong) == said


def test_a_month_is_no_modal_verb():
    found = negated("From 19 May 2031, a second-hand WiBro device must pass a history check",
                    "en")
    assert found == ("From 19 May 2031, a second-hand WiBro device does not have to pass a "
                     "history check.")


def test_the_authors_own_question_is_never_prefixed_with_the_titles_subject():
    who = Fact("f-who", "Who can request a split", "the account holder", "text", None,
               ("any family member", "the person who pays"),
               ask="Who can request a bill split?")
    assert next(i for i in made(EN, who) if i.kind == "choice").stem == \
        "Who can request a bill split?"


@pytest.mark.parametrize(("doc", "say", "value", "wrong", "false"), [
    (EN, "Live chat is open weekdays 09:00–18:00, as before.", "weekdays 09:00–18:00",
     "every day 08:00–20:00", "Live chat is open every day 08:00–20:00."),
    (KO, "상담 녹취는 지금과 같이 통화일로부터 3년 동안 보관합니다.", "3년", "5년",
     "상담 녹취는 통화일로부터 5년 동안 보관합니다."),
    (KO, "상담 녹취 열람은 명의자 본인이 신청할 수 있습니다.", "명의자 본인",
     "명의자의 가족 누구나",
     "상담 녹취 열람은 명의자의 가족 누구나 신청할 수 있습니다."),  # never "누구나가"
    (EN, "Only the account holder can request a bill split.", "the account holder",
     "any family member who will pay", "Any family member who will pay can request a bill split."),
    (EN, "Pickup is open only on weekdays 10:00–18:00.", "weekdays 10:00–18:00",
     "every day 10:00–21:00", "Pickup is open on every day 10:00–21:00."),
])
def test_a_false_statement_claims_one_thing_in_plain_korean_and_english(
        doc, say, value, wrong, false):
    assert authored(doc, Fact("f-x", "X", value, say=say), wrong) == false


def test_the_true_statement_keeps_the_authors_as_before():
    say = "Live chat is open weekdays 09:00–18:00, as before."
    assert authored(EN, Fact("f-x", "X", "weekdays 09:00–18:00", say=say),
                    "weekdays 09:00–18:00") == say


@pytest.mark.parametrize(("value", "two"), [
    ("로그인 후 휴대폰 본인인증과 비밀번호 재설정", False),  # steps
    ("sign in, then reset the password and confirm", False),
    ("신분증과 가족관계증명서", True),
    ("ID card and a family relationship certificate", True),
])
def test_a_procedure_is_not_taken_for_two_things(value, two):
    assert (pair(value) is not None) is two


def test_a_window_whose_authored_near_miss_is_on_the_true_side_gets_no_one_sided_cloze():
    coupon = Fact("f-valid", "Coupon validity", "60일", "duration", "30일", ("90일", "180일"),
                  say="2032년 3월 1일부터 데이터 쿠폰은 받은 날부터 60일 동안 쓸 수 있습니다.")
    doc = KO
    assert not [i for i in made(doc, coupon) if i.kind == "cloze"]  # 30일 is part of 60
    exact = replace(coupon, say="데이터 쿠폰 유효기간은 60일입니다.")  # stated exactly
    assert [i for i in made(doc, exact) if i.kind == "cloze"]
