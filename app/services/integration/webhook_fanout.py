"""Webhook fan-out: each outbox row past the cursors becomes one delivery per subscribed
endpoint (run by the worker, never inside a web request; app/services/integration/webhooks.py
sends them).

A batch of eligibility events is grouped into one ``agent_eligibility.updated`` message per
(agent, version); each message carries the agent's served eligibility document, read as its
stored text (``eligibility_documents``, kept exact at every commit) and placed in the body
without decoding it (``rules.eligibility_body``); the batch's deliveries are one multi-row
INSERT.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import insert, select

from app.core.database import committed_high_water, insert_missing, unit_of_work
from app.core.extensions import db
from app.derived import eligibility_documents as derived_documents
from app.domain import webhooks as rules
from app.models import EligibilityEvent, EligibilityState, Skill, User, utcnow
from app.models.eligibility import eligibility_documents
from app.models.webhooks import OutboxMessage, WebhookCursor, WebhookDelivery, WebhookEndpoint
from app.queries.eligibility_view import document_from_states
from app.queries.feed_end import fan_out_end

ELIGIBILITY = "agent_eligibility.updated"
SOURCES = ("eligibility", "outbox")
FAN_OUT_BATCH = 2000  # events (or outbox rows) per transaction
EVENTS = EligibilityEvent.__table__
MAX_ROUNDS = 50  # bounds one pass; the next pass goes on


def fan_out(now: datetime | None = None, batch: int = FAN_OUT_BATCH) -> int:
    """Make deliveries for every outbox row past the cursors; returns how many were made."""
    made = 0
    for _ in range(MAX_ROUNDS):
        # the events mark first, then where the releases not yet applied stop it
        marks = (fan_out_end(committed_high_water(EligibilityEvent.seq)),
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
    rows = db.session.execute(
        _events().where(EVENTS.c.seq > cursor.position, EVENTS.c.seq <= mark)
        .order_by(EVENTS.c.seq).limit(batch)).all()
    if not rows:
        return 0, 0
    subscribers = [e for e in endpoints if ELIGIBILITY in e.events]
    made = 0
    if subscribers:
        changes = rules.group_changes([_change(r) for r in _with_tails(rows, mark)])
        made = _eligibility_deliveries(changes, subscribers, at)
    cursor.position = rows[-1].seq
    return made, len(rows)


def _events():
    """The event columns fan-out needs, as plain rows (no ORM object per event)."""
    e = EVENTS.c
    return select(e.seq, e.user_id, e.agent_version, e.skill, e.cleared, e.reason, e.at)


def _change(row) -> rules.EligibilityChange:
    return rules.EligibilityChange(row.seq, row.user_id, row.agent_version, row.skill,
                                   row.cleared, row.reason, row.at)


def _with_tails(rows: list, mark: int) -> list:
    """``rows`` plus the rest of each (agent, version) group beyond the batch, so a message
    lists everything that changed in its version (the tails are skipped when read later)."""
    groups = {(r.user_id, r.agent_version) for r in rows}
    tails = db.session.execute(_events().where(
        EVENTS.c.seq > rows[-1].seq, EVENTS.c.seq <= mark,
        EVENTS.c.user_id.in_({user for user, _ in groups}))).all()
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
        agent, document = documents[change_set.user_id]
        body = rules.eligibility_body(agent, change_set, document)
        rows += [_row(endpoint, ELIGIBILITY, change_set.key, body, at,
                      user_id=change_set.user_id, agent_version=change_set.version)
                 for endpoint in targets]
    return _insert(rows)


def _documents(user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """``{user id: (agent, document text)}``: the agents' served eligibility documents as
    stored (kept exact at every commit: ``app.derived.eligibility_documents``) in one query;
    one missing (rows written past the upkeep) is built from the states."""
    found = {user_id: (external_id or str(user_id), body) for user_id, external_id, body in
             db.session.execute(
                 select(User.id, User.external_id, eligibility_documents.c.body)
                 .join(eligibility_documents, eligibility_documents.c.user_id == User.id)
                 .where(User.id.in_(user_ids)))}
    missing = [user_id for user_id in user_ids if user_id not in found]
    if missing:
        for user in db.session.scalars(select(User).where(User.id.in_(missing))):
            states = db.session.execute(
                select(Skill.code, EligibilityState).join(Skill)
                .where(EligibilityState.user_id == user.id).order_by(Skill.code)).all()
            body, _etag = derived_documents.serialise(document_from_states(user, states))
            found[user.id] = (json.loads(body)["agent"], body)
    return found


def _insert(rows: list[dict]) -> int:
    """Write the batch's deliveries in one multi-row statement (no ORM unit per row)."""
    if rows:
        db.session.connection().execute(insert(WebhookDelivery.__table__), rows)
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


def _cursors() -> dict[str, WebhookCursor]:
    """The fan-out cursors, created when missing and locked for this transaction."""
    insert_missing(WebhookCursor, [{"source": source, "position": 0} for source in SOURCES])
    rows = db.session.scalars(select(WebhookCursor).with_for_update()
                              .execution_options(populate_existing=True))
    return {row.source: row for row in rows}
