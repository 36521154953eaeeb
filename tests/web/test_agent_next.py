"""Agents know what to do next (issue 16): the rules before a quiz, a confirmation before
grading blanks, results that explain, and a home led by what must be passed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Attempt, ItemOption, Skill, utcnow
from app.services.content.labels import set_names
from tests.conftest import login
from tests.web.test_attempts import (
    AGENT,
    bulletin,
    correct_option,
    publish_source,
    update_attempt,
    wrong_option,
)

FEES = "wibro-max-fees"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def agent(org, client):
    assert login(client, AGENT).status_code == 302
    return client


def start_page(agent) -> tuple[str, int]:
    location = agent.post(f"/agent/bulletins/{FEES}/quiz").location
    return location, int(location.rsplit("/", 1)[1])


def item_ids(html: str) -> list[int]:
    return [int(i) for i in dict.fromkeys(re.findall(r'name="item-(\d+)"', html))]


def sit_by_form(org, agent, right: bool) -> int:
    location, attempt_id = start_page(agent)
    ids = item_ids(agent.get(location).get_data(as_text=True))
    answers = {}
    for item in ids:
        options = {"id": item, "options": [{"id": o} for o in _options(org, item)]}
        answers[f"item-{item}"] = correct_option(org, item) if right else wrong_option(
            org, options)
    response = agent.post(location, data={"action": "submit", **answers})
    assert response.location.endswith("/result")
    return attempt_id


def _options(org, item_id: int) -> list[int]:
    with org.app.app_context():
        return list(db.session.scalars(select(ItemOption.id).where(
            ItemOption.item_id == item_id)))


# --- before an attempt ---------------------------------------------------------------------


def test_the_bulletin_page_states_the_rules_before_the_quiz(org, agent):
    publish_source(org, bulletin(extra="time_limit_minutes: 15\n"))
    html = text(agent.get(f"/agent/bulletins/{FEES}"))
    assert "4 questions · 15 minutes to answer" in html
    assert "You need all 4 right</strong>, including every critical fact: Monthly fee" in html
    assert "a pause of 10 minutes before the next attempt; 3 attempts left today" in html
    assert re.search(r'<button type="submit">Take the quiz</button>', html)


def test_after_a_fail_the_button_waits_out_the_pause(org, agent):
    publish_source(org, bulletin())
    sit_by_form(org, agent, right=False)
    html = text(agent.get(f"/agent/bulletins/{FEES}"))
    seconds = int(re.search(r'data-retry-in="(\d+)"', html).group(1))
    assert 590 <= seconds <= 600
    assert re.search(r'<button type="submit" disabled aria-describedby="retry-[^"]+">Take the '
                     r'quiz</button>', html)
    assert "Pause after a failed attempt: you can try again at" in html
    assert "2 attempts left today" in html
    assert '<script src="/static/countdown.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (a strict CSP)


def test_at_the_daily_cap_the_button_names_the_local_reset(org, agent):
    org.app.config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"] = 0
    publish_source(org, bulletin())
    for _ in range(3):
        sit_by_form(org, agent, right=False)
    html = text(agent.get(f"/agent/bulletins/{FEES}"))
    assert "data-retry-in" not in html
    assert "Today's attempts are used up: you can try again at" in html
    assert "(Asia/Seoul)" in html and "0 attempts left today" in html
    assert re.search(r"<button type=\"submit\" disabled[^>]*>Take the quiz</button>", html)


# --- during: blanks are confirmed ----------------------------------------------------------


def test_submitting_blanks_asks_first_and_grades_only_when_confirmed(org, agent):
    publish_source(org, bulletin())
    location, attempt_id = start_page(agent)
    ids = item_ids(agent.get(location).get_data(as_text=True))
    first = ids[0]
    asked = agent.post(location, data={"action": "submit",
                                       f"item-{first}": correct_option(org, first)})
    assert asked.status_code == 302 and asked.location == f"{location}?confirm=1#confirm"
    with org.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "in_progress" and attempt.result is None
    html = text(agent.get(f"{location}?confirm=1"))
    assert "3 questions are not answered" in html
    listed = re.findall(r'<li><a href="#q-(\d+)">', html)
    assert [int(i) for i in listed] == ids[1:]  # the blanks, in the order asked
    assert f'name="item-{first}" value="{correct_option(org, first)}" data-item="{first}" ' \
           'checked' in html  # what was chosen is kept
    graded = agent.post(location, data={"action": "submit-confirmed"})
    assert graded.location == f"{location}/result"
    with org.app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 25


def test_a_complete_attempt_is_graded_without_a_question(org, agent):
    publish_source(org, bulletin())
    attempt_id = sit_by_form(org, agent, right=True)
    with org.app.app_context():
        assert db.session.get(Attempt, attempt_id).passed is True


def test_the_quiz_page_carries_the_script_dialog(org, agent):
    publish_source(org, bulletin())
    location, _ = start_page(agent)
    html = text(agent.get(location))
    assert '<dialog id="confirm-dialog"' in html and 'value="submit-confirmed"' in html
    assert 'id="confirm"' not in html  # the server's step only after a submit with blanks


def test_time_up_is_graded_without_a_question(org, agent):
    publish_source(org, bulletin(extra="time_limit_minutes: 5\n"))
    location, attempt_id = start_page(agent)
    update_attempt(org, attempt_id, lambda row: setattr(row, "deadline_at", utcnow()))
    response = agent.post(location, data={"action": "submit"})
    assert response.location == f"{location}/result"


# --- after ---------------------------------------------------------------------------------


def test_a_pass_names_the_call_types_cleared_and_what_remains(org, agent):
    with org.app.app_context(), unit_of_work():
        set_names(db.session.scalar(select(Skill).where(Skill.code == "wibro")),
                  {"ko": "와이브로"})
    publish_source(org, bulletin())  # skills wibro, wired: the agent holds wibro
    publish_source(org, bulletin(slug="wibro-other", skills="[wibro]"))
    attempt_id = sit_by_form(org, agent, right=True)
    html = text(agent.get(f"/agent/attempts/{attempt_id}/result"))
    assert "What this pass means for your calls" in html
    assert re.search(r"<strong>✗ Wibro</strong>: still blocked until you also pass "
                     r'<a href="/agent/bulletins/wibro-other">WiBro Max plan fees', html)
    assert "wired" not in html.lower().replace("wired_care", "")  # not held: not listed
    agent.post("/language", data={"lang": "ko", "next": "/"})
    korean = text(agent.get(f"/agent/attempts/{attempt_id}/result"))
    assert "<strong>✗ 와이브로</strong>" in korean


def test_a_pass_with_nothing_left_says_cleared(org, agent):
    publish_source(org, bulletin())
    attempt_id = sit_by_form(org, agent, right=True)
    html = text(agent.get(f"/agent/attempts/{attempt_id}/result"))
    assert "<strong>✓ Wibro</strong>: you are cleared for these calls." in html


def test_a_fail_lists_the_facts_to_reread_with_links(org, agent):
    publish_source(org, bulletin())
    attempt_id = sit_by_form(org, agent, right=False)
    html = text(agent.get(f"/agent/attempts/{attempt_id}/result"))
    assert "Read these facts again" in html
    for fact, label in (("f-fee", "Monthly fee"), ("f-notice", "Cancellation notice")):
        assert f'<a href="/agent/bulletins/{FEES}#fact-{fact}">{label}</a>' in html
    assert 'Monthly fee</a> <span class="tag bad">must be right to pass</span>' in html


# --- home ----------------------------------------------------------------------------------


def test_home_lists_what_must_be_passed_by_gate_with_one_button_each(org, agent):
    publish_source(org, bulletin(slug="later", extra="deadline: 2031-02-01\n")
                   .replace("gate: immediate\n", ""))
    publish_source(org, bulletin(slug="sooner", extra="deadline: 2031-01-15\n")
                   .replace("gate: immediate\n", ""))
    html = text(agent.get("/agent/"))
    must = html[html.index('id="due-h"'):html.index('id="elig-h"')]
    assert must.index("/agent/bulletins/sooner") < must.index("/agent/bulletins/later")
    assert must.count("Take the quiz") == 2
    assert "4 questions · all 4 right" in must
    assert html.index('id="due-h"') < html.index('id="inbox-h"')  # the task comes first


# --- names in the reader's language -------------------------------------------------------


def test_call_types_are_named_in_the_readers_language(org):
    from app.errors import ServiceError
    from app.services.content.labels import skill_names, team_names

    with org.app.app_context(), unit_of_work():
        wifi = db.session.scalar(select(Skill).where(Skill.code == "wifi"))
        set_names(wifi, {"ko": " 와이파이 "})
        with pytest.raises(ServiceError, match="the ko name of 'wifi' is empty"):
            set_names(wifi, {"ko": "  "})
    with org.app.app_context():
        assert skill_names("ko")["wifi"] == "와이파이"
        assert skill_names("en")["wifi"] == "Wifi"  # the default name
        assert skill_names("ko")["wired"] == "Wired"  # no Korean name: the default
        assert team_names("ko")["wibro_care"] == "Wibro Care"
