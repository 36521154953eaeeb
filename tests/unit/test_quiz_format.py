"""Quiz files (product.md, section 5): parsing with line numbers, dumping, round trips."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.bulletin.types import (
    BulletinDoc,
    ContentError,
    Fact,
    ItemDraft,
    OptionDraft,
    QuizDoc,
)
from app.domain.generation import generate_items
from app.domain.quiz_format import dump_quiz, parse_quiz

SECTION_5 = """\
bulletin: wibro50-wifi-login
version: 1
items:
  - id: f-login-1               # stable across regenerations
    fact: f-login
    kind: choice                # choice | true_false | cloze
    stem: "From 1 September, how does a WiBro 50 GB customer log into our Wi-Fi hotspots?"
    options:
      - {text: "With the WiBro ID and password", correct: true}
      - {text: "With a separate Wi-Fi bundle ID", source: old}
      - {text: "With the customer's mobile number", source: glossary}
    explanation: "Since 1 September the WiBro ID works on Wi-Fi hotspots; no bundle is needed."
    status: approved
"""


def test_parses_the_section_5_example():
    quiz = parse_quiz(SECTION_5, "quizzes/wibro50-wifi-login.yaml")
    assert (quiz.bulletin, quiz.version, len(quiz.items)) == ("wibro50-wifi-login", 1, 1)
    item = quiz.items[0]
    assert (item.key, item.fact, item.kind, item.status, item.recipe) == (
        "f-login-1", "f-login", "choice", "approved", "")
    assert item.options == (
        OptionDraft("With the WiBro ID and password", correct=True),
        OptionDraft("With a separate Wi-Fi bundle ID", source="old"),
        OptionDraft("With the customer's mobile number", source="glossary"),
    )
    assert item.explanation.startswith("Since 1 September")


def test_defaults_and_text_read_as_written():
    quiz = parse_quiz("bulletin: b\nversion: 2\nitems:\n"
                      "  - {id: 10, fact: f-x, kind: true_false, stem: Bundle needed,"
                      " options: [{text: Yes}, {text: No, correct: yes}]}\n")
    item = quiz.items[0]
    assert (item.key, item.status, item.explanation) == ("10", "draft", "")
    assert [o.text for o in item.options] == ["Yes", "No"]  # not YAML booleans
    assert item.options[1].correct and item.options[0].source is None


def test_empty_items_list_is_allowed():
    assert parse_quiz("bulletin: b\nversion: 1\nitems: []\n") == QuizDoc("b", 1, ())


ITEM = """\
bulletin: b
version: 1
items:
  - id: f-a-1
    fact: f-a
    kind: {kind}
    stem: "Which plan?"
    options:
      - {{text: "WiBro 50 GB", correct: {first}}}
      - {{text: "WiBro 10 GB", source: {source}}}
{extra}"""


def item_file(kind="choice", first="true", source="not", extra=""):
    return ITEM.format(kind=kind, first=first, source=source, extra=extra)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("bulletin: [b\nversion: 1\n", 2, "YAML syntax error"),
    ("bulletin: b\n  version: 1\n", 2, "YAML syntax error"),
    ("", 1, "empty quiz file"),
    ("- just a list\n", 1, "the quiz file must be a mapping"),
    ("version: 1\nitems: []\n", 1, "missing 'bulletin'"),
    ("bulletin: b\nitems: []\n", 1, "missing 'version'"),
    ("bulletin: b\nversion: 1\n", 1, "missing 'items'"),
    ("bulletin: b\nversion: one\nitems: []\n", 2, "version must be a whole number"),
    ("bulletin: b\nversion: 0\nitems: []\n", 2, "version must be a whole number"),
    ("bulletin: b\nversion: 1\nitems: {}\n", 3, "'items' must be a list"),
    ("bulletin: b\nversion: 1\nitems: []\ntitle: x\n", 4, "unknown key 'title'"),
    ("bulletin: b\nversion: 1\nitems:\n  - just text\n", 4, "item must be a mapping"),
    ("bulletin: b\nversion: 1\nitems:\n  - {fact: f, kind: choice, stem: s, options: []}\n", 4,
     "item is missing 'id'"),
    ("bulletin: b\nversion: 1\nitems:\n  - {id: i, kind: choice, stem: s, options: []}\n", 4,
     "item is missing 'fact'"),
    ("bulletin: b\nversion: 1\nitems:\n  - {id: i, fact: f, stem: s, options: []}\n", 4,
     "item is missing 'kind'"),
    ("bulletin: b\nversion: 1\nitems:\n  - {id: i, fact: f, kind: choice, options: []}\n", 4,
     "item is missing 'stem'"),
    ("bulletin: b\nversion: 1\nitems:\n  - {id: i, fact: f, kind: choice, stem: s}\n", 4,
     "item is missing 'options'"),
    (item_file(kind="essay"), 6, "unknown kind 'essay'"),
    (item_file(source="guess"), 10, "unknown source 'guess'"),
    (item_file(extra="    status: live\n"), 11, "unknown status 'live'"),
    (item_file(extra="    optoins: []\n"), 11, "unknown key 'optoins' in item"),
    (item_file(first="false"), 8, "exactly one option must be correct, not 0"),
    (item_file(source="old, correct: true"), 8, "exactly one option must be correct, not 2"),
    (item_file(first="maybe"), 9, "'correct' must be true or false"),
    (item_file(kind="cloze", first="false"), 8, "exactly one option must be correct"),
    (item_file(kind="true_false", extra="      - {text: Maybe}\n"), 8,
     "a true_false item needs exactly 2 options"),
    (item_file(extra="      - {text: x, correct: true, source: old}\n"), 11,
     "cannot have a source"),
    (item_file(extra=item_file().split("items:\n")[1]), 11, ("duplicate item id 'f-a-1'"
                                                            " (first at line 4)")),
    (("bulletin: b\nversion: 1\nitems:\n  - {id: i, fact: f, kind: choice, stem: '',"
     " options: [{text: a, correct: true}, {text: b}]}\n"), 4, "'stem' is empty"),
])
def test_rejects_with_file_and_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        parse_quiz(text, "quizzes/b.yaml")
    errors = caught.value.errors
    assert any(e.line == line and message in e.message for e in errors), [str(e) for e in errors]
    assert all(str(e).startswith("quizzes/b.yaml:") for e in errors)


def test_reports_every_problem_at_once():
    text = item_file(kind="essay", source="guess")
    with pytest.raises(ContentError) as caught:
        parse_quiz(text, "q.yaml")
    assert [e.line for e in caught.value.errors] == [6, 10]
    assert str(caught.value).splitlines()[0] == (
        "q.yaml:6: unknown kind 'essay' (expected one of: choice, true_false, cloze)")


def test_dump_writes_the_section_5_shape():
    text = dump_quiz(parse_quiz(SECTION_5))
    lines = text.splitlines()
    assert lines[:4] == ["bulletin: wibro50-wifi-login", "version: 1", "items:",
                         "  - id: f-login-1"]
    assert '      - {text: "With the WiBro ID and password", correct: true}' in lines
    assert '      - {text: "With a separate Wi-Fi bundle ID", source: old}' in lines
    keys = [line.strip().removeprefix("- ").split(":")[0] for line in lines[3:]
            if not line.strip().startswith("- {")]
    assert keys == ["id", "fact", "kind", "stem", "options", "explanation", "status"]


def quiz_of(doc: BulletinDoc) -> QuizDoc:
    return QuizDoc(bulletin=doc.slug, version=3, items=tuple(generate_items(doc)))


KO_DOC = BulletinDoc(
    slug="wibro50-ko", title="와이파이 로그인", lang="ko", effective=date(2010, 9, 1),
    skills=("wifi",), source="",
    body=("9월 1일부터 ==와이브로 아이디==로 로그인합니다."
          " 요금은 \"무료\"이고 ==예== 라고 답하세요."),
    facts=(
        Fact("f-login", "와이파이 로그인 수단", "와이브로 아이디",
             old_value="와이파이 번들 아이디"),
        Fact("f-bundle", "별도 번들 필요", "아니요", "bool", old_value="예"),
        Fact("f-fee", "월 요금", "33,000원", "money"),
    ),
)


def test_round_trip_of_generated_korean_items_keeps_korean_readable():
    quiz = quiz_of(KO_DOC)
    text = dump_quiz(quiz)
    assert "와이파이 로그인 수단" in text and "\\u" not in text
    assert parse_quiz(text) == quiz


@pytest.mark.parametrize("stem", [
    'He said "yes": no', "yes", "null", "1,000", "line one\nline two", "  padded  ",
    "# not a comment",
    "50%", "{not: a map}", "- not a list", "tab\there", "emoji 🙂 and 한국어",
])
def test_round_trip_of_awkward_text(stem):
    item = ItemDraft(key="f-x-1", fact="f-x", kind="choice", stem=stem,
                     options=(OptionDraft(stem, correct=True), OptionDraft("No", source="not")),
                     explanation=stem, status="retired", recipe="scenario")
    quiz = QuizDoc("b", 1, (item,))
    assert parse_quiz(dump_quiz(quiz)) == quiz


def test_recipe_is_written_only_when_set():
    item = ItemDraft(key="f-x-1", fact="f-x", kind="choice", stem="s",
                     options=(OptionDraft("a", correct=True), OptionDraft("b")))
    assert "recipe" not in dump_quiz(QuizDoc("b", 1, (item,)))
    assert "    recipe: cloze" in dump_quiz(QuizDoc("b", 1, (
        ItemDraft(**{**item.__dict__, "recipe": "cloze"}),)))
