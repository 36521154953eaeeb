"""The worker's set-based time pass: gates reached and certifications expired, in batches.

Every agent carries ``eligibility_check_at``, the next instant at which time alone could
change their eligibility (``rules.next_change_at``). When instants pass, :func:`run` claims
the due agents a batch at a time (``ONEVOICE_TIME_PASS_BATCH``, default 2,000), in order of
that instant, and for each batch, in ONE transaction:

1. reads the batch's agents, call types, certifications and stored states in four
   statements (the requirements are read once per pass, again only when they changed);
2. evaluates each agent AT ITS OWN DUE INSTANT with ``app.domain.situations``: once per
   distinct (call type, team, active, accepted certifications, instant), not once per agent;
3. writes set-based, a statement per GROUP of agents sharing a result, not per agent
   (``time_pass_writes``): each distinct new state of a call type in one ``UPDATE … WHERE
   user_id IN (…)`` (and every held state's ``updated_at``), the agents' versions and next
   instants, the served eligibility documents of the agents that changed (composed from the
   new states), the ``certification.expired`` outbox messages and, last, the change-feed
   events as ``INSERT … SELECT`` from the agents' rows (under the event writers' lock on
   PostgreSQL).

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

from sqlalchemy import Text, func, select, type_coerce

from app.core.config import whole_setting
from app.core.database import skip_locked, unit_of_work
from app.core.extensions import db
from app.domain import eligibility as rules
from app.domain.situations import Evaluator
from app.models import (
    Certification,
    EligibilityState,
    Requirement,
    Skill,
    Team,
    User,
    agent_skills,
    utcnow,
)
from app.services.certification.eligibility import load_requirements
from app.services.certification.time_pass_writes import Memo, Writes

DEFAULT_BATCH = 2000


def batch_size() -> int:
    """ONEVOICE_TIME_PASS_BATCH (default 2,000): agents per transaction of the time pass."""
    return whole_setting("ONEVOICE_TIME_PASS_BATCH", DEFAULT_BATCH, "agents")


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
    memo: Memo = field(default_factory=Memo)


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
    query = (select(User.id, User.external_id, User.name, User.active, User.eligibility_version,
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
    writes = Writes(done.memo, done.skill_ids)
    for agent in agents:
        view = rules.Agent(bool(agent.active), agent.team, skills.get(agent.id, frozenset()))
        at = agent.eligibility_check_at
        outcome = evaluator.agent(view, certs.get(agent.id, ()), at)
        writes.add(agent, outcome, stored.get(agent.id, {}), at)
    writes.flush(db.session.connection())
    done.changes += writes.changes
    done.agents += len(agents)
    done.batches += 1
    return len(agents)


def _skills(ids: list[int]) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for user_id, code in db.session.connection().execute(
            select(agent_skills.c.user_id, Skill.code)
            .join(Skill, Skill.id == agent_skills.c.skill_id)
            .where(agent_skills.c.user_id.in_(ids))):
        found[user_id].add(code)
    return {user_id: frozenset(codes) for user_id, codes in found.items()}


def _certifications(ids: list[int]) -> dict[int, list[rules.Certification]]:
    found: dict[int, list[rules.Certification]] = defaultdict(list)
    c = Certification
    for user_id, version_id, passed_at, valid_until in db.session.connection().execute(
            select(c.user_id, c.version_id, c.passed_at, c.valid_until)
            .where(c.user_id.in_(ids))):
        found[user_id].append(rules.Certification(version_id, passed_at, valid_until))
    return found


def _stored(ids: list[int]) -> dict[int, dict[str, tuple]]:
    """The batch's stored states: (cleared, valid_until, missing, upcoming) by agent and call
    type, the JSON lists as their stored text (decoded only if needed: ``Memo.same``)."""
    s = EligibilityState
    found: dict[int, dict[str, tuple]] = defaultdict(dict)
    for user_id, code, cleared, valid_until, missing, upcoming in db.session.connection().execute(
            select(s.user_id, Skill.code, s.cleared, s.valid_until,
                   type_coerce(s.missing, Text), type_coerce(s.upcoming, Text))
            .join(Skill, Skill.id == s.skill_id).where(s.user_id.in_(ids))):
        found[user_id][code] = (bool(cleared), valid_until, missing, upcoming)
    return found
