"""The readiness trend counted from the marks at any instants: the exact path.

Readiness at an instant T is reconstructed from what the database keeps: an assignment counts
when it existed at T (created, its version published and still in force), and it is certified
when a certification accepted by its version was passed by T and still valid at T. Teams and
activity are taken as they are now (their history is not kept). One statement over the
maintained ``readiness_marks`` (app/derived/aggregates.py), whatever the number of agents or
instants. The trend reads weekly snapshots of these counts where it can
(``app.queries.trend_snapshots``); a snapshot is this function's answer at a week's end.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from app import rules_sql
from app.core.extensions import db
from app.models import Bulletin, BulletinVersion, Requirement, Skill, Team
from app.models.report_aggregates import readiness_marks


def in_force(skill: str | None):
    """Per version: how many requirements (on ``skill``), how many retired, the last retirement."""
    query = select(Requirement.version_id.label("vid"), func.count(Requirement.id).label("n"),
                   func.count(Requirement.retired_at).label("r"),
                   func.max(Requirement.retired_at).label("last"))
    if skill:
        query = query.join(Skill, Skill.id == Requirement.skill_id).where(Skill.code == skill)
    return query.group_by(Requirement.version_id).subquery()


def live_at(marks, rv, moment: datetime):
    """SQL: the mark's assignment counts at ``moment`` (created, its version published, a
    requirement of ``rv`` still in force); the query joins BulletinVersion and ``rv``."""
    m = marks.c
    return and_(m.created_at <= moment, BulletinVersion.published_at <= moment,
                or_(rv.c.n > rv.c.r, rv.c.last > moment))


def certified_at(marks, moment: datetime):
    """SQL: the mark's agent held a certification accepted by its version at ``moment``.

    A mark whose certifications make one unbroken span answers from its own columns; the
    others (a certification expired, then a new one passed) ask the certifications."""
    m = marks.c
    asked = rules_sql.certified(moment, m.user_id, history=True)
    spanned = and_(m.certified_since <= moment, rules_sql.valid_at(moment, m.certified_until))
    return and_(m.certified.is_(True), case((m.one_span.is_(True), spanned), else_=asked))


def readiness_exact(teams: list[Team], ends: list[datetime], *, skill: str | None = None,
                    bulletin: str | None = None) -> dict[str, tuple[list[int], list[int]]]:
    """Per team code: (assigned, certified) at each of ``ends`` (one statement over the
    maintained ``readiness_marks``). A team none of whose marks is on a version with
    requirements is left out."""
    if not teams:
        return {}
    rv = in_force(skill)
    m = readiness_marks.c
    columns = []
    for moment in ends:
        live = live_at(readiness_marks, rv, moment)
        columns += [func.sum(case((live, 1), else_=0)),
                    func.sum(case((and_(live, certified_at(readiness_marks, moment)), 1),
                                  else_=0))]
    query = (
        select(Team.code, *columns).select_from(readiness_marks)
        .join(Team, Team.id == m.team_id)
        .join(BulletinVersion, BulletinVersion.id == m.version_id)
        .join(rv, rv.c.vid == BulletinVersion.id)
        .where(m.team_id.in_([t.id for t in teams]))
        .group_by(Team.code)
    )
    if bulletin:
        query = query.join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id).where(
            Bulletin.slug == bulletin)
    return {code: ([int(v or 0) for v in values[0::2]], [int(v or 0) for v in values[1::2]])
            for code, *values in db.session.execute(query)}
