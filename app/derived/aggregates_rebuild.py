"""The report aggregates computed from scratch: the reference for the incremental upkeep.

Each ``*_source`` function is one SELECT over the facts (assignments, certifications, users,
attempts, answers), optionally narrowed to some agents: ``app.derived.aggregates`` runs them
for the agents a transaction touched and applies the difference, :func:`rebuild` runs them
for everyone (``flask --app app reports rebuild``, the migration's backfill, bench-data),
and the tests compare the maintained tables with them after every step.

Core statements only (no ORM objects), so they run on a bare connection as well as in the
app's session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, delete, false, func, insert, literal, or_, select
from sqlalchemy.orm import aliased

from app import rules_sql
from app.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    BulletinVersion,
    Certification,
    User,
    utcnow,
)
from app.models.report_aggregates import gap_counts, gap_firsts, readiness_cells, readiness_marks


def _lineage_certs(user_ids=None):
    """Per (agent, lineage, version number): whether one certification never expires, and
    the latest expiry."""
    cv = aliased(BulletinVersion)
    query = (select(Certification.user_id.label("user_id"), cv.lineage_id.label("lineage_id"),
                    cv.number.label("number"),
                    func.sum(case((Certification.valid_until.is_(None), 1), else_=0))
                    .label("forever"),
                    func.max(Certification.valid_until).label("until"),
                    func.count().label("n"), func.min(Certification.passed_at).label("first"))
             .join(cv, cv.id == Certification.version_id)
             .group_by(Certification.user_id, cv.lineage_id, cv.number))
    if user_ids is not None:
        query = query.where(Certification.user_id.in_(user_ids))
    return query.subquery("lineage_certs")


def marks_source(user_ids=None):
    """SELECT of ``readiness_marks`` rows: every assignment of an active agent with a team,
    certified when a certification of an earlier-or-same version of its lineage exists,
    ``certified_until`` NULL when one of those never expires, else the latest expiry."""
    lc = _lineage_certs(user_ids)
    certified = func.count(lc.c.number) > 0
    until = case((func.coalesce(func.sum(lc.c.forever), 0) > 0, None),
                 else_=func.max(lc.c.until))
    one_span = or_(func.coalesce(func.sum(lc.c.n), 0) <= 1,
                   func.sum(lc.c.forever) == func.sum(lc.c.n))
    query = (
        select(Assignment.id.label("assignment_id"), Assignment.user_id.label("user_id"),
               User.team_id.label("team_id"), Assignment.version_id.label("version_id"),
               Assignment.due_at.label("due_at"),
               case((certified, True), else_=False).label("certified"),
               until.label("certified_until"), Assignment.created_at.label("created_at"),
               func.min(lc.c.first).label("certified_since"),
               case((one_span, True), else_=False).label("one_span"))
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True),
                         User.team_id.is_not(None)))
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .outerjoin(lc, and_(lc.c.user_id == Assignment.user_id,
                            rules_sql.accepts(lc.c)))
        .group_by(Assignment.id, Assignment.user_id, User.team_id, Assignment.version_id,
                  Assignment.due_at, Assignment.created_at)
    )
    if user_ids is not None:
        query = query.where(Assignment.user_id.in_(user_ids))
    return query


def cells_source(as_of: datetime, marks=readiness_marks):
    """SELECT of ``readiness_cells`` rows from the marks, exact at ``as_of``."""
    live = rules_sql.mark_certified(marks, as_of)
    later = and_(marks.c.certified.is_(True), marks.c.certified_until > as_of)
    return (select(marks.c.team_id, marks.c.version_id, func.count().label("assigned"),
                   func.sum(case((live, 1), else_=0)).label("certified"),
                   literal(as_of, readiness_cells.c.as_of.type).label("as_of"),
                   func.min(case((later, marks.c.certified_until), else_=None))
                   .label("next_expiry"))
            .group_by(marks.c.team_id, marks.c.version_id))


def firsts_source(user_ids=None):
    """SELECT of ``gap_firsts`` rows: each agent's first graded attempt on each version, the
    team it counts for (none when the agent is inactive or has no team), when it was
    submitted, and its drawn and correctly answered items."""
    team = case((User.active.is_(True), User.team_id), else_=None)
    firsts = (select(Attempt.user_id.label("user_id"), Attempt.version_id.label("version_id"),
                     func.min(Attempt.id).label("attempt_id"), team.label("team_id"))
              .join(User, User.id == Attempt.user_id)
              .where(Attempt.status != "in_progress")
              .group_by(Attempt.user_id, Attempt.version_id, User.active, User.team_id))
    if user_ids is not None:
        firsts = firsts.where(Attempt.user_id.in_(user_ids))
    f = firsts.subquery("firsts")
    drawn = (select(func.count()).where(AttemptItem.attempt_id == f.c.attempt_id)
             .correlate(f).scalar_subquery())
    right = (select(func.count()).where(Answer.attempt_id == f.c.attempt_id,
                                        Answer.correct.is_(True))
             .correlate(f).scalar_subquery())
    return (select(f.c.user_id, f.c.version_id, f.c.attempt_id, f.c.team_id,
                   Attempt.submitted_at.label("submitted_at"), drawn.label("answered"),
                   right.label("correct"))
            .join(Attempt, Attempt.id == f.c.attempt_id))


def answer_keys(attempt_ids=None):
    """(attempt, item, chosen option or 0 for blank, correct) of each drawn item."""
    query = (select(AttemptItem.attempt_id, AttemptItem.item_id,
                    func.coalesce(Answer.option_id, 0).label("option_id"),
                    func.coalesce(Answer.correct, false()).label("correct"))
             .outerjoin(Answer, and_(Answer.attempt_id == AttemptItem.attempt_id,
                                     Answer.item_id == AttemptItem.item_id)))
    if attempt_ids is not None:
        query = query.where(AttemptItem.attempt_id.in_(attempt_ids))
    return query


def gap_counts_source(firsts=gap_firsts):
    """SELECT of ``gap_counts`` rows from the first attempts counted for a team."""
    keys = answer_keys().subquery("answer_keys")
    return (select(firsts.c.version_id, firsts.c.team_id, keys.c.item_id, keys.c.option_id,
                   keys.c.correct, func.count().label("answers"))
            .join(keys, keys.c.attempt_id == firsts.c.attempt_id)
            .where(firsts.c.team_id.is_not(None))
            .group_by(firsts.c.version_id, firsts.c.team_id, keys.c.item_id,
                      keys.c.option_id, keys.c.correct))


def rebuild(connection, as_of: datetime | None = None) -> dict[str, int]:
    """Empty the four tables and fill them from scratch on ``connection`` (in its
    transaction); returns the rows written per table."""
    as_of = as_of or utcnow()
    for table in (gap_counts, gap_firsts, readiness_cells, readiness_marks):
        connection.execute(delete(table))
    steps = [
        (readiness_marks, marks_source()), (readiness_cells, cells_source(as_of)),
        (gap_firsts, firsts_source()), (gap_counts, gap_counts_source()),
    ]
    counts = {}
    for table, source in steps:
        names = [c.name for c in table.columns]
        connection.execute(insert(table).from_select(names, source))
        counts[table.name] = connection.scalar(select(func.count()).select_from(table))
    return counts
