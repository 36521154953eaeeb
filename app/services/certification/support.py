"""Supporting one agent: their assignments, attempts and retake limits; a manager's unlock.

Rule 7: after a fail an agent waits (cooldown) and has a daily cap; a manager of the agent's
team (or an admin) can lift both by unlocking the agent's assignment on a bulletin. The
retake check ignores attempts started before ``Assignment.unlocked_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.core.extensions import db
from app.domain import retakes
from app.errors import NotFound
from app.models import Assignment, Attempt, User, utcnow
from app.queries.reports import visible_team_ids
from app.services.certification.assignments import AssignmentStatus, statuses
from app.services.certification.attempts import retake_rule
from app.services.content.bulletins import latest_version

SEARCH_LIMIT = 50


def agent_in_scope(viewer: User, external_id: str) -> User:
    """The agent with this external id, if the viewer may support them (NotFound otherwise).

    A manager sees the agents of the teams they manage; admins (and the routing system's
    account, for reads) see everyone. An agent outside the scope is "not found", so its
    existence is not disclosed.
    """
    user = db.session.scalar(
        select(User).where(User.external_id == external_id, User.role == "agent")
    )
    allowed = visible_team_ids(viewer)
    if user is None or (allowed is not None and user.team_id not in allowed):
        raise NotFound("no_agent", field="external_id", ref=external_id)
    return user


def agents_in_scope(viewer: User, text: str | None = None) -> list[User]:
    """Agents the viewer may support, by name, optionally matching ``text`` (at most 50)."""
    query = select(User).where(User.role == "agent").order_by(User.name, User.id)
    allowed = visible_team_ids(viewer)
    if allowed is not None:
        query = query.where(User.team_id.in_(allowed))
    if text:
        escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(or_(*(column.ilike(like, escape="\\")
                                  for column in (User.name, User.email, User.external_id))))
    return list(db.session.scalars(query.limit(SEARCH_LIMIT)))


@dataclass(frozen=True)
class AssignmentLine:
    """One assignment on the support page, with the retake limit in force (if any)."""

    status: AssignmentStatus
    retake: retakes.RetakeStatus  # allowed=True when nothing holds the agent back

    @property
    def can_unlock(self) -> bool:
        return self.status.state != "certified" and not self.retake.allowed


@dataclass(frozen=True)
class Overview:
    """An agent's assignments (with retake limits) and every attempt, newest first."""

    agent: User
    assignments: list[AssignmentLine]
    attempts: list[Attempt]


def overview(user: User, at: datetime | None = None) -> Overview:
    """Everything a manager needs to help one agent, in a fixed number of queries."""
    at = at or utcnow()
    attempts = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at.desc())
    ))
    lines = []
    for status in statuses(user, at):
        assignment = status.assignment
        past = [retakes.PastAttempt(a.started_at, a.submitted_at, a.passed)
                for a in attempts if a.version_id == assignment.version_id]
        lines.append(AssignmentLine(status, retake_rule(past, at, assignment.unlocked_at)))
    return Overview(user, lines, attempts)


def unlock(viewer: User, external_id: str, slug: str,
           at: datetime | None = None) -> Assignment:
    """Lift the cooldown and daily cap of an agent on a bulletin's newest published version.

    Run inside ``unit_of_work()``. NotFound when the agent is outside the viewer's teams or
    has no assignment on that version.
    """
    at = at or utcnow()
    user = agent_in_scope(viewer, external_id)
    version = latest_version(slug, published=True)
    assignment = db.session.scalar(select(Assignment).where(
        Assignment.user_id == user.id, Assignment.version_id == version.id
    ).with_for_update(of=Assignment))
    if assignment is None:
        raise NotFound("agent_not_assigned", field="bulletin", ref=external_id,
                       n=version.number, slug=slug)
    assignment.unlocked_at = at
    return assignment
