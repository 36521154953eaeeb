"""What a batch of the time pass reads, shared by the pass at the instant (``time_pass``) and
the pass ahead of it (``time_pass_ahead``): the pass's tally and evaluator, the batch's
agents, their call types, certifications and stored states, in one statement each."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Text, func, select, type_coerce

from app.core.config import whole_setting
from app.core.database import skip_locked
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
    fingerprint: str | None = None
    changes: int = 0
    agents: int = 0
    batches: int = 0
    staged: int = 0  # agents whose changes were applied from a stage (time_pass_ahead)
    skill_ids: dict[str, int] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)

    def requirements(self) -> Evaluator:
        """The pass's evaluator, rebuilt when the requirements changed since it was made."""
        fingerprint = requirements_fingerprint()
        if self.evaluator is None or fingerprint != self.fingerprint:
            self.evaluator, self.fingerprint = Evaluator(load_requirements()), fingerprint
            self.skill_ids = dict(db.session.execute(select(Skill.code, Skill.id)).all())
        return self.evaluator


def requirements_fingerprint() -> str:
    """A digest of every requirement's id, gate and retirement: it changes whenever one is
    added, retired or re-gated (the rest of a requirement never changes once published)."""
    r = Requirement
    digest = hashlib.sha256()
    for row in db.session.execute(select(r.id, r.gate_at, r.retired_at).order_by(r.id)):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def next_due() -> datetime | None:
    """The earliest instant at which an agent's eligibility changes with time, or None."""
    return db.session.scalar(select(func.min(User.eligibility_check_at))
                             .where(User.role == "agent"))


def agents_due(*conditions, size: int) -> list:
    """Up to ``size`` agents meeting ``conditions``, earliest instant first; rows another
    worker holds are skipped on PostgreSQL and stay locked by this transaction."""
    query = (select(User.id, User.external_id, User.name, User.active, User.eligibility_version,
                    User.eligibility_check_at, User.team_id, Team.code.label("team"))
             .outerjoin(Team, Team.id == User.team_id)
             .where(User.role == "agent", *conditions)
             .order_by(User.eligibility_check_at, User.id).limit(size))
    return db.session.execute(skip_locked(query, User)).all()


def evaluate(done: Pass, agents: list) -> Writes:
    """What ``agents`` get at their own due instants, gathered for writing."""
    evaluator = done.requirements()
    ids = [a.id for a in agents]
    skills, certs, stored = _skills(ids), _certifications(ids), _stored(ids)
    writes = Writes(done.memo, done.skill_ids)
    for agent in agents:
        view = rules.Agent(bool(agent.active), agent.team, skills.get(agent.id, frozenset()))
        at = agent.eligibility_check_at
        outcome = evaluator.agent(view, certs.get(agent.id, ()), at)
        writes.add(agent, outcome, stored.get(agent.id, {}), at)
    return writes


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
