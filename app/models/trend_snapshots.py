"""Weekly snapshots of the readiness trend (docs/performance.md, "Weekly snapshots").

One row per (team, closed week): how many assignments counted and how many were certified at
``week_end``, the instant the calendar week ended (Monday 00:00 in the centre's time zone,
``ONEVOICE_TIMEZONE``), as the exact trend query (``app.queries.trend``) counted them when
the row was written. The worker writes the weeks that closed
(``app.services.reports.trend_snapshots``); the upkeep deletes a team's rows from the
instant a change reaches back into a closed week (``app.derived.trend_snapshots``), and the
worker writes them again. No foreign key: a derived table, rebuilt from the facts.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, Table

from app.core.extensions import db
from app.models.base import UTCDateTime

trend_snapshots = Table(
    "trend_snapshots",
    db.metadata,
    Column("team_id", Integer, primary_key=True, autoincrement=False),
    Column("week_end", UTCDateTime, primary_key=True),  # Monday 00:00 local, as UTC
    Column("assigned", Integer, nullable=False),  # assignments in force at week_end
    Column("certified", Integer, nullable=False),  # of which certified at week_end
    Column("written_at", UTCDateTime, nullable=False),
    Index("ix_trend_snapshots_week_end", "week_end"),
)
