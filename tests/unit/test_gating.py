"""gate_at (rule 2), valid_until (rule 6) and local-day helpers, on a frozen clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.gating import (
    gate_at,
    local_iso,
    local_midnight,
    next_local_midnight,
    start_of_local_day,
    time_zone,
    to_utc,
    valid_until,
)

SEOUL = "Asia/Seoul"
PUBLISHED = datetime(2010, 8, 20, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("effective", "deadline", "gate", "tz", "expected"),
    [
        pytest.param(
            date(2010, 9, 1),
            None,
            "deadline",
            SEOUL,
            datetime(2010, 8, 31, 15, 0, tzinfo=UTC),
            id="effective-day-start-in-seoul",
        ),
        pytest.param(
            date(2010, 9, 1),
            date(2010, 8, 30),
            "deadline",
            SEOUL,
            datetime(2010, 8, 29, 15, 0, tzinfo=UTC),
            id="deadline-moves-gate",
        ),
        pytest.param(
            date(2010, 9, 1),
            None,
            "deadline",
            "UTC",
            datetime(2010, 9, 1, tzinfo=UTC),
            id="utc-organisation",
        ),
        pytest.param(
            date(2024, 7, 1),
            None,
            "deadline",
            "America/New_York",
            datetime(2024, 7, 1, 4, 0, tzinfo=UTC),
            id="summer-time-west-of-utc",
        ),
        pytest.param(
            date(2024, 1, 15),
            None,
            "deadline",
            "America/New_York",
            datetime(2024, 1, 15, 5, 0, tzinfo=UTC),
            id="winter-time-west-of-utc",
        ),
        pytest.param(
            date(2010, 9, 1),
            date(2010, 8, 30),
            "immediate",
            SEOUL,
            PUBLISHED,
            id="immediate-ignores-dates",
        ),
        pytest.param(
            date(2010, 9, 1),
            None,
            "immediate",
            SEOUL,
            PUBLISHED,
            id="immediate-no-deadline",
        ),
    ],
)
def test_gate_at(effective, deadline, gate, tz, expected):
    got = gate_at(effective=effective, deadline=deadline, gate=gate, tz=tz, published_at=PUBLISHED)
    assert got == expected
    assert got.tzinfo is UTC


def test_gate_immediate_converts_published_at_to_utc():
    kst = timezone(timedelta(hours=9))
    published = datetime(2010, 8, 20, 14, 30, tzinfo=kst)
    got = gate_at(
        effective=date(2010, 9, 1),
        deadline=None,
        gate="immediate",
        tz=SEOUL,
        published_at=published,
    )
    assert got == PUBLISHED and got.tzinfo is UTC


@pytest.mark.parametrize(
    ("gate", "tz", "message"),
    [
        pytest.param("someday", SEOUL, "unknown gate", id="unknown-gate"),
        pytest.param("deadline", "Mars/Olympus", "unknown time zone", id="unknown-tz"),
        pytest.param("immediate", "Mars/Olympus", "unknown time zone", id="unknown-tz-immediate"),
        pytest.param("deadline", "", "unknown time zone", id="empty-tz"),
        pytest.param("deadline", "../etc/passwd", "unknown time zone", id="path-tz"),
    ],
)
def test_gate_at_rejects(gate, tz, message):
    with pytest.raises(ValueError, match=message):
        gate_at(effective=date(2010, 9, 1), deadline=None, gate=gate, tz=tz, published_at=PUBLISHED)


def test_gate_immediate_rejects_naive_published_at():
    with pytest.raises(ValueError, match="published_at must be timezone-aware"):
        gate_at(
            effective=date(2010, 9, 1),
            deadline=None,
            gate="immediate",
            tz=SEOUL,
            published_at=datetime(2010, 8, 20, 5, 30),
        )


PASSED = datetime(2010, 9, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(None, None, id="no-expiry"),
        pytest.param(180, PASSED + timedelta(days=180), id="180-days"),
        pytest.param(1, PASSED + timedelta(days=1), id="one-day"),
    ],
)
def test_valid_until(days, expected):
    assert valid_until(PASSED, days) == expected


@pytest.mark.parametrize("days", [0, -5], ids=["zero", "negative"])
def test_valid_until_rejects_non_positive_days(days):
    with pytest.raises(ValueError, match="recertify_after_days"):
        valid_until(PASSED, days)


@pytest.mark.parametrize(
    ("at", "tz", "start", "next_midnight"),
    [
        pytest.param(
            datetime(2024, 3, 10, 14, 59, 59, tzinfo=UTC),
            SEOUL,
            datetime(2024, 3, 9, 15, tzinfo=UTC),
            datetime(2024, 3, 10, 15, tzinfo=UTC),
            id="seoul-one-second-before-midnight",
        ),
        pytest.param(
            datetime(2024, 3, 10, 15, 0, tzinfo=UTC),
            SEOUL,
            datetime(2024, 3, 10, 15, tzinfo=UTC),
            datetime(2024, 3, 11, 15, tzinfo=UTC),
            id="seoul-exactly-midnight",
        ),
        pytest.param(
            datetime(2024, 3, 10, 23, 0, tzinfo=UTC),
            "UTC",
            datetime(2024, 3, 10, tzinfo=UTC),
            datetime(2024, 3, 11, tzinfo=UTC),
            id="utc",
        ),
        pytest.param(
            datetime(2024, 3, 10, 12, 0, tzinfo=UTC),
            "America/New_York",
            datetime(2024, 3, 10, 5, tzinfo=UTC),
            datetime(2024, 3, 11, 4, tzinfo=UTC),
            id="new-york-spring-forward-day-is-23-hours",
        ),
        pytest.param(
            datetime(2024, 11, 3, 12, 0, tzinfo=UTC),
            "America/New_York",
            datetime(2024, 11, 3, 4, tzinfo=UTC),
            datetime(2024, 11, 4, 5, tzinfo=UTC),
            id="new-york-fall-back-day-is-25-hours",
        ),
        pytest.param(
            # Santiago skipped local midnight on 2022-09-11: the day began at 01:00 (-03).
            datetime(2022, 9, 11, 12, 0, tzinfo=UTC),
            "America/Santiago",
            datetime(2022, 9, 11, 4, tzinfo=UTC),
            datetime(2022, 9, 12, 3, tzinfo=UTC),
            id="santiago-midnight-skipped-by-dst",
        ),
    ],
)
def test_local_day_bounds(at, tz, start, next_midnight):
    assert start_of_local_day(at, tz) == start
    assert next_local_midnight(at, tz) == next_midnight
    assert start <= at < next_midnight


def test_local_midnight_is_utc():
    got = local_midnight(date(2010, 9, 1), SEOUL)
    assert got == datetime(2010, 8, 31, 15, tzinfo=UTC) and got.tzinfo is UTC


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: start_of_local_day(datetime(2024, 1, 1), SEOUL), id="start-naive"),
        pytest.param(lambda: next_local_midnight(datetime(2024, 1, 1), SEOUL), id="next-naive"),
        pytest.param(lambda: valid_until(datetime(2024, 1, 1), 10), id="valid-until-naive"),
        pytest.param(lambda: to_utc(datetime(2024, 1, 1)), id="to-utc-naive"),
        pytest.param(lambda: time_zone("No/Such_Zone"), id="unknown-zone"),
    ],
)
def test_rejects_naive_datetimes_and_unknown_zones(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(("at", "tz", "expected"), [
    (datetime(2010, 8, 29, 15, 0, tzinfo=UTC), SEOUL, "2010-08-30T00:00:00+09:00"),
    (datetime(2010, 8, 29, 15, 0, 5, 250000, tzinfo=UTC), SEOUL,
     "2010-08-30T00:00:05.250000+09:00"),
    (datetime(2010, 8, 29, 15, 0, tzinfo=UTC), "UTC", "2010-08-29T15:00:00+00:00"),
    (datetime(2010, 8, 29, 15, 0, tzinfo=UTC), "America/New_York", "2010-08-29T11:00:00-04:00"),
    (datetime(2010, 12, 29, 15, 0, tzinfo=UTC), "America/New_York", "2010-12-29T10:00:00-05:00"),
    (None, SEOUL, ""),
])
def test_local_iso_keeps_the_instant_with_the_local_offset(at, tz, expected):
    assert local_iso(at, tz) == expected
    if at is not None:
        assert datetime.fromisoformat(local_iso(at, tz)) == at
