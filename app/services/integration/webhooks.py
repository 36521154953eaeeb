"""Webhook delivery, run by the worker and never inside a web request.

:func:`fan_out` (app/services/integration/webhook_fanout.py) reads what the outboxes gained
since its cursors (eligibility events and general outbox messages) and makes one delivery
per subscribed endpoint. :func:`deliver_due`
claims due deliveries under a lease (safe with several workers), POSTs each one signed, logs
the attempt and schedules a retry, gives up, or disables the endpoint on 410 Gone.
"""

from __future__ import annotations

import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, exists, insert, or_, select, update
from sqlalchemy.orm import aliased

from app.core.database import is_sqlite, skip_locked, unit_of_work
from app.core.extensions import db
from app.domain import webhooks as rules
from app.domain.refusals import Problem
from app.models import utcnow
from app.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.services.integration import webhook_senders as senders
from app.services.integration import webhook_transport as transport
from app.services.integration.webhook_endpoints import set_active, signing_secrets
from app.services.integration.webhook_fanout import (  # noqa: F401 - this module's API
    ELIGIBILITY,
    SOURCES,
    fan_out,
)

log = logging.getLogger("onevoice.webhooks")

CLAIM_BATCH = 5  # per sender: a lease must outlast a sender's share (see claim_size)
LEASE = timedelta(minutes=2)
MAX_ROUNDS = 50  # bounds one pass; the next pass goes on
PASS_BUDGET_SECONDS = 20.0
_rng = random.Random()


# --- delivery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A claimed delivery: what to send, where, signed with which secrets, under which lease."""

    delivery_id: int
    endpoint_id: int
    msg_id: str
    url: str
    body: bytes
    secrets: tuple[str, ...]
    lease: datetime


def deliver_due(now: datetime | None = None, budget: float = PASS_BUDGET_SECONDS) -> int:
    """Send due deliveries a claim at a time; returns the number of attempts made.

    Each claim is sent by ``ONEVOICE_WEBHOOK_CONCURRENCY`` senders in parallel over kept-alive
    connections, and its attempts are recorded in one transaction. On PostgreSQL the
    database work runs beside the sending (:func:`_pipelined`). ``now`` freezes the clock
    (tests); by default each claim reads the server clock. No new claim starts after
    ``budget`` seconds, so receivers that time out cannot hold up the worker's other jobs.
    """
    started = time.monotonic()

    pipelined = not is_sqlite()  # one writer on SQLite: nothing to overlap

    def due() -> list[Job]:
        return claim(now or utcnow(), claim_size(pipelined)) \
            if time.monotonic() - started <= budget else []

    with senders.Pool(concurrency()) as pool:
        return _pipelined(pool, due, now) if pipelined else _serial(pool, due, now)


def _serial(pool, due, now) -> int:
    attempts, gone = 0, set()
    for _ in range(MAX_ROUNDS):
        jobs = due()
        if not jobs:
            break
        sent = pool.send(jobs, gone, now, headers)
        attempts += len(sent)
        record_all(sent)  # a 410 already disabled its endpoint for the senders (gone)
    return attempts


def _pipelined(pool, due, now) -> int:
    """While a claim is being sent, one thread beside records the previous claim's attempts
    and then takes the next claim, so the round trips to the database overlap the POSTs.

    The next claim cannot take a delivery being sent (its lease holds it), nor an agent's
    later version while the earlier one is pending: when it finds nothing, the claim just
    sent is recorded and the queue looked at once more before the pass ends.
    """
    app = current_app._get_current_object()

    def record_then_claim(previous: list, more: bool) -> list[Job]:
        with app.app_context():
            record_all(previous)
            return due() if more else []

    attempts, gone, previous = 0, set(), []
    with ThreadPoolExecutor(1, thread_name_prefix="onevoice-webhook-db") as beside:
        jobs = due()
        for round_ in range(MAX_ROUNDS):
            if not jobs:
                break
            more = round_ < MAX_ROUNDS - 1  # never claim what this pass will not send
            ahead = beside.submit(record_then_claim, previous, more)
            previous = pool.send(jobs, gone, now, headers)
            attempts += len(previous)
            try:
                jobs = ahead.result()
            except Exception:
                record_all(previous)  # what was just sent is recorded even if the claim failed
                raise
            if not jobs and more:  # an agent's next version may wait for ``previous``
                record_all(previous)
                previous, jobs = [], due()
        record_all(previous)
    return attempts


def concurrency() -> int:
    """How many deliveries are in flight at once (ONEVOICE_WEBHOOK_CONCURRENCY, default 8)."""
    return max(1, int(current_app.config.get("ONEVOICE_WEBHOOK_CONCURRENCY") or 8))


def claim_size(pipelined: bool = False) -> int:
    """Deliveries per claim: each sender's share must fit in the lease even if every one of
    them times out, so a lease never runs out under a live worker. Pipelined, a claim is
    leased while the one before it is still being sent: its lease covers two sends."""
    sends = 4 if pipelined else 2
    per_sender = int(lease_length().total_seconds() // (sends * transport.TIMEOUT_SECONDS))
    return concurrency() * max(1, min(per_sender, 4 * CLAIM_BATCH))


def headers(job: Job, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt (the timestamp is the attempt's)."""
    timestamp = int(at.timestamp())
    return {"webhook-id": job.msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": rules.signature_header(list(job.secrets), job.msg_id,
                                                        timestamp, job.body)}


def claim(at: datetime, limit: int = CLAIM_BATCH) -> list[Job]:
    """Lease up to ``limit`` due deliveries to this worker until ``at + LEASE``.

    Due: pending, its time come, no live lease, its endpoint active, and (for
    agent_eligibility.updated) no lower version of the same agent still pending for the
    same endpoint, so versions go out in order.
    """
    with unit_of_work():
        ids = db.session.scalars(skip_locked(_due(at, limit), WebhookDelivery)).all()
        if not ids:
            return []
        lease = at + lease_length()
        db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(ids))
                           .values(locked_until=lease).execution_options(synchronize_session=False))
        rows = db.session.execute(
            select(WebhookDelivery.id, WebhookDelivery.msg_id, WebhookDelivery.body,
                   WebhookEndpoint).join(WebhookEndpoint)
            .where(WebhookDelivery.id.in_(ids)).order_by(WebhookDelivery.id)
            .execution_options(populate_existing=True)).all()
        return [Job(delivery_id, endpoint.id, msg_id, endpoint.url, body.encode("utf-8"),
                    tuple(signing_secrets(endpoint, at)), lease)
                for delivery_id, msg_id, body, endpoint in rows]


def _due(at: datetime, limit: int):
    earlier = aliased(WebhookDelivery)
    waits_for_earlier = exists().where(
        earlier.endpoint_id == WebhookDelivery.endpoint_id,
        earlier.user_id == WebhookDelivery.user_id,
        earlier.agent_version < WebhookDelivery.agent_version,
        earlier.status == "pending")
    return (
        select(WebhookDelivery.id).join(WebhookEndpoint)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= at,
               or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until <= at),
               WebhookEndpoint.active.is_(True), ~waits_for_earlier)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
    )


def record_all(sent: list[tuple[Job, transport.Response, datetime]]) -> list[str | None]:
    """:func:`record` for a claim's attempts, in one transaction and a few statements: the
    attempts in one multi-row INSERT, the deliveries in one UPDATE per kind of outcome (no
    ORM object per row: a whole centre's messages are about 200 claims)."""
    if not sent:
        return []
    with unit_of_work():
        d = WebhookDelivery.__table__
        rows = {row.id: row for row in db.session.execute(
            select(d.c.id, d.c.status, d.c.locked_until, d.c.attempts)
            .where(d.c.id.in_([job.delivery_id for job, _, _ in sent]))
            .order_by(d.c.id).with_for_update())}
        attempts, changes, states = [], [], []
        for job, response, at in sent:
            row = rows.get(job.delivery_id)
            if row is not None:  # else the endpoint was deleted meanwhile
                attempts.append(_attempt(job, response, at))
            change = _record(row, job, response, at)
            states.append(change and change.pop("state"))
            if change:
                changes.append(change)
        if attempts:
            db.session.execute(insert(WebhookAttempt), attempts)
        _update_deliveries(changes)
        return states


def _attempt(job: Job, response: transport.Response, at: datetime) -> dict:
    return {"delivery_id": job.delivery_id, "attempted_at": at, "status_code": response.status,
            "duration_ms": response.duration_ms, "error": response.error,
            "response_excerpt": response.excerpt or None}


def _record(row, job: Job, response: transport.Response, at: datetime) -> dict | None:
    """The delivery's new values after the attempt (with its outcome as ``state``), or None
    when the delivery is no longer this worker's (deleted, or its lease ran out and another
    worker owns it now)."""
    if row is None or row.status != "pending" or row.locked_until != job.lease:
        return None
    attempts = row.attempts + 1
    error = response.error or (
        None if response.status and 200 <= response.status < 300 else f"HTTP {response.status}")
    outcome = rules.outcome(response.status, attempts,
                            rules.retry_after(response.retry_after, at), _rng, retry_schedule())
    change = {"k_id": row.id, "state": outcome.state, "attempts": attempts,
              "locked_until": None, "last_status_code": response.status, "last_error": error}
    if outcome.state == "delivered":
        change.update(status="delivered", delivered_at=at)
    elif outcome.state == "retry":
        change["next_attempt_at"] = at + outcome.wait
    elif outcome.state == "failed":
        change.update(status="failed", last_error=Problem.of(
            "webhook_gave_up", attempts=attempts, error=error).stored())
    else:  # gone
        change["status"] = "failed"
        set_active(job.endpoint_id, False,
                   reason=Problem.of("webhook_receiver_gone", at=rules.iso(at)))
        log.warning("webhook endpoint %s disabled: 410 Gone", job.endpoint_id)
    return change


def _update_deliveries(changes: list[dict]) -> None:
    """One executemany UPDATE per set of columns changed (delivered, retry, failed)."""
    d = WebhookDelivery.__table__
    groups: dict[tuple, list[dict]] = {}
    for change in changes:
        groups.setdefault(tuple(sorted(change)), []).append(change)
    for group in groups.values():
        db.session.connection().execute(update(d).where(d.c.id == bindparam("k_id")), group)


def retry_schedule() -> tuple[timedelta, ...]:
    """The waits between attempts: ONEVOICE_WEBHOOK_RETRY_SCHEDULE, or the documented one."""
    return rules.parse_schedule(current_app.config.get("ONEVOICE_WEBHOOK_RETRY_SCHEDULE"))


def lease_length() -> timedelta:
    """How long a claimed delivery stays with its worker (ONEVOICE_WEBHOOK_LEASE_SECONDS)."""
    seconds = current_app.config.get("ONEVOICE_WEBHOOK_LEASE_SECONDS")
    return timedelta(seconds=seconds) if seconds else LEASE
