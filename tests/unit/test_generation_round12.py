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
from app.domain.generation.cues import clang, echo_question, old_still_holds, value_in_name
from app.domain.generation.distractors import pair
from app.domain.generation.english import idiomatic_counts
from app.domain.generation.fact_index import FactIndex
from app.domain.generation.korean import particle_for
from app.domain.generation.ladders import parse_date
from app.domain.generation.option_order import in_natural_order, natural_order
from app.domain.generation.question_units import fitted_question
from app.domain.generation.values import same_kind, same_unit

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
    ("1–2 times a month", "1–2 times a month"),  # a range, a decimal, "at one time"
    ("1 or 2 times", "1 or 2 times"),
    ("1.2 times the price", "1.2 times the price"),
    ("At one time, agents called back.", "At one time, agents called back."),
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
    (fact("3개월", "약정 기간은 몇 개월입니까?", "약정 기간은 3 개월입니다."),  # a spaced unit
     None),
    (fact("KRW 500", "What is the fee?", "The fee is KRW 500.", label="Fee KRW 500",
          kind="money"), None),                                 # the value's own prefix
    (fact("2 lines", "How many lines do Tier 2 customers get?", "Tier 2 customers get 2 lines."),
     None),
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
    ("For customers who joined before May, how much is the fee?", False),  # "who" relative
    ("If a customer asks where to go, what does the agent say?", False),
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


def test_a_two_thing_key_is_paired_with_a_wrong_thing_of_three_words_and_its_article():
    docs = Fact("f-docs", "Documents a guardian brings", "an ID card and a family relationship "
                "certificate", "text", None, ("the child's student ID", "a copy of the bill"),
                ask="What does a guardian bring to request a child's call history?",
                say="To request a child's call history, a guardian brings an ID card and a "
                    "family relationship certificate.")
    choice = next(i for i in made(EN, docs) if i.kind == "choice")
    assert {o.text for o in choice.options if not o.correct} == {
        "an ID card and the child's student ID",
        "the child's student ID and a family relationship certificate"}
    # "a copy of the bill" (four words besides its article) reads as a clause: not spliced


@pytest.mark.parametrize(("code", "particle", "fitted"), [
    ("*1114#", "를", "을"), ("*1114#", "로", "으로"),   # 샵: a final consonant
    ("#7070*", "를", "을"), ("#7070*", "로", "로"),     # 별: ㄹ takes 로
    ("#7070", "로", "으로"),                            # 공: a final consonant
])
def test_korean_particles_after_a_short_code_read_its_last_symbol(code, particle, fitted):
    assert particle_for(code, particle) == fitted


@pytest.mark.parametrize(("stem", "options", "korean", "asked"), [
    ("철회는 몇 시간 안에 모든 채널에 반영됩니까?", ["24시간", "14일", "48시간"], True,
     "철회는 얼마 안에 모든 채널에 반영됩니까?"),        # the old value in days
    ("전담 상담사는 몇 시간 안에 전화합니까?", ["2시간", "24시간", "4시간"], True,
     "전담 상담사는 몇 시간 안에 전화합니까?"),          # every option in hours: as written
    ("며칠 안에 환불됩니까?", ["3일", "1주", "5일"], True, "얼마 안에 환불됩니까?"),
    ("From 1 May 2034, within how many hours is it applied?", ["24 hours", "14 days",
                                                               "48 hours"], False,
     "From 1 May 2034, how soon is it applied?"),
    ("Within how many hours is it applied?", ["24 hours", "14 days", "48 hours"], False,
     "How soon is it applied?"),
    ("How many days before the due date is the text sent?", ["3 days", "1 week", "5 days"],
     False, "How long before the due date is the text sent?"),
    ("How many working days does it take?", ["3 working days", "7 working days",
                                             "5 working days"], False,
     "How many working days does it take?"),
    ("How many days does it take?", ["3 days", "by post", "5 days"], False,
     "How many days does it take?"),                     # an option that is no amount
    ("해지까지 몇 개월이 걸립니까?", ["3개월", "1년", "6개월"], True, "해지까지 얼마나 걸립니까?"),
    ("몇 시간의 통화가 무료입니까?", ["3시간", "1일", "6시간"], True,
     "몇 시간의 통화가 무료입니까?"),                    # no unit-free word reads there
    ("How many hours of calls are free?", ["3 hours", "1 day", "5 hours"], False,
     "How many hours of calls are free?"),
    ("How many days a month can a line pause?", ["3 days a month", "1 week a month"], False,
     "How many days a month can a line pause?"),
])
def test_a_unit_question_word_is_made_unit_free_when_an_option_is_in_another_unit(
        stem, options, korean, asked):
    assert fitted_question(stem, options, korean) == asked


def test_the_choice_item_asks_without_a_unit_when_the_old_value_has_another():
    hours = Fact("f-hours", "반영 시간", "24시간", "duration", "14일", ("48시간", "72시간"),
                 ask="2034년 10월 1일부터 광고 수신 동의 철회는 몇 시간 안에 반영됩니까?",
                 say="2034년 10월 1일부터 광고 수신 동의 철회는 24시간 안에 반영됩니다.")
    choice = next(i for i in made(KO, hours) if i.kind == "choice")
    assert "14일" in {o.text for o in choice.options}
    assert choice.stem == "2034년 10월 1일부터 광고 수신 동의 철회는 얼마 안에 반영됩니까?"


OLDER_PHONES = ("SIM login works on phones launched in 2030 or later; on older phones the "
                "customer keeps using the KT ID and password.")


@pytest.mark.parametrize(("body", "old", "found"), [
    (f"Until now they logged in with their KT ID and password. {OLDER_PHONES}",
     "with their KT ID and password",
     "on older phones the customer keeps using the KT ID and password."),
    ("기존 가입 고객은 약정이 끝날 때까지 계속 8,800원을 냅니다.", "8,800원",
     "기존 가입 고객은 약정이 끝날 때까지 계속 8,800원을 냅니다."),
    ("7월 1일 전에 적립된 포인트는 기존대로 5년이 유지됩니다.", "5년",
     "7월 1일 전에 적립된 포인트는 기존대로 5년이 유지됩니다."),
    # the old value said as the past, a continuation that is denied, another thing kept
    ("Until now they logged in with their KT ID and password.", "with their KT ID and password",
     None),
    ("지금까지는 전화를 받는 상담사마다 새로 응대했지만, 앞으로는 기본 상담사가 계속 응대하지 "
     "않습니다.", "전화를 받는 상담사", None),
    ("A customer whose phone keeps looking for KT_GiGA_Secure picks the new name once.",
     "KT_GiGA_Secure", None),
    ("Customers on WiBro 30 GB still need a Wi-Fi bundle.", "a separate Wi-Fi bundle ID", None),
    ("기존 고객은 2034년까지 계속 씁니다.", "3일", None),    # "3" of 2034 is no 3
    # "still"/"계속" of another clause: the discount continues, not the old fee
    ("재발급 수수료는 5,000원에서 3,000원으로 내리고, 가족 할인은 계속 적용됩니다.", "5,000원",
     None),
    ("The fee drops from KRW 5,000 to KRW 3,000; the family discount still applies.",
     "KRW 5,000", None),
    ("기존 고객은 계속 5,000원을 내며 추가 요금은 없습니다.", "5,000원",
     "기존 고객은 계속 5,000원을 내며"),
])
def test_the_text_saying_the_old_value_still_holds_for_some(body, old, found):
    assert old_still_holds(body, old) == found


def test_no_item_is_made_while_the_fact_leaves_out_whom_the_new_value_is_for():
    login = Fact("f-login", "How KT mobile customers log in", "with their SIM", "text",
                 "with their KT ID and password", ("with a text code", "with a day-pass code"),
                 ask="From 2 March 2034, how does a KT mobile customer log in to KT_WiFi_Secure?",
                 say="From 2 March 2034, a KT mobile customer logs in to KT_WiFi_Secure with "
                     "their SIM.")
    doc = replace(EN, body=f"Until now they logged in with their KT ID and password. "
                           f"{OLDER_PHONES}")
    # "logs in with their SIM" is false on older phones, the old login right for them
    assert made(doc, login) == [] and warned(doc, login) == ["advice_old_still_holds"]
    scoped = replace(login, ask="From 2 March 2034, how does a KT mobile customer on a phone "
                                "launched in 2030 or later log in to KT_WiFi_Secure?",
                     say="From 2 March 2034, a KT mobile customer on a phone launched in 2030 "
                         "or later logs in to KT_WiFi_Secure with their SIM.")
    items = made(doc, scoped)
    assert items and "advice_old_still_holds" not in warned(doc, scoped)
    assert any("KT ID" in o.text for i in items if i.kind == "choice" for o in i.options)
    plain = replace(doc, body="Until now they logged in with their KT ID and password.")
    assert made(plain, login) and "advice_old_still_holds" not in warned(plain, login)


@pytest.mark.parametrize(("stem", "key", "wrongs", "korean", "word"), [
    ("Where in the KT app does a customer turn micropayments on?",
     "My KT → Settings → Micropayment settings",
     ["My KT → Billing → Payment method", "My KT → Benefits → Coupons"], False, "micropayment"),
    ("고객은 My KT 앱의 어느 메뉴에서 광고 수신에 다시 동의합니까?",
     "My KT 앱 → 설정 → 광고 수신 동의",
     ["My KT 앱 → 요금 → 청구서 설정", "My KT 앱 → 혜택 → 멤버십"], True, "광고"),
    ("What counts as business expense proof?", "the business registration number",
     ["the customer's phone number", "a card receipt"], False, "business"),
    # the key shares three words, a wrong option one: still the echo
    ("고객은 My KT 앱의 어느 메뉴에서 투넘버 자동 전환 시간대를 바꿉니까?",
     "My KT 앱 → 부가서비스 → 투넘버 → 자동 전환",
     ["My KT 앱 → 요금 → 투넘버 요금", "My KT 앱 → 설정 → 착신 전환"], True, "자동"),
    # every option ends in the network the question names: no cue
    ("Where does a customer pick KT_WiFi_Secure on a Galaxy phone?",
     "Settings → Connections → Wi-Fi → KT_WiFi_Secure",
     ["Settings → Connections → Mobile networks → KT_WiFi_Secure",
      "Settings → Wi-Fi → Advanced → KT_WiFi_Secure"], False, None),
    ("Which call orders can a business choose?", "sequential or round-robin",
     ["random", "longest idle first"], False, None),
])
def test_a_word_of_the_question_only_the_key_repeats(stem, key, wrongs, korean, word):
    assert clang(stem, key, wrongs, korean) == word


def test_the_author_is_told_of_a_key_that_echoes_the_question():
    path = Fact("f-path", "Where to turn micropayments on", "My KT → Settings → Micropayment "
                "settings", "text", None, ("My KT → Billing → Payment method",
                                           "My KT → Benefits → Coupons"),
                ask="Where in the My KT app does a customer turn micropayments on?",
                say="A customer turns micropayments on in My KT → Settings → Micropayment "
                    "settings.")
    assert "advice_clang" in warned(EN, path)
    fair = replace(path, not_values=("My KT → Billing → Micropayment history",
                                     "My KT → Payments → Micropayment limits"))
    assert "advice_clang" not in warned(EN, fair)


def test_amounts_of_one_unit_and_dates_are_offered_in_order():
    attempts = Fact("f-attempts", "Callback attempts", "3 attempts", "quantity", "1 attempt",
                    ("2 attempts", "4 attempts"),
                    ask="After how many callback attempts can a case be closed?",
                    say="A case can be closed after 3 callback attempts.")
    choice = next(i for i in made(EN, attempts) if i.kind == "choice")
    assert [o.text for o in choice.options] == ["1 attempt", "2 attempts", "3 attempts",
                                                "4 attempts"]
    fee = Fact("f-fee", "감면 한도", "10,000원", "money", "5,000원", ("30,000원",),
               ask="요금 감면 한도는 얼마입니까?", say="요금 감면 한도는 10,000원입니다.")
    numbers = [int(o.text.replace(",", "").removesuffix("원"))
               for o in next(i for i in made(KO, fee) if i.kind == "choice").options]
    assert numbers == sorted(numbers)
    day = Fact("f-date", "시행일", "2034-03-02", "date",
               ask="새 기준은 언제부터 적용됩니까?", say="새 기준은 2034년 3월 2일부터 적용됩니다.")
    dated = next(i for i in made(KO, day) if i.kind == "choice")
    assert [o.text for o in dated.options] == sorted(
        (o.text for o in dated.options), key=parse_date)


def test_an_effective_date_the_title_cannot_name_gets_one_warning_naming_the_title():
    long_title = replace(EN, title="The first specialist owns a cross-department problem and "
                                   "calls the customer back within 2 hours")
    day = Fact("f-date", "Effective date", "2034-03-02", "date")
    assert made(long_title, day) == []
    assert warned(long_title, day) == ["advice_date_title"]
    asked = replace(day, ask="From what date does the first specialist own the problem?",
                    say="From 2 March 2034, the first specialist owns the problem.")
    assert made(long_title, asked) and "advice_date_title" not in warned(long_title, asked)
    said = replace(asked, ask=None)  # its statement makes items: no warning that none are
    assert made(long_title, said) and "advice_date_title" not in warned(long_title, said)


@pytest.mark.parametrize(("texts", "key", "order"), [
    (["4 attempts", "1 attempt", "3 attempts", "2 attempts"], 2, [1, 3, 2, 0]),
    (["30,000원", "5,000원", "10,000원"], 2, [1, 2, 0]),
    (["15 December 2010", "15 October 2010", "15 November 2010"], 2, [1, 2, 0]),
    (["3 times", "once", "twice", "4 times"], 2, [1, 2, 0, 3]),     # as English says them
    (["2 times a month", "1 time a month", "3 times a month"], 0, [1, 0, 2]),
    (["1 working day", "3 working days", "2 working days"], 2, [0, 2, 1]),
    (["5 lines", "6 lines", "7 lines", "8 lines"], 0, None),  # the key first: a cue, shuffled
    (["3일", "5일", "7일"], 2, None),                          # the key last
    (["24시간", "14일", "48시간"], 0, None),                    # two units: no natural order
    (["by post", "3 days", "5 days"], 1, None),
])
def test_the_natural_order_of_options(texts, key, order):
    assert natural_order(texts, key) == order
    correct = [i == key for i in range(len(texts))]
    if order:
        assert in_natural_order([texts[i] for i in order], [correct[i] for i in order])
    else:
        assert not in_natural_order(texts, correct)


@pytest.mark.parametrize(("mine", "theirs", "same"), [
    ("number", "numbers", True), ("extra line", "extra lines", True), ("box", "boxes", True),
    ("policy", "policies", True), ("movie", "movies", True), ("bus", "buses", True),
    ("working day", "working days", True), ("time a month", "times a month", True),
    ("개월", "개월", True), ("number", "lines", False), ("day", "days a month", False),
])
def test_a_unit_and_its_plural_are_one_unit(mine, theirs, same):
    assert same_unit(mine, theirs) is same


def test_one_thing_and_several_of_it_are_one_unit():
    limit = Fact("f-limit", "Numbers per customer in each draw", "1 number", "quantity",
                 "3 numbers", ("2 numbers", "5 numbers"),
                 ask="From 2 March 2034, how many numbers can a customer apply for in a draw?",
                 say="From 2 March 2034, a customer can apply for 1 number in a draw.")
    assert same_kind("1 number", "2 numbers", "quantity", strict=True)
    assert not same_kind("1 number", "3 lines", "quantity")
    choice = next(i for i in made(EN, limit) if i.kind == "choice")
    assert {o.text for o in choice.options} == {"1 number", "2 numbers", "3 numbers",
                                                "5 numbers"}


def test_a_choice_item_makes_up_no_value_on_the_true_side_of_a_window():
    callback = Fact("f-callback", "Call the customer back within", "2 hours", "duration", None,
                    ("24 hours", "3 days"),
                    ask="How soon does the specialist call the customer back?",
                    say="The specialist calls the customer back within 2 hours.")
    choice = next(i for i in made(EN, callback) if i.kind == "choice")
    assert "1 hour" not in {o.text for o in choice.options}  # 1 hour is within 2 hours too
    assert {"24 hours", "3 days"} <= {o.text for o in choice.options}


@pytest.mark.parametrize(("value", "parts"), [
    ("a recorded message plays and the call does not connect", None),  # two clauses
    ("the Yongsan and Mapo exchanges", None),     # one head noun for two names
    ("Android 10 or iOS 15", ("Android 10", " or ", "iOS 15")),
])
def test_clauses_and_shared_heads_are_no_two_things(value, parts):
    assert pair(value) == parts


def test_two_alternatives_are_never_paired_with_another_of_the_same_kind():
    os = Fact("f-os", "Oldest phone software", "Android 10 or iOS 15", "text", None,
              ("Android 8", "iOS 12"),
              ask="What is the oldest phone software that can join KT WiFi Secure?",
              say="KT WiFi Secure works on phones running Android 10 or iOS 15.")
    texts = {o.text for i in made(EN, os) if i.kind == "choice" for o in i.options}
    assert "Android 10 or Android 8" not in texts and "iOS 12 or iOS 15" not in texts
    assert "Android 8 or iOS 15" in texts


@pytest.mark.parametrize(("name", "particle", "fitted"), [
    ("VoLTE", "로", "로"), ("VoNR", "을", "을"), ("VoNR", "로", "로"),
])
def test_korean_particles_after_a_mixed_case_name_read_its_last_letter(name, particle, fitted):
    assert particle_for(name, particle) == fitted


def test_another_bulletins_menu_path_is_no_wrong_option_for_a_path():
    mine = Fact("f-path", "Where in the KT app customers switch to an English bill",
                "My KT → Billing → Bill "
                "language", "text", None, ("My KT → Settings → Language",
                                           "My KT → Billing → Bill delivery"),
                ask="Where in the My KT app does a customer switch the bill language?",
                say="A customer switches the bill language in My KT → Billing → Bill language.")
    theirs = Fact("f-path", "Where in the KT app customers apply",
                  "My KT → Benefits → Gold number draw", "text")
    context = GenerationContext(index=FactIndex.of([("other", theirs)]))
    items = generate_items(replace(EN, facts=(mine,)), context=context)
    assert items and not any("Gold number" in o.text for i in items for o in i.options)
