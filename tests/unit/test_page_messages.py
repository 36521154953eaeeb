"""Service and parser messages matched against the pages' message tables (English here: no
request, so gettext answers in English; the Korean side is tests/web/test_trainer_admin_korean)."""

import pytest

from app.web.admin.messages import DIRECTORY
from app.web.admin.messages import SERVICES as ADMIN
from app.web.page_messages import pattern_of, translate
from app.web.trainer.messages import PARSER, SERVICES


@pytest.mark.parametrize("msgid, pattern", [
    ("duplicate field '%(key)s' (first on line %(line)s)",
     r"duplicate\ field\ '(?P<key>.*?)'\ \(first\ on\ line\ (?P<line>\d+)\)"),
    ("%(name)s: must not be empty", r"(?P<name>\w+):\ must\ not\ be\ empty"),
    ("under %(limit)s %%", r"under\ (?P<limit>.*?)\ %"),
])
def test_pattern_of_a_msgid(msgid, pattern):
    assert pattern_of(msgid) == pattern


@pytest.mark.parametrize("table, message", [
    (PARSER, "pass_mark: '800' is not a whole number from 1 to 100"),
    (PARSER, "fact 'f-x': not: 'maybe' is not a bool (yes/no, true/false, 예/아니오)"),
    (PARSER, ("skills: 'Bad' is not a valid code (lower-case letters, digits and '_', "
             "starting with a letter)")),
    (PARSER, "missing Facts section: add a '## Facts' heading followed by fact lines"),
    (SERVICES, "critical facts without an approved item: f-login, f-bundle"),
    (SERVICES, ("critical fact f-login: 0 item(s) of 0 kind(s); needs at least 3 items of 2 "
               "different kinds")),
    (DIRECTORY, "'x@' is not an e-mail address"),
    (ADMIN, "'url' 'ftp://x' must start with http:// or https://"),
])
def test_known_messages_match_a_row_of_their_table(table, message):
    assert any(row.regex.fullmatch(message) for row in table), message
    assert translate(message, table) == message  # English: no request, no Korean


@pytest.mark.parametrize("table, message", [
    (PARSER, "something the table does not know"),
    (SERVICES, ""),
])
def test_unknown_messages_are_shown_as_they_are(table, message):
    assert not any(row.regex.fullmatch(message) for row in table)
    assert translate(message, table) == message


def test_a_row_gives_the_phrase_its_groups_and_translated_nested_groups():
    from app.web.page_messages import message_table

    table = message_table(
        (r"(?P<name>\w+): expected (?P<expected>.+)", "%(name)s — attendu : %(expected)s",
         ("expected",)),
        (r"one of (?P<options>.+)", "l'un de %(options)s"),
    )
    assert translate("gate: expected one of a, b", table) == "gate — attendu : l'un de a, b"
    assert translate("gate: nothing", table) == "gate: nothing"


def _people_messages() -> list[str]:
    """Every refusal the people rules can give, produced by the rules themselves."""
    from app.domain import people as rules

    base = {"role": "agent", "name": "Ann", "email": "ann@example.com"}
    found = [p.message for given in (
        rules.PersonInput(**base),
        rules.PersonInput(**{**base, "external_id": "A/1", "team": "t"}),
        rules.PersonInput(**{**base, "role": "boss", "name": "", "email": "x"}),
        rules.PersonInput(**{**base, "name": "x" * 201, "locale": "fr"}),
        rules.PersonInput(**{**base, "role": "trainer", "external_id": "a\x01"}),
    ) for p in rules.person_problems(given)]
    found += [p.message for p in (
        rules.role_change_problem("agent", "admin", own_account=False, other_active_admins=1),
        rules.role_change_problem("admin", "agent", own_account=True, other_active_admins=1),
        rules.role_change_problem("admin", "agent", own_account=False, other_active_admins=0),
        rules.deactivation_problem("agent", own_account=True, other_active_admins=1))]
    return found


@pytest.mark.parametrize("message", _people_messages())
def test_people_refusals_have_a_row(message):
    from app.web.admin.messages import person_text

    assert any(row.regex.fullmatch(message) for row in ADMIN + DIRECTORY), message
    assert person_text(message)
