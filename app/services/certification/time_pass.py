"""The worker's set-based time pass: gates reached and certifications expired, in batches.

Every agent carries ``eligibility_check_at``, the next instant at which time alone could
change their eligibility (``rules.next_change_at``). When instants pass, :func:`run` claims
the due agents a batch at a time (``ONEVOICE_TIME_PASS_BATCH``, default 2,000), in order of
that instant, and for each batch, in ONE transaction:

1. reads the batch's agents, call types, certifications and stored states in four
   statements (the requirements are read once per pass, again only when they changed);
2. evaluates each agent AT ITS OWN DUE INSTANT with ``app.domain.situations``: once per
   distinct (call type, team, active, accepted certifications, instant), not once per agent;
3. writes, in bulk statements on the connection: the states that changed (every held
   state's ``updated_at``), the agents' versions and next instants, the served eligibility
   documents of the agents that changed, the ``certification.expired`` outbox messages and,
   last, the change-feed events (under the event writers' lock on PostgreSQL).

The result is what ``eligibility.recompute(cause="time", at=<due instant>)`` stores for each
agent (tests/web/test_time_pass.py compares them on generated centres). An agent whose
next instant has also passed is due again and is taken by a later batch, so an agent two
instants behind gets two sets of events, each with its own ``at``.

Resumable: an agent's events, states and next instant commit together, so after a crash
the agents of the batch that was being written are still due and the next pass does them;
no event is lost and none is recorded twice. Several workers share a pass: on PostgreSQL
each claims its batch with ``FOR UPDATE SKIP LOCKED``; on SQLite one writer runs at a time.
The report aggregates need no write: what they count does not change with time (a
readiness cell past its ``next_expiry`` is recounted by ``aggregates.refresh_expired``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, bindparam, delete, func, insert, select, text, update

from app.core.database import is_sqlite, skip_locked, unit_of_work
from app.core.extensions import db
from app.derived import eligibility_documents
from app.domain import eligibility as rules
from app.domain.situations import Evaluator
from app.domain.webhooks import iso
from app.models import (
    Certification,
    EligibilityEvent,
    EligibilityState,
    Requirement,
    Skill,
    Team,
    User,
    agent_skills,
    utcnow,
)
from app.models.webhooks import OutboxMessage
from app.services.certification.eligibility import _missing_json, _reason, load_requirements

DEFAULT_BATCH = 2000
EVENT_WRITERS_LOCK = 0x0E11_6175  # app.services.integration.feed's key (seq = commit order)


def batch_size() -> int:
    """ONEVOICE_TIME_PASS_BATCH (default 2,000): agents per transaction of the time pass."""
    value = current_app.config.get("ONEVOICE_TIME_PASS_BATCH", DEFAULT_BATCH)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"setting ONEVOICE_TIME_PASS_BATCH={value!r} must be a whole number "
                         "of agents, at least 1")
    return value


@dataclass
class Pass:
    """One run of the time pass: the requirements it evaluates with, and what it did."""

    now: datetime
    evaluator: Evaluator | None = None
    fingerprint: tuple | None = None
    changes: int = 0
    agents: int = 0
    batches: int = 0
    skill_ids: dict[str, int] = field(default_factory=dict)


def run(now: datetime | None = None, *, batch: int | None = None,
        after_batch=None) -> Pass:
    """Apply every time-driven change due at ``now`` (default: the clock); returns the tally.

    ``after_batch(pass_)`` is called after each committed batch (the benchmark's progress).
    """
    done = Pass(now or utcnow())
    size = batch or batch_size()
    while True:
        with unit_of_work():
            claimed = _one_batch(done, size)
        if not claimed:
            db.session.expire_all()  # rows were written past the identity map
            return done
        if after_batch:
            after_batch(done)


def next_due() -> datetime | None:
    """The earliest instant at which an agent's eligibility changes with time, or None."""
    return db.session.scalar(select(func.min(User.eligibility_check_at))
                             .where(User.role == "agent"))


# --- one batch ------------------------------------------------------------------------------


def _requirements(done: Pass) -> Evaluator:
    """The pass's evaluator, rebuilt when the requirements changed since it was made."""
    r = Requirement
    fingerprint = tuple(db.session.execute(select(
        func.count(r.id), func.max(r.id), func.count(r.retired_at), func.max(r.retired_at),
        func.max(r.gate_at))).one())
    if done.evaluator is None or fingerprint != done.fingerprint:
        done.evaluator, done.fingerprint = Evaluator(load_requirements()), fingerprint
        done.skill_ids = dict(db.session.execute(select(Skill.code, Skill.id)).all())
    return done.evaluator


def _claim(now: datetime, size: int) -> list:
    """Up to ``size`` due agents, earliest instant first; rows another worker holds are
    skipped on PostgreSQL and stay locked by this transaction until it commits."""
    query = (select(User.id, User.external_id, User.active, User.eligibility_version,
                    User.eligibility_check_at, Team.code.label("team"))
             .outerjoin(Team, Team.id == User.team_id)
             .where(User.role == "agent", User.eligibility_check_at <= now)
             .order_by(User.eligibility_check_at, User.id).limit(size))
    return db.session.execute(skip_locked(query, User)).all()


def _one_batch(done: Pass, size: int) -> int:
    agents = _claim(done.now, size)
    if not agents:
        return 0
    evaluator = _requirements(done)
    ids = [a.id for a in agents]
    skills, certs, stored = _skills(ids), _certifications(ids), _stored(ids)
    writes = _Writes()
    for agent in agents:
        view = rules.Agent(bool(agent.active), agent.team, skills.get(agent.id, frozenset()))
        at = agent.eligibility_check_at
        outcome = evaluator.agent(view, certs.get(agent.id, ()), at)
        writes.add(agent, outcome, stored.get(agent.id, {}), at, done.skill_ids)
    writes.flush(db.session.connection())
    done.changes += len(writes.events)
    done.agents += len(agents)
    done.batches += 1
    return len(agents)


def _skills(ids: list[int]) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for user_id, code in db.session.execute(
            select(agent_skills.c.user_id, Skill.code)
            .join(Skill, Skill.id == agent_skills.c.skill_id)
            .where(agent_skills.c.user_id.in_(ids))):
        found[user_id].add(code)
    return {user_id: frozenset(codes) for user_id, codes in found.items()}


def _certifications(ids: list[int]) -> dict[int, list[rules.Certification]]:
    found: dict[int, list[rules.Certification]] = defaultdict(list)
    c = Certification
    for user_id, version_id, passed_at, valid_until in db.session.execute(
            select(c.user_id, c.version_id, c.passed_at, c.valid_until)
            .where(c.user_id.in_(ids))):
        found[user_id].append(rules.Certification(version_id, passed_at, valid_until))
    return found


def _stored(ids: list[int]) -> dict[int, dict[str, dict]]:
    s = EligibilityState
    found: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in db.session.execute(
            select(s.user_id, Skill.code, s.cleared, s.valid_until, s.missing, s.upcoming)
            .join(Skill, Skill.id == s.skill_id).where(s.user_id.in_(ids))):
        found[row.user_id][row.code] = {"cleared": bool(row.cleared),
                                        "valid_until": row.valid_until,
                                        "missing": row.missing, "upcoming": row.upcoming}
    return found


# --- the batch's writes ---------------------------------------------------------------------


def _state(result: rules.SkillEligibility) -> dict:
    return {"cleared": result.cleared, "valid_until": result.valid_until,
            "missing": [_missing_json(m) for m in result.missing],
            "upcoming": [_missing_json(m) for m in result.upcoming]}


def _expired(agent, result: rules.SkillEligibility, at: datetime) -> dict:
    """``outbox.expired_payload`` from the batch's row instead of a User object."""
    return {"agent": agent.external_id or str(agent.id), "skill": result.skill, "at": iso(at),
            "expired": [{"bulletin": m.bulletin, "version": m.version, "title": m.title}
                        for m in result.missing if m.expired]}


def _flips(old: dict[str, dict], new: dict[str, dict]) -> list[tuple[str, bool]]:
    """(skill, cleared) whose cleared value differs; a missing row counts as not cleared."""
    flips = []
    for code in sorted(set(old) | set(new)):
        after = code in new and new[code]["cleared"]
        if old.get(code, {}).get("cleared", False) != after:
            flips.append((code, after))
    return flips


class _Writes:
    """What one batch writes, gathered per agent and written in a few bulk statements."""

    def __init__(self):
        self.touched_at: dict[datetime, list[int]] = defaultdict(list)
        self.updated, self.inserted, self.deleted = [], [], []
        self.users, self.events, self.outbox, self.documents = [], [], [], []

    def add(self, agent, outcome, old: dict[str, dict], at: datetime, skill_ids) -> None:
        """Note the writes ``recompute`` would make for ``agent`` (see ``eligibility._store``)."""
        new = {code: _state(result) for code, result in outcome.skills.items()}
        self.touched_at[at].append(agent.id)
        rows_changed = False
        for code, state in new.items():
            if code not in old:
                self.inserted.append({"user_id": agent.id, "skill_id": skill_ids[code],
                                      **state, "updated_at": at})
            elif old[code] != state:
                self.updated.append({"k_user": agent.id, "k_skill": skill_ids[code], **state})
            rows_changed = rows_changed or old.get(code) != state
        gone = [code for code in old if code not in new]
        self.deleted += [(agent.id, skill_ids[code]) for code in gone]
        flips = _flips(old, new)
        version = (agent.eligibility_version or 0) + (1 if flips else 0)
        self.users.append({"k_user": agent.id, "eligibility_version": version,
                           "eligibility_check_at": outcome.next_change_at})
        if flips or rows_changed or gone:
            self.documents.append(agent.id)
        for code, cleared in flips:
            self._event(agent, code, cleared, outcome.skills.get(code), new, version, at)

    def _event(self, agent, code, cleared, result, new, version, at) -> None:
        reason = _reason("time", result)
        self.events.append({
            "user_id": agent.id, "skill": code, "cleared": cleared, "reason": reason,
            "at": at, "agent_version": version,
            "details": {"missing": new[code]["missing"]} if code in new
            else {"missing": [], "skill_removed": True}})
        if reason == "certification_expired":
            self.outbox.append({"type": "certification.expired",
                                "payload": _expired(agent, result, at), "created_at": utcnow()})

    def flush(self, connection) -> None:
        """Write the batch: states, agents, documents, outbox, then the feed's events."""
        s = EligibilityState.__table__
        key = and_(s.c.user_id == bindparam("k_user"), s.c.skill_id == bindparam("k_skill"))
        for at, ids in self.touched_at.items():
            connection.execute(update(s).where(s.c.user_id.in_(ids)).values(updated_at=at))
        if self.updated:
            connection.execute(update(s).where(key), self.updated)
        if self.inserted:
            connection.execute(insert(s), self.inserted)
        for user_id, skill_id in self.deleted:
            connection.execute(delete(s).where(s.c.user_id == user_id, s.c.skill_id == skill_id))
        u = User.__table__
        connection.execute(update(u).where(u.c.id == bindparam("k_user")), self.users)
        if self.documents:
            eligibility_documents.sync(connection, sorted(set(self.documents)))
        if self.outbox:
            connection.execute(insert(OutboxMessage.__table__), self.outbox)
        if self.events:
            if not is_sqlite():
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": EVENT_WRITERS_LOCK})
            connection.execute(insert(EligibilityEvent.__table__), self.events)
