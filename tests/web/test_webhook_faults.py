"""Faults, with the worker as a real process and a real receiver: the worker killed with
SIGKILL in the middle of a delivery, the receiver down for a while, the database refusing
writes for a while. After each, every acknowledged event is delivered at least once, and a
message sent more than once always carries the same ``webhook-id``. Both engines.
Also: the webhook tables are pruned by age, never before delivery.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url

from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import utcnow
from app.models.webhooks import OutboxMessage, WebhookAttempt, WebhookDelivery
from app.services.integration import outbox, webhooks
from app.services.integration.webhook_upkeep import prune_webhooks
from tests.conftest import PG_URL, _config
from tests.web.test_webhook_delivery import register
from tests.web.webhook_receiver import Receiver
from tests.web.worker_process import WorkerProcess, database_url, wait_for

VIOLATION = "call.violation"
FAST = {"ONEVOICE_WEBHOOK_LEASE_SECONDS": 3, "ONEVOICE_SQLITE_BUSY_TIMEOUT_MS": 300,
        "ONEVOICE_WEBHOOK_RETRY_SCHEDULE": ",".join(["1"] * 30)}


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def workers(app, tmp_path):
    started: list[WorkerProcess] = []

    def start(**settings) -> WorkerProcess:
        process = WorkerProcess(database_url(app), tmp_path, **{**FAST, **settings}).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def report_calls(client, headers, ids) -> int:
    """POST answered calls that are violations (A1 does not hold ``wired``): one
    call.violation message each. Returns the status."""
    rows = [{"call_id": c, "agent": "A1", "skill": "wired",
             "answered_at": "2026-12-04T10:10:00+09:00"} for c in ids]
    return client.post("/api/v1/calls", json=rows, headers=headers).status_code


def received(receiver) -> dict[str, set[str]]:
    """Per call id: the webhook-ids it arrived under (acknowledged or not)."""
    ids = defaultdict(set)
    for request in receiver.taken():
        ids[request.document["data"]["call_id"]].add(request.msg_id)
    return ids


def acknowledged(receiver) -> set[str]:
    return {r.document["data"]["call_id"] for r in receiver.taken() if r.status == 200}


def settled(app) -> bool:
    """Nothing pending and every outbox row fanned out."""
    with app.app_context():
        pending = db.session.scalar(select(func.count(WebhookDelivery.id)).where(
            WebhookDelivery.status == "pending"))
        newest = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        made = db.session.scalar(select(func.count(WebhookDelivery.id)))
        return pending == 0 and made >= newest


def assert_each_sent_under_one_id(app, receiver, calls: set[str]) -> None:
    """Every call in ``calls`` arrived acknowledged, always under its delivery's webhook-id."""
    with app.app_context():
        deliveries = {d.msg_id: d for d in db.session.scalars(select(WebhookDelivery))}
    assert calls <= acknowledged(receiver), sorted(calls - acknowledged(receiver))
    for call, msg_ids in received(receiver).items():
        assert len(msg_ids) == 1, (call, msg_ids)  # retries reuse the webhook-id
        assert deliveries[next(iter(msg_ids))].status == "delivered"


def test_a_worker_killed_with_sigkill_mid_delivery_loses_nothing(app, org, receiver, workers):
    register(org, receiver.url, [VIOLATION])
    arrived, release = threading.Event(), threading.Event()

    def hold_the_first(headers, body):
        if not arrived.is_set():
            arrived.set()
            release.wait(10)  # the worker waits for the answer... and dies meanwhile
        return 200, {}

    receiver.answer = hold_the_first
    first = workers()
    client, headers = app.test_client(), org.headers("router@example.com")
    calls = {f"k-{n}" for n in range(4)}
    assert report_calls(client, headers, sorted(calls)) == 200
    assert arrived.wait(30), first.output()
    first.kill()  # SIGKILL while the POST is in flight
    release.set()
    with app.app_context():
        leased = db.session.scalar(select(func.count(WebhookDelivery.id)).where(
            WebhookDelivery.locked_until.is_not(None), WebhookDelivery.status == "pending"))
    assert leased >= 1  # the dead worker's claim: nobody else may send it before the lease ends
    second = workers()
    wait_for(lambda: settled(app), 60, what="delivery after the restart")
    assert_each_sent_under_one_id(app, receiver, calls)
    requests = receiver.taken()
    assert len(requests) > len(calls)  # the in-flight message went out again, same id
    assert second.process.poll() is None


def test_a_receiver_down_for_a_while_then_back_gets_everything(app, org, receiver, workers):
    register(org, receiver.url, [VIOLATION])
    workers()
    client, headers = app.test_client(), org.headers("router@example.com")
    receiver.stop()  # connection refused from now on
    calls = {f"d-{n}" for n in range(6)}
    for call in sorted(calls):
        assert report_calls(client, headers, [call]) == 200
        time.sleep(0.3)

    def failed_attempts() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count(WebhookAttempt.id)).where(
                WebhookAttempt.status_code.is_(None)))

    wait_for(lambda: failed_attempts() >= 2 * len(calls), 30, what="retries while down")
    time.sleep(3)
    first_answers = set()

    def overloaded_once(headers, body):  # back, but the first try of each says 503
        if headers["webhook-id"] in first_answers:
            return 200, {}
        first_answers.add(headers["webhook-id"])
        return 503, {}

    receiver.answer = overloaded_once
    receiver.start()
    wait_for(lambda: settled(app), 60, what="delivery after the receiver came back")
    assert_each_sent_under_one_id(app, receiver, calls)
    with app.app_context():
        tries = db.session.scalars(select(WebhookDelivery.attempts)).all()
    assert min(tries) >= 3  # refused while down, 503 once, then delivered


@contextmanager
def refusing_writes(app, *others):
    """The database refuses writes for the block: on SQLite another connection holds the
    write lock; on PostgreSQL the database turns read-only and every session is cut off (so
    the worker's connections come back read-only), then back."""
    if not PG_URL:
        holder = sqlite3.connect(make_url(database_url(app)).database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = make_url(PG_URL).database

    def switch(sql: str) -> None:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" {sql}'))
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name AND pid <> pg_backend_pid()"),
                               {"name": name})
        for each in (app, *others):
            with each.app_context():
                db.engine.dispose()

    switch("SET default_transaction_read_only = on")
    try:
        yield
    finally:
        switch("RESET default_transaction_read_only")
        admin.dispose()


def test_the_database_refusing_writes_for_a_while_loses_no_acknowledged_event(
        app, org, receiver, workers, tmp_path):
    register(org, receiver.url, [VIOLATION])
    headers = org.headers("router@example.com")
    impatient = create_app({**_config(database_url(app), tmp_path),
                            "ONEVOICE_SQLITE_BUSY_TIMEOUT_MS": 300})
    client = impatient.test_client()
    worker = workers()
    slow = threading.Event()
    receiver.answer = lambda headers, body: (slow.wait(0.5) or 200, {})  # sends take a moment
    statuses = {"w-0": report_calls(client, headers, ["w-0"])}
    wait_for(lambda: "w-0" in acknowledged(receiver), 60, what="the worker up and sending")
    for n in range(3):
        statuses[f"b-{n}"] = report_calls(client, headers, [f"b-{n}"])
    with refusing_writes(app, impatient):
        for n in range(3):
            statuses[f"r-{n}"] = report_calls(client, headers, [f"r-{n}"])
            time.sleep(1)
    for n in range(3):
        statuses[f"a-{n}"] = report_calls(client, headers, [f"a-{n}"])
    accepted = {c for c, status in statuses.items() if status == 200}
    refused = {c for c, status in statuses.items() if status == 503}
    assert refused == {"r-0", "r-1", "r-2"} and accepted == set(statuses) - refused
    wait_for(lambda: settled(app), 90, what="delivery after the outage")
    assert_each_sent_under_one_id(app, receiver, accepted)
    assert not refused & set(received(receiver))  # a refused write announced nothing
    assert worker.process.poll() is None  # the outage did not stop the worker
    assert "database unavailable" in worker.output()  # it met the outage, and said so
    assert "Traceback" not in worker.output(), worker.output()[-3000:]


def test_webhook_rows_are_pruned_by_age_but_never_before_delivery(app, org, receiver):
    register(org, receiver.url, [VIOLATION, "bulletin.published"])
    client, headers = app.test_client(), org.headers("router@example.com")
    assert report_calls(client, headers, ["p-1", "p-2"]) == 200
    now = utcnow()
    with app.app_context():
        webhooks.fan_out(now)
        receiver.answer = lambda h, b: (200, {}) if b"p-1" in b else (500, {})
        webhooks.deliver_due(now)  # p-1 delivered, p-2 pending (to retry)
        with unit_of_work():
            outbox.record("bulletin.published", {"bulletin": "late"})  # not fanned out
            db.session.execute(update(OutboxMessage).values(created_at=now - timedelta(days=90)))
            db.session.execute(update(WebhookDelivery).values(
                created_at=now - timedelta(days=90)))
        app.config["ONEVOICE_WEBHOOK_RETENTION_DAYS"] = 30
        assert prune_webhooks(now) == (1, 1)  # p-1's delivery and its read outbox message
        left = {d.body.split('"call_id":"')[1][:3]: d.status
                for d in db.session.scalars(select(WebhookDelivery))}
        assert left == {"p-2": "pending"}
        kept = db.session.scalars(select(OutboxMessage.payload)).all()
        assert len(kept) == 2 and {"bulletin": "late"} in kept  # p-2's and the unread one
        receiver.answer = lambda h, b: (200, {})
        webhooks.fan_out(now)
        webhooks.deliver_due(now + timedelta(hours=1))
        assert prune_webhooks(now) == (1, 1)  # p-2's, now delivered (not "late"'s: newest)
        assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 1  # "late"'s
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1  # newest kept
