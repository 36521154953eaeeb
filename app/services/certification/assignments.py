"""Who must pass what by when (rule 1), and the state of each assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import rules_sql
from app.core.extensions import db
from app.domain import eligibility as rules
from app.errors import NotFound
from app.models import (
    Assignment,
    Attempt,
    BulletinVersion,
    Certification,
    Requirement,
    Skill,
    Team,
    User,
    utcnow,
)
from app.services.content.translations import original_current, reading_versions


def _targets(version: BulletinVersion, user: User) -> bool:
    """An active agent the version concerns (the domain's rule, ``eligibility.targets``)."""
    agent = rules.Agent(active=bool(user.active), team=user.team.code if user.team else None,
                        skills=frozenset(user.skill_codes))
    return (user.role == "agent" and agent.active
            and rules.targets(agent, version.skills, version.teams or ()))


def assign_version(version: BulletinVersion, agents: list[User], at: datetime) -> int:
    """Create the missing assignments of ``version`` for the agents it targets."""
    have = set(db.session.scalars(
        select(Assignment.user_id).where(Assignment.version_id == version.id)
    ))
    created = 0
    for user in agents:
        if user.id not in have and _targets(version, user):
            db.session.add(Assignment(user_id=user.id, version_id=version.id,
                                      due_at=version.gate_at, created_at=at))
            have.add(user.id)
            created += 1
    return created


def assign_current(user: User, at: datetime | None = None) -> int:
    """Give an agent the assignments of every requirement in force on their skills.

    Called when an agent is created, gains a skill or changes team (rule 1: agents who gain
    the skill later get the assignment when they gain it).
    """
    at = at or utcnow()
    versions = db.session.scalars(
        select(BulletinVersion).join(Requirement).join(Skill)
        .where(Skill.code.in_(list(user.skill_codes)), BulletinVersion.status == "published")
        .where((Requirement.retired_at.is_(None)) | (Requirement.retired_at > at)).distinct()
    ).all()
    return sum(assign_version(v, [user], at) for v in versions)


@dataclass(frozen=True)
class AssignmentStatus:
    """An assignment as an agent sees it."""

    assignment: Assignment
    state: str  # certified | due | overdue | retired
    certified_until: datetime | None
    last_score: int | None
    in_progress_attempt: int | None
    # The version the agent reads and takes the quiz of: the change's translation in their
    # language when it has a current one, else the assigned version (app/services/translations).
    shown: BulletinVersion | None = None


def statuses(user: User, at: datetime | None = None) -> list[AssignmentStatus]:
    """The agent's assignments with their state, newest due first, in three queries."""
    at = at or utcnow()
    rows = db.session.scalars(
        select(Assignment).where(Assignment.user_id == user.id).order_by(Assignment.due_at.desc())
    ).all()
    certs = db.session.execute(
        select(Certification, BulletinVersion.lineage_id)
        .join(BulletinVersion, Certification.version_id == BulletinVersion.id)
        .where(Certification.user_id == user.id)
    ).all()
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at)
    ).all()
    shown = reading_versions(user.locale, {a.version_id: a.version for a in rows}.values())
    return [_status(a, certs, attempts, at, shown[a.version_id]) for a in rows]


def _status(assignment, certs, attempts, at, shown) -> AssignmentStatus:
    version = assignment.version
    wanted = rules.VersionRef(version.lineage_id, version.number)
    valid = [
        c.valid_until for c, lineage in certs
        if rules.accepts(wanted, rules.VersionRef(lineage, c.version.number))
        and rules.is_valid(rules.Certification(c.version_id, c.passed_at, c.valid_until), at)
    ]
    mine = [a for a in attempts if a.version_id in (version.id, shown.id)]
    graded = [a for a in mine if a.score is not None]
    open_attempt = next((a.id for a in mine if a.status == "in_progress"), None)
    state = "certified" if valid else "overdue" if assignment.due_at <= at else "due"
    until = None if not valid or None in valid else max(valid)
    return AssignmentStatus(assignment, state, until,
                            graded[-1].score if graded else None, open_attempt, shown)


def valid_certification(user: User, version: BulletinVersion, at: datetime) -> Certification | None:
    """A certification of ``user`` that satisfies ``version`` at ``at`` (rule 5), if any."""
    return db.session.scalar(
        select(Certification).join(BulletinVersion)
        .where(Certification.user_id == user.id, rules_sql.accepts(BulletinVersion, version),
               rules_sql.valid_at(at))
        .order_by(Certification.passed_at.desc()).limit(1)
    )


def acknowledge(user: User, version: BulletinVersion, at: datetime | None = None) -> Assignment:
    """Record "I have read this version" on the agent's assignment (first time only)."""
    version = original_current(version)  # a translation's receipt is the change's
    assignment = db.session.scalar(select(Assignment).where(
        Assignment.user_id == user.id, Assignment.version_id == version.id))
    if assignment is None:
        raise NotFound("version_not_assigned", n=version.number, slug=version.slug)
    if assignment.acknowledged_at is None:
        assignment.acknowledged_at = at or utcnow()
    return assignment


def read_receipts(version: BulletinVersion) -> list[tuple[str, int, int, str]]:
    """Per team: (team name, active agents assigned, who acknowledged, team code), one query.

    The counts match the names listed by ``services.receipts.version_receipts``: only active
    agents, and only this version's own receipts (a newer version needs a new one).
    """
    from sqlalchemy import and_, func


    rows = db.session.execute(
        select(Team.name, func.count(Assignment.id), func.count(Assignment.acknowledged_at),
               Team.code)
        .select_from(Assignment)
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True),
                         User.role == "agent"))
        .join(Team, Team.id == User.team_id)
        .where(Assignment.version_id == version.id)
        .group_by(Team.code, Team.name).order_by(Team.name)
    ).all()
    return [(name, assigned, read, code) for name, assigned, read, code in rows]
