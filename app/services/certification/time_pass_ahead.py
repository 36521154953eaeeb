"""The time pass ahead of time: a known future instant evaluated before it comes (issue #19).

A gate published for 20,000 agents is known in advance: every one of them carries the gate
as ``users.eligibility_check_at``. While the instant is near (``ONEVOICE_TIME_PASS_AHEAD_SECONDS``,
default 600; 0 turns staging off) the worker's time loop evaluates those agents exactly as
the time pass will at the instant (``time_pass_reads.evaluate``: each agent at its own due
instant) and keeps what the pass would write in the ``staged_*`` tables
(``app/models/time_pass_stages.py``). At the instant, :func:`apply_due` moves a batch of
stages into the live tables with one set-based statement per table: the agents' rows
(``UPDATE … FROM``), their states, their served documents, the outbox, then the change-feed
events (``INSERT … SELECT``, ordered by agent and call type, under the feed's writer lock on
PostgreSQL), each batch one transaction, several workers sharing them (``SKIP LOCKED``).

A stage is applied only while nothing it was computed from has moved. The claim, in the
batch's own transaction and on the agent's row it locks, requires:

- the row's instant, eligibility version, name, external id, team and active flag to be the
  stage's (the document and the outbox name the agent; a rename needs no recompute);
- the requirements' digest, read in the same transaction, to be the stage's (a requirement
  added, retired or re-gated: the pass at the instant reads them per batch too).

And any ``recompute`` of the agent (a certification, a team or call-type change, a
publication, a lookup that applied a due change) deletes the agent's stage in its own
transaction, after locking the agent's row. A stage that does not hold is not used: its agent
is still due and the pass at the instant evaluates it as usual (``tests/web/
test_time_pass_ahead.py`` compares the results with the per-agent path). A stage that fails to
apply (data written around the services) is dropped and its agents evaluated the usual way.

Shortly before the instant (``ONEVOICE_TIME_PASS_PUBLISH_SECONDS``, default 10) :func:`publish`
writes the stages' change-feed events into ``eligibility_events`` with the same checks, held
by a release row (``staged_releases``): the feed ends before a held release's first event
(``app.queries.feed_end``). At the instant :func:`release_due` releases them with one UPDATE,
so the feed carries the whole instant at once, and the stages are applied as above (without
their events). Once events are written they decide: ``recompute`` before the release
withdraws its agents' held events (:func:`settle`, after locking the release row, which the
release waits for), after it applies their stages first; a change of the requirements
withdraws every held release (:func:`withdraw_held`); a released stage is applied whatever
moved, and an agent that moved is evaluated again at once.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import (
    Integer,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from app.core.database import dialect_insert, is_sqlite, unit_of_work
from app.core.extensions import db
from app.derived import eligibility_documents as served
from app.models import EligibilityEvent, EligibilityState, User, utcnow
from app.models.base import UTCDateTime
from app.models.eligibility import eligibility_documents
from app.models.time_pass_stages import (
    STAGE_TABLES,
    staged_agents,
    staged_events,
    staged_outbox,
    staged_releases,
    staged_states,
)
from app.models.webhooks import OutboxMessage
from app.services.certification.time_pass_reads import (
    Pass,
    agents_due,
    batch_size,
    evaluate,
    next_due,
    requirements_fingerprint,
)
from app.services.certification.time_pass_writes import EVENT_COLUMNS, EVENT_WRITERS_LOCK, encode
from app.services.integration.webhook_push import wake_in_transaction

log = logging.getLogger("onevoice.worker")
DEFAULT_AHEAD_SECONDS = 600
DEFAULT_PUBLISH_SECONDS = 10


UNPUBLISHED = staged_agents.c.release_id.is_(None)


def ahead_seconds() -> int:
    """ONEVOICE_TIME_PASS_AHEAD_SECONDS (default 600): how long before an agent's next instant
    the worker stages its changes; 0 stages nothing."""
    return _seconds("ONEVOICE_TIME_PASS_AHEAD_SECONDS", DEFAULT_AHEAD_SECONDS)


def publish_seconds() -> int:
    """ONEVOICE_TIME_PASS_PUBLISH_SECONDS (default 10): how long before their instant the
    staged changes' events are written to the change feed, held until the instant; 0 writes
    them at the instant."""
    return _seconds("ONEVOICE_TIME_PASS_PUBLISH_SECONDS", DEFAULT_PUBLISH_SECONDS)


def _seconds(name: str, default: int) -> int:
    """The setting as whole seconds, 0 or more; a clear ValueError names a bad value."""
    value = current_app.config.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"setting {name}={value!r} must be a whole number of seconds, 0 or "
                         "more")
    return value


# --- ahead of the instant: stage --------------------------------------------------------------


def stage(now: datetime | None = None, *, seconds: int | None = None,
          batch: int | None = None) -> Pass:
    """Stage the agents whose next instant falls in (now, now + ``seconds``] and who have no
    stage yet; returns the tally (``agents`` staged, ``changes`` they will record). Stops
    early when an instant falls due meanwhile, so staging never holds up the pass."""
    done = Pass(now or utcnow())
    seconds = ahead_seconds() if seconds is None else seconds
    if seconds <= 0:
        return done
    until, size = done.now + timedelta(seconds=seconds), batch or batch_size()
    started = utcnow()
    with unit_of_work():
        _drop(staged_agents.c.fingerprint != requirements_fingerprint(), UNPUBLISHED)
    while True:
        with unit_of_work():
            claimed = _stage_batch(done, until, size)
        due = next_due()
        if not claimed or (due is not None and due <= done.now + (utcnow() - started)):
            return done


def _stage_batch(done: Pass, until: datetime, size: int) -> int:
    s = staged_agents
    agents = agents_due(User.eligibility_check_at > done.now,
                        User.eligibility_check_at <= until,
                        ~exists().where(s.c.user_id == User.id), size=size)
    if not agents:
        return 0
    # on PostgreSQL another worker may have staged some of them between the read and the
    # lock: now that the rows are locked, its stages are visible
    taken = set(db.session.scalars(select(s.c.user_id).where(
        s.c.user_id.in_([a.id for a in agents]))))
    agents = [a for a in agents if a.id not in taken]
    if not agents:
        return len(taken)
    writes = evaluate(done, agents)
    connection = db.session.connection()
    stage_ids = _stage_agents(connection, agents, writes, done.fingerprint)
    _stage_rows(connection, writes, stage_ids, {a.id: a.eligibility_check_at for a in agents})
    done.agents += len(agents)
    done.changes += writes.changes
    done.batches += 1
    return len(agents) + len(taken)


def _stage_agents(connection, agents: list, writes, fingerprint: str) -> dict[int, int]:
    """One ``staged_agents`` row per agent; returns their ids by agent."""
    row_of = {user_id: key for key, ids in writes.users.items() for user_id in ids}
    rows = []
    for agent in agents:
        bump, next_at = row_of[agent.id]
        body, etag = writes.documents.get(agent.id, (None, None))
        rows.append({"user_id": agent.id, "at": agent.eligibility_check_at,
                     "fingerprint": fingerprint, "base_version": agent.eligibility_version or 0,
                     "external_id": agent.external_id, "name": agent.name,
                     "team_id": agent.team_id, "active": bool(agent.active), "bump": bump,
                     "next_check_at": next_at, "body": body, "etag": etag})
    connection.execute(insert(staged_agents), rows)
    s = staged_agents
    return dict(connection.execute(select(s.c.user_id, s.c.id)
                                   .where(s.c.user_id.in_([a.id for a in agents]))).all())


def _stage_rows(connection, writes, stage_ids: dict[int, int], at: dict[int, datetime]) -> None:
    """The states, events and outbox messages of the batch, keyed by stage."""
    blank = {"cleared": None, "valid_until": None, "missing": None, "upcoming": None}
    states = [{"stage_id": stage_ids[u], "skill_id": skill_id, "op": "t", **blank, "at": when}
              for (when, skill_id), ids in writes.touched.items() for u in ids]
    for (skill_id, key, when), ids in writes.updated.items():
        values = dict(zip(("cleared", "valid_until", "missing", "upcoming"), key, strict=True))
        states += [{"stage_id": stage_ids[u], "skill_id": skill_id, "op": "u", **values,
                    "at": when} for u in ids]
    states += [{"stage_id": stage_ids[row["user_id"]], "skill_id": row["skill_id"], "op": "i",
                "cleared": row["cleared"], "valid_until": row["valid_until"],
                "missing": encode(row["missing"]), "upcoming": encode(row["upcoming"]),
                "at": row["updated_at"]} for row in writes.inserted]
    states += [{"stage_id": stage_ids[u], "skill_id": skill_id, "op": "d", **blank, "at": at[u]}
               for skill_id, ids in writes.deleted.items() for u in ids]
    if states:
        connection.execute(insert(staged_states), states)
    events = [{"stage_id": stage_ids[u], "skill": code, "cleared": cleared, "reason": reason,
               "details": encode(writes.details[key]), "at": when}
              for key, ids in writes.events.items()
              for code, cleared, reason, when, _ in [key] for u in ids]
    if events:
        connection.execute(insert(staged_events), events)
    if writes.outbox:
        connection.execute(insert(staged_outbox), [
            {"stage_id": stage_ids[u], "skill": message["payload"]["skill"],
             "type": message["type"], "payload": encode(message["payload"]), "at": at[u]}
            for u, message in writes.outbox])


def _drop(*conditions) -> int:
    """Delete the stages meeting ``conditions`` with their rows; on PostgreSQL stages another
    worker holds are skipped (it is applying or dropping them), so deletes never wait on each
    other in opposite orders."""
    s = staged_agents
    chosen = select(s.c.id).where(*conditions)
    if not is_sqlite():
        chosen = chosen.with_for_update(skip_locked=True)
    connection = db.session.connection()
    ids = list(connection.execute(chosen).scalars())
    for start in range(0, len(ids), 2000):
        part = ids[start:start + 2000]
        for table in STAGE_TABLES:
            connection.execute(delete(table).where(table.c.stage_id.in_(part)))
        connection.execute(delete(s).where(s.c.id.in_(part)))
    return len(ids)


def drop_all() -> int:
    """Forget every stage (after writes made around the services, ``reports rebuild``): the
    held events are withdrawn from the feed, released stages are applied first (the feed
    has shown their events)."""
    connection = db.session.connection()
    withdraw_held(connection)
    applied = _settle_released(connection, select(staged_agents.c.user_id), utcnow())
    dropped = _drop()
    for table in (*STAGE_TABLES, staged_releases):
        db.session.execute(delete(table))
    return dropped + applied


# --- shortly before the instant: the events into the feed, held -------------------------------


def publish(now: datetime | None = None, *, seconds: int | None = None,
            batch: int | None = None) -> Pass:
    """Write the events of the stages whose instant falls in (now, now + ``seconds``] to the
    change feed, held: a release per instant (``staged_releases``) keeps the feed before
    them until :func:`release_due` releases it at the instant, one UPDATE of one row. The
    tally counts the agents and the changes recorded."""
    done = Pass(now or utcnow())
    seconds = publish_seconds() if seconds is None else seconds
    if seconds <= 0:
        return done
    until, size, after = done.now + timedelta(seconds=seconds), batch or batch_size(), 0
    s = staged_agents
    while after is not None:
        with unit_of_work():
            after = _publish_batch(done, size, after, s.c.at > done.now, s.c.at <= until)
    return done


def _publish_batch(done: Pass, size: int, after: int, *chosen) -> int | None:
    connection = db.session.connection()
    s, r = staged_agents, staged_releases
    last, token = _claim(connection, size, after, *chosen, UNPUBLISHED)
    if last is not None:  # a stage that does not hold now never will: staged afresh
        _drop(s.c.id > after, s.c.id <= last, *chosen, UNPUBLISHED, s.c.batch.is_(None))
    if not token:
        return last
    mine = s.c.batch == token
    instants = connection.execute(select(s.c.at).where(mine).distinct()).scalars().all()
    connection.execute(insert(r), [{"at": at, "token": token, "released": False}
                                   for at in instants])
    connection.execute(update(s).where(mine).values(
        release_id=select(r.c.id).where(r.c.token == token, r.c.at == s.c.at)
        .scalar_subquery()))
    _lock_event_writers(connection)
    before = connection.execute(select(func.max(EligibilityEvent.seq))).scalar() or 0
    done.changes += _insert_events(connection, mine,
                                   s.c.base_version + case((s.c.bump, 1), else_=0),
                                   s.c.release_id)
    e = EligibilityEvent.__table__
    connection.execute(update(r).where(r.c.token == token).values(
        first_seq=select(func.min(e.c.seq)).where(e.c.seq > before, e.c.release_id == r.c.id)
        .scalar_subquery()))
    claimed = connection.execute(update(s).where(mine).values(batch=None)).rowcount
    done.agents += claimed
    done.batches += 1
    return last


def release_due(now: datetime) -> int:
    """Release the held events of instants up to ``now``: the feed shows them from here
    (their ``at`` is their instant). A release computed from requirements that have changed
    since (written while they changed) is withdrawn instead. Returns how many releases."""
    r, s = staged_releases, staged_agents
    due = (r.c.released.is_(False), r.c.at <= now)
    if not db.session.scalar(select(exists().where(*due))):
        return 0
    with unit_of_work():
        connection = db.session.connection()
        ids = [row.id for row in _locked(connection, select(r.c.id).where(*due))]
        stale = set(connection.execute(select(s.c.release_id).where(
            s.c.release_id.in_(ids),
            s.c.fingerprint != requirements_fingerprint())).scalars())
        _withdraw(connection, [i for i in ids if i in stale])
        fresh = [i for i in ids if i not in stale]
        if fresh:
            connection.execute(update(r).where(r.c.id.in_(fresh)).values(released=True))
        return len(fresh)


def _locked(connection, chosen, *, share: bool = False) -> list:
    """The release rows ``chosen`` selects, locked in id order on PostgreSQL (every locker
    takes them in that order: no deadlock between a release and a recompute)."""
    chosen = chosen.order_by(staged_releases.c.id)
    if not is_sqlite():
        chosen = chosen.with_for_update(read=share)
    return connection.execute(chosen).all()


def withdraw_held(connection) -> int:
    """Take the held events out of the feed and drop their stages (the requirements changed:
    they were computed from the old ones). A release already released stays: its events
    were right at their instant and are applied. Returns how many releases."""
    r = staged_releases
    return _withdraw(connection, [row.id for row in _locked(connection, select(r.c.id).where(
        r.c.released.is_(False)))])


def _withdraw(connection, ids: list[int]) -> int:
    """Delete the held releases ``ids`` (locked), their events and their stages."""
    if not ids:
        return 0
    r, s = staged_releases, staged_agents
    first = connection.execute(select(func.min(r.c.first_seq)).where(r.c.id.in_(ids))).scalar()
    e = EligibilityEvent.__table__
    if first is not None:
        connection.execute(delete(e).where(e.c.seq >= first, e.c.release_id.in_(ids)))
    stages = select(s.c.id).where(s.c.release_id.in_(ids))
    for table in STAGE_TABLES:
        connection.execute(delete(table).where(table.c.stage_id.in_(stages)))
    connection.execute(delete(s).where(s.c.release_id.in_(ids)))
    connection.execute(delete(r).where(r.c.id.in_(ids)))
    return len(ids)


def settle(user_ids: list[int]) -> None:
    """Before ``recompute`` evaluates these agents (their rows locked): a stage whose events
    the feed shows is applied first, so the recompute starts from the instant's result; held
    events are withdrawn; every stage of theirs is dropped."""
    s, r = staged_agents, staged_releases
    connection = db.session.connection()
    published = dict(connection.execute(select(s.c.user_id, s.c.release_id).where(
        s.c.user_id.in_(user_ids), s.c.release_id.is_not(None))).all())
    if published:
        # locked (shared) whatever their state: the release of a held one waits for this
        # transaction, so what is read here stays true until it commits
        held_ids = {row.id for row in _locked(connection, select(r.c.id, r.c.released).where(
            r.c.id.in_(set(published.values()))), share=True) if not row.released}
        held = [u for u, release in published.items() if release in held_ids]
        if held:
            e = EligibilityEvent.__table__
            connection.execute(delete(e).where(e.c.user_id.in_(held),
                                               e.c.release_id.in_(held_ids)))
        shown = [u for u, release in published.items() if release not in held_ids]
        if shown:
            db.session.flush()
            _settle_released(connection, shown, utcnow())
            db.session.expire_all()  # the rows moved under the session's objects
    connection.execute(delete(s).where(s.c.user_id.in_(user_ids)))


def next_publish() -> datetime | None:
    """When the next staged instant's events are to be written to the feed, or None."""
    seconds = publish_seconds()
    if seconds <= 0:
        return None
    s = staged_agents
    first = db.session.scalar(select(func.min(s.c.at)).where(UNPUBLISHED))
    return None if first is None else first - timedelta(seconds=seconds)


# --- at the instant: apply --------------------------------------------------------------------


def apply_due(done: Pass, size: int, after_batch=None) -> None:
    """Apply the stages of instants up to ``done.now``, a batch at a time: first those whose
    events the feed shows (whatever moved since: an agent that moved is evaluated again by
    the pass), then those that still hold.

    A batch that fails (a stage at odds with rows written around the services) is rolled
    back and the stages up to ``done.now`` dropped: the pass then evaluates those agents."""
    _finish_releases()  # also those a recompute emptied
    if not db.session.scalar(select(exists().where(staged_agents.c.at <= done.now))):
        return
    for step in (_apply_released_batch, _apply_batch):
        after = 0
        while after is not None:
            try:
                with unit_of_work():
                    after, claimed = step(done, size, after)
            except SQLAlchemyError:
                log.exception("staged changes could not be applied; the time pass evaluates "
                              "them")
                with unit_of_work():
                    _give_up(done.now)
                return
            if claimed and after_batch:
                after_batch(done)
    _finish_releases()


def _holds(u) -> tuple:
    """The stage still holds on the agent's row ``u`` (and the requirements' digest)."""
    s = staged_agents
    return (s.c.fingerprint == requirements_fingerprint(),
            u.c.role == "agent", u.c.eligibility_check_at == s.c.at,
            func.coalesce(u.c.eligibility_version, 0) == s.c.base_version,
            u.c.name == s.c.name, u.c.external_id.is_not_distinct_from(s.c.external_id),
            u.c.team_id.is_not_distinct_from(s.c.team_id), u.c.active == s.c.active)


def _claim(connection, size: int, after: int, *chosen, checked: bool = True
           ) -> tuple[int | None, int]:
    """The next window of ``size`` stages meeting ``chosen`` after stage id ``after``: (the
    window's last id, or None past the last, and a batch number marking the window's stages
    that hold, or 0; ``checked=False``: every stage of the window).

    The agents' rows are locked on PostgreSQL (skipping those another worker or a recompute
    holds), so nothing moves them until this batch commits; the requirements' digest is read
    in this transaction. A stage that does not hold is left where it is (its agent is
    evaluated by the pass; ``clear_passed`` removes it)."""
    s, u = staged_agents, User.__table__
    window = (select(s.c.id).where(*chosen, s.c.id > after)
              .order_by(s.c.id).limit(size).subquery())  # staged in (instant, agent) order
    last = connection.execute(select(func.max(window.c.id))).scalar()
    if last is None:
        return None, 0
    pick = (select(s.c.id).join(u, u.c.id == s.c.user_id)
            .where(s.c.id > after, s.c.id <= last, *chosen, s.c.batch.is_(None),
                   *(_holds(u) if checked else ())))
    if not is_sqlite():
        pick = pick.with_for_update(of=u, skip_locked=True)
    token = secrets.randbelow(2**31 - 2) + 1
    claimed = connection.execute(update(s).where(s.c.id.in_(pick)).values(batch=token))
    return last, token if claimed.rowcount else 0


def _apply_batch(done: Pass, size: int, after: int) -> tuple[int | None, int]:
    """Apply the holding stages of the window after stage id ``after``: (the window's last
    id or None, agents applied)."""
    connection = db.session.connection()
    s = staged_agents
    last, token = _claim(connection, size, after, s.c.at <= done.now, UNPUBLISHED)
    if not token:
        return last, 0
    mine = s.c.batch == token
    _apply_rows(connection, mine, s.c.next_check_at)
    _lock_event_writers(connection)
    done.changes += _insert_events(connection, mine,
                                   func.coalesce(User.__table__.c.eligibility_version, 0))
    claimed = connection.execute(delete(s).where(mine)).rowcount
    done.agents += claimed
    done.staged += claimed
    done.batches += 1
    return last, claimed


def _apply_released_batch(done: Pass, size: int, after: int) -> tuple[int | None, int]:
    """Apply the stages of released events, after stage id ``after``."""
    connection = db.session.connection()
    s, r = staged_agents, staged_releases
    last, token = _claim(connection, size, after, s.c.release_id.is_not(None),
                         s.c.release_id.not_in(select(r.c.id).where(r.c.released.is_(False))),
                         checked=False)
    if not token:
        return last, 0
    claimed = _apply_shown(connection, token, done.now)
    done.agents += claimed
    done.staged += claimed
    done.batches += 1
    return last, claimed


def _settle_released(connection, user_ids, now: datetime) -> int:
    """Apply the released stages of ``user_ids`` (a list or a subquery) now."""
    s, r = staged_agents, staged_releases
    token = secrets.randbelow(2**31 - 2) + 1
    connection.execute(update(s).where(
        s.c.user_id.in_(user_ids), s.c.release_id.is_not(None),
        s.c.release_id.not_in(select(r.c.id).where(r.c.released.is_(False))))
        .values(batch=token))
    return _apply_shown(connection, token, now)


def _apply_shown(connection, token: int, now: datetime) -> int:
    """Apply the claimed stages (batch ``token``) whose events the feed already shows. Their
    events stand, so they are applied whatever moved since; an agent whose row or the
    requirements moved is due again at ``now`` (the pass evaluates it afresh, from the
    instant's result) and its document is built from its row."""
    s, u = staged_agents, User.__table__
    mine = s.c.batch == token
    moved = list(connection.execute(select(s.c.user_id).join(u, u.c.id == s.c.user_id)
                                    .where(mine, ~and_(*_holds(u)))).scalars())
    holds = ~s.c.user_id.in_(moved) if moved else literal(True)
    _apply_rows(connection, mine, case((holds, s.c.next_check_at),
                                       else_=literal(now, UTCDateTime())),
                version=case((and_(s.c.bump, func.coalesce(u.c.eligibility_version, 0)
                                   <= s.c.base_version), s.c.base_version + 1),
                             else_=u.c.eligibility_version),
                with_documents=holds)
    if moved:
        served.write(connection, served.build(connection, moved))
    return connection.execute(delete(s).where(mine)).rowcount


def _apply_rows(connection, mine, next_check_at, *, version=None, with_documents=None) -> None:
    """The agents' rows (version, next instant), states, documents and outbox of ``mine``."""
    s, u = staged_agents, User.__table__
    if version is None:
        version = case((s.c.bump, func.coalesce(u.c.eligibility_version, 0) + 1),
                       else_=u.c.eligibility_version)
    connection.execute(update(u).where(u.c.id == s.c.user_id, mine).values(
        eligibility_version=version, eligibility_check_at=next_check_at))
    _apply_states(connection, mine)
    _apply_documents(connection, mine if with_documents is None else and_(mine, with_documents))
    _apply_outbox(connection, mine)


def _lock_event_writers(connection) -> None:
    if not is_sqlite():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EVENT_WRITERS_LOCK})


def _insert_events(connection, mine, version, release=None) -> int:
    """The events of the stages ``mine`` into the feed, ordered by agent and call type, with
    agent version ``version`` (and ``release``); returns how many."""
    s, se, u = staged_agents, staged_events, User.__table__
    events = se.join(s, s.c.id == se.c.stage_id)
    # counted apart: an INSERT's rowcount is not reported by every driver
    recorded = connection.execute(select(func.count()).select_from(events).where(mine)).scalar()
    columns = (*EVENT_COLUMNS, "release_id")
    connection.execute(insert(EligibilityEvent.__table__).from_select(columns, select(
        s.c.user_id, se.c.skill, se.c.cleared, se.c.reason, version, se.c.at, se.c.details,
        literal(None, Integer()) if release is None else release)
        .select_from(events.join(u, u.c.id == s.c.user_id))
        .where(mine).order_by(s.c.user_id, se.c.skill)))
    return recorded


def _give_up(now: datetime) -> None:
    """After a batch failed: the stages whose events the feed shows are applied one agent at
    a time; an agent whose stage still fails gets the version its shown events name, loses
    its stage and is evaluated afresh by the pass (logged). The other stages up to ``now``
    are dropped: the pass evaluates their agents."""
    s, r, u = staged_agents, staged_releases, User.__table__
    connection = db.session.connection()
    shown = connection.execute(select(s.c.user_id).where(
        s.c.release_id.is_not(None),
        s.c.release_id.not_in(select(r.c.id).where(r.c.released.is_(False))))).scalars().all()
    for user_id in shown:
        try:
            with db.session.begin_nested():
                _settle_released(db.session.connection(), [user_id], now)
        except SQLAlchemyError:
            log.exception("the stage of agent %s could not be applied; evaluated afresh",
                          user_id)
            mine = (s.c.user_id == user_id, u.c.id == s.c.user_id)
            connection.execute(update(u).where(*mine, s.c.bump).values(
                eligibility_version=s.c.base_version + 1))
            connection.execute(update(u).where(*mine).values(
                eligibility_check_at=literal(now, UTCDateTime())))
            _drop(s.c.user_id == user_id)
    _drop(s.c.at <= now, UNPUBLISHED)


def _finish_releases() -> None:
    """Forget the releases whose stages are all applied; the webhook fan-out, which waited
    for their documents, goes on."""
    r, s = staged_releases, staged_agents
    done = (r.c.released.is_(True), ~exists().where(s.c.release_id == r.c.id))
    if db.session.scalar(select(exists().where(*done))):
        with unit_of_work():
            db.session.execute(delete(r).where(*done))
            wake_in_transaction()


def _apply_states(connection, mine) -> None:
    s, ss, es = staged_agents, staged_states, EligibilityState.__table__
    row = (es.c.user_id == s.c.user_id, es.c.skill_id == ss.c.skill_id,
           ss.c.stage_id == s.c.id, mine)
    connection.execute(update(es).where(*row, ss.c.op == "u").values(
        cleared=ss.c.cleared, valid_until=ss.c.valid_until, missing=ss.c.missing,
        upcoming=ss.c.upcoming, updated_at=ss.c.at))
    connection.execute(update(es).where(*row, ss.c.op == "t").values(updated_at=ss.c.at))
    rows = select(s.c.user_id, ss.c.skill_id).join(ss, ss.c.stage_id == s.c.id).where(mine)
    connection.execute(insert(es).from_select(
        ("user_id", "skill_id", "cleared", "valid_until", "missing", "upcoming", "updated_at"),
        select(s.c.user_id, ss.c.skill_id, ss.c.cleared, ss.c.valid_until, ss.c.missing,
               ss.c.upcoming, ss.c.at).join(ss, ss.c.stage_id == s.c.id)
        .where(mine, ss.c.op == "i")))
    connection.execute(delete(es).where(tuple_(es.c.user_id, es.c.skill_id).in_(
        rows.where(ss.c.op == "d"))))


def _apply_documents(connection, mine) -> None:
    s, d = staged_agents, eligibility_documents
    upsert = dialect_insert(d).from_select(
        ("user_id", "body", "etag"),
        select(s.c.user_id, s.c.body, s.c.etag).where(mine, s.c.body.is_not(None)))
    connection.execute(upsert.on_conflict_do_update(
        index_elements=[d.c.user_id],
        set_={"body": upsert.excluded.body, "etag": upsert.excluded.etag}))


def _apply_outbox(connection, mine) -> None:
    s, so = staged_agents, staged_outbox
    connection.execute(insert(OutboxMessage.__table__).from_select(
        ("type", "payload", "created_at"),
        select(so.c.type, so.c.payload, literal(utcnow(), UTCDateTime()))
        .join(s, s.c.id == so.c.stage_id).where(mine).order_by(s.c.user_id, so.c.skill)))


def clear_passed(now: datetime) -> None:
    """Remove what is left of instants up to ``now``: stages that did not hold (their agents
    were evaluated by the pass) and the rows of stages a recompute dropped. Stages whose
    events the feed shows stay until applied."""
    s = staged_agents
    if not any(db.session.scalar(select(exists().where(table.c.at <= now)))
               for table in (s, *STAGE_TABLES)):
        return
    with unit_of_work():
        _drop(s.c.at <= now, UNPUBLISHED)
        connection = db.session.connection()
        for table in STAGE_TABLES:  # rows whose stage a recompute deleted
            connection.execute(delete(table).where(
                table.c.at <= now, ~exists().where(s.c.id == table.c.stage_id)))
