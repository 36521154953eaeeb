"""Which calendar weeks of the readiness trend are closed, and which still want a snapshot.

A week runs from Monday 00:00 to the next Monday 00:00 in the centre's time zone
(``ONEVOICE_TIMEZONE``); its end is the instant the next one begins. A week is **closed** once
its end has passed: readiness at that instant can no longer change, except by a change
recorded late with an earlier effective time (the upkeep then removes the snapshots it
reaches: app/derived/trend_snapshots.py). The trend's points are rolling (now, now - 1 week,
...: docs/reports.md); each point is answered from the snapshot at the start of its own
calendar week (:func:`week_start`, its *anchor*) plus what changed between the two.

Pure: the clock is passed in as ``now``, the zone by name. Weeks step in local calendar days,
so a week with a change of summer time is 167 or 169 hours long.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.domain.gating import local_midnight, time_zone

MONDAY = 0


def week_start(at: datetime, tz: str) -> datetime:
    """The instant (UTC) the calendar week holding ``at`` began: Monday 00:00 in ``tz``.

    An instant exactly at Monday 00:00 starts its week (it is its own week start). Where a
    change of summer time skips midnight, the week begins when that Monday actually begins.
    """
    day = at.astimezone(time_zone(tz)).date()
    monday = day - timedelta(days=day.weekday() - MONDAY)
    start = local_midnight(monday, tz)
    if start > at:  # midnight skipped and ``at`` falls before the day's first instant
        start = local_midnight(monday - timedelta(weeks=1), tz)
    return start


def _monday(at: datetime, tz: str) -> date:
    day = week_start(at, tz).astimezone(time_zone(tz)).date()
    return day - timedelta(days=day.weekday())


def missing_weeks(now: datetime, tz: str, last: datetime | None, horizon: int) -> list[datetime]:
    """Ends of the closed weeks a snapshot is still owed for, oldest first.

    Closed weeks are those whose end is at or before ``now``; only the last ``horizon`` of
    them are kept (an older trend point is counted from the marks). ``last`` is the end of
    the latest snapshot already written (None: none yet): only later weeks are missing, so
    after downtime every week since ``last`` comes back. ValueError when ``horizon`` < 1.
    """
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 week, got {horizon}")
    newest = _monday(now, tz)
    ends = [local_midnight(newest - timedelta(weeks=n), tz) for n in range(horizon)]
    return [end for end in reversed(ends) if last is None or end > last]


def anchors(points: list[datetime], tz: str) -> list[datetime]:
    """The snapshot each trend point is counted from: the start of the point's week."""
    return [week_start(point, tz) for point in points]
