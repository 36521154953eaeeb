"""``GET /me/assignments`` states the quiz rules before an attempt (product.md section 7):
questions, pass mark, critical facts, time limit, attempts left today and ``retry_at``."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain.gating import next_local_midnight
from app.models import utcnow
from tests.web.test_attempts import (
    AGENT,
    SLUG,
    answer_all,
    bulletin,
    publish_source,
    start,
    submit,
    update_attempt,
)

RULES = ("questions", "pass_mark", "points_needed", "critical_facts", "time_limit_minutes",
         "attempts_left_today", "retry_at", "retry_reason")


@pytest.fixture
def agent(org):
    return org.headers(AGENT)


def mine(client, headers, slug: str = SLUG) -> dict:
    response = client.get("/api/v1/me/assignments", headers=headers)
    assert response.status_code == 200, response.json
    return next(a for a in response.json["assignments"] if a["bulletin"] == slug)


def fail_once(org, client, headers, slug: str = SLUG) -> dict:
    attempt = start(client, headers, slug)
    assert attempt.status_code == 201, attempt.json
    answer_all(org, client, headers, attempt.json, right=False)
    graded = submit(client, headers, attempt.json["id"])
    assert graded.json["passed"] is False
    return attempt.json


def test_the_rules_before_the_first_attempt(client, org, agent):
    publish_source(org, bulletin())
    rules = {k: mine(client, agent)[k] for k in RULES}
    # four facts, one item each; 80 % of 4 is all 4; f-fee is critical
    assert rules == {"questions": 4, "pass_mark": 80, "points_needed": 4,
                     "critical_facts": ["f-fee"], "time_limit_minutes": None,
                     "attempts_left_today": 3, "retry_at": None, "retry_reason": None}
    attempt = start(client, agent).json
    assert len(attempt["items"]) == 4  # what was stated is what is drawn


def test_a_lower_pass_mark_and_a_time_limit_are_stated(client, org, agent):
    publish_source(org, bulletin(extra="pass_mark: 70\ntime_limit_minutes: 12\n"))
    rules = mine(client, agent)
    assert (rules["pass_mark"], rules["points_needed"], rules["questions"]) == (70, 3, 4)
    assert rules["time_limit_minutes"] == 12


def test_after_a_fail_the_pause_and_the_attempts_left(client, org, agent):
    publish_source(org, bulletin())
    fail_once(org, client, agent)
    rules = mine(client, agent)
    assert rules["attempts_left_today"] == 2 and rules["retry_reason"] == "cooldown"
    refused = start(client, agent)
    assert refused.status_code == 429
    assert rules["retry_at"] == refused.json["error"]["details"]["retry_at"]
    retry_at = datetime.fromisoformat(rules["retry_at"])
    assert timedelta(minutes=9) < retry_at - utcnow() <= timedelta(minutes=10)


def test_at_the_daily_cap_retry_at_is_local_midnight(client, org, agent):
    org.app.config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"] = 0
    publish_source(org, bulletin())
    for _ in range(3):
        fail_once(org, client, agent)
    rules = mine(client, agent)
    assert (rules["attempts_left_today"], rules["retry_reason"]) == (0, "daily_cap")
    midnight = next_local_midnight(utcnow(), org.app.config["ONEVOICE_TIMEZONE"])
    assert datetime.fromisoformat(rules["retry_at"]) == midnight


def test_once_the_pause_is_over_the_agent_may_start(client, org, agent):
    publish_source(org, bulletin())
    attempt = fail_once(org, client, agent)

    def earlier(row):
        row.started_at -= timedelta(minutes=11)
        row.submitted_at -= timedelta(minutes=11)
    update_attempt(org, attempt["id"], earlier)
    rules = mine(client, agent)
    assert (rules["retry_at"], rules["retry_reason"], rules["attempts_left_today"]) == (
        None, None, 2)
    assert start(client, agent).status_code == 201


def test_the_listing_stays_a_few_queries(client, org, agent):
    """The rules of every assignment come in a fixed number of queries."""
    from sqlalchemy import event

    from app.core.extensions import db

    for n in range(4):
        publish_source(org, bulletin(slug=f"fees-{n}"))
    counted = []
    with org.app.app_context():
        engine = db.engine

    def listener(*args):
        counted.append(1)

    client.get("/api/v1/me/assignments", headers=agent)  # warm: the token's first use
    event.listen(engine, "before_cursor_execute", listener)
    try:
        few = len(client.get("/api/v1/me/assignments", headers=agent).json["assignments"])
        small = len(counted)
        publish_source(org, bulletin(slug="fees-extra"))
        client.get("/api/v1/me/assignments", headers=agent)
        counted.clear()
        more = len(client.get("/api/v1/me/assignments", headers=agent).json["assignments"])
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert (few, more) == (4, 5)
    assert len(counted) == small
