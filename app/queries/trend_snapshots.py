"""The readiness trend from weekly snapshots: each point is the snapshot at the start of its
calendar week plus what changed between that instant and the point.

The trend's points are rolling (now, now - 1 week, ...: docs/reports.md) and the snapshots
sit at the ends of calendar weeks (Monday 00:00 in ``ONEVOICE_TIMEZONE``,
app/domain/snapshot_weeks.py). For a point T in the week that began at S, readiness(T) =
snapshot(S) + the sum over marks of (counted at T - counted at S). A mark counts differently
at T and at S only when one of its instants falls in (S, T]: its assignment's creation, its
first pass or its expiry, its version's publication or a retirement of a requirement, or it is
a mark whose certifications are not one span (asked each time, as the exact path does). So the
difference is summed over those marks only: the current (open) week is counted live, and so
is the part of each closed week after its start, from the few marks that moved in it.

A point whose snapshot is missing for any team of the request (not written yet, older than
the snapshots kept, or removed by a late change: app/derived/trend_snapshots.py) is counted
from the marks (``trend_exact.readiness_exact``). Either way the numbers are the exact
path's; tests/web/test_trend_snapshots.py holds them equal.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import and_, case, func, select, union

from app.core.extensions import db
from app.domain.snapshot_weeks import anchors
from app.models import BulletinVersion, Requirement, Team
from app.models.report_aggregates import readiness_marks
from app.models.trend_snapshots import trend_snapshots
from app.queries.trend_exact import certified_at, in_force, live_at, readiness_exact

Counts = dict[str, tuple[list[int], list[int]]]


def readiness(teams: list[Team], ends: list[datetime]) -> Counts:
    """Per team code: (assigned, certified) at each of ``ends``, equal to
    ``readiness_exact(teams, ends)``; at most four statements."""
    if not teams or not ends:
        return readiness_exact(teams, ends)
    starts = anchors(ends, current_app.config["ONEVOICE_TIMEZONE"])
    stored = _snapshots([t.id for t in teams], set(starts))
    covered = [n for n, start in enumerate(starts)
               if all((t.id, start) in stored for t in teams)]
    if not covered:
        return readiness_exact(teams, ends)
    rest = [n for n in range(len(ends)) if n not in covered]
    exact = readiness_exact(teams, [ends[n] for n in rest]) if rest else {}
    moved = _differences([t.id for t in teams], [(starts[n], ends[n]) for n in covered])
    present = _present([t.id for t in teams])
    counts: Counts = {}
    for team in teams:
        if team.id not in present:
            continue
        assigned, certified = [0] * len(ends), [0] * len(ends)
        for k, n in enumerate(covered):
            base = stored[(team.id, starts[n])]
            delta = moved.get(team.id, [(0, 0)] * len(covered))[k]
            assigned[n], certified[n] = base[0] + delta[0], base[1] + delta[1]
        late = exact.get(team.code, ([0] * len(rest), [0] * len(rest)))
        for k, n in enumerate(rest):
            assigned[n], certified[n] = late[0][k], late[1][k]
        counts[team.code] = (assigned, certified)
    return counts


def _snapshots(team_ids: list[int], weeks: set[datetime]) -> dict[tuple, tuple[int, int]]:
    s = trend_snapshots.c
    query = select(s.team_id, s.week_end, s.assigned, s.certified).where(
        s.team_id.in_(team_ids), s.week_end.in_(sorted(weeks)))
    return {(team, week): (assigned, certified)
            for team, week, assigned, certified in db.session.execute(query)}


def _present(team_ids: list[int]) -> set[int]:
    """The teams the exact path lists: with a mark on a version that has requirements."""
    m = readiness_marks.c
    return set(db.session.scalars(select(m.team_id).distinct().where(
        m.team_id.in_(team_ids), m.version_id.in_(select(Requirement.version_id)))))


def _moved_marks(team_ids: list[int], moving: list[tuple[datetime, datetime]]):
    """SQL: the ids of the marks of ``team_ids`` that can count differently at the two ends
    of a pair, each found by an index range ((team, instant) indexes of migration 0011s):
    one of the mark's instants falls within a pair, its version was published or lost a
    requirement within one, or its certifications are not one span (asked each time)."""
    m = readiness_marks.c
    mine = m.team_id.in_(team_ids)
    parts = [select(m.assignment_id).where(mine, column > start, column <= end)
             for column in (m.created_at, m.certified_since, m.certified_until)
             for start, end in moving]
    versions = union(*[select(BulletinVersion.id).where(
        BulletinVersion.published_at > start, BulletinVersion.published_at <= end)
        for start, end in moving], *[select(Requirement.version_id).where(
            Requirement.retired_at > start, Requirement.retired_at <= end)
            for start, end in moving])
    parts += [select(m.assignment_id).where(mine, m.version_id.in_(versions)),
              select(m.assignment_id).where(mine, m.one_span.is_(False),
                                            m.certified.is_(True))]
    return union(*parts)


def _differences(team_ids: list[int], pairs: list[tuple[datetime, datetime]]
                 ) -> dict[int, list[tuple[int, int]]]:
    """Per team id, for each (start, point): counted at the point minus counted at the start,
    summed over the marks that can differ between the two (one statement)."""
    moving = [(start, end) for start, end in pairs if start < end]
    if not moving:
        return {}
    m, rv = readiness_marks.c, in_force(None)
    columns = []
    for start, end in pairs:
        columns += [_change(live_at(readiness_marks, rv, start),
                            live_at(readiness_marks, rv, end)),
                    _change(and_(live_at(readiness_marks, rv, start),
                                 certified_at(readiness_marks, start)),
                            and_(live_at(readiness_marks, rv, end),
                                 certified_at(readiness_marks, end)))]
    query = (select(m.team_id, *columns).select_from(readiness_marks)
             .join(BulletinVersion, BulletinVersion.id == m.version_id)
             .join(rv, rv.c.vid == BulletinVersion.id)
             .where(m.assignment_id.in_(_moved_marks(team_ids, moving)))
             .group_by(m.team_id))
    return {team: [(int(values[2 * k] or 0), int(values[2 * k + 1] or 0))
                   for k in range(len(pairs))]
            for team, *values in db.session.execute(query)}


def _change(before, after):
    """SQL: +1, 0 or -1 per mark as it starts or stops meeting a condition."""
    return func.sum(case((after, 1), else_=0) - case((before, 1), else_=0))
