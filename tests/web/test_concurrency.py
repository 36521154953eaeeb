"""Many requests at once on one attempt: one grade, one attempt, no lost answer.

Runs on the file-backed SQLite database of the ``app`` fixture, and on PostgreSQL when
``TEST_DATABASE_URL`` is set. Every thread has its own test client (so its own request,
application context and database session) and waits at a barrier so all start together.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Answer, Attempt, Certification, EligibilityEvent, ItemOption

THREADS = 10
SLUG = "counter-script"
FACTS = [
    ("greeting", "Thank you for calling olleh", "Hello, KT here"),
    ("name", "Ask the customer's full name", "Ask the customer's first name"),
    ("id-check", "Date of birth and the last four digits of the ID", "The full ID number"),
    ("hold", "Ask before putting the customer on hold", "Put the customer on hold at once"),
    ("transfer", "Warm transfer with a contact note", "Cold transfer to the queue"),
    ("callback", "Offer a callback within two hours", "Offer a callback tomorrow"),
    ("apology", "Apologise once and move to the fix", "Apologise at every turn"),
    ("notes", "Write the contact note during the call", "Write the contact note at day end"),
    ("survey", "Mention the text survey at the end", "Ask for a score on the call"),
    ("closing", "Ask whether anything else is needed", "End the call straight away"),
]
# Two not: values per fact (its own and the next step's), so every fact has a choice item.
SOURCE = f"""---
id: {SLUG}
title: The new counter script
lang: en
effective: 2030-01-10
skills: [wibro, wifi]
gate: immediate
---
From 10 January every call follows the ==new counter script==.

## Facts
""" + "".join(f"- **Step {key}** {{#f-{key} type=text}}: {value} (not: {wrong}; {other})\n"
              for (key, value, wrong), (*_, other) in zip(FACTS, FACTS[1:] + FACTS[:1],
                                                          strict=True))


def publish(org) -> None:
    """Create the bulletin, approve every item, publish it (as conftest's publish_wifi)."""
    client = org.app.test_client()
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": SOURCE}, headers=headers)
    assert created.status_code == 201, created.json
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}", json={"status": "approved"},
                   headers=headers)
    published = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={"change": "material"},
                            headers=headers)
    assert published.status_code == 200, published.json


def in_parallel(app, headers: dict, requests) -> list[tuple[int, bytes]]:
    """Send ``requests[i](client)`` from thread i, all released together by a barrier."""
    barrier = threading.Barrier(len(requests))

    def run(send):
        client = app.test_client()
        barrier.wait(timeout=30)
        response = send(client)
        return response.status_code, response.get_data()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(run, requests))


def scalar(app, query):
    with app.app_context():
        return db.session.scalar(query)


def correct_option(app, item_id: int) -> int:
    return scalar(app, select(ItemOption.id).where(
        ItemOption.item_id == item_id, ItemOption.correct.is_(True)))


@pytest.fixture
def agent(org) -> dict:
    publish(org)
    return org.headers("agent@example.com")


def test_parallel_submits_grade_once(app, client, agent):
    attempt = client.post("/api/v1/me/attempts", json={"bulletin": SLUG}, headers=agent).json
    for item in attempt["items"]:
        client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                   json={"option": correct_option(app, item["id"])}, headers=agent)
    url = f"/api/v1/me/attempts/{attempt['id']}/submit"

    results = in_parallel(app, agent, [lambda c: c.post(url, headers=agent)] * THREADS)

    assert {status for status, _ in results} == {200}, results
    assert len({body for _, body in results}) == 1  # every caller got the same grade
    assert scalar(app, select(func.count(Certification.id))) == 1
    assert scalar(app, select(func.count(EligibilityEvent.seq)).where(
        EligibilityEvent.reason == "certification_passed")) == 2  # wibro and wifi, once
    assert scalar(app, select(Attempt.status).where(Attempt.id == attempt["id"])) == "submitted"


def test_parallel_starts_make_one_attempt(app, agent):
    start = [lambda c: c.post("/api/v1/me/attempts", json={"bulletin": SLUG}, headers=agent)]

    results = in_parallel(app, agent, start * THREADS)

    assert {status for status, _ in results} == {201}, results
    assert len({body for _, body in results}) == 1
    assert scalar(app, select(func.count(Attempt.id))) == 1
    assert scalar(app, select(func.count(Attempt.id)).where(
        Attempt.status == "in_progress")) == 1


def test_parallel_autosaves_lose_no_answer(app, client, agent):
    attempt = client.post("/api/v1/me/attempts", json={"bulletin": SLUG}, headers=agent).json
    assert len(attempt["items"]) == THREADS  # one item per fact
    chosen = {item["id"]: item["options"][-1]["id"] for item in attempt["items"]}

    def save(item_id):
        return lambda c: c.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item_id}",
                               json={"option": chosen[item_id]}, headers=agent)

    results = in_parallel(app, agent, [save(item_id) for item_id in chosen])

    acknowledged = sum(status == 200 for status, _ in results)
    assert acknowledged == THREADS, results
    with app.app_context():
        saved = dict(db.session.execute(select(Answer.item_id, Answer.option_id).where(
            Answer.attempt_id == attempt["id"])).all())
    assert saved == chosen
    resumed = client.get(f"/api/v1/me/attempts/{attempt['id']}", headers=agent).json
    assert resumed["answers"] == {str(k): v for k, v in chosen.items()}
