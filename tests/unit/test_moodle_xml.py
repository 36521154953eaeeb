"""Moodle XML import and export: supported and skipped questions, round trips, safety."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.domain.bulletin.types import ContentError, ItemDraft, OptionDraft
from app.domain.interchange import ImportResult, dump_moodle_xml, parse_moodle_xml

ONLY = "question is not supported (only multiple choice and true/false)"


def _answer(fraction: str, text: str, feedback: str = "") -> str:
    return (f'<answer fraction="{fraction}" format="html"><text>{text}</text>'
            f'<feedback format="html"><text>{feedback}</text></feedback></answer>')


# The shape of a Moodle export (question/format/xml), one question a few lines each.
BANK = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/Wi-Fi</text></category>
  </question>
<!-- question: 1  -->
  <question type="multichoice">
    <name><text>Wi-Fi login</text></name>
    <questiontext format="html"><text><![CDATA[<p>How does a <b>WiBro</b> customer
      log in?</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <single>true</single><shuffleanswers>true</shuffleanswers>
    {_answer("100", "<![CDATA[<p>WiBro ID &amp; password</p>]]>", "Right!")}
    {_answer("0", "Bundle ID")}{_answer("0", "Mobile number")}
  </question>
  <question type="truefalse">
    <name><text>Bundle</text></name>
    <questiontext format="moodle_auto_format"><text>A bundle is needed.</text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>No bundle since 1 Sept.</p>]]></text>
    </generalfeedback>
    {_answer("0", "true")}
    {_answer("100", "false")}
  </question>
  <question type="shortanswer"><name><text>SA</text></name></question>
  <question type="numerical"><name><text>Num</text></name></question>
  <question type="matching"><name><text>Match</text></name></question>
  <question type="essay"><name><text>Essay</text></name></question>
  <question type="description"><name><text>Intro</text></name></question>
  <question type="cloze"><name><text>Embedded</text></name></question>
  <question type="multichoice">
    <name><text>Two of them</text></name>
    <questiontext format="plain_text"><text>Which two?</text></questiontext>
    <single>false</single>
    {_answer("50", "a")}{_answer("50", "b")}{_answer("0", "c")}
  </question>
  <question type="multichoice">
    <name><text>Half</text></name>
    <questiontext format="plain_text"><text>Which?</text></questiontext>
    {_answer("100", "a")}{_answer("33.33333", "b")}{_answer("0", "c")}
  </question>
  <question type="multichoice">
    <name><text>Wi-Fi login</text></name>
    <questiontext format="plain_text"><text>Log in with your _____.</text></questiontext>
    <single>1</single>
    {_answer("100.0000000", "WiBro ID", "Yes")}{_answer("-50", "bundle ID")}
  </question>
  <question type="truefalse">
    <questiontext format="plain_text"><text>Old style.</text></questiontext>
    {_answer("100", "Yes", "It is.")}{_answer("0", "No")}
  </question>
</quiz>
"""
# Lines of the <question> tags above, counted by hand: category 4, then 8, 17, 25 to 30, 31,
# 37, 42 and 48.


def test_imports_choice_and_true_false_and_reports_the_rest_by_line():
    result = parse_moodle_xml(BANK, "bank.xml")
    assert [(i.key, i.kind) for i in result.items] == [
        ("wi-fi-login", "choice"), ("bundle", "true_false"), ("wi-fi-login-2", "cloze"),
        ("q-48", "true_false")]
    assert [(e.line, e.message) for e in result.skipped] == [
        (25, f"skipped: short answer {ONLY}"), (26, f"skipped: numerical {ONLY}"),
        (27, f"skipped: matching {ONLY}"), (28, f"skipped: essay {ONLY}"),
        (29, f"skipped: description {ONLY}"),
        (30, f"skipped: embedded answers (Moodle cloze) {ONLY}"),
        (31, f"skipped: multiple-answer {ONLY}"),
        (37, ("skipped: multiple choice question with partial credit (33.3333%) is not"
             " supported (one option must be fully right, the others wrong)"))]
    assert str(result.skipped[0]) == f"bank.xml:25: skipped: short answer {ONLY}"


def test_texts_feedback_and_truth():
    login, bundle, cloze, old_style = parse_moodle_xml(BANK).items
    assert login.stem == "How does a WiBro customer log in?"  # HTML made plain text
    assert login.options == (OptionDraft("WiBro ID & password", correct=True),
                             OptionDraft("Bundle ID"), OptionDraft("Mobile number"))
    assert login.explanation == "Right!"  # no general feedback: the right answer's
    assert bundle.options == (OptionDraft("True"), OptionDraft("False", correct=True))
    assert bundle.explanation == "No bundle since 1 Sept."
    assert (cloze.stem, cloze.explanation) == ("Log in with your _____.", "Yes")
    assert [o.correct for o in cloze.options] == [True, False]  # -50 is a wrong answer
    assert old_style.options[0].correct  # answers not "true"/"false": the first is "true"
    assert old_style.explanation == "It is."
    for item in (login, bundle, cloze, old_style):
        assert (item.fact, item.status, item.recipe) == ("imported", "draft", "")
    assert {i.fact for i in parse_moodle_xml(BANK, fact="f-login").items} == {"f-login"}


def item(key: str, kind: str, stem: str, *options: str, correct: int = 0,
         explanation: str = "") -> ItemDraft:
    """An imported-looking item: fact "imported", draft, no sources."""
    return ItemDraft(key=key, fact="imported", kind=kind, stem=stem, explanation=explanation,
                     options=tuple(OptionDraft(t, correct=i == correct)
                                   for i, t in enumerate(options)))


ROUND_TRIP = [
    item("f-login-1", "choice", "From 1 September, how does a WiBro 50 GB customer log in?",
         "With the WiBro ID and password", "With a separate Wi-Fi bundle ID",
         explanation="Since 1 September the WiBro ID works on Wi-Fi hotspots."),
    item("f-price-1", "choice", "와이브로 50 GB 요금제의 월 요금은 얼마입니까?",
         "33,000원", "27,500원", "38,500원", correct=1, explanation="9월 1일부터 33,000원입니다."),
    item("f-login-2", "true_false", "와이파이 접속에는 와이브로 ID를 쓴다.", "True", "False"),
    item("f-login-3", "true_false", "A bundle ID is needed.", "True", "False", correct=1,
         explanation="No bundle is needed."),
    item("f-login-4", "cloze", "Customers log in with their _____ from 1 September.",
         "WiBro ID", "bundle ID"),
    item("f-esc-1", "choice", "Is 5 < 10 && 3 > 2? \"quoted\" 'single' ~=#{}: \\",
         "<b>not bold</b>", "&amp; stays", "]]> is fine", correct=2,
         explanation="Line one\nline two"),
]


def test_dump_then_parse_gives_the_items_back():
    text = dump_moodle_xml(ROUND_TRIP, category="$course$/top/OneVoice")
    assert parse_moodle_xml(text) == ImportResult(items=tuple(ROUND_TRIP), skipped=())


def test_dump_shape():
    text = dump_moodle_xml(ROUND_TRIP, category="$course$/top/OneVoice")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    assert "CDATA" not in text and "와이브로" in text  # escaped text, Korean left readable
    assert "Is 5 &lt; 10 &amp;&amp; 3 &gt; 2?" in text
    quiz = ET.fromstring(text)
    questions = quiz.findall("question")
    assert [q.get("type") for q in questions] == ["category", "multichoice", "multichoice",
                                                  "truefalse", "truefalse", "multichoice",
                                                  "multichoice"]
    assert questions[0].findtext("category/text") == "$course$/top/OneVoice"
    choice = questions[1]
    assert (choice.findtext("name/text"), choice.findtext("single"),
            choice.findtext("shuffleanswers")) == ("f-login-1", "true", "1")
    assert [a.get("fraction") for a in choice.findall("answer")] == ["100", "0"]
    assert choice.find("questiontext").get("format") == "plain_text"
    false_statement = questions[4]
    assert [(a.findtext("text"), a.get("fraction")) for a in false_statement.findall("answer")
            ] == [("true", "0"), ("false", "100")]
    assert [q.get("type") for q in ET.fromstring(dump_moodle_xml([])).iter("question")] == []


def test_generated_items_keep_their_truth_but_not_labels_or_sources():
    generated = ItemDraft(key="f-login-3", fact="f-login", kind="true_false",
                          stem="로그인에는 번들 ID가 필요하다.", status="approved",
                          recipe="true_false", options=(OptionDraft("맞다", source="old"),
                                                        OptionDraft("틀리다", correct=True)))
    back = parse_moodle_xml(dump_moodle_xml([generated])).items[0]
    assert (back.key, back.stem, back.kind) == ("f-login-3", generated.stem, "true_false")
    assert back.options == (OptionDraft("True"), OptionDraft("False", correct=True))


BILLION_LAUGHS = """\
<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol3;</text></questiontext>
</question></quiz>
"""


@pytest.mark.parametrize("text", [
    BILLION_LAUGHS,
    '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.com/quiz.dtd">\n<quiz/>',
    ('<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    "<quiz>&x;</quiz>"),
])
def test_doctype_and_entity_declarations_are_refused(text):
    with pytest.raises(ContentError) as caught:
        parse_moodle_xml(text, "evil.xml")
    [error] = caught.value.errors
    assert (error.file, error.line) == ("evil.xml", 2)
    assert "<!DOCTYPE> declaration is not allowed" in error.message


@pytest.mark.parametrize(("text", "line", "message"), [
    ("<quiz>\n<question type='truefalse'>\n</quiz>", 3, "XML syntax error: mismatched tag"),
    ("<quiz>\n  &nbsp;\n</quiz>", 2, "XML syntax error: undefined entity"),
    ("", 1, "XML syntax error: no element found"),
    ("<questions/>", 1, "expected a Moodle XML <quiz>, not <questions>"),
])
def test_malformed_xml_is_rejected_with_file_and_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        parse_moodle_xml(text, "bank.xml")
    [error] = caught.value.errors
    assert (error.file, error.line, error.message) == ("bank.xml", line, message)


def test_an_encoding_declaration_does_not_matter_for_text():
    text = dump_moodle_xml(ROUND_TRIP[1:2]).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert parse_moodle_xml(text).items == (ROUND_TRIP[1],)


def test_true_false_needs_both_answers():
    text = ('<quiz>\n<question type="truefalse"><questiontext><text>Q</text></questiontext>'
            '<answer fraction="100"><text>true</text></answer></question></quiz>')
    [error] = parse_moodle_xml(text, "tf.xml").skipped
    assert str(error) == "tf.xml:2: skipped: a true/false question needs 2 answers, not 1"
