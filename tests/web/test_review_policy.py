"""Feedback after grading follows the bulletin's review policy (front matter ``review:``)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Assignment, BulletinVersion, User, utcnow
from tests.conftest import login
from tests.web.test_attempts import (
    AGENT,
    answer_all,
    bulletin,
    correct_option,
    publish_source,
    start,
    submit,
)

EXPLAIN = "SENTINEL-EXPLAIN"


@pytest.fixture
def agent(org):
    org.app.config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"] = 0  # retakes at once
    return org.headers(AGENT)


def publish_with(org, policy: str | None, slug: str = "fees") -> None:
    extra = f"review: {policy}\n" if policy else ""
    publish_source(org, bulletin(slug, extra), edit={"explanation": f"{EXPLAIN} of {slug}"})


def sit(org, client, headers, *, right: bool, slug: str = "fees") -> dict:
    attempt = start(client, headers, slug)
    assert attempt.status_code == 201, attempt.json
    answer_all(org, client, headers, attempt.json, right=right)
    graded = submit(client, headers, attempt.json["id"])
    assert graded.status_code == 200 and graded.json["passed"] is right
    return graded.json


def keys_of(review: dict) -> list:
    return [item["key"] for item in review["items"]]


def test_the_policy_is_stored_with_the_version(ctx, org):
    publish_with(org, "after_cap", "capped")
    publish_with(org, None, "plain")
    reviews = db.session.scalars(select(BulletinVersion.review).order_by(BulletinVersion.id))
    assert list(reviews) == ["after_cap", None]


@pytest.mark.parametrize(("policy", "right", "key_shown", "explained"), [
    (None, False, False, False),
    (None, True, True, True),
    ("after_pass", False, False, False),
    ("after_pass", True, True, True),
    ("always", False, True, True),
    ("always", True, True, True),
    ("never", False, False, False),
    ("never", True, False, False),
    ("after_cap", True, True, True),
    ("after_cap", False, False, False),  # the first fail of the day: the cap is not used
])
def test_submit_reveals_per_policy(client, org, agent, policy, right, key_shown, explained):
    publish_with(org, policy)
    graded = sit(org, client, agent, right=right)
    review = graded["review"]
    assert review["policy"] == (policy or "after_pass")
    assert (review["key_shown"], review["explanations_shown"]) == (key_shown, explained)
    for item in review["items"]:
        if key_shown:
            assert item["key"] == [correct_option(org, item["id"])]
        else:
            assert item["key"] is None
        assert item["explanation"] == (f"{EXPLAIN} of fees" if explained else None)
        assert item["correct"] is right and item["chosen"] is not None
    again = client.get(f"/api/v1/me/attempts/{graded['attempt']}", headers=agent).json
    assert again["result"] == graded  # the resume view says the same


def test_nothing_is_revealed_before_grading(client, org, agent):
    publish_with(org, "always")
    attempt = start(client, agent, "fees").json
    resumed = client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent)
    assert resumed.json["result"] is None and attempt["result"] is None
    text = resumed.get_data(as_text=True)
    assert EXPLAIN not in text and '"review"' not in text
    assert '"key"' not in text and '"correct"' not in text


def test_after_cap_shows_the_key_once_the_days_attempts_are_used(client, org, agent):
    publish_with(org, "after_cap")
    first = sit(org, client, agent, right=False)
    assert first["review"]["key_shown"] is False
    sit(org, client, agent, right=False)
    third = sit(org, client, agent, right=False)  # the daily cap (3) is now used
    assert third["review"]["key_shown"] is True
    assert all(k is not None for k in keys_of(third["review"]))
    earlier = client.get(f"/api/v1/me/attempts/{first['attempt']}", headers=agent).json
    assert earlier["result"]["review"]["key_shown"] is True  # judged when asked, not when graded
    assert start(client, agent, "fees").status_code == 429

    with org.app.app_context(), unit_of_work() as session:  # a manager unlocks
        user_id = session.scalar(select(User.id).where(User.email == AGENT))
        session.scalar(select(Assignment).where(Assignment.user_id == user_id)
                       ).unlocked_at = utcnow()
    hidden = client.get(f"/api/v1/me/attempts/{first['attempt']}", headers=agent).json
    assert hidden["result"]["review"]["key_shown"] is False  # a retake could try it out now
    assert all(k is None for k in keys_of(hidden["result"]["review"]))


def test_submit_stays_idempotent_with_the_review(client, org, agent):
    publish_with(org, "always")
    attempt = start(client, agent, "fees").json
    answer_all(org, client, agent, attempt, right=False)
    first, second = submit(client, agent, attempt["id"]), submit(client, agent, attempt["id"])
    assert first.get_data() == second.get_data()


# --- the result page -----------------------------------------------------------------------


def result_page(org, client, right: bool) -> str:
    headers = org.headers(AGENT)
    graded = sit(org, client, headers, right=right)
    login(client, AGENT)
    response = client.get(f"/agent/attempts/{graded['attempt']}/result")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def answer_lines(html: str) -> list[str]:
    return re.findall(r"<p>Answer: ([^<]*)</p>", html)


@pytest.mark.parametrize(("policy", "right", "answers", "explained", "note"), [
    (None, False, False, False, "shown once you pass."),
    (None, True, True, True, None),
    ("always", False, True, True, None),
    ("never", True, False, False, "are not shown"),
    ("after_cap", False, False, False, "used today's attempts"),
])
def test_result_page_follows_the_policy(client, org, agent, policy, right, answers,
                                        explained, note):
    publish_with(org, policy)
    html = result_page(org, client, right)
    assert bool(answer_lines(html)) is answers
    assert (EXPLAIN in html) is explained
    # with the key hidden the page lists the facts, right or wrong, with links to reread them
    assert ("Your answer:" in html) is answers
    assert "Monthly fee" in html and 'href="/agent/bulletins/fees#fact-f-fee"' in html
    if note:
        assert note in html.replace("&#39;", "'")
    else:
        assert 'id="review-policy"' not in html


@pytest.mark.parametrize("policy", [None, "after_pass", "after_cap", "never"])
def test_a_fail_page_states_no_key_when_the_policy_hides_it(client, org, agent, policy):
    """Nothing on the page gives the answer away: no correct option, no explanation, no
    true/false statement whose truth the mark would reveal."""
    from app.models import Attempt, Item

    publish_with(org, policy)
    html = result_page(org, client, right=False)
    text = re.sub(r"<[^>]+>", " ", html)
    with org.app.app_context():
        attempt = db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()
        title = attempt.version.title  # "WiBro Max plan fees...": the title names the plan
        assert title in text
        text = text.replace(title, " ")
        items = [db.session.get(Item, entry.item_id) for entry in attempt.items]
        for item in items:
            for option in item.options:
                if option.correct and item.kind != "true_false":
                    assert not re.search(rf"\b{re.escape(option.text)}\b", text), (
                        item.key, option.text)
            assert item.stem not in text
            assert item.explanation not in text
    assert EXPLAIN not in text
    assert "Read these facts again" in text
