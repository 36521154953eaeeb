"""Webhook delivery against a real receiver on 127.0.0.1: signatures verified by the reference
``standardwebhooks`` package, retries, Retry-After, 410, per-agent order, several workers and a
worker killed mid-delivery. Runs on file-backed SQLite, and on PostgreSQL with
TEST_DATABASE_URL. Simulated time: each pass gets its ``now``; the verifier's clock follows.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import WebhookVerificationError

from app import worker
from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.refusals import Problem
from app.domain.webhooks import EVENT_TYPES
from app.errors import Conflict
from app.models import EligibilityEvent, User, utcnow
from app.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.services.certification.eligibility import recompute
from app.services.integration import webhook_endpoints, webhook_transport, webhooks
from tests.conftest import PG_URL, publish_wifi
from tests.web.webhook_receiver import Receiver, verify

ADMIN = "admin@example.com"
ELIGIBILITY = "agent_eligibility.updated"


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


def register(org, url: str, events=EVENT_TYPES) -> dict:
    response = org.app.test_client().post(
        "/api/v1/webhook-endpoints", json={"url": url, "events": list(events)},
        headers=org.headers(ADMIN))
    assert response.status_code == 201, response.json
    return response.json


def run_pass(app, now) -> int:
    """One worker pass at ``now``: fan out, then send what is due."""
    with app.app_context():
        webhooks.fan_out(now)
        return webhooks.deliver_due(now)


def deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def next_due(app, after):
    """When the next retry falls due (what is due earlier waits for an agent's lower version,
    which a pass would otherwise have sent); None when nothing is pending."""
    with app.app_context():
        return db.session.scalar(select(func.min(WebhookDelivery.next_attempt_at)).where(
            WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at > after))


def set_active(app, email: str, active: bool) -> None:
    """Deactivate or reactivate an agent: one more eligibility version."""
    with app.app_context(), unit_of_work():
        user = db.session.scalar(select(User).where(User.email == email))
        user.active = active
        recompute([user], cause="agent_deactivated" if not active else "agent_reactivated")


def versions_by_agent(app) -> dict[str, list[int]]:
    """Every (agent, version) the eligibility outbox holds: what receivers must get."""
    with app.app_context():
        rows = db.session.execute(select(User.external_id, EligibilityEvent.agent_version)
                                  .join(User).distinct()).all()
    found = defaultdict(list)
    for agent, version in rows:
        found[agent].append(version)
    return {agent: sorted(v) for agent, v in found.items()}


def acknowledged(requests) -> list:
    return [r for r in requests if 200 <= r.status < 300]


def eligibility_order(requests) -> dict[str, list[int]]:
    order = defaultdict(list)
    for r in acknowledged(requests):
        if r.document["type"] == ELIGIBILITY:
            order[r.document["data"]["agent"]].append(r.document["data"]["version"])
    return dict(order)


def test_events_arrive_signed_and_only_from_the_worker(app, org, receiver):
    endpoint = register(org, receiver.url)
    publish_wifi(org)
    assert receiver.taken() == [] and deliveries(app) == []  # never inside a web request

    worker.run_once(app)

    requests = receiver.taken()
    assert requests and all(r.status == 200 for r in requests)
    documents = [verify(endpoint["secret"], r) for r in requests]
    assert {d["type"] for d in documents} == {ELIGIBILITY, "bulletin.published"}
    assert all(r.path == "/hooks/onevoice" and r.msg_id.startswith("msg_") for r in requests)
    assert all(abs(int(r.headers["webhook-timestamp"]) - time.time()) < 60 for r in requests)
    published = next(d for d in documents if d["type"] == "bulletin.published")
    assert published["data"]["bulletin"] == "wibro50-wifi-login"
    assert published["data"]["skills"] == ["wibro", "wifi"]
    a1 = [d["data"] for d in documents if d["type"] == ELIGIBILITY and d["data"]["agent"] == "A1"]
    assert [d["version"] for d in a1] == [1, 2]
    assert a1[1]["changed"] == [
        {"skill": "wibro", "cleared": False, "reason": "bulletin_published"},
        {"skill": "wifi", "cleared": False, "reason": "bulletin_published"}]
    current = a1[1]["eligibility"]  # the whole document, as GET /agents/A1/eligibility
    assert current["version"] == 2 and current["agent"] == "A1" and current["cleared"] == []
    assert [(b["skill"], b["missing"][0]["bulletin"]) for b in current["blocked"]] == [
        ("wibro", "wibro50-wifi-login"), ("wifi", "wibro50-wifi-login")]
    assert a1[0]["changed"][0]["reason"] == "agent_created"
    assert a1[0]["eligibility"]["version"] >= a1[0]["version"]
    assert all(d.status == "delivered" and d.attempts == 1 for d in deliveries(app))


def test_a_receiver_that_was_down_gets_everything_in_per_agent_order(app, org, receiver):
    endpoint = register(org, receiver.url)
    receiver.stop()  # connection refused
    publish_wifi(org)
    set_active(app, "agent2@example.com", False)
    set_active(app, "agent2@example.com", True)
    expected = versions_by_agent(app)
    assert expected["A2"] == [1, 2, 3]

    now = utcnow()
    for passes in range(60):
        if passes == 2:
            receiver.start()
            receiver.answer = lambda headers, body: (503, {})
        if passes == 4:
            receiver.answer = lambda headers, body: (200, {})
        before = len(receiver.taken())
        run_pass(app, now)
        for request in receiver.taken()[before:]:
            verify(endpoint["secret"], request, at=now)
        if (now := next_due(app, after=now)) is None:
            break

    requests = receiver.taken()
    sent = deliveries(app)
    assert {d.status for d in sent} == {"delivered"}
    assert eligibility_order(requests) == expected
    ids = Counter(r.msg_id for r in acknowledged(requests))
    assert set(ids) == {d.msg_id for d in sent} and set(ids.values()) == {1}
    assert any(r.status == 503 for r in requests)
    for msg_id in ids:  # a retry carries the same body under the same id
        assert len({r.body for r in requests if r.msg_id == msg_id}) == 1
    with app.app_context():
        refused = db.session.scalar(select(func.count(WebhookAttempt.id))
                                    .where(WebhookAttempt.status_code.is_(None)))
    assert refused >= 2  # the refused connections are in the delivery log too


@pytest.mark.parametrize("header", ["120", "date"])
def test_retry_after_is_honoured(app, org, receiver, header):
    endpoint = register(org, receiver.url, ["bulletin.published"])
    now = utcnow().replace(microsecond=0)
    wait = "120" if header == "120" else format_datetime(now + timedelta(seconds=120),
                                                          usegmt=True)
    answers = iter([(503, {"Retry-After": wait})])
    receiver.answer = lambda headers, body: next(answers, (200, {}))
    publish_wifi(org)

    run_pass(app, now)
    assert deliveries(app)[0].next_attempt_at == now + timedelta(seconds=120)
    run_pass(app, now + timedelta(seconds=100))
    assert len(receiver.taken()) == 1

    run_pass(app, now + timedelta(seconds=121))
    requests = receiver.taken()
    assert [r.status for r in requests] == [503, 200]
    verify(endpoint["secret"], requests[1], at=now + timedelta(seconds=121))
    assert deliveries(app)[0].status == "delivered"


def test_410_gone_disables_the_endpoint(app, org, receiver):
    register(org, receiver.url)
    receiver.answer = lambda headers, body: (410, {})
    publish_wifi(org)
    now = utcnow()

    run_pass(app, now)
    assert len(receiver.taken()) == 1
    listed = org.app.test_client().get("/api/v1/webhook-endpoints",
                                       headers=org.headers(ADMIN)).json["endpoints"][0]
    assert listed["active"] is False and "410" in listed["disabled_reason"]
    set_active(app, "agent@example.com", False)  # news after the 410: not fanned out
    for minutes in (1, 60, 600):
        run_pass(app, now + timedelta(minutes=minutes))
    assert len(receiver.taken()) == 1
    assert deliveries(app)[0].status == "failed"


def test_a_version_that_gives_up_lets_the_next_one_go(app, org, receiver):
    register(org, receiver.url, [ELIGIBILITY])

    def answer(headers, body):
        import json

        data = json.loads(body)["data"]
        return (500, {}) if (data["agent"], data["version"]) == ("A1", 1) else (200, {})

    receiver.answer = answer
    publish_wifi(org)
    now = utcnow()
    for _ in range(60):
        run_pass(app, now)
        if (now := next_due(app, after=now)) is None:
            break

    requests = receiver.taken()
    first = [i for i, r in enumerate(requests) if r.status == 500]
    assert len(first) == 8  # 1 try + 7 retries on the schedule, then given up
    a1_v2 = next(i for i, r in enumerate(requests) if r.document["data"]["agent"] == "A1"
                 and r.document["data"]["version"] == 2)
    assert a1_v2 > first[-1]
    given_up = deliveries(app)[0]
    assert given_up.status == "failed"
    assert Problem.from_stored(given_up.last_error) == Problem.of("webhook_gave_up")
    assert Problem.from_stored(given_up.last_error).message == "gave up after 8 attempts (HTTP 500)"
    assert (given_up.next_attempt_at - given_up.created_at) > timedelta(hours=22)


def test_two_workers_deliver_every_event_exactly_once(app, org, receiver):
    """Two workers, each with its own app and engine (two processes, as far as the database
    can tell), run the worker's whole pass at once until nothing is left."""
    from app.services.accounts.accounts import create_user
    from tests.web.test_several_processes import close, twin

    register(org, receiver.url)
    with app.app_context(), unit_of_work():
        for n in range(12):
            create_user(email=f"crowd{n}@example.com", name=f"Crowd {n}", role="agent",
                        teams=["wifi_support"], skills=["wifi"], external_id=f"C{n}")
    publish_wifi(org)
    for n in range(0, 12, 3):
        set_active(app, f"crowd{n}@example.com", False)
    receiver.answer = lambda headers, body: (time.sleep(0.005), (200, {}))[1]
    start, errors, apps = threading.Barrier(2), [], [twin(app), twin(app)]

    def work(mine):
        try:
            start.wait(timeout=30)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                worker.run_once(mine)
                with mine.app_context():
                    if _all_sent():
                        return
                time.sleep(0.01)  # the other worker holds what is left
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(mine,)) for mine in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close(*apps)

    assert errors == []
    sent, requests = deliveries(app), receiver.taken()
    assert sent and {d.status for d in sent} == {"delivered"}
    assert len(requests) == len(sent) == len({r.msg_id for r in requests})
    assert Counter(r.document["type"] for r in requests)["bulletin.published"] == 1
    assert eligibility_order(requests) == versions_by_agent(app)
    with app.app_context():
        assert db.session.scalar(select(func.count(WebhookAttempt.id))) == len(sent)


def _pending() -> int:
    return db.session.scalar(select(func.count(WebhookDelivery.id))
                             .where(WebhookDelivery.status == "pending"))


def _all_sent() -> bool:
    """Both outboxes fanned out to their ends, and no delivery left pending."""
    from app.models.webhooks import OutboxMessage, WebhookCursor

    positions = dict(db.session.execute(
        select(WebhookCursor.source, WebhookCursor.position)).all())
    ends = {"eligibility": db.session.scalar(select(func.max(EligibilityEvent.seq))),
            "outbox": db.session.scalar(select(func.max(OutboxMessage.id)))}
    caught_up = all(positions.get(source, 0) >= (end or 0) for source, end in ends.items())
    return caught_up and not _pending()


@pytest.mark.parametrize("sent_before_dying", [True, False], ids=["after-post", "before-post"])
def test_a_worker_killed_mid_delivery_loses_nothing(app, org, receiver, monkeypatch,
                                                    sent_before_dying):
    endpoint = register(org, receiver.url, ["bulletin.published"])
    publish_wifi(org)
    real_post = webhook_transport.post

    def post_then_die(url, headers, body, timeout=5.0):
        if sent_before_dying:
            real_post(url, headers, body, timeout)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(webhook_transport, "post", post_then_die)
    now = utcnow()
    with pytest.raises(RuntimeError):
        run_pass(app, now)
    monkeypatch.setattr(webhook_transport, "post", real_post)
    [claimed] = deliveries(app)
    assert claimed.status == "pending" and claimed.locked_until == now + webhooks.LEASE

    run_pass(app, now + timedelta(minutes=1))  # the lease still holds
    assert len(receiver.taken()) == int(sent_before_dying)
    with app.app_context(), pytest.raises(Conflict, match="being sent"), unit_of_work():
        webhook_endpoints.redeliver(endpoint["id"], claimed.id, at=now + timedelta(minutes=1))

    later = now + webhooks.LEASE + timedelta(seconds=1)
    run_pass(app, later)
    requests = receiver.taken()
    assert len(requests) == 1 + int(sent_before_dying)
    assert {r.msg_id for r in requests} == {claimed.msg_id}
    verify(endpoint["secret"], requests[-1], at=later)
    [done] = deliveries(app)
    assert done.status == "delivered" and done.attempts == 1


def test_rotation_signs_with_both_secrets_for_24_hours(app, org, receiver):
    created = register(org, receiver.url, ["bulletin.published"])
    client, headers = org.app.test_client(), org.headers(ADMIN)
    rotated = client.post(f"/api/v1/webhook-endpoints/{created['id']}/rotate", headers=headers)
    assert rotated.status_code == 200
    old, new = created["secret"], rotated.json["secret"]
    assert new.startswith("whsec_") and new != old
    publish_wifi(org)
    now = utcnow()

    run_pass(app, now)
    [first] = receiver.taken()
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    assert verify(old, first) == verify(new, first)

    later = now + timedelta(hours=25)
    with app.app_context(), unit_of_work():
        webhook_endpoints.redeliver(created["id"], deliveries(app)[0].id, at=later)
    run_pass(app, later)
    second = receiver.taken()[1]
    assert second.msg_id == first.msg_id and second.body == first.body
    assert len(second.headers["webhook-signature"].split(" ")) == 1
    verify(new, second, at=later)
    with pytest.raises(WebhookVerificationError):
        verify(old, second, at=later)


def test_deleting_an_endpoint_drops_its_queue(app, org, receiver):
    created = register(org, receiver.url)
    receiver.answer = lambda headers, body: (503, {})
    publish_wifi(org)
    run_pass(app, utcnow())
    assert deliveries(app)
    response = org.app.test_client().delete(f"/api/v1/webhook-endpoints/{created['id']}",
                                            headers=org.headers(ADMIN))
    assert response.status_code == 204
    assert deliveries(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(WebhookAttempt.id))) == 0
        assert db.session.scalar(select(func.count(WebhookEndpoint.id))) == 0


@pytest.mark.skipif(not PG_URL, reason="only PostgreSQL commits outbox ids out of order; "
                    "SQLite has one writer at a time")
def test_fan_out_never_skips_a_transaction_still_in_flight(app, org, receiver):
    from sqlalchemy import insert

    register(org, receiver.url, [ELIGIBILITY])
    with app.app_context():
        webhooks.fan_out()  # the backlog of the organisation's creation
        user_id = db.session.scalar(select(User.id).where(User.external_id == "A1"))
        event = {"user_id": user_id, "skill": "wifi", "reason": "test", "at": utcnow()}
        slow = db.engine.connect()
        slow_tx = slow.begin()  # takes the lower seq, commits last
        slow.execute(insert(EligibilityEvent).values(**event, cleared=False, agent_version=90))
        with unit_of_work():
            db.session.execute(insert(EligibilityEvent).values(**event, cleared=True,
                                                               agent_version=91))
        before = len(deliveries(app))
        webhooks.fan_out()  # waits for the open transaction, then leaves it to a later pass
        assert len(deliveries(app)) == before
        slow_tx.commit()
        slow.close()
        webhooks.fan_out()
    versions = [d.agent_version for d in deliveries(app)[before:]]
    assert versions == [90, 91]


@pytest.mark.parametrize("pipelined, sends", [(False, 2), (True, 4)])
def test_a_claim_fits_its_lease_even_when_every_post_times_out(app, pipelined, sends):
    """Each sender's share of a claim, all timing out (two timeouts a POST), fits in the lease:
    twice over when the next claim is leased while the one before it is still being sent
    (PostgreSQL)."""
    with app.app_context():
        for lease, concurrency in [(120, 8), (60, 3), (30, 1)]:
            app.config["ONEVOICE_WEBHOOK_CONCURRENCY"] = concurrency
            app.config["ONEVOICE_WEBHOOK_LEASE_SECONDS"] = lease
            size = webhooks.claim_size(pipelined)
            rounds = -(-size // concurrency)  # sends per sender, rounded up
            lease_used = rounds * webhook_transport.TIMEOUT_SECONDS * sends
            assert lease_used <= webhooks.lease_length().total_seconds(), (lease, concurrency)
