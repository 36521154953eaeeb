"""Writing the weekly snapshots of the readiness trend (docs/performance.md, "Weekly
snapshots").

Every team gets one row per closed calendar week (``app.domain.snapshot_weeks``): the exact
trend counts (``app.queries.trend_exact.readiness_exact``) at the instant the week ended.
:func:`snapshot_weeks` writes whatever is missing, oldest week first, in batches of at most
``TEAMS_PER_BATCH`` teams x ``WEEKS_PER_BATCH`` weeks, each batch its own transaction. Missing
means: after the team's latest snapshot, within the last ``ONEVOICE_TREND_SNAPSHOT_WEEKS``
closed weeks. So a first run fills that many weeks, a run after downtime fills every week
missed, a week a late change removed (app/derived/trend_snapshots.py) comes back, and a
second run writes nothing. Each batch reads what is missing after taking the snapshot lock
(PostgreSQL; SQLite's write transaction is the lock) and inserts with ON CONFLICT DO NOTHING
on the (team, week) key: two workers never write a row twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.core.config import whole_setting
from app.core.database import dialect_insert, unit_of_work
from app.core.extensions import db
from app.derived.trend_snapshots import lock
from app.domain.snapshot_weeks import missing_weeks
from app.models import Team, utcnow
from app.models.trend_snapshots import trend_snapshots
from app.queries.trend_exact import readiness_exact

TEAMS_PER_BATCH = 25
WEEKS_PER_BATCH = 4


@dataclass(frozen=True)
class Written:
    """What a run wrote: rows (team x week), distinct week ends, transactions (batches)."""

    rows: int = 0
    weeks: int = 0
    batches: int = 0


def _setting(name: str) -> int:
    return whole_setting(name)


def _missing(now: datetime, tz: str, horizon: int) -> dict[int, list[datetime]]:
    """Per team id, the closed weeks still without a snapshot (one read)."""
    s = trend_snapshots.c
    latest = select(s.team_id, func.max(s.week_end).label("last")).group_by(
        s.team_id).subquery()
    rows = db.session.execute(select(Team.id, latest.c.last).outerjoin(
        latest, latest.c.team_id == Team.id).order_by(Team.id)).all()
    weeks = {}
    for team, last in rows:
        wanted = missing_weeks(now, tz, last, horizon)
        if wanted:
            weeks[team] = wanted
    return weeks


def _batch(missing: dict[int, list[datetime]]) -> tuple[list[int], list[datetime]]:
    """The oldest missing weeks and the teams owing exactly those, at most a batch of each."""
    first = min(missing.items(), key=lambda item: (item[1][0], item[0]))
    weeks = first[1][:WEEKS_PER_BATCH]
    teams = [team for team, wanted in sorted(missing.items())
             if wanted[:WEEKS_PER_BATCH] == weeks][:TEAMS_PER_BATCH]
    return teams, weeks


def _write_batch(now: datetime, tz: str, horizon: int) -> tuple[int, list[datetime]]:
    """One transaction: count and insert one batch; the rows and the weeks written, (0, [])
    when nothing is missing any more."""
    with unit_of_work():
        lock(db.session)
        missing = _missing(now, tz, horizon)
        if not missing:
            return 0, []
        team_ids, weeks = _batch(missing)
        teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids))))
        counts = readiness_exact(teams, weeks)
        zero = ([0] * len(weeks), [0] * len(weeks))
        at = utcnow()
        rows = []
        for team in teams:
            assigned, certified = counts.get(team.code, zero)
            rows += [{"team_id": team.id, "week_end": week, "assigned": assigned[n],
                      "certified": certified[n], "written_at": at}
                     for n, week in enumerate(weeks)]
        # the lock and the read above make every row new; the key keeps it so regardless
        db.session.execute(dialect_insert(trend_snapshots).on_conflict_do_nothing(), rows)
        return len(rows), weeks


def snapshot_weeks(now: datetime | None = None) -> Written:
    """Write every missing snapshot of a closed week, in batches, each its own transaction.

    ``now`` (default and at most the real clock: a week that has not ended is never written)
    decides which weeks are closed. Returns what was written; nothing when up to date.
    """
    now = min(now or utcnow(), utcnow())
    tz, horizon = current_app.config["ONEVOICE_TIMEZONE"], _setting(
        "ONEVOICE_TREND_SNAPSHOT_WEEKS")
    rows = batches = 0
    weeks: set[datetime] = set()
    if not _missing(now, tz, horizon):  # the cheap check: one read, no lock
        db.session.commit()  # end the read transaction
        return Written()
    while True:
        written, done = _write_batch(now, tz, horizon)
        if not done:
            return Written(rows, len(weeks), batches)
        rows, batches = rows + written, batches + 1
        weeks.update(done)


def worker_job(at: datetime | None = None) -> Written:
    """The worker's job: :func:`snapshot_weeks`, at most every
    ``ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS`` per app."""
    at = at or utcnow()
    every = timedelta(seconds=_setting("ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS"))
    state = current_app.extensions.setdefault("onevoice_trend_snapshots", {})
    last = state.get("last_check")
    if last is not None and timedelta(0) <= at - last < every:
        return Written()
    state["last_check"] = at
    return snapshot_weeks(at)
