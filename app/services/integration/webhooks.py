"""Webhook delivery, run by the worker and never inside a web request.

:func:`fan_out` reads what the outboxes gained since its cursors (eligibility events and
general outbox messages) and makes one delivery per subscribed endpoint. :func:`deliver_due`
claims due deliveries under a lease (safe with several workers), POSTs each one signed, logs
the attempt and schedules a retry, gives up, or disables the endpoint on 410 Gone.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, insert, or_, select, update
from sqlalchemy.orm import aliased, selectinload

from app.core.database import committed_high_water, insert_missing, skip_locked, unit_of_work
from app.core.extensions import db
from app.domain import webhooks as rules
from app.models import EligibilityEvent, EligibilityState, Skill, User, utcnow
from app.models.webhooks import (
    OutboxMessage,
    WebhookAttempt,
    WebhookCursor,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.queries.eligibility_view import document_from_states
from app.services.integration import webhook_senders as senders
from app.services.integration import webhook_transport as transport
from app.services.integration.webhook_endpoints import set_active, signing_secrets

log = logging.getLogger("onevoice.webhooks")

ELIGIBILITY = "agent_eligibility.updated"
SOURCES = ("eligibility", "outbox")
FAN_OUT_BATCH = 500
CLAIM_BATCH = 5  # per sender: a lease must outlast a sender's share (see claim_size)
LEASE = timedelta(minutes=2)
MAX_ROUNDS = 50  # bounds one pass; the next pass goes on
PASS_BUDGET_SECONDS = 20.0
_rng = random.Random()


# --- fan-out ----------------------------------------------------------------------------


def fan_out(now: datetime | None = None, batch: int = FAN_OUT_BATCH) -> int:
    """Make deliveries for every outbox row past the cursors; returns how many were made."""
    made = 0
    for _ in range(MAX_ROUNDS):
        marks = (committed_high_water(EligibilityEvent.seq),
                 committed_high_water(OutboxMessage.id))
        with unit_of_work():
            db.session.expire_all()  # another process may have changed what we hold
            cursors = _cursors()
            endpoints = list(db.session.scalars(
                select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))))
            at = now or utcnow()
            new_e, read_e = _eligibility(cursors["eligibility"], marks[0], endpoints, at, batch)
            new_o, read_o = _outbox(cursors["outbox"], marks[1], endpoints, at, batch)
        made += new_e + new_o
        if read_e < batch and read_o < batch:
            break
    return made


def _eligibility(cursor, mark, endpoints, at, batch) -> tuple[int, int]:
    if mark is None:
        return 0, 0
    rows = db.session.scalars(
        select(EligibilityEvent).where(EligibilityEvent.seq > cursor.position,
                                       EligibilityEvent.seq <= mark)
        .order_by(EligibilityEvent.seq).limit(batch)).all()
    if not rows:
        return 0, 0
    subscribers = [e for e in endpoints if ELIGIBILITY in e.events]
    made = 0
    if subscribers:
        changes = rules.group_changes([_change(r) for r in _with_tails(rows, mark)])
        made = _eligibility_deliveries(changes, subscribers, at)
    cursor.position = rows[-1].seq
    return made, len(rows)


def _change(row: EligibilityEvent) -> rules.EligibilityChange:
    return rules.EligibilityChange(row.seq, row.user_id, row.agent_version, row.skill,
                                   row.cleared, row.reason, row.at)


def _with_tails(rows: list[EligibilityEvent], mark: int) -> list[EligibilityEvent]:
    """``rows`` plus the rest of each (agent, version) group beyond the batch, so a message
    lists everything that changed in its version (the tails are skipped when read later)."""
    groups = {(r.user_id, r.agent_version) for r in rows}
    tails = db.session.scalars(
        select(EligibilityEvent).where(
            EligibilityEvent.seq > rows[-1].seq, EligibilityEvent.seq <= mark,
            EligibilityEvent.user_id.in_({user for user, _ in groups}))).all()
    return rows + [t for t in tails if (t.user_id, t.agent_version) in groups]


def _eligibility_deliveries(change_sets, subscribers, at) -> int:
    keys = [c.key for c in change_sets]
    done = set(db.session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.source_key)
        .where(WebhookDelivery.source_key.in_(keys))).all())
    documents = _documents({c.user_id for c in change_sets})
    rows = []
    for change_set in change_sets:
        targets = [e for e in subscribers if (e.id, change_set.key) not in done]
        if not targets:
            continue
        document = documents[change_set.user_id]
        data = rules.eligibility_update(document["agent"], change_set, document)
        body = rules.encode_body(ELIGIBILITY, change_set.at, data)
        rows += [_row(endpoint, ELIGIBILITY, change_set.key, body, at,
                      user_id=change_set.user_id, agent_version=change_set.version)
                 for endpoint in targets]
    return _insert(rows)


def _documents(user_ids: set[int]) -> dict[int, dict]:
    """The stored eligibility documents of ``user_ids`` in three queries, not two per agent."""
    users = db.session.scalars(select(User).where(User.id.in_(user_ids))
                               .options(selectinload(User.team))).all()
    states: dict[int, list] = {user_id: [] for user_id in user_ids}
    for user_id, code, state in db.session.execute(
            select(EligibilityState.user_id, Skill.code, EligibilityState)
            .join(Skill, EligibilityState.skill_id == Skill.id)
            .where(EligibilityState.user_id.in_(user_ids))
            .order_by(EligibilityState.user_id, Skill.code)):
        states[user_id].append((code, state))
    return {user.id: document_from_states(user, states[user.id]) for user in users}


def _insert(rows: list[dict]) -> int:
    """Write the batch's deliveries in one multi-row statement (no ORM unit per row)."""
    if rows:
        db.session.execute(insert(WebhookDelivery), rows)
    return len(rows)


def _outbox(cursor, mark, endpoints, at, batch) -> tuple[int, int]:
    if mark is None:
        return 0, 0
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id > cursor.position, OutboxMessage.id <= mark)
        .order_by(OutboxMessage.id).limit(batch)).all()
    made = []
    for row in rows:
        body = rules.encode_body(row.type, row.created_at, row.payload)
        made += [_row(endpoint, row.type, f"outbox:{row.id}", body, at)
                 for endpoint in endpoints if row.type in endpoint.events]
    if rows:
        cursor.position = rows[-1].id
    return _insert(made), len(rows)


def _row(endpoint, event_type, source_key, body, at, *, user_id=None, agent_version=None):
    return dict(endpoint_id=endpoint.id, msg_id=f"msg_{uuid.uuid4().hex}",
                event_type=event_type, source_key=source_key, user_id=user_id,
                agent_version=agent_version, body=body, status="pending", attempts=0,
                next_attempt_at=at, created_at=at, locked_until=None)


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
    connections, and its attempts are recorded in one transaction. ``now`` freezes the clock
    (tests); by default each claim reads the server clock. No new claim starts after
    ``budget`` seconds, so receivers that time out cannot hold up the worker's other jobs.
    """
    attempts, gone, started = 0, set(), time.monotonic()
    with senders.Pool(concurrency()) as pool:
        for _ in range(MAX_ROUNDS):
            if time.monotonic() - started > budget:
                break
            jobs = claim(now or utcnow(), claim_size())
            if not jobs:
                break
            sent = pool.send(jobs, gone, now, headers)
            attempts += len(sent)
            record_all(sent)  # a 410 already disabled its endpoint for the senders (gone)
    return attempts


def concurrency() -> int:
    """How many deliveries are in flight at once (ONEVOICE_WEBHOOK_CONCURRENCY, default 8)."""
    return max(1, int(current_app.config.get("ONEVOICE_WEBHOOK_CONCURRENCY") or 8))


def claim_size() -> int:
    """Deliveries per claim: each sender's share must fit in the lease even if every one of
    them times out, so a lease never runs out under a live worker."""
    per_sender = int(lease_length().total_seconds() // (2 * transport.TIMEOUT_SECONDS))
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


def record(job: Job, response: transport.Response, at: datetime) -> str | None:
    """Log the attempt and move the delivery on: delivered, retry later, given up or gone
    (the outcome's state is returned; None when the delivery is no longer this worker's)."""
    return record_all([(job, response, at)])[0]


def record_all(sent: list[tuple[Job, transport.Response, datetime]]) -> list[str | None]:
    """:func:`record` for a claim's attempts, in one transaction (one commit, not one each)."""
    if not sent:
        return []
    with unit_of_work():
        ids = [job.delivery_id for job, _, _ in sent]
        rows = {d.id: d for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id).with_for_update()
            .execution_options(populate_existing=True))}
        return [_record(rows.get(job.delivery_id), job, response, at)
                for job, response, at in sent]


def _record(delivery, job: Job, response: transport.Response, at: datetime) -> str | None:
    if delivery is None:
        return None  # the endpoint was deleted meanwhile
    db.session.add(WebhookAttempt(
        delivery_id=delivery.id, attempted_at=at, status_code=response.status,
        duration_ms=response.duration_ms, error=response.error,
        response_excerpt=response.excerpt or None))
    if delivery.status != "pending" or delivery.locked_until != job.lease:
        return None  # our lease ran out and another worker owns the delivery now
    delivery.attempts += 1
    delivery.locked_until = None
    delivery.last_status_code = response.status
    delivery.last_error = response.error or (
        None if response.status and 200 <= response.status < 300 else f"HTTP {response.status}")
    outcome = rules.outcome(response.status, delivery.attempts,
                            rules.retry_after(response.retry_after, at), _rng,
                            retry_schedule())
    _apply(delivery, outcome, at)
    return outcome.state


def retry_schedule() -> tuple[timedelta, ...]:
    """The waits between attempts: ONEVOICE_WEBHOOK_RETRY_SCHEDULE, or the documented one."""
    return rules.parse_schedule(current_app.config.get("ONEVOICE_WEBHOOK_RETRY_SCHEDULE"))


def lease_length() -> timedelta:
    """How long a claimed delivery stays with its worker (ONEVOICE_WEBHOOK_LEASE_SECONDS)."""
    seconds = current_app.config.get("ONEVOICE_WEBHOOK_LEASE_SECONDS")
    return timedelta(seconds=seconds) if seconds else LEASE


def _apply(delivery: WebhookDelivery, outcome: rules.Outcome, at: datetime) -> None:
    if outcome.state == "delivered":
        delivery.status, delivery.delivered_at = "delivered", at
    elif outcome.state == "retry":
        delivery.next_attempt_at = at + outcome.wait
    elif outcome.state == "failed":
        delivery.status = "failed"
        delivery.last_error = f"gave up after {delivery.attempts} attempts ({delivery.last_error})"
    else:  # gone
        delivery.status = "failed"
        set_active(delivery.endpoint_id, False,
                   reason=f"the receiver answered 410 Gone on {rules.iso(at)}")
        log.warning("webhook endpoint %s disabled: 410 Gone", delivery.endpoint_id)


def _cursors() -> dict[str, WebhookCursor]:
    """The fan-out cursors, created when missing and locked for this transaction."""
    insert_missing(WebhookCursor, [{"source": source, "position": 0} for source in SOURCES])
    rows = db.session.scalars(select(WebhookCursor).with_for_update()
                              .execution_options(populate_existing=True))
    return {row.source: row for row in rows}
