"""Readiness of teams: who is certified on what, computed in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Assignment, BulletinVersion, Certification, Requirement, Team, User, utcnow
from . import Forbidden


def visible_team_ids(user: User) -> set[int] | None:
    """Teams a user may see in reports: a manager their own, others all (None)."""
    if user.role == "manager":
        return {t.id for t in user.managed}
    return None


def scoped_teams(user: User, team_code: str | None = None) -> list[Team]:
    """The teams a report covers, refusing a team outside the caller's scope."""
    allowed = visible_team_ids(user)
    query = select(Team).order_by(Team.code)
    if allowed is not None:
        query = query.where(Team.id.in_(allowed))
    teams = list(db.session.scalars(query))
    if team_code:
        teams = [t for t in teams if t.code == team_code]
        if not teams:
            raise Forbidden(f"team '{team_code}' is not one of your teams (or does not exist)",
                            field="team")
    return teams


@dataclass(frozen=True)
class Cell:
    """One team x bulletin version cell of the readiness board."""

    team: str
    bulletin: str
    version: int
    title: str
    gate_at: datetime
    assigned: int
    certified: int

    @property
    def share(self) -> float:
        return round(self.certified / self.assigned, 4) if self.assigned else 0.0


def readiness(teams: list[Team], at: datetime | None = None) -> list[Cell]:
    """Share of assigned active agents certified, per team and current bulletin version."""
    at = at or utcnow()
    if not teams:
        return []
    cv = aliased(BulletinVersion)
    certified = exists().where(
        Certification.user_id == Assignment.user_id, Certification.version_id == cv.id,
        cv.lineage_id == BulletinVersion.lineage_id, cv.number <= BulletinVersion.number,
        or_(Certification.valid_until.is_(None), Certification.valid_until > at),
    )
    current = exists().where(
        Requirement.version_id == BulletinVersion.id,
        or_(Requirement.retired_at.is_(None), Requirement.retired_at > at),
    )
    rows = db.session.execute(
        select(Team.code, BulletinVersion, func.count(Assignment.id),
               func.sum(case((certified, 1), else_=0)))
        .select_from(Assignment)
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True)))
        .join(Team, Team.id == User.team_id)
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .where(Team.id.in_([t.id for t in teams]), BulletinVersion.status == "published", current)
        .group_by(Team.code, BulletinVersion.id)
        .order_by(Team.code, BulletinVersion.gate_at.desc())
    ).all()
    return [Cell(code, v.slug, v.number, v.title, v.gate_at, n, int(c or 0))
            for code, v, n, c in rows]
