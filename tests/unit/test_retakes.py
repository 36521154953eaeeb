"""Retakes (rule 7): cooldown after a fail and a daily cap on the organisation's local day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.retakes import (
    DEFAULT_COOLDOWN,
    DEFAULT_DAILY_CAP,
    PastAttempt,
    RetakeStatus,
    retake_status,
)

SEOUL = "Asia/Seoul"
NOW = datetime(2024, 3, 10, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
SEOUL_MIDNIGHT = datetime(2024, 3, 9, 15, 0, tzinfo=UTC)  # 2024-03-10 00:00 in Seoul
NEXT_SEOUL_MIDNIGHT = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def failed(submitted_ago: timedelta, took=5 * MIN, now=NOW) -> PastAttempt:
    end = now - submitted_ago
    return PastAttempt(started_at=end - took, submitted_at=end, passed=False)


def passed(submitted_ago: timedelta, took=5 * MIN, now=NOW) -> PastAttempt:
    end = now - submitted_ago
    return PastAttempt(started_at=end - took, submitted_at=end, passed=True)


def started(at: datetime) -> PastAttempt:
    """An attempt started at ``at`` and never submitted (in progress or expired)."""
    return PastAttempt(started_at=at, submitted_at=None, passed=None)


ALLOWED = RetakeStatus(allowed=True)


def cooldown_until(at: datetime) -> RetakeStatus:
    return RetakeStatus(allowed=False, retry_at=at, reason="cooldown")


def capped_until(at: datetime) -> RetakeStatus:
    return RetakeStatus(allowed=False, retry_at=at, reason="daily_cap")


LATE_NOW = datetime(2024, 3, 10, 14, 55, tzinfo=UTC)  # 23:55 in Seoul

# One case per row reads better than one argument per line.
# fmt: off
CASES = [
    # id, attempts, now, unlocked_at, expected
    ("no-attempts", [], NOW, None, ALLOWED),
    ("passed-just-now-no-cooldown", [passed(MIN)], NOW, None, ALLOWED),
    ("failed-5-min-ago-cooldown", [failed(5 * MIN)], NOW, None, cooldown_until(NOW + 5 * MIN)),
    ("failed-exactly-cooldown-ago", [failed(10 * MIN)], NOW, None, ALLOWED),
    ("failed-one-second-short", [failed(10 * MIN - timedelta(seconds=1))], NOW, None,
     cooldown_until(NOW + timedelta(seconds=1))),
    ("cooldown-from-latest-fail", [failed(2 * MIN), failed(30 * MIN)], NOW, None,
     cooldown_until(NOW + 8 * MIN)),
    ("unsubmitted-attempt-no-cooldown", [started(NOW - MIN)], NOW, None, ALLOWED),
    ("two-today-allowed", [failed(3 * 60 * MIN), failed(2 * 60 * MIN)], NOW, None, ALLOWED),
    ("three-today-capped-until-seoul-midnight",
     [failed(3 * 60 * MIN), failed(2 * 60 * MIN), failed(60 * MIN)], NOW, None,
     capped_until(NEXT_SEOUL_MIDNIGHT)),
    ("cap-counts-passed-and-unsubmitted",
     [passed(3 * 60 * MIN), started(NOW - 2 * 60 * MIN), failed(60 * MIN)], NOW, None,
     capped_until(NEXT_SEOUL_MIDNIGHT)),
    ("cap-and-cooldown-report-later-midnight",
     [failed(3 * 60 * MIN), failed(2 * 60 * MIN), failed(MIN)], NOW, None,
     capped_until(NEXT_SEOUL_MIDNIGHT)),
    ("cap-and-cooldown-report-later-cooldown",
     [failed(3 * 60 * MIN, now=LATE_NOW), failed(2 * 60 * MIN, now=LATE_NOW),
      failed(MIN, now=LATE_NOW)], LATE_NOW, None,
     cooldown_until(LATE_NOW + 9 * MIN)),
    ("seoul-day-boundary-second-before-midnight-not-today",
     [started(SEOUL_MIDNIGHT - timedelta(seconds=1)), started(SEOUL_MIDNIGHT + MIN),
      started(SEOUL_MIDNIGHT + 2 * MIN)], NOW, None, ALLOWED),
    ("seoul-day-boundary-midnight-is-today",
     [started(SEOUL_MIDNIGHT), started(SEOUL_MIDNIGHT + MIN), started(SEOUL_MIDNIGHT + 2 * MIN)],
     NOW, None, capped_until(NEXT_SEOUL_MIDNIGHT)),
    ("utc-morning-is-seoul-afternoon-same-day",  # 15:30 UTC on the 9th is 00:30 on the 10th
     [started(datetime(2024, 3, 9, 15, 30, tzinfo=UTC)), started(NOW - 2 * MIN),
      started(NOW - MIN)], NOW, None, capped_until(NEXT_SEOUL_MIDNIGHT)),
    ("cap-lifts-at-seoul-midnight",
     [started(NEXT_SEOUL_MIDNIGHT - 3 * MIN), started(NEXT_SEOUL_MIDNIGHT - 2 * MIN),
      started(NEXT_SEOUL_MIDNIGHT - MIN)], NEXT_SEOUL_MIDNIGHT, None, ALLOWED),
    ("unlock-clears-cap",
     [failed(3 * 60 * MIN), failed(2 * 60 * MIN), failed(60 * MIN)], NOW, NOW - 30 * MIN, ALLOWED),
    ("unlock-clears-cooldown", [failed(2 * MIN)], NOW, NOW - MIN, ALLOWED),
    ("attempt-after-unlock-counts", [failed(2 * MIN, took=MIN)], NOW, NOW - 4 * MIN,
     cooldown_until(NOW + 8 * MIN)),
    ("attempts-after-unlock-reach-cap",
     [failed(3 * 60 * MIN), failed(2 * 60 * MIN), failed(60 * MIN), failed(50 * MIN)],
     NOW, NOW - 2 * 60 * MIN - 10 * MIN, capped_until(NEXT_SEOUL_MIDNIGHT)),
]
# fmt: on


@pytest.mark.parametrize(
    ("attempts", "now", "unlocked_at", "expected"), [pytest.param(*r[1:], id=r[0]) for r in CASES]
)
def test_retake_status(attempts, now, unlocked_at, expected):
    got = retake_status(
        attempts,
        now,
        cooldown=DEFAULT_COOLDOWN,
        daily_cap=DEFAULT_DAILY_CAP,
        tz=SEOUL,
        unlocked_at=unlocked_at,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("cooldown", "daily_cap", "tz", "expected"),
    [
        pytest.param(timedelta(0), 3, SEOUL, ALLOWED, id="no-cooldown"),
        pytest.param(timedelta(hours=1), 3, SEOUL, cooldown_until(NOW + 55 * MIN), id="long"),
        pytest.param(timedelta(0), 1, SEOUL, capped_until(NEXT_SEOUL_MIDNIGHT), id="cap-of-one"),
        pytest.param(
            timedelta(0),
            1,
            "UTC",
            capped_until(datetime(2024, 3, 11, tzinfo=UTC)),
            id="cap-in-utc-organisation",
        ),
    ],
)
def test_retake_settings(cooldown, daily_cap, tz, expected):
    got = retake_status([failed(5 * MIN)], NOW, cooldown=cooldown, daily_cap=daily_cap, tz=tz)
    assert got == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"daily_cap": 0}, "daily_cap", id="zero-cap"),
        pytest.param({"cooldown": -MIN}, "cooldown", id="negative-cooldown"),
        pytest.param({"tz": "Nowhere/Land"}, "time zone", id="unknown-tz"),
        pytest.param({"now": datetime(2024, 3, 10, 12)}, "now must be timezone-aware", id="naive"),
    ],
)
def test_retake_status_rejects(kwargs, message):
    args = {"now": NOW, "cooldown": DEFAULT_COOLDOWN, "daily_cap": 3, "tz": SEOUL, **kwargs}
    now = args.pop("now")
    with pytest.raises(ValueError, match=message):
        retake_status([], now, **args)
