"""Generator round 8 (#14): the defect classes of the eighth blind rating, each by its shape.

A wrong amount on the qualifying side of a bound or threshold made true sentences keyed False
(7 C items); cloze sentences cut from the body named no service; "500M(으)로"; 501M beside
500M; "매월 40일"; "1 wrong entries"; a yes/no statement turned round into a double negation
or a concession with a positive outcome, or at its first clause only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.types import BulletinDoc, Fact
from app.domain.generation import generate_items
from app.domain.generation.authored import negated
from app.domain.generation.bounds import ABOVE, BELOW, on_false_side, wrong_side
from app.domain.generation.context import GenerationContext
from app.domain.generation.korean import attach
from app.domain.generation.ladders import quantity_ladder

EN = BulletinDoc(slug="b", title="t", effective=date(2029, 9, 1), skills=("billing",),
                 facts=(), body="", source="")
KO = replace(EN, lang="ko")


def made(doc, item):
    return generate_items(replace(doc, facts=(item,)), context=GenerationContext())


@pytest.mark.parametrize(("text", "value", "lang", "side"), [
    ("Customers with at least 3 years of service qualify.", "3 years", "en", BELOW),
    ("Customers aged 65 and over get the discount.", "65", "en", BELOW),
    ("A hotspot with 3 open tickets is hidden from the map.", "3 open tickets", "en", BELOW),
    ("When a hotspot has 3 open tickets, it is hidden.", "3 open tickets", "en", BELOW),
    ("After 3 wrong entries the PIN is locked for 24 hours.", "3 wrong entries", "en", BELOW),
    ("Customers under 19 need a guardian's consent.", "19", "en", ABOVE),
    ("유선 인터넷을 3년 이상 이용한 고객은 상향을 받습니다.", "3년", "ko", BELOW),
    ("만 19세 미만 고객은 법정대리인 동의가 필요합니다.", "만 19세 미만", "ko", ABOVE),
    ("만 14세 미만 고객은 매장을 방문해야 합니다.", "만 14세", "ko", ABOVE),
    ("비밀번호를 3회 틀리면 잠깁니다.", "3회", "ko", BELOW),
    # a window, an allowance, what one can do, a length of time: only a larger amount
    ("After 3 wrong entries the PIN is locked for 24 hours.", "24 hours", "en", ABOVE),
    ("The deposit is refunded within 7 days.", "7 days", "en", ABOVE),
    ("At most 5 days a month can be waived.", "5 days", "en", ABOVE),
    ("Visitors can park free of charge for 1 hour.", "1 hour", "en", ABOVE),
    ("A customer can have 1 payment extension in any 6 months.", "1 payment extension", "en",
     ABOVE),
    ("하루에 최대 2건까지 예약할 수 있습니다.", "2건", "ko", ABOVE),
    ("구매 후 48시간 이내에 취소할 수 있습니다.", "48시간", "ko", ABOVE),
    ("받은 데이터는 받은 날부터 30일 동안 쓸 수 있습니다.", "30일", "ko", ABOVE),
    # stated exactly: any other amount is false
    ("The PIN has 6 digits.", "6 digits", "en", None),
    ("A paper bill costs KRW 1,000.", "KRW 1,000", "en", None),
    ("도어 센서는 한 세트에 3개입니다.", "3개", "ko", None),
    ("Customers log in with their WiBro ID.", "WiBro ID", "en", None),  # not an amount
    ("The new rules apply from 2029-03-04.", "2029-03-04", "en", None),  # a date
])
def test_the_side_a_wrong_amount_must_lie_on_is_read_from_the_sentence(text, value, lang, side):
    assert wrong_side(text, value, lang) == side


@pytest.mark.parametrize(("key", "wrong", "side", "false"), [
    ("3 years", "5 years", BELOW, False), ("3 years", "1 year", BELOW, True),
    ("만 19세 미만", "만 18세 미만", ABOVE, False), ("만 19세 미만", "만 20세 미만", ABOVE, True),
    ("3 years", "5 years", None, True), ("3 years", "soon", BELOW, True),  # another thing
    ("1 hour", "30 minutes", ABOVE, False), ("1 hour", "2 hours", ABOVE, True),
    ("결제 후 24시간", "결제 후 12시간", ABOVE, False),
    ("결제 후 24시간", "첫 접속 후 24시간", ABOVE, True),  # counted from another moment
    ("3 attempts", "1 attempt", BELOW, True),
])
def test_only_an_amount_past_the_bound_makes_the_sentence_false(key, wrong, side, false):
    assert on_false_side(key, wrong, side) is false


def test_a_minimum_is_never_judged_false_with_a_larger_amount():
    tenure = Fact("f-tenure", "Minimum tenure", "3 years", "duration", "5 years",
                  ("4 years", "2 years"),
                  say="From 1 September 2029, customers with at least 3 years of service get "
                      "the free speed upgrade.")
    items = {i.key: i for i in made(EN, tenure)}
    assert "at least 2 years" in items["f-tenure-3"].stem  # below: false; 5 and 4: true
    # the old value and a not: value are on the true side: a cloze would offer only amounts
    # below the key (one-sided, the key at the end of the range), so none is made
    assert "f-tenure-4" not in items


def test_an_age_limit_is_never_judged_false_with_a_younger_age():
    age = Fact("f-age", "Consent age", "만 19세", "quantity", None, ("만 18세", "만 20세"),
               say="만 19세 미만 고객이 유선 인터넷에 가입할 때는 법정대리인 동의가 필요합니다.")
    false = [i for i in made(KO, age) if i.key == "f-age-3"]
    assert false and "만 18세" not in false[0].stem


def test_a_fact_with_say_is_blanked_in_its_own_sentence_not_a_body_sentence():
    doc = replace(EN, body="The field team checks the zone within ==3 working days==.")
    check = Fact("f-check", "Zone check time", "3 working days", "duration", "7 working days",
                 ("5 working days", "10 working days"),
                 say="From 1 July 2029, the field team checks a faulty olleh Wi-Fi zone within 3 "
                     "working days of the ticket.")
    cloze = next(i for i in made(doc, check) if i.kind == "cloze")
    assert cloze.stem == ("From 1 July 2029, the field team checks a faulty olleh Wi-Fi zone "
                          "within _____ of the ticket.")
    assert {"7 working days", "3 working days"} <= {o.text for o in cloze.options}


@pytest.mark.parametrize(("word", "particle", "written"), [
    ("500M", "로", "500M로"), ("1G", "로", "1G로"), ("10GB", "을", "10GB를"),
    ("5 Mbps", "로", "5 Mbps로"), ("와이브로 ID", "가", "와이브로 ID가"), ("PIN", "을", "PIN을"),
])
def test_a_data_or_speed_unit_after_a_number_takes_the_vowel_particle(word, particle, written):
    assert attach(word, particle) == written


def test_the_authors_own_particle_after_the_value_is_kept():
    speed = Fact("f-speed", "Upgraded speed", "500M", "quantity", None, ("300M", "1G"),
                 say="100M 요금제 고객은 무료 상향을 받으면 500M로 속도가 올라갑니다.")
    assert made(KO, speed)[0].explanation == speed.say


@pytest.mark.parametrize(("value", "ladder"), [
    ("500M", ["300M", "1G", "200M", "2.5G", "100M"]),
    ("5 Mbps", ["3 Mbps", "10 Mbps", "1 Mbps", "20 Mbps", "30 Mbps"]),
    ("매월 20일", ["매월 15일", "매월 25일", "매월 10일", "매월 5일", "매월 1일"]),
    ("3 wrong entries", ["4 wrong entries", "2 wrong entries", "5 wrong entries",
                         "1 wrong entry", "6 wrong entries"]),
    ("1 open ticket", ["2 open tickets", "3 open tickets", "4 open tickets"]),
    ("2 tests", ["3 tests", "1 test", "4 tests", "5 tests"]),
])
def test_ladders_stay_in_the_values_world_and_count_nouns_agree(value, ladder):
    assert quantity_ladder(value) == ladder


@pytest.mark.parametrize(("text", "lang", "other"), [
    ("고객이 매장에 가지 않아도 됩니다", "ko", "고객이 매장에 가야 합니다."),
    ("고객이 서류를 내지 않아도 됩니다", "ko", "고객이 서류를 내야 합니다."),
    ("고객이 서류를 받지 않아도 됩니다", "ko", "고객이 서류를 받아야 합니다."),
    ("고객이 다시 오지 않아도 됩니다", "ko", "고객이 다시 와야 합니다."),
    ("고객이 서류를 보여 주지 않아도 됩니다", "ko", "고객이 서류를 보여 줘야 합니다."),
    ("고객이 매장에 가야 합니다", "ko", "고객이 매장에 가지 않아도 됩니다."),
    ("상향을 받아도 월 이용요금은 오르지 않습니다", "ko", None),  # a concession: not turned
    ("The customer does not tell the agent the PIN; they key it in", "en", None),
    ("Agents do not add the credit by hand, but the trace ticket does", "en", None),
])
def test_a_statement_is_turned_round_as_a_whole_or_not_at_all(text, lang, other):
    assert negated(text, lang) == other


def test_the_authors_named_things_with_a_number_are_offered_before_generated_ones():
    missing = Fact("f-missing", "Detail to ask for", "the 12-digit receipt number", "text", None,
                   ("the 10-digit WiBro line number", "the store's 10-digit business number"),
                   ask="What do you ask the customer for when store credit has not arrived?")
    choice = next(i for i in made(EN, missing) if i.key == "f-missing-1")
    assert {"the 10-digit WiBro line number", "the store's 10-digit business number"} <= {
        o.text for o in choice.options}


@pytest.mark.parametrize(("key", "ladder"), [
    ("2029-03-04", ["4 February 2029", "4 April 2029", "25 February 2029", "11 March 2029"]),
    ("2029-03-01", ["1 February 2029", "1 April 2029", "22 February 2029", "8 March 2029"]),
])
def test_a_date_off_the_first_is_offered_beside_the_same_day_of_other_months(key, ladder):
    from app.domain.generation.ladders import date_ladder

    assert date_ladder(key, "en") == ladder


def test_a_yes_no_statement_not_turned_round_is_told_to_the_author():
    from app.domain.generation import generation_warnings

    spoken = Fact("f-spoken", "Customer tells the PIN", "no", "bool",
                  say="The customer does not tell the agent the PIN; they key it in.")
    doc = replace(EN, facts=(spoken,))
    codes = [p.code for p in generation_warnings(doc, made(EN, spoken))]
    assert codes == ["advice_say_one_clause"]
    single = replace(spoken, say="The customer does not tell the agent the PIN.")
    assert generation_warnings(replace(EN, facts=(single,)), made(EN, single)) == []


def test_two_thing_options_vary_both_parts_and_never_splice_an_only():
    content = Fact("f-content", "알림 문자 내용", "발신번호와 전화가 온 시간", "text", None,
                   ("발신자 이름", "통화 녹음 파일"),
                   ask="집전화 부재중 알림 문자에는 무엇이 담깁니까?")
    choice = next(i for i in made(KO, content) if i.key == "f-content-1")
    wrongs = [o.text for o in choice.options if not o.correct]
    assert "발신자 이름과 통화 녹음 파일" in wrongs  # shares no part with the key
    address = Fact("f-address", "위치 정보", "도로명 주소와 층수", "text", None,
                   ("지번 주소만", "가까운 지하철역 이름"), ask="어떤 위치 정보를 받습니까?")
    assert not any("주소만과" in o.text or "주소만" in o.text and "와" in o.text
                   for i in made(KO, address) for o in i.options)


def test_a_two_thing_key_is_blanked_only_beside_two_thing_options():
    content = Fact("f-content", "알림 문자 내용", "발신번호와 전화가 온 시간", "text", None,
                   ("발신자 이름", "통화 녹음 파일"),
                   say="집전화 부재중 알림 문자에는 발신번호와 전화가 온 시간이 담깁니다.")
    for item in made(KO, content):
        if item.kind == "cloze":
            assert all("과 " in o.text or "와 " in o.text for o in item.options)


@pytest.mark.parametrize(("doc", "say", "old", "stems"), [
    (KO, "집전화 부재중 알림은 전화기 2대까지 받을 수 있습니다.", "1대",
     ["2029년 9월 1일부터 집전화 부재중 알림은 전화기 2대까지 받을 수 있습니다.",
      "2029년 9월 1일부터 집전화 부재중 알림은 전화기 3대까지 받을 수 있습니다."]),
    (EN, "Customers can register 2 phones for the missed-call alert.", "1",
     ["From 1 September 2029, customers can register 2 phones for the missed-call alert."]),
    (EN, "From the June bill, customers can register 2 phones.", "1",  # timed by the author
     ["From the June bill, customers can register 2 phones."]),
    (KO, "집전화 부재중 알림은 전화기 2대까지 받을 수 있습니다.", None,  # unchanged: no date
     ["집전화 부재중 알림은 전화기 2대까지 받을 수 있습니다."]),
])
def test_a_changed_facts_statement_naming_no_time_gets_the_effective_date(doc, say, old, stems):
    value = "2대" if doc is KO else "2 phones"
    phones = Fact("f-phones", "Phones", value, "quantity", old, (), say=say)
    said = [i.stem for i in made(doc, phones) if i.recipe == "true_false"]
    assert said[:len(stems)] == stems
    cloze = [i.stem for i in made(doc, phones) if i.kind == "cloze"]
    assert all(stem.count("2029") <= 1 for stem in cloze)


@pytest.mark.parametrize(("text", "value", "lang", "side"), [
    ("The contract term of the free-netbook deal is 36 months.", "36 months", "en", None),
    ("팀장 승인 없이 적용할 수 있는 요금 감면 한도는 10,000원입니다.", "10,000원", "ko", None),
    ("Business customers can gift data 2 times a month.", "2 times", "en", ABOVE),
    ("고객은 한 달에 2회 데이터를 선물할 수 있습니다.", "2회", "ko", ABOVE),
])
def test_a_term_or_a_named_limit_reads_exactly_what_one_can_do_only_upward(
        text, value, lang, side):
    assert wrong_side(text, value, lang) == side


@pytest.mark.parametrize(("stem", "options", "resolved"), [
    ("고객은 _____을(를) 냅니다.", ["신분증", "등본", "여권"], "고객은 _____을 냅니다."),
    ("_____(으)로 보냅니다.", ["문자", "이메일", "카드"], "_____로 보냅니다."),  # ㄹ takes 로 too
    ("_____이(가) 담깁니다.", ["발신번호", "시간"], "_____이(가) 담깁니다."),  # they differ
])
def test_a_paired_particle_after_the_blank_is_resolved_when_every_option_agrees(
        stem, options, resolved):
    from app.domain.generation.korean import resolve_particles

    assert resolve_particles(stem, options) == resolved


@pytest.mark.parametrize(("key", "wrong", "fits"), [
    ("24시간", "구매한 날 자정까지", False), ("24시간", "48시간", True),
    ("매장에서", "앱에서", True), ("3일", "3일부터", False),
])
def test_a_korean_value_bringing_its_own_particle_does_not_fit_the_slot(key, wrong, fits):
    from app.domain.generation.authored import fits_slot

    assert fits_slot(key, wrong) is fits


def test_english_dating_keeps_a_lone_article_lowercase_and_rieul_stems_conjugate():
    from app.domain.generation.authored import _ko_polite

    phones = Fact("f-lines", "Lines", "5 lines", "quantity", "10 lines", (),
                  say="A business customer's complaint is escalated at 5 lines.")
    assert made(EN, phones)[0].explanation.startswith("From 1 September 2029, a business")
    assert (_ko_polite("걸"), _ko_polite("열"), _ko_polite("받")) == (
        "겁니다", "엽니다", "받습니다")
