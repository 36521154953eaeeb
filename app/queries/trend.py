"""Weekly trends per team: readiness rebuilt from history, and first-attempt share correct.

Readiness at each point: ``app.queries.trend_exact`` (counted from the maintained marks) or
``app.queries.trend_snapshots`` (the week's snapshot plus the change since; the same numbers).
Share correct: the first attempts submitted in each week, one statement over the maintained
``gap_firsts`` (an index range per team; cheap, so it is not snapshotted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, select

from app.core.extensions import db
from app.domain.gaps import share
from app.models import Bulletin, BulletinVersion, Requirement, Skill, Team
from app.models.report_aggregates import gap_firsts
from app.queries.trend_exact import readiness_exact
from app.queries.trend_snapshots import readiness as snapshot_readiness

OVERALL = ""
"""The key of the line that adds up every team of the report."""


@dataclass(frozen=True)
class TeamTrend:
    """A team's (or, with team ``OVERALL``, all the report's teams') weekly numbers."""

    team: str
    assigned: tuple[int, ...]
    certified: tuple[int, ...]
    answered: tuple[int, ...]
    correct: tuple[int, ...]

    @property
    def readiness(self) -> tuple[float | None, ...]:
        """Share certified at each week end (None: nobody assigned yet)."""
        return tuple(share(c, a) for c, a in zip(self.certified, self.assigned, strict=True))

    @property
    def share_correct(self) -> tuple[float | None, ...]:
        """Share of first-attempt answers correct in each week (None: no answers)."""
        return tuple(share(c, a) for c, a in zip(self.correct, self.answered, strict=True))


def readiness_trend(teams: list[Team], ends: list[datetime], *, skill: str | None = None,
                    bulletin: str | None = None) -> dict[str, tuple[list[int], list[int]]]:
    """Per team code: (assigned, certified) at each of ``ends``.

    Without a skill or bulletin filter, each point is its week's snapshot plus what changed
    since (``trend_snapshots.readiness``); a filter the snapshots do not keep, or a week not
    snapshotted, is counted from the marks (``trend_exact.readiness_exact``): the same
    numbers either way."""
    if skill or bulletin:
        return readiness_exact(teams, ends, skill=skill, bulletin=bulletin)
    return snapshot_readiness(teams, ends)


def gaps_trend(teams: list[Team], ends: list[datetime], *, skill: str | None = None,
               bulletin: str | None = None) -> dict[str, tuple[list[int], list[int]]]:
    """Per team code: first-attempt answers and correct ones submitted in each week to an end
    (one statement over the maintained ``gap_firsts``)."""
    if not teams or not ends:
        return {}
    f = gap_firsts.c
    starts = [ends[0] - timedelta(weeks=1), *ends[:-1]]
    columns = []
    for start, end in zip(starts, ends, strict=True):
        week = and_(f.submitted_at > start, f.submitted_at <= end)
        columns += [func.sum(case((week, f.answered), else_=0)),
                    func.sum(case((week, f.correct), else_=0))]
    query = (
        select(Team.code, *columns).select_from(gap_firsts)
        .join(Team, Team.id == f.team_id)
        .where(f.team_id.in_([t.id for t in teams]), f.submitted_at > starts[0],
               f.submitted_at <= ends[-1])
        .group_by(Team.code)
    )
    return {code: ([int(v or 0) for v in values[0::2]], [int(v or 0) for v in values[1::2]])
            for code, *values in db.session.execute(_attempts_on(query, skill, bulletin))}


def _attempts_on(query, skill: str | None, bulletin: str | None):
    """Keep first attempts on versions requiring ``skill`` and of the bulletin ``bulletin``."""
    f = gap_firsts.c
    if skill:
        query = query.where(exists().where(
            Requirement.version_id == f.version_id, Requirement.skill_id == Skill.id,
            Skill.code == skill))
    if bulletin:
        query = (query.join(BulletinVersion, BulletinVersion.id == f.version_id)
                 .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
                 .where(Bulletin.slug == bulletin))
    return query


def trends(teams: list[Team], ends: list[datetime], *, skill: str | None = None,
           bulletin: str | None = None) -> list[TeamTrend]:
    """Every team's weekly readiness and share correct, then the ``OVERALL`` line (2 queries)."""
    ready = readiness_trend(teams, ends, skill=skill, bulletin=bulletin)
    answers = gaps_trend(teams, ends, skill=skill, bulletin=bulletin)
    zero = [0] * len(ends)
    rows = []
    for team in teams:
        assigned, certified = ready.get(team.code, (zero, zero))
        answered, correct = answers.get(team.code, (zero, zero))
        rows.append(TeamTrend(team.code, tuple(assigned), tuple(certified), tuple(answered),
                              tuple(correct)))
    totals = (_column_sums(rows, name, len(ends)) for name in COUNTS)
    return [*rows, TeamTrend(OVERALL, *totals)]


COUNTS = ("assigned", "certified", "answered", "correct")


def _column_sums(rows: list[TeamTrend], name: str, width: int) -> tuple[int, ...]:
    return tuple(sum(getattr(row, name)[n] for row in rows) for n in range(width))
