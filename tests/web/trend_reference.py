"""The weekly trends as they were computed from the facts, before the aggregates: the
reference the maintained ``readiness_marks`` and ``gap_firsts`` must agree with.

Every assignment probes the certifications at every week end, and first attempts are found
among all attempts: exact, and far too slow for the board at scale (docs/performance.md B2).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select

from app import rules_sql
from app.core.extensions import db
from app.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Bulletin,
    BulletinVersion,
    Requirement,
    Skill,
    Team,
    User,
)
from app.queries.trend_exact import in_force as _in_force


def first_attempt_ids(version_id: int | None = None):
    """SQL: the id of each agent's first graded attempt on each version (or on one version)."""
    query = select(func.min(Attempt.id)).where(Attempt.status != "in_progress")
    if version_id is not None:
        query = query.where(Attempt.version_id == version_id)
    # Never correlated: the outer query's attempts must not narrow the inner one.
    return query.group_by(Attempt.user_id, Attempt.version_id).correlate(None)


def _certified_at(moment: datetime):
    return rules_sql.certified(moment, history=True)


def readiness_trend_raw(teams: list[Team], ends: list[datetime], *, skill: str | None = None,
                    bulletin: str | None = None) -> dict[str, tuple[list[int], list[int]]]:
    """Per team code: (assigned, certified) at each of ``ends``."""
    if not teams:
        return {}
    rv = _in_force(skill)
    columns = []
    for moment in ends:
        live = and_(Assignment.created_at <= moment, BulletinVersion.published_at <= moment,
                    or_(rv.c.n > rv.c.r, rv.c.last > moment))
        columns += [func.sum(case((live, 1), else_=0)),
                    func.sum(case((and_(live, _certified_at(moment)), 1), else_=0))]
    query = (
        select(Team.code, *columns).select_from(Assignment)
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True)))
        .join(Team, Team.id == User.team_id)
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .join(rv, rv.c.vid == BulletinVersion.id)
        .where(Team.id.in_([t.id for t in teams]))
        .group_by(Team.code)
    )
    if bulletin:
        query = query.join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id).where(
            Bulletin.slug == bulletin)
    return {code: ([int(v or 0) for v in values[0::2]], [int(v or 0) for v in values[1::2]])
            for code, *values in db.session.execute(query)}


def gaps_trend_raw(teams: list[Team], ends: list[datetime], *, skill: str | None = None,
               bulletin: str | None = None) -> dict[str, tuple[list[int], list[int]]]:
    """Per team code: first-attempt answers and correct ones submitted in each week to an end."""
    if not teams or not ends:
        return {}
    starts = [ends[0] - timedelta(weeks=1), *ends[:-1]]
    columns = []
    for start, end in zip(starts, ends, strict=True):
        week = and_(Attempt.submitted_at > start, Attempt.submitted_at <= end)
        columns += [func.sum(case((week, 1), else_=0)),
                    func.sum(case((and_(week, Answer.correct.is_(True)), 1), else_=0))]
    query = (
        select(Team.code, *columns).select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, and_(User.id == Attempt.user_id, User.active.is_(True)))
        .join(Team, Team.id == User.team_id)
        .outerjoin(Answer, and_(Answer.attempt_id == AttemptItem.attempt_id,
                                Answer.item_id == AttemptItem.item_id))
        .where(Team.id.in_([t.id for t in teams]), Attempt.id.in_(first_attempt_ids()),
               Attempt.submitted_at > starts[0], Attempt.submitted_at <= ends[-1])
        .group_by(Team.code)
    )
    return {code: ([int(v or 0) for v in values[0::2]], [int(v or 0) for v in values[1::2]])
            for code, *values in db.session.execute(_attempts_on(query, skill, bulletin))}


def _attempts_on(query, skill: str | None, bulletin: str | None):
    """Keep attempts on versions requiring ``skill`` and of the bulletin ``bulletin``."""
    if skill:
        query = query.where(exists().where(
            Requirement.version_id == Attempt.version_id, Requirement.skill_id == Skill.id,
            Skill.code == skill))
    if bulletin:
        query = (query.join(BulletinVersion, BulletinVersion.id == Attempt.version_id)
                 .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
                 .where(Bulletin.slug == bulletin))
    return query


