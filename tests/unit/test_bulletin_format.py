"""Bulletin file parsing (product.md, section 4): what parses, and every rejection message."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.bulletin.format import dump_bulletin, parse_bulletin, render_fact_line
from app.domain.bulletin.types import BulletinDoc, ContentError, Fact, SourceError

PRODUCT_EXAMPLE = """\
---
id: wibro50-wifi-login          # slug, unique
title: WiBro 50 GB customers log into Wi-Fi hotspots with their WiBro ID
lang: en                        # BCP 47; ko for Korean
effective: 2010-09-01
skills: [wibro, wifi]           # call types concerned (required)
teams: [wibro_sales, wibro_care, wifi_support, wired_care]   # optional audience filter
deadline: 2010-08-30            # optional; default = effective date
gate: deadline                  # optional; `immediate` gates from publication (rule 2)
time_limit_minutes: 15          # optional
pass_mark: 80                   # optional, percent
critical: [f-login, f-bundle]   # optional fact ids
supersedes: [wifi-bundle-2010]  # optional
recertify_after_days: 180       # optional
---
From 1 September, customers on the ==WiBro 50 GB== plan log into our Wi-Fi hotspots with
their ==WiBro ID==. No separate ==Wi-Fi bundle== is needed.

## Facts
- **Wi-Fi login credential** {#f-login type=text}: WiBro ID and password \
(was: a separate Wi-Fi bundle ID)
- **Separate Wi-Fi bundle needed** {#f-bundle type=bool}: no (was: yes)
- **Effective date** {#f-date type=date}: 2010-09-01
- **Eligible plan** {#f-plan type=text}: WiBro 50 GB (not: WiBro 30 GB; WiBro 10 GB)
"""

KOREAN = """\
---
id: wibro50-wifi-login-ko
title: WiBro 50GB 고객은 WiBro ID로 와이파이에 로그인합니다
lang: ko
effective: 2010-09-01
skills: [wibro, wifi]
critical: [f-login]
---
9월 1일부터 ==WiBro 50GB== 요금제 고객은 ==WiBro ID==로 로그인합니다.

## 사실 {#facts}
- **와이파이 로그인 수단** {#f-login type=text}: WiBro ID와 비밀번호 (was: 별도 와이파이 번들 ID)
- **별도 번들 필요** {#f-bundle type=bool}: 아니요 (was: 예)
- **대상 요금제** {#f-plan}: WiBro 50GB (not: WiBro 30GB; WiBro 10GB)
- **요금** {#f-fee type=money}: 0원
"""

# The files of the error table: `bulletin()` with no arguments is valid, and its lines are
#  1 ---            2 id     3 title     4 effective     5 skills     6+ added fields
#  then `---`, two lines of prose, `## Facts` and the fact lines (9 and 10, 11 by default).
BASE_FIELDS = {
    "id": "wibro50-wifi-login",
    "title": "WiBro customers log in with their WiBro ID",
    "effective": "2010-09-01",
    "skills": "[wibro, wifi]",
}
BASE_FACTS = (
    "- **Login** {#f-login type=text}: WiBro ID (was: bundle ID)",
    "- **Bundle needed** {#f-bundle type=bool}: no (was: yes)",
)


def bulletin(*, facts=BASE_FACTS, front=None, heading="## Facts", after=(), **fields) -> str:
    """A bulletin file; ``fields`` change (None: remove) or add front-matter fields."""
    values = {**BASE_FIELDS, **fields}
    front_lines = front if front is not None else [
        f"{name}: {value}" for name, value in values.items() if value is not None]
    heading_lines = [heading] if heading else []
    lines = ["---", *front_lines, "---", "Customers use their ==WiBro ID==.", "",
             *heading_lines, *facts, *after]
    return "\n".join(lines) + "\n"


def one_fact(line: str) -> str:
    """The base file with a single fact line, on line 10."""
    return bulletin(facts=[line])


def errors_of(text: str, **known) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_bulletin(text, "wibro.md", **known)
    return [str(error) for error in caught.value.errors]


REJECTED = [
    # -- the front matter as a whole
    ("no front matter", "Customers...\n\n## Facts\n- **A** {#a}: b\n",
     ["wibro.md:1: missing front matter: the file must start with a '---' line"]),
    ("front matter not closed", "---\nid: x\ntitle: y\n",
     ["wibro.md:1: front matter is not closed: no '---' line after line 1"]),
    ("yaml syntax", bulletin(title="a: b"),
     ["wibro.md:3: front matter: mapping values are not allowed here"]),
    ("yaml unclosed quote", bulletin(title='"WiBro'),
     [("wibro.md:3: front matter: found unexpected end of stream "
       "(while scanning a quoted scalar)")]),
    ("yaml unclosed list", bulletin(skills="[wibro, wifi", extra="x"),
     [("wibro.md:6: front matter: expected ',' or ']', but got ':' "
       "(while parsing a flow sequence)")]),
    ("not a mapping", bulletin(front=["- id", "- title"]),
     ["wibro.md:2: front matter must be 'field: value' lines"]),
    ("empty front matter", bulletin(front=["# nothing yet"]),
     ["wibro.md:1: missing required field 'id'", "wibro.md:1: missing required field 'title'",
      "wibro.md:1: missing required field 'effective'",
      "wibro.md:1: missing required field 'skills'"]),
    ("unknown field", bulletin(colour="red"), ["wibro.md:6: unknown field 'colour'"]),
    ("duplicate field", bulletin(front=[
        "id: wibro50-wifi-login", "title: a", "effective: 2010-09-01", "skills: wibro",
        "title: b"]),
     ["wibro.md:6: duplicate field 'title' (first on line 3)"]),
    # -- required fields
    ("missing id", bulletin(id=None), ["wibro.md:1: missing required field 'id'"]),
    ("id without value", bulletin(id=""), ["wibro.md:2: id: a value is required"]),
    ("id not a slug", bulletin(id="WiBro 50"),
     ["wibro.md:2: id: 'WiBro 50' is not a valid slug (lower-case letters, digits and '-')"]),
    ("id too long", bulletin(id="a" * 81),
     [f"wibro.md:2: id: '{'a' * 81}' is not a valid slug (lower-case letters, digits and '-')"]),
    ("title empty", bulletin(title='""'), ["wibro.md:3: title: must not be empty"]),
    ("title a list", bulletin(title="[a, b]"), ["wibro.md:3: title: expected text"]),
    ("effective impossible date", bulletin(effective="2010-02-30"),
     ["wibro.md:4: effective: '2010-02-30' is not a valid date (YYYY-MM-DD)"]),
    ("effective not a date", bulletin(effective="next monday"),
     ["wibro.md:4: effective: 'next monday' is not a valid date (YYYY-MM-DD)"]),
    ("effective other format", bulletin(effective="01/09/2010"),
     ["wibro.md:4: effective: '01/09/2010' is not a valid date (YYYY-MM-DD)"]),
    ("effective a list", bulletin(effective="[2010-09-01]"),
     ["wibro.md:4: effective: expected a date (YYYY-MM-DD)"]),
    ("skills empty", bulletin(skills="[]"), ["wibro.md:5: skills: at least one skill is required"]),
    ("skills bad code", bulletin(skills="[wibro, Wi-Fi]"),
     [("wibro.md:5: skills: 'Wi-Fi' is not a valid code "
       "(lower-case letters, digits and '_', starting with a letter)")]),
    ("skills a mapping", bulletin(skills="{wibro: yes}"),
     ["wibro.md:5: skills: expected a list of codes"]),
    ("skills nested list", bulletin(skills="[[wibro]]"),
     ["wibro.md:5: skills: expected a list of codes"]),
    ("missing title and skills", bulletin(title=None, skills=None),
     ["wibro.md:1: missing required field 'title'", "wibro.md:1: missing required field 'skills'"]),
    # -- optional fields
    ("lang not a tag", bulletin(lang="english"),
     ["wibro.md:6: lang: 'english' is not a language tag (e.g. en, ko, en-GB)"]),
    ("teams bad code", bulletin(teams="[wibro_sales, 'WiBro Care']"),
     [("wibro.md:6: teams: 'WiBro Care' is not a valid code "
       "(lower-case letters, digits and '_', starting with a letter)")]),
    ("deadline invalid", bulletin(deadline="2010-08-32"),
     ["wibro.md:6: deadline: '2010-08-32' is not a valid date (YYYY-MM-DD)"]),
    ("gate unknown", bulletin(gate="later"),
     ["wibro.md:6: gate: 'later' is not one of deadline, immediate"]),
    ("time limit zero", bulletin(time_limit_minutes="0"),
     ["wibro.md:6: time_limit_minutes: '0' is not a whole number from 1 to 1440"]),
    ("time limit too long", bulletin(time_limit_minutes="1441"),
     ["wibro.md:6: time_limit_minutes: '1441' is not a whole number from 1 to 1440"]),
    ("time limit text", bulletin(time_limit_minutes="fifteen"),
     ["wibro.md:6: time_limit_minutes: 'fifteen' is not a whole number from 1 to 1440"]),
    ("time limit fraction", bulletin(time_limit_minutes="7.5"),
     ["wibro.md:6: time_limit_minutes: '7.5' is not a whole number from 1 to 1440"]),
    ("pass mark over 100", bulletin(pass_mark="101"),
     ["wibro.md:6: pass_mark: '101' is not a whole number from 1 to 100"]),
    ("pass mark negative", bulletin(pass_mark="-5"),
     ["wibro.md:6: pass_mark: '-5' is not a whole number from 1 to 100"]),
    ("recertify zero", bulletin(recertify_after_days="0"),
     ["wibro.md:6: recertify_after_days: '0' is not a positive whole number"]),
    ("review unknown", bulletin(review="sometimes"),
     ["wibro.md:6: review: 'sometimes' is not one of after_pass, always, never, after_cap"]),
    ("critical names no fact", bulletin(critical="[f-login, f-nope]"),
     ["wibro.md:6: critical: no fact 'f-nope' in the Facts section"]),
    ("critical bad id", bulletin(critical="[F Login]"),
     [("wibro.md:6: critical: 'F Login' is not a valid fact id "
       "(lower-case letters, digits, '-' and '_')")]),
    ("supersedes itself", bulletin(supersedes="[old-wifi, wibro50-wifi-login]"),
     ["wibro.md:6: supersedes: a bulletin cannot supersede itself ('wibro50-wifi-login')"]),
    ("supersedes bad slug", bulletin(supersedes="Old_Wifi"),
     [("wibro.md:6: supersedes: 'Old_Wifi' is not a valid slug "
       "(lower-case letters, digits and '-')")]),
    # -- the Facts section
    ("no Facts section", bulletin(heading=None, facts=()),
     ["wibro.md:8: missing Facts section: add a '## Facts' heading followed by fact lines"]),
    ("level-3 heading is not the Facts section", bulletin(heading="### Facts"),
     ["wibro.md:11: missing Facts section: add a '## Facts' heading followed by fact lines"]),
    ("Facts section without facts", bulletin(facts=["<!-- to do -->"]),
     ["wibro.md:9: the Facts section has no facts"]),
    ("second Facts section", bulletin(after=["## Facts", "- **Fee** {#f-fee}: 0"]),
     ["wibro.md:12: duplicate Facts section (first on line 9)"]),
    ("prose in the Facts section", bulletin(facts=[BASE_FACTS[0], "Ask the customer first."]),
     ["wibro.md:11: line is not a fact (expected '- **Label** {#id type=...}: value')"]),
    ("level-3 heading in the Facts section", bulletin(facts=["### Login", BASE_FACTS[0]]),
     ["wibro.md:10: line is not a fact (expected '- **Label** {#id type=...}: value')"]),
    # -- fact lines
    ("malformed fact line", one_fact("- Login: WiBro ID"),
     ["wibro.md:10: malformed fact line (expected '- **Label** {#id type=...}: value')"]),
    ("fact without colon", one_fact("- **Login** {#f-login} WiBro ID"),
     ["wibro.md:10: malformed fact line (expected '- **Label** {#id type=...}: value')"]),
    ("fact without id", one_fact("- **Login** {type=text}: WiBro ID"),
     ["wibro.md:10: fact needs exactly one id: {#f-name ...}"]),
    ("fact with two ids", one_fact("- **Login** {#f-login #f-id}: WiBro ID"),
     ["wibro.md:10: fact needs exactly one id: {#f-name ...}"]),
    ("fact id invalid", one_fact("- **Login** {#F_Login}: WiBro ID"),
     ["wibro.md:10: fact id 'F_Login' is not valid (lower-case letters, digits, '-' and '_')"]),
    ("unknown attribute", one_fact("- **Login** {#f-login colour=red}: WiBro ID"),
     ["wibro.md:10: unknown fact attribute 'colour=red'"]),
    ("unknown type", one_fact("- **Login** {#f-login type=colour}: WiBro ID"),
     [("wibro.md:10: fact 'f-login': unknown type 'colour' "
       "(text, bool, date, money, quantity, duration or enum:<list>)")]),
    ("bad enum name", one_fact("- **Plan** {#f-plan type=enum:Plans}: WiBro 50 GB"),
     [("wibro.md:10: fact 'f-plan': unknown type 'enum:Plans' "
       "(text, bool, date, money, quantity, duration or enum:<list>)")]),
    ("two types", one_fact("- **Login** {#f-login type=text type=bool}: no"),
     ["wibro.md:10: fact 'f-login': more than one type"]),
    ("fact without value", one_fact("- **Login** {#f-login}:"),
     ["wibro.md:10: fact 'f-login' has no value"]),
    ("fact with only was", one_fact("- **Login** {#f-login}: (was: bundle ID)"),
     ["wibro.md:10: fact 'f-login' has no value"]),
    ("was equals value", one_fact("- **Login** {#f-login}: WiBro ID (was: wibro id)"),
     ["wibro.md:10: fact 'f-login': was: 'wibro id' is the same as the value"]),
    ("not lists the value", one_fact("- **Login** {#f-login}: WiBro ID (not: phone; WiBro ID)"),
     ["wibro.md:10: fact 'f-login': not: 'WiBro ID' is the value itself"]),
    ("two was groups", one_fact("- **Login** {#f-login}: WiBro ID (was: a) (was: b)"),
     ["wibro.md:10: fact 'f-login': more than one (was: ...)"]),
    ("empty was", one_fact("- **Login** {#f-login}: WiBro ID (was: )"),
     ["wibro.md:10: fact 'f-login': (was: ...) is empty"]),
    ("empty not", one_fact("- **Login** {#f-login}: WiBro ID (not: ; )"),
     ["wibro.md:10: fact 'f-login': (not: ...) is empty"]),
    ("bool value", one_fact("- **Bundle** {#f-bundle type=bool}: maybe"),
     ["wibro.md:10: fact 'f-bundle': value 'maybe' is not a bool (yes/no, true/false, 예/아니오)"]),
    ("bool old value", one_fact("- **Bundle** {#f-bundle type=bool}: no (was: sometimes)"),
     [("wibro.md:10: fact 'f-bundle': was: 'sometimes' is not a bool "
       "(yes/no, true/false, 예/아니오)")]),
    ("date value", one_fact("- **From** {#f-date type=date}: 2010-13-01"),
     ["wibro.md:10: fact 'f-date': value '2010-13-01' is not a valid date (YYYY-MM-DD)"]),
    ("date not value", one_fact("- **From** {#f-date type=date}: 2010-09-01 (not: 1 Sept)"),
     ["wibro.md:10: fact 'f-date': not: '1 Sept' is not a valid date (YYYY-MM-DD)"]),
    ("money without number", one_fact("- **Fee** {#f-fee type=money}: free"),
     ["wibro.md:10: fact 'f-fee': value 'free' has no number (money)"]),
    ("quantity without number", one_fact("- **Cap** {#f-cap type=quantity}: unlimited"),
     ["wibro.md:10: fact 'f-cap': value 'unlimited' has no number (quantity)"]),
    ("duration without number", one_fact("- **Wait** {#f-wait type=duration}: a while"),
     ["wibro.md:10: fact 'f-wait': value 'a while' has no number (duration)"]),
    ("duplicate fact id", bulletin(facts=[BASE_FACTS[0], "", BASE_FACTS[0]]),
     ["wibro.md:12: duplicate fact id 'f-login' (first on line 10)"]),
    # -- many problems at once, in line order; no follow-on errors
    ("every problem reported", bulletin(
        skills="[wibroo]", colour="red", critical="[f-bundle]",
        facts=["- **Bundle** {#f-bundle type=bool}: maybe", "Note."]),
     ["wibro.md:5: unknown call type 'wibroo': choose one of wibro, wifi",
      "wibro.md:6: unknown field 'colour'",
      "wibro.md:12: fact 'f-bundle': value 'maybe' is not a bool (yes/no, true/false, 예/아니오)",
      "wibro.md:13: line is not a fact (expected '- **Label** {#id type=...}: value')"]),
]


@pytest.mark.parametrize("text, expected", [case[1:] for case in REJECTED],
                         ids=[case[0] for case in REJECTED])
def test_rejected_files_name_every_problem(text, expected):
    assert errors_of(text, known_skills={"wibro", "wifi"}) == expected


@pytest.mark.parametrize("known, expected", [
    ({"known_skills": {"wibro"}}, ["wibro.md:5: unknown call type 'wifi': choose one of wibro"]),
    ({"known_teams": {"wibro_sales"}},
     ["wibro.md:6: unknown team 'wired_care': choose one of wibro_sales"]),
    ({"known_skills": set(), "known_teams": set()},
     ["wibro.md:5: unknown call type 'wibro': no call types are set up yet",
      "wibro.md:5: unknown call type 'wifi': no call types are set up yet",
      "wibro.md:6: unknown team 'wibro_sales': no teams are set up yet",
      "wibro.md:6: unknown team 'wired_care': no teams are set up yet"]),
])
def test_unknown_skills_and_teams(known, expected):
    assert errors_of(bulletin(teams="[wibro_sales, wired_care]"), **known) == expected


def test_known_codes_are_only_checked_when_given():
    doc = parse_bulletin(bulletin(teams="[anything]"))
    assert doc.teams == ("anything",)


def test_content_error_carries_source_errors():
    with pytest.raises(ContentError) as caught:
        parse_bulletin(bulletin(gate="later"))
    [error] = caught.value.errors
    assert error == SourceError("<bulletin>", 6, "field_not_choice")
    assert error.params == {"name": "gate", "raw": "later", "options": ("deadline", "immediate")}
    assert error.message == "gate: 'later' is not one of deadline, immediate"


def test_product_example_parses():
    doc = parse_bulletin(PRODUCT_EXAMPLE, "wibro50-wifi-login.md", known_skills={"wibro", "wifi"})
    assert (doc.slug, doc.lang, doc.effective) == ("wibro50-wifi-login", "en", date(2010, 9, 1))
    assert doc.title == "WiBro 50 GB customers log into Wi-Fi hotspots with their WiBro ID"
    assert doc.skills == ("wibro", "wifi")
    assert doc.teams == ("wibro_sales", "wibro_care", "wifi_support", "wired_care")
    assert (doc.deadline, doc.gate) == (date(2010, 8, 30), "deadline")
    assert (doc.time_limit_minutes, doc.pass_mark, doc.recertify_after_days) == (15, 80, 180)
    assert doc.critical == ("f-login", "f-bundle")
    assert doc.supersedes == ("wifi-bundle-2010",)
    assert doc.review is None
    assert doc.body == ("From 1 September, customers on the ==WiBro 50 GB== plan log into our "
                        "Wi-Fi hotspots with\ntheir ==WiBro ID==. No separate ==Wi-Fi bundle== "
                        "is needed.")
    assert doc.source == PRODUCT_EXAMPLE
    assert doc.facts == (
        Fact("f-login", "Wi-Fi login credential", "WiBro ID and password", "text",
             "a separate Wi-Fi bundle ID", (), True, 20),
        Fact("f-bundle", "Separate Wi-Fi bundle needed", "no", "bool", "yes", (), True, 21),
        Fact("f-date", "Effective date", "2010-09-01", "date", None, (), False, 22),
        Fact("f-plan", "Eligible plan", "WiBro 50 GB", "text", None,
             ("WiBro 30 GB", "WiBro 10 GB"), False, 23),
    )


def test_korean_bulletin_parses():
    doc = parse_bulletin(KOREAN, "ko.md")
    assert (doc.lang, doc.title) == ("ko", "WiBro 50GB 고객은 WiBro ID로 와이파이에 로그인합니다")
    assert doc.body == "9월 1일부터 ==WiBro 50GB== 요금제 고객은 ==WiBro ID==로 로그인합니다."
    assert doc.facts == (
        Fact("f-login", "와이파이 로그인 수단", "WiBro ID와 비밀번호", "text",
             "별도 와이파이 번들 ID", (), True, 12),
        Fact("f-bundle", "별도 번들 필요", "아니요", "bool", "예", (), False, 13),
        Fact("f-plan", "대상 요금제", "WiBro 50GB", "text", None,
             ("WiBro 30GB", "WiBro 10GB"), False, 14),
        Fact("f-fee", "요금", "0원", "money", None, (), False, 15),
    )


@pytest.mark.parametrize("transform", [
    lambda text: text.replace("\n", "\r\n"),
    lambda text: "\ufeff" + text,
    lambda text: "\ufeff" + text.replace("\n", "\r\n"),
    lambda text: text.rstrip("\n"),
], ids=["crlf", "bom", "bom+crlf", "no final newline"])
def test_bom_and_line_ends_do_not_matter(transform):
    text = transform(PRODUCT_EXAMPLE)
    doc = parse_bulletin(text)
    assert doc == replace(parse_bulletin(PRODUCT_EXAMPLE), source=text)


def test_crlf_errors_keep_their_line_numbers():
    text = bulletin(effective="2010-02-30").replace("\n", "\r\n")
    assert errors_of(text) == [
        "wibro.md:4: effective: '2010-02-30' is not a valid date (YYYY-MM-DD)"]


@pytest.mark.parametrize("fields, attribute, expected", [
    ({}, "lang", "en"),
    ({}, "teams", ()),
    ({}, "gate", "deadline"),
    ({}, "deadline", None),
    ({}, "pass_mark", None),
    ({"lang": "no"}, "lang", "no"),  # Norwegian, not YAML's false
    ({"lang": "en-GB"}, "lang", "en-GB"),
    ({"effective": '"2010-09-01"'}, "effective", date(2010, 9, 1)),
    ({"skills": "wibro"}, "skills", ("wibro",)),
    ({"skills": "[wibro, wifi, wibro]"}, "skills", ("wibro", "wifi")),
    ({"teams": "wibro_sales"}, "teams", ("wibro_sales",)),
    ({"teams": "[]"}, "teams", ()),
    ({"deadline": ""}, "deadline", None),
    ({"gate": "immediate"}, "gate", "immediate"),
    ({"time_limit_minutes": "1440"}, "time_limit_minutes", 1440),
    ({"pass_mark": "100"}, "pass_mark", 100),
    ({"review": "after_cap"}, "review", "after_cap"),
    ({"supersedes": "old-wifi"}, "supersedes", ("old-wifi",)),
    ({"title": "'Log in: use the WiBro ID # not the bundle'"}, "title",
     "Log in: use the WiBro ID # not the bundle"),
])
def test_front_matter_values(fields, attribute, expected):
    assert getattr(parse_bulletin(bulletin(**fields)), attribute) == expected


def test_block_style_lists_and_comments():
    doc = parse_bulletin(bulletin(front=[
        "# written by the training team", "id: wibro50-wifi-login", "title: T",
        "effective: 2010-09-01", "skills:", "  - wibro   # call type", "  - wifi"]))
    assert doc.skills == ("wibro", "wifi")


@pytest.mark.parametrize("line, expected", [
    ("- **Login** {#f-login}: WiBro ID", Fact("f-login", "Login", "WiBro ID")),
    ("- **Login** {#f-login type=text}: WiBro ID (case-sensitive) (was: bundle ID)",
     Fact("f-login", "Login", "WiBro ID (case-sensitive)", "text", "bundle ID")),
    ("- **Login** {#f-login}: WiBro ID (not: phone; e-mail ; ) (was: bundle ID)",
     Fact("f-login", "Login", "WiBro ID", "text", "bundle ID", ("phone", "e-mail"))),
    ("- **Login** {#f-login}: WiBro ID (not: phone) (not: e-mail; phone)",
     Fact("f-login", "Login", "WiBro ID", not_values=("phone", "e-mail"))),
    ("- **Login** {type=text #f-login}: WiBro ID (see (a) and (b))",
     Fact("f-login", "Login", "WiBro ID (see (a) and (b))")),
    ("- **Login** {#f-login}: WiBro ID (was: bundle (old) ID)",
     Fact("f-login", "Login", "WiBro ID", "text", "bundle (old) ID")),
    ("- **Login** {#f-login}: a (was: b",
     Fact("f-login", "Login", "a (was: b")),
    ("  -   **Login**{#f-login}:WiBro ID", Fact("f-login", "Login", "WiBro ID")),
    ("- **Bundle** {#f-bundle type=bool}: No (was: YES)",
     Fact("f-bundle", "Bundle", "No", "bool", "YES")),
    ("- **Bundle** {#f-bundle type=bool}: true (was: false)",
     Fact("f-bundle", "Bundle", "true", "bool", "false")),
    ("- **번들** {#f-bundle type=bool}: 예 (was: 아니오)",
     Fact("f-bundle", "번들", "예", "bool", "아니오")),
    ("- **Fee** {#f-fee type=money}: ₩5,000 a month (was: ₩3,000)",
     Fact("f-fee", "Fee", "₩5,000 a month", "money", "₩3,000")),
    ("- **Cap** {#f-cap type=quantity}: 50 GB", Fact("f-cap", "Cap", "50 GB", "quantity")),
    ("- **Wait** {#f-wait type=duration}: 10 minutes",
     Fact("f-wait", "Wait", "10 minutes", "duration")),
    ("- **Plan** {#f_plan-2 type=enum:plans}: WiBro 50 GB",
     Fact("f_plan-2", "Plan", "WiBro 50 GB", "enum:plans")),
    # runs of blanks inside a label or value are one space (no pattern downstream meets a run
    # of thousands of them), and not: values equal once collapsed are one value
    ("- **Wi-Fi \t  login** {#f-login}: WiBro" + " " * 30000 + "ID (was: bundle    ID) "
     "(not: phone  PIN; phone PIN)",
     Fact("f-login", "Wi-Fi login", "WiBro ID", "text", "bundle ID", ("phone PIN",))),
])
def test_fact_lines(line, expected):
    doc = parse_bulletin(one_fact(line))
    assert doc.facts == (replace(expected, line=10),)


def test_html_comments_and_blank_lines_in_the_facts_section_are_ignored():
    doc = parse_bulletin(bulletin(facts=[
        "<!-- reviewed 2010-08-20 -->", "", BASE_FACTS[0], "<!--", "not read", "-->",
        "", BASE_FACTS[1]]))
    assert [(fact.key, fact.line) for fact in doc.facts] == [("f-login", 12), ("f-bundle", 17)]


@pytest.mark.parametrize("heading", [
    "## Facts", "## FACTS", "## facts", "## Facts ##", "## 사실 {#facts}", "## Faits {#facts}",
    "## Facts {#facts}",
])
def test_facts_headings(heading):
    assert len(parse_bulletin(bulletin(heading=heading)).facts) == 2


def test_prose_after_the_facts_section_is_appended_to_the_body():
    text = bulletin(after=["", "## Script", "Say: ==WiBro ID==.", ""])
    doc = parse_bulletin(text)
    assert doc.body == "Customers use their ==WiBro ID==.\n\n## Script\nSay: ==WiBro ID==."
    assert len(doc.facts) == 2


def test_facts_heading_inside_fenced_code_is_prose():
    text = bulletin().replace("Customers use", "```\n## Facts\n```\nCustomers use")
    doc = parse_bulletin(text)
    assert doc.body.startswith("```\n## Facts\n```\n")
    assert [fact.line for fact in doc.facts] == [13, 14]


@pytest.mark.parametrize("fact, expected", [
    (Fact("f-login", "Login", "WiBro ID"), "- **Login** {#f-login type=text}: WiBro ID"),
    (Fact("f-bundle", "Bundle", "no", "bool", "yes"),
     "- **Bundle** {#f-bundle type=bool}: no (was: yes)"),
    (Fact("f-plan", "요금제", "50GB", "enum:plans", "30GB", ("10GB", "5GB")),
     "- **요금제** {#f-plan type=enum:plans}: 50GB (was: 30GB) (not: 10GB; 5GB)"),
])
def test_render_fact_line(fact, expected):
    assert render_fact_line(fact) == expected


def _comparable(doc: BulletinDoc) -> BulletinDoc:
    return replace(doc, source="", facts=tuple(replace(fact, line=0) for fact in doc.facts))


ROUND_TRIP = {
    "product example": PRODUCT_EXAMPLE,
    "korean": KOREAN,
    "every field and trailing prose": bulletin(
        title="'Log in: \"WiBro ID\" # not the bundle'", lang="en-GB", gate="immediate",
        review="always", teams="wibro_care", pass_mark="90", critical="[f-bundle]",
        facts=[BASE_FACTS[0], "- **Fee** {#f-fee type=money}: ₩0 (see (1)) (not: ₩3,000)",
               BASE_FACTS[1]],
        after=["## Script", "", "```", "## Facts", "```"]),
    "no prose": "---\nid: a\ntitle: b\neffective: 2010-01-01\nskills: s\n---\n## Facts\n"
                "- **A** {#a}: b\n",
}


@pytest.mark.parametrize("text", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_dump_parses_back_to_the_same_bulletin(text):
    doc = parse_bulletin(text)
    dumped = dump_bulletin(doc)
    again = parse_bulletin(dumped)
    assert _comparable(again) == _comparable(doc)
    assert dump_bulletin(again) == dumped
