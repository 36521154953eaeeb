"""Moodle GIFT import and export: the real Moodle sample files, escapes, round trips, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.bulletin.types import ContentError, ItemDraft, OptionDraft
from app.domain.interchange import ImportResult, dump_gift, parse_gift

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"
ONLY = "question is not supported (only multiple choice and true/false)"


def read(name: str) -> ImportResult:
    """Import one of the real Moodle GIFT files kept in tests/fixtures/gift."""
    return parse_gift((FIXTURES / name).read_text(encoding="utf-8"), name)


def kinds(result: ImportResult) -> dict[str, int]:
    """How many items of each kind were imported."""
    counts: dict[str, int] = {}
    for item in result.items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts


def skipped(result: ImportResult) -> list[tuple[int, str]]:
    """(line, reason) of every skipped question; reasons shortened to their type."""
    return [(error.line, error.message.removeprefix("skipped: ").split(" question")[0])
            for error in result.skipped]


# Hand-counted from moodle-examples.gift.txt: 43 questions (comment-only paragraphs are not
# questions); 18 are single-answer choice / missing-word / true-false, 25 are skipped.
EXAMPLES_SKIPPED = [
    (14, "short answer"), (16, "numerical"), (43, "short answer"), (45, "short answer"),
    (55, "matching"), (61, "matching"), (70, "numerical"), (72, "numerical"),
    (74, "numerical"), (76, "numerical"), (85, "numerical"), (90, "short answer"),
    (103, "short answer"), (108, "short answer"),
    (115, "multiple choice"),  # ~%50% half credit beside =full credit
    (117, "multiple choice"),  # Jesus' hometown: ~%25% and ~%50% partial credit
    (123, "short answer"), (130, "multiple-answer"), (136, "multiple-answer"),
    (173, "short answer"), (175, "numerical"), (177, "matching"),
    (190, "multiple choice"),  # ~%50% partial credit
    (195, "short answer"), (202, "numerical"),
]
EXAMPLES_KEYS = [
    "q-8", "q-10", "q-12", "q-25", "q-27", "q-29", "q-35", "q-49", "q-51",
    "thanksgiving-date", "q-98", "q-113", "q-143", "gift-control-characters", "q-167",
    "q-169", "q-171", "grants-tomb",
]


def test_moodle_examples_file():
    result = read("moodle-examples.gift.txt")
    assert kinds(result) == {"choice": 7, "cloze": 6, "true_false": 5}
    assert [item.key for item in result.items] == EXAMPLES_KEYS
    assert skipped(result) == EXAMPLES_SKIPPED
    assert len(result.items) + len(result.skipped) == 43
    partial = next(e for e in result.skipped if e.line == 115)
    assert str(partial) == ("moodle-examples.gift.txt:115: skipped: multiple choice question"
                            " with partial credit (50%) is not supported (one option must be"
                            " fully right, the others wrong)")
    matching = next(e for e in result.skipped if e.line == 55)
    assert matching.message == f"skipped: matching {ONLY}"


def test_moodle_fixture_questions_file():
    result = read("moodle-fixture-questions.gift.txt")
    assert kinds(result) == {"choice": 1, "true_false": 3}
    assert [item.key for item in result.items] == ["q2", "q1", "2-08-tsl", "2-08-tsl-2"]
    assert skipped(result) == [(2, "essay"), (5, "matching"), (22, "multiple-answer"),
                               (31, "numerical"), (34, "short answer")]


def test_moodle_fixture_questions_in_category_file():
    result = read("moodle-fixture-questions-in-category.gift.txt")
    assert kinds(result) == {"choice": 1, "true_false": 1}
    assert [item.key for item in result.items] == ["greeting", "moodle-acronym"]
    assert skipped(result) == [(5, "matching"), (22, "short answer")]  # $CATEGORY: read past


def test_imported_items_are_hand_written_drafts():
    for name in ("moodle-examples.gift.txt", "moodle-fixture-questions.gift.txt"):
        for item in read(name).items:
            assert (item.fact, item.status, item.recipe) == ("imported", "draft", "")
            assert sum(option.correct for option in item.options) == 1
            assert all(option.source is None for option in item.options)
    assert {i.fact for i in parse_gift("Q?{~a =b}", fact="f-login").items} == {"f-login"}


def test_missing_word_becomes_a_cloze_and_multi_line_text_joins():
    items = {item.key: item for item in read("moodle-examples.gift.txt").items}
    assert items["q-10"].stem == "Grant is _____ in Grant's tomb."
    assert items["thanksgiving-date"].stem == ("The American holiday of Thanksgiving is"
                                               " celebrated on the _____ Thursday of November.")
    assert items["q-35"].options[1] == OptionDraft("China", correct=True)
    assert items["grants-tomb"].explanation == "Right answer!"  # the right answer's feedback
    assert items["q-98"].explanation == "Very good!"


def test_true_false_items_and_their_explanations():
    items = {item.key: item for item in read("moodle-examples.gift.txt").items}
    assert items["q-51"].options == (OptionDraft("True", correct=True), OptionDraft("False"))
    assert items["q-113"].options == (OptionDraft("True"), OptionDraft("False", correct=True))
    assert items["q-113"].explanation == "No one is buried in Grant's tomb."
    q1 = read("moodle-fixture-questions.gift.txt").items[1]
    assert q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert q1.stem.startswith("42 is the Absolute Answer to everything.")
    parsed = parse_gift("Sky is blue.{TRUE#No, look up.#Yes!}\n\nSea is dry.{FALSE####Wet.}")
    assert [i.explanation for i in parsed.items] == ["Yes!", "Wet."]
    assert [i.options[0].correct for i in parsed.items] == [True, False]


def test_escaped_control_characters_in_the_moodle_examples():
    items = {item.key: item for item in read("moodle-examples.gift.txt").items}
    assert [o.text for o in items["q-143"].options] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = items["gift-control-characters"]
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert control.options[-1].correct
    assert control.explanation.startswith("Correct! \\ (backslash) is not a control character.")


def test_html_is_reduced_to_text_and_format_prefixes_are_stripped():
    greeting, acronym = read("moodle-fixture-questions-in-category.gift.txt").items
    assert greeting.stem == "Listen to this greeting:\nWhat language is being spoken?"
    assert greeting.options[1] == OptionDraft("French", correct=True)
    assert acronym.stem == ("Moodle is an acronym for Modular Object-Oriented Dynamic"
                            " Learning Environment.")
    q2 = read("moodle-fixture-questions.gift.txt").items[0]
    assert [o.text for o in q2.options] == ["yellow", "red", "blue"]
    item = parse_gift("[markdown]Who is **he**?{=<b>A</b> ~[html]<b>C</b> &amp; D}").items[0]
    assert [item.stem] + [o.text for o in item.options] == ["Who is **he**?", "<b>A</b>",
                                                            "C & D"]  # an answer's own format
    item = parse_gift("[html]<p>Who?</p>{=<b>A</b> &amp; B ~C}").items[0]
    assert (item.stem, item.options[0].text) == ("Who?", "A & B")  # answers follow the stem


@pytest.mark.parametrize(("source", "text"), [
    (r"a \~ b", "a ~ b"), (r"a \= b", "a = b"), (r"a \# b", "a # b"), (r"a \{ b", "a { b"),
    (r"a \} b", "a } b"), (r"a \: b", "a : b"), (r"a \n b", "a \n b"), (r"a \\ b", "a \\ b"),
    (r"a \\n b", "a \\n b"), (r"C:\d", "C:\\d"),  # only the listed escapes; \\ first
])
def test_escapes(source, text):
    item = parse_gift(f"::t::{source}{{={source} ~x}}").items[0]
    assert (item.stem, item.options[0].text) == (text, text)
    assert parse_gift(dump_gift([item])).items[0] == item


def item(key: str, kind: str, stem: str, *options: str, correct: int = 0,
         explanation: str = "") -> ItemDraft:
    """An imported-looking item: fact "imported", draft, no sources."""
    return ItemDraft(key=key, fact="imported", kind=kind, stem=stem, explanation=explanation,
                     options=tuple(OptionDraft(t, correct=i == correct)
                                   for i, t in enumerate(options)))


ROUND_TRIP = [
    item("f-login-1", "choice", "From 1 September, how does a WiBro 50 GB customer log in?",
         "With the WiBro ID and password", "With a separate Wi-Fi bundle ID",
         "With the customer's mobile number",
         explanation="Since 1 September the WiBro ID works on Wi-Fi hotspots."),
    item("f-price-1", "choice", "와이브로 50 GB 요금제의 월 요금은 얼마입니까?",
         "33,000원", "27,500원", "38,500원", correct=1, explanation="9월 1일부터 33,000원입니다."),
    item("f-login-2", "true_false", "와이파이 접속에는 와이브로 ID를 쓴다.", "True", "False"),
    item("f-login-3", "true_false", "A bundle ID is needed.", "True", "False", correct=1,
         explanation="No bundle is needed: {really}."),
    item("f-login-4", "cloze", "Customers log in with their _____ from 1 September.",
         "WiBro ID", "bundle ID", "mobile number"),
    item("f-login-5", "cloze", "고객은 _____", "와이브로 ID로 로그인한다", "번들 ID로 로그인한다"),
    item("f-esc-1", "choice", "Which is literal: a ~ b = c # d {e} f: g \\ h?",
         "~tilde", "=equals", "#hash", "{brace}", "a: b", "back\\slash", correct=3,
         explanation="Line one\nline two: ~=#{}"),
    item("f-esc-2", "choice", "Is 5 < 10 && 3 > 2?", "<yes>", "[html]no", "%50% off", "%7",
         correct=2),
    item("f-ko-1", "choice", "::제목처럼:: 보이는 질문 {괄호}?", "예 = 맞음", "아니요 ~ 틀림"),
]


def test_dump_then_parse_gives_the_items_back():
    text = dump_gift(ROUND_TRIP)
    assert parse_gift(text) == ImportResult(items=tuple(ROUND_TRIP), skipped=())


def test_dump_layout():
    assert dump_gift(ROUND_TRIP[:1]) == (
        "::f-login-1::From 1 September, how does a WiBro 50 GB customer log in?{\n"
        "\t=With the WiBro ID and password\n"
        "\t~With a separate Wi-Fi bundle ID\n"
        "\t~With the customer's mobile number\n"
        "\t####Since 1 September the WiBro ID works on Wi-Fi hotspots.\n"
        "}\n\n")
    assert dump_gift([ROUND_TRIP[3]]) == (
        "::f-login-3::A bundle ID is needed.{F####No bundle is needed\\: \\{really\\}.}\n\n")
    cloze = dump_gift([ROUND_TRIP[4]])
    assert cloze.startswith("::f-login-4::Customers log in with their {\n\t=WiBro ID\n")
    assert cloze.endswith("\n} from 1 September.\n\n")
    assert "_____{" in dump_gift([ROUND_TRIP[5]])  # a final blank stays: Moodle needs text after
    assert dump_gift([]) == ""


def test_dump_marks_markup_as_plain_and_gives_weight_like_options_a_weight():
    text = dump_gift([ROUND_TRIP[7]])
    assert text.startswith("::f-esc-2::[plain]Is 5 < 10 && 3 > 2?{")
    assert "\t~[plain]<yes>\n\t~[plain][html]no\n\t=%100%%50% off\n\t~%7\n" in text


def test_generated_items_lose_only_what_gift_does_not_carry():
    generated = ItemDraft(key="f-login-3", fact="f-login", kind="true_false",
                          stem="로그인에는 번들 ID가 필요하다.", status="approved",
                          recipe="true_false", explanation="번들은 필요 없다.",
                          options=(OptionDraft("맞다", source="old"),
                                   OptionDraft("틀리다", correct=True)))
    back = parse_gift(dump_gift([generated]), fact="f-login").items[0]
    assert (back.key, back.stem, back.explanation, back.kind) == (
        "f-login-3", generated.stem, generated.explanation, "true_false")
    assert back.options == (OptionDraft("True"), OptionDraft("False", correct=True))
    assert (back.status, back.recipe) == ("draft", "")


def test_keys_from_titles_are_unique_slugs():
    text = ("::Jesus' hometown::A?{=a ~b}\n\n::Jesus’ Hometown::B?{=a ~b}\n\n"
            "::jesus-hometown::C?{=a ~b}\n\nNo title?{T}\n\n::요금 안내 (9월)::D?{F}\n\n"
            "::!!!::E?{T}\n\n::" + "long " * 20 + "::F?{T}")
    keys = [i.key for i in parse_gift(text).items]
    assert keys == ["jesus-hometown", "jesus-hometown-2", "jesus-hometown-3", "q-7",
                    "요금-안내-9월", "q-11", "long-" * 11 + "long"]
    assert all(len(key) <= 60 for key in keys)


def test_comments_categories_and_blank_lines():
    text = ("// a comment\n$CATEGORY: $course$/top/Wi-Fi\n\n"
            "Who?{\n// a comment inside the block\n=a\n   \n~b}\n")
    with pytest.raises(ContentError):  # a whitespace-only line ends a question, as in Moodle
        parse_gift(text)
    result = parse_gift(text.replace("   \n", ""))
    assert [(i.key, [o.text for o in i.options]) for i in result.items] == [("q-4", ["a", "b"])]
    assert parse_gift("\ufeff// only comments\r\n\r\n// here\r\n") == ImportResult((), ())


@pytest.mark.parametrize(("source", "reason"), [
    ("Tell us about you.{}", f"essay {ONLY}"),
    ("Year?{#1822:1}", f"numerical {ONLY}"),
    ("Match.{=a -> 1 =b -> 2 =c -> 3}", f"matching {ONLY}"),
    ("Who?{=no one =nobody}", f"short answer {ONLY}"),
    ("Just some instructions.", f"description (text without answers) {ONLY}"),
    ("Which two?{~%50%a ~%50%b ~c}", f"multiple-answer {ONLY}"),
    ("Which?{=a =b ~c}", ("multiple choice question with 2 correct options is not supported"
                         " (exactly one must be correct)")),
    ("Which?{~a ~b}", ("multiple choice question with no correct options is not supported"
                      " (exactly one must be correct)")),
    ("Which?{=a}", f"short answer {ONLY}"),
    ("Which?{=a ~}", "multiple choice question needs at least 2 options, each with text"),
    ("::t::{=a ~b}", "the question has no text"),
])
def test_unsupported_questions_are_skipped_with_their_line(source, reason):
    result = parse_gift(f"// header\n\nGood?{{T}}\n\n// why\n{source}\n", "bank.gift")
    assert [i.key for i in result.items] == ["q-3"]
    assert [str(e) for e in result.skipped] == [f"bank.gift:6: skipped: {reason}"]


@pytest.mark.parametrize(("source", "line", "message"), [
    ("Who is\nburied {~Grant\n=no one", 2, "unclosed '{': the answer block has no closing '}'"),
    ("Who is\nburied ~Grant =no one}", 2, "'}' without an opening '{'"),
    ("::Title\nWho?{T}", 1, "the question title is not closed"),
    ("Who?{T}\nand {F}", 2, "a second answer block"),
    ("Who?{ stray ~a =b}", 1, "text before the first option: 'stray'"),
])
def test_malformed_gift_is_rejected_with_file_and_line(source, line, message):
    with pytest.raises(ContentError) as caught:
        parse_gift(f"Fine?{{T}}\n\n{source}\n", "bank.gift")
    [error] = caught.value.errors
    assert (error.file, error.line) == ("bank.gift", line + 2)
    assert error.message.startswith(message)
    assert str(error).startswith(f"bank.gift:{line + 2}: ")


def test_every_malformed_question_is_reported_at_once():
    with pytest.raises(ContentError) as caught:
        parse_gift("A?{~a =b\n\nB?{T}\n\nC?{F\n", "x.gift")
    assert [(e.line, e.message.split(":")[0]) for e in caught.value.errors] == [
        (1, "unclosed '{'"), (5, "unclosed '{'")]
