"""Attempt integrity through the agent API (product.md rules 4, 7 and 9, section 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.gating import next_local_midnight, start_of_local_day, time_zone
from app.models import Assignment, Attempt, Certification, Item, ItemOption, User, utcnow

AGENT, AGENT2 = "agent@example.com", "agent2@example.com"
SLUG = "wibro-max-fees"
SEOUL = "Asia/Seoul"


def bulletin(slug: str = SLUG, extra: str = "", skills: str = "[wibro, wired]") -> str:
    """A bulletin with four facts, each yielding at least two generated items."""
    return f"""---
id: {slug}
title: WiBro Max plan fees from January
lang: en
effective: 2030-01-10
skills: {skills}
gate: immediate
critical: [f-fee]
{extra}---
From 10 January the ==monthly fee== of the ==WiBro Max== plan is 30,000 won.

## Facts
- **Monthly fee** {{#f-fee type=money}}: 30,000 won (was: 25,000 won)
- **Cancellation notice** {{#f-notice type=duration}}: 14 days (was: 30 days)
- **Bundle needed** {{#f-bundle type=bool}}: no (was: yes)
- **Plan name** {{#f-plan type=text}}: WiBro Max (not: WiBro Mini; WiBro Lite)
"""


def publish_source(org, source: str, change: str = "material", edit: dict | None = None) -> dict:
    """Create a bulletin from ``source``, approve every item (applying ``edit``), publish."""
    client = org.app.test_client()
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": source}, headers=headers)
    assert created.status_code == 201, created.json
    slug = created.json["id"]
    for item in created.json["items"]:
        reviewed = client.put(f"/api/v1/bulletins/{slug}/items/{item['id']}",
                              json={**(edit or {}), "status": "approved"}, headers=headers)
        assert reviewed.status_code == 200, reviewed.json
    published = client.post(f"/api/v1/bulletins/{slug}/publish", json={"change": change},
                            headers=headers)
    assert published.status_code == 200, published.json
    return published.json


def correct_option(org, item_id: int) -> int:
    with org.app.app_context():
        return db.session.scalar(select(ItemOption.id).where(
            ItemOption.item_id == item_id, ItemOption.correct.is_(True)))


def wrong_option(org, item: dict) -> int:
    key = correct_option(org, item["id"])
    return next(o["id"] for o in item["options"] if o["id"] != key)


def start(client, headers, slug: str = SLUG):
    return client.post("/api/v1/me/attempts", json={"bulletin": slug}, headers=headers)


def answer(client, headers, attempt_id: int, item_id: int, body: dict):
    return client.put(f"/api/v1/me/attempts/{attempt_id}/answers/{item_id}", json=body,
                      headers=headers)


def submit(client, headers, attempt_id: int, body: dict | None = None):
    return client.post(f"/api/v1/me/attempts/{attempt_id}/submit", json=body or {},
                       headers=headers)


def answer_all(org, client, headers, attempt: dict, right: bool = True) -> None:
    for item in attempt["items"]:
        option = correct_option(org, item["id"]) if right else wrong_option(org, item)
        saved = answer(client, headers, attempt["id"], item["id"], {"option": option})
        assert saved.status_code == 200, saved.json


def update_attempt(org, attempt_id: int, change) -> None:
    """Apply ``change(row)`` to a stored attempt, as if time had passed."""
    with org.app.app_context(), unit_of_work() as session:
        change(session.get(Attempt, attempt_id))


def count(org, query) -> int:
    with org.app.app_context():
        return db.session.scalar(query)


@pytest.fixture
def agent(org):
    return org.headers(AGENT)


@pytest.fixture
def fees(org):
    return publish_source(org, bulletin())


# --- answers and ownership -----------------------------------------------------------------


def test_answer_after_submit_is_conflict(client, org, agent, fees):
    attempt = start(client, agent).json
    item = attempt["items"][0]
    submit(client, agent, attempt["id"])
    late = answer(client, agent, attempt["id"], item["id"], {"option": item["options"][0]["id"]})
    assert late.status_code == 409
    assert late.json["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent).json["answers"] == {}


def test_another_agents_attempt_is_not_found(client, org, agent, fees):
    attempt = start(client, agent).json
    item = attempt["items"][0]
    other = org.headers(AGENT2)
    url = f"/api/v1/me/attempts/{attempt['id']}"
    assert client.get(url, headers=other).status_code == 404
    put = answer(client, other, attempt["id"], item["id"], {"option": item["options"][0]["id"]})
    assert put.status_code == 404
    assert submit(client, other, attempt["id"]).status_code == 404
    mine = client.get(url, headers=agent).json
    assert (mine["status"], mine["answers"]) == ("in_progress", {})


def test_item_outside_the_attempt_is_rejected(client, org, agent, fees):
    attempt = start(client, agent).json
    drawn = {i["id"] for i in attempt["items"]}
    with org.app.app_context():
        undrawn = db.session.scalars(select(Item).where(Item.id.not_in(drawn))).first()
        option = undrawn.options[0].id
        undrawn_id = undrawn.id
    rejected = answer(client, agent, attempt["id"], undrawn_id, {"option": option})
    assert rejected.status_code == 400
    assert rejected.json["error"]["details"] == {"field": "item"}


def test_option_of_another_item_is_rejected(client, org, agent, fees):
    attempt = start(client, agent).json
    first, second = attempt["items"][:2]
    rejected = answer(client, agent, attempt["id"], first["id"],
                      {"option": second["options"][0]["id"]})
    assert rejected.status_code == 400
    assert rejected.json["error"]["details"] == {"field": "option"}
    assert client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent).json["answers"] == {}


def test_score_and_passed_sent_by_the_client_are_ignored(client, org, agent, fees):
    attempt = start(client, agent).json
    for item in attempt["items"]:
        saved = answer(client, agent, attempt["id"], item["id"], {
            "option": wrong_option(org, item), "correct": True, "score": 100, "passed": True})
        assert saved.status_code == 200
    graded = submit(client, agent, attempt["id"], {"score": 100, "passed": True})
    assert graded.status_code == 200
    assert (graded.json["score"], graded.json["passed"]) == (0, False)
    assert count(org, select(func.count(Certification.id))) == 0
    with org.app.app_context():
        row = db.session.get(Attempt, attempt["id"])
        assert (row.score, row.passed) == (0, False)


def test_submit_is_idempotent(client, org, agent, fees):
    attempt = start(client, agent).json
    answer_all(org, client, agent, attempt)
    first = submit(client, agent, attempt["id"])
    second = submit(client, agent, attempt["id"])
    assert first.status_code == second.status_code == 200
    assert first.json["passed"] is True
    assert first.get_data() == second.get_data()
    assert count(org, select(func.count(Certification.id))) == 1


# --- replaying answers ---------------------------------------------------------------------


def _passed_pairs(org, client, headers) -> list[tuple[int, int]]:
    attempt = start(client, headers).json
    answer_all(org, client, headers, attempt)
    assert submit(client, headers, attempt["id"]).json["passed"] is True
    return [(i["id"], correct_option(org, i["id"])) for i in attempt["items"]]


def _assert_replay_rejected(org, client, headers, attempt: dict, pairs) -> None:
    assert not {item for item, _ in pairs} & {i["id"] for i in attempt["items"]}
    for item_id, option_id in pairs:
        assert answer(client, headers, attempt["id"], item_id, {"option": option_id}
                      ).status_code == 400
    for item, (_, option_id) in zip(attempt["items"], pairs, strict=False):
        assert answer(client, headers, attempt["id"], item["id"], {"option": option_id}
                      ).status_code == 400  # an option id only answers its own item
    assert client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=headers
                      ).json["answers"] == {}


def test_replayed_answers_do_not_fit_another_agents_attempt(client, org, agent, fees):
    pairs = _passed_pairs(org, client, agent)
    trainer = org.headers("trainer@example.com")
    with org.app.app_context():  # retire what agent 1 saw: agent 2 surely draws other items
        keys = db.session.scalars(select(Item.key).where(Item.id.in_([i for i, _ in pairs])))
        keys = list(keys)
    for key in keys:
        assert client.put(f"/api/v1/bulletins/{SLUG}/items/{key}", json={"status": "retired"},
                          headers=trainer).status_code == 200
    other = org.headers(AGENT2)
    attempt = start(client, other).json
    _assert_replay_rejected(org, client, other, attempt, pairs)


def test_replayed_answers_do_not_fit_another_bulletin(client, org, agent, fees):
    pairs = _passed_pairs(org, client, agent)
    publish_source(org, bulletin("wibro-max-fees-2"))
    attempt = start(client, agent, "wibro-max-fees-2").json
    _assert_replay_rejected(org, client, agent, attempt, pairs)


# --- resume and autosave -------------------------------------------------------------------


def test_resume_returns_saved_answers_and_a_late_save_loses(client, org, agent, fees):
    attempt = start(client, agent).json
    first, second = attempt["items"][:2]
    newer, older = first["options"][0]["id"], first["options"][1]["id"]
    assert answer(client, agent, attempt["id"], first["id"], {"option": newer, "seq": 20}
                  ).json["seq"] == 20
    late = answer(client, agent, attempt["id"], first["id"], {"option": older, "seq": 10})
    assert late.status_code == 200
    assert (late.json["option"], late.json["seq"]) == (newer, 20)
    answer(client, agent, attempt["id"], second["id"], {"option": second["options"][1]["id"]})
    resumed = client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent)
    assert resumed.status_code == 200
    assert resumed.json["answers"] == {str(first["id"]): newer,
                                       str(second["id"]): second["options"][1]["id"]}
    assert resumed.json["items"] == attempt["items"]


def test_second_start_resumes_the_attempt_in_progress(client, org, agent, fees):
    first = start(client, agent)
    again = start(client, agent)
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert again.json["items"] == first.json["items"]
    assert count(org, select(func.count(Attempt.id))) == 1


def test_database_allows_one_attempt_in_progress(client, org, agent, fees):
    attempt = start(client, agent).json
    with org.app.app_context():
        row = db.session.get(Attempt, attempt["id"])
        with pytest.raises(IntegrityError), unit_of_work() as session:
            session.add(Attempt(user_id=row.user_id, version_id=row.version_id,
                                status="in_progress", started_at=utcnow()))
    assert count(org, select(func.count(Attempt.id))) == 1


# --- time limit ----------------------------------------------------------------------------


@pytest.fixture
def timed(org):
    return publish_source(org, bulletin("timed-fees", "time_limit_minutes: 1\n"))


def _expire(org, attempt_id: int) -> None:
    def past(row):
        row.started_at -= timedelta(minutes=5)
        row.deadline_at = utcnow() - timedelta(minutes=4)
    update_attempt(org, attempt_id, past)


def test_answer_after_the_time_limit_submits_the_saved_answers(client, org, agent, timed):
    attempt = start(client, agent, "timed-fees").json
    assert attempt["deadline_at"] is not None
    answer_all(org, client, agent, attempt)
    _expire(org, attempt["id"])
    item = attempt["items"][0]
    late = answer(client, agent, attempt["id"], item["id"], {"option": wrong_option(org, item)})
    assert late.status_code == 409
    assert "time ran out" in late.json["error"]["message"]
    stored = client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent).json
    assert stored["status"] == "submitted"
    assert stored["answers"][str(item["id"])] == correct_option(org, item["id"])
    assert (stored["result"]["score"], stored["result"]["passed"]) == (100, True)
    assert submit(client, agent, attempt["id"]).json == stored["result"]
    assert count(org, select(func.count(Certification.id))) == 1


def test_submit_after_the_time_limit_returns_the_graded_result(client, org, agent, timed):
    attempt = start(client, agent, "timed-fees").json
    items = attempt["items"]
    for item in items[:2]:
        answer(client, agent, attempt["id"], item["id"],
               {"option": correct_option(org, item["id"])})
    _expire(org, attempt["id"])
    graded = submit(client, agent, attempt["id"])
    assert graded.status_code == 200
    assert (graded.json["correct"], graded.json["total"]) == (2, len(items))
    with org.app.app_context():
        row = db.session.get(Attempt, attempt["id"])
        assert row.status == "submitted" and row.submitted_at == row.deadline_at


def test_starting_again_after_the_time_limit_keeps_the_graded_attempt(client, org, agent, timed):
    attempt = start(client, agent, "timed-fees").json
    answer_all(org, client, agent, attempt)
    _expire(org, attempt["id"])
    again = start(client, agent, "timed-fees")
    assert again.status_code == 409
    assert again.json["error"]["code"] == "already_certified"
    stored = client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent).json
    assert (stored["status"], stored["result"]["passed"]) == ("submitted", True)
    assert count(org, select(func.count(Certification.id))) == 1


# --- retakes -------------------------------------------------------------------------------


def _fail(client, org, headers) -> dict:
    attempt = start(client, headers)
    assert attempt.status_code == 201, attempt.json
    answer_all(org, client, headers, attempt.json, right=False)
    assert submit(client, headers, attempt.json["id"]).json["passed"] is False
    return attempt.json


def _cool_down(org, attempt_id: int, started_at=None) -> None:
    def cooled(row):
        row.submitted_at = utcnow() - timedelta(minutes=11)
        row.started_at = started_at or row.submitted_at - timedelta(minutes=1)
    update_attempt(org, attempt_id, cooled)


def test_cooldown_after_a_fail(client, org, agent, fees):
    failed = _fail(client, org, agent)
    refused = start(client, agent)
    assert refused.status_code == 429
    assert "try again at" in refused.json["error"]["message"]
    assert refused.json["error"]["details"]["reason"] == "cooldown"
    _cool_down(org, failed["id"])
    assert start(client, agent).status_code == 201


def _use_up_the_day(client, org, headers) -> list[dict]:
    day_start = start_of_local_day(utcnow(), SEOUL)
    attempts = []
    for _ in range(3):
        attempts.append(_fail(client, org, headers))
        _cool_down(org, attempts[-1]["id"], started_at=day_start)
    return attempts


def test_daily_cap_until_seoul_midnight(client, org, agent, fees):
    attempts = _use_up_the_day(client, org, agent)
    refused = start(client, agent)
    assert refused.status_code == 429
    error = refused.json["error"]
    midnight = next_local_midnight(utcnow(), SEOUL)
    assert error["details"] == {"reason": "daily_cap", "retry_at": midnight.isoformat()}
    assert "try again at" in error["message"]
    assert f"{midnight.astimezone(time_zone(SEOUL)):%Y-%m-%d} 00:00" in error["message"]
    for attempt in attempts:  # the next Seoul day begins
        update_attempt(org, attempt["id"], lambda row: setattr(
            row, "started_at", start_of_local_day(utcnow(), SEOUL) - timedelta(minutes=1)))
    assert start(client, agent).status_code == 201


def test_manager_unlock_lifts_the_daily_cap(client, org, agent, fees):
    _use_up_the_day(client, org, agent)
    assert start(client, agent).status_code == 429
    with org.app.app_context(), unit_of_work() as session:
        user_id = session.scalar(select(User.id).where(User.email == AGENT))
        assignment = session.scalar(select(Assignment).where(Assignment.user_id == user_id))
        assignment.unlocked_at = utcnow()
    assert start(client, agent).status_code == 201


def test_retake_draws_other_items(client, org, agent, fees):
    first = _fail(client, org, agent)
    _cool_down(org, first["id"])
    second = start(client, agent).json
    assert second["id"] != first["id"]
    first_ids, second_ids = {i["id"] for i in first["items"]}, {i["id"] for i in second["items"]}
    assert len(second_ids) == len(first_ids) == 4  # one item per fact
    assert not first_ids & second_ids


# --- grading -------------------------------------------------------------------------------


def test_missing_a_critical_fact_fails_above_the_pass_mark(client, org, agent):
    publish_source(org, bulletin("critical-fees", "pass_mark: 50\n"))
    attempt = start(client, agent, "critical-fees").json
    with org.app.app_context():
        facts = {i: db.session.get(Item, i).fact.key for i in (x["id"] for x in attempt["items"])}
    for item in attempt["items"]:
        right = facts[item["id"]] != "f-fee"
        option = correct_option(org, item["id"]) if right else wrong_option(org, item)
        answer(client, agent, attempt["id"], item["id"], {"option": option})
    graded = submit(client, agent, attempt["id"]).json
    assert graded["score"] == 75 and graded["passed"] is False
    assert graded["missed_critical"] == ["f-fee"]
    assert {f["fact"]: f["correct"] for f in graded["facts"]} == {
        "f-fee": False, "f-notice": True, "f-bundle": True, "f-plan": True}
    assert count(org, select(func.count(Certification.id))) == 0


def test_the_answer_key_never_leaks_before_grading(client, org, agent):
    publish_source(org, bulletin(), edit={"explanation": "SENTINEL-EXPLAIN: the fee went up"})
    started = start(client, agent)
    attempt = started.json
    item = attempt["items"][0]
    saved = answer(client, agent, attempt["id"], item["id"], {"option": item["options"][0]["id"]})
    resumed = client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent)
    for response in (started, saved, resumed):
        text = response.get_data(as_text=True)
        assert "SENTINEL-EXPLAIN" not in text
        assert '"correct"' not in text and '"source"' not in text and '"key"' not in text
    for body in (attempt, resumed.json):
        assert body["result"] is None
        for shown in body["items"]:
            assert set(shown) <= {"id", "stem", "kind", "options"}
            assert all(set(o) == {"id", "text"} for o in shown["options"])
