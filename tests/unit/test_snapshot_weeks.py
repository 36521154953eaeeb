"""Which calendar weeks of the readiness trend are closed and still owed a snapshot
(app/domain/snapshot_weeks.py), on a frozen clock: a zone without summer time (Seoul), one
with it (New York), one whose change of time skips midnight (Santiago), the year boundary and
a week with no activity (the weeks do not depend on what happened in them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.snapshot_weeks import anchors, missing_weeks, week_start


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("at", "tz", "start"), [
    # Seoul is UTC+9 all year: Monday 00:00 KST is Sunday 15:00 UTC
    (utc(2026, 12, 5, 2, 0), "Asia/Seoul", utc(2026, 11, 29, 15, 0)),  # Saturday
    (utc(2026, 11, 29, 15, 0), "Asia/Seoul", utc(2026, 11, 29, 15, 0)),  # the boundary itself
    (utc(2026, 11, 29, 14, 59, 59), "Asia/Seoul", utc(2026, 11, 22, 15, 0)),  # a second before
    # year boundary: Thursday 1 January 2026 belongs to the week of Monday 29 December 2025
    (utc(2026, 1, 1, 3, 0), "Asia/Seoul", utc(2025, 12, 28, 15, 0)),
    (utc(2021, 1, 3, 14, 0), "Asia/Seoul", utc(2020, 12, 27, 15, 0)),  # Sunday 3 Jan, 23:00
    # New York: EST (UTC-5) and EDT (UTC-4); summer time began Sunday 8 March 2026 at 02:00
    (utc(2026, 3, 8, 12, 0), "America/New_York", utc(2026, 3, 2, 5, 0)),  # week of the change
    (utc(2026, 3, 10, 12, 0), "America/New_York", utc(2026, 3, 9, 4, 0)),  # the next, in EDT
    (utc(2026, 11, 2, 4, 59), "America/New_York", utc(2026, 10, 26, 4, 0)),  # Sun 23:59 EST
    (utc(2026, 11, 2, 5, 0), "America/New_York", utc(2026, 11, 2, 5, 0)),  # Mon 00:00 EST
    # Santiago: summer time ends by repeating 23:00-24:00 on Saturday 4 April 2026 (no skip of
    # Monday's midnight); the week still starts Monday 00:00 local (-04:00 after the change)
    (utc(2026, 4, 8, 12, 0), "America/Santiago", utc(2026, 4, 6, 4, 0)),
])
def test_week_start(at, tz, start):
    assert week_start(at, tz) == start
    assert week_start(start, tz) == start  # a week's start is in its own week
    assert week_start(start - timedelta(microseconds=1), tz) < start


def test_a_week_with_a_change_of_summer_time_is_167_or_169_hours():
    spring = week_start(utc(2026, 3, 10, 12, 0), "America/New_York")
    assert spring - week_start(utc(2026, 3, 4, 12, 0), "America/New_York") == timedelta(hours=167)
    autumn = week_start(utc(2026, 11, 3, 12, 0), "America/New_York")
    assert autumn - week_start(utc(2026, 10, 28, 12, 0), "America/New_York") == timedelta(
        hours=169)
    seoul = week_start(utc(2026, 3, 10, 12, 0), "Asia/Seoul")
    assert seoul - week_start(utc(2026, 3, 4, 12, 0), "Asia/Seoul") == timedelta(weeks=1)


NOW = utc(2026, 1, 7, 3, 0)  # Wednesday 7 January 2026, 12:00 in Seoul
SEOUL_WEEKS = [utc(2025, 12, 14, 15), utc(2025, 12, 21, 15), utc(2025, 12, 28, 15),
               utc(2026, 1, 4, 15)]  # Mondays 15, 22, 29 December and 5 January, 00:00 KST


@pytest.mark.parametrize(("now", "tz", "last", "horizon", "missing"), [
    (NOW, "Asia/Seoul", None, 4, SEOUL_WEEKS),  # first run: the horizon, oldest first
    (NOW, "Asia/Seoul", SEOUL_WEEKS[-1], 4, []),  # up to date: nothing
    (NOW, "Asia/Seoul", SEOUL_WEEKS[1], 4, SEOUL_WEEKS[2:]),  # downtime: every week missed
    (NOW, "Asia/Seoul", utc(2020, 1, 5, 15), 2, SEOUL_WEEKS[2:]),  # long ago: the horizon
    (NOW, "Asia/Seoul", None, 1, SEOUL_WEEKS[-1:]),  # across the year boundary, one week
    # the instant a week ends it is closed (and owed), not a moment before
    (utc(2026, 1, 4, 15), "Asia/Seoul", SEOUL_WEEKS[2], 4, SEOUL_WEEKS[3:]),
    (utc(2026, 1, 4, 14, 59), "Asia/Seoul", SEOUL_WEEKS[2], 4, []),
    # New York across the start of summer time: the week ends move from 05:00 to 04:00 UTC
    (utc(2026, 3, 18, 12), "America/New_York", utc(2026, 3, 2, 5), 9,
     [utc(2026, 3, 9, 4), utc(2026, 3, 16, 4)]),
    (utc(2026, 3, 18, 12), "America/New_York", None, 3,
     [utc(2026, 3, 2, 5), utc(2026, 3, 9, 4), utc(2026, 3, 16, 4)]),
])
def test_missing_weeks(now, tz, last, horizon, missing):
    assert missing_weeks(now, tz, last, horizon) == missing


def test_a_bad_horizon_or_zone_is_named():
    with pytest.raises(ValueError, match="horizon must be at least 1 week, got 0"):
        missing_weeks(NOW, "Asia/Seoul", None, 0)
    with pytest.raises(ValueError, match="unknown time zone: 'Mars/Olympus'"):
        missing_weeks(NOW, "Mars/Olympus", None, 4)


def test_rolling_points_are_answered_from_the_start_of_their_own_week():
    points = [NOW - timedelta(weeks=n) for n in (3, 2, 1, 0)]  # the trend's rolling ends
    assert anchors(points, "Asia/Seoul") == SEOUL_WEEKS
    assert all(start <= point < start + timedelta(weeks=1)
               for start, point in zip(SEOUL_WEEKS, points, strict=True))
