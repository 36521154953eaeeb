"""The sign-in throttling rule (app/domain/throttle.py) on a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.throttle import NONE, Count, Rule, after_failure, current, delay_after, retry_at

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)
RULE = Rule(free=3, lock_after=6, delay=S, max_delay=4 * S, lock_for=timedelta(minutes=15),
            window=timedelta(hours=1))


def fail_times(offsets: list[int]) -> tuple[Count, list[bool]]:
    """Failures at T0 + each offset (seconds); the count after and which started a lock."""
    count, started = NONE, []
    for offset in offsets:
        count, locked = after_failure(RULE, count, T0 + offset * S)
        started.append(locked)
    return count, started


@pytest.mark.parametrize(("failures", "delay"), [
    (0, 0), (1, 0), (2, 0), (3, 1), (4, 2), (5, 4), (6, 4), (40, 4), (10_000, 4)])
def test_delay_doubles_after_the_free_failures_up_to_the_cap(failures, delay):
    assert delay_after(RULE, failures) == delay * S


@pytest.mark.parametrize(("offsets", "now", "expected"), [
    ([], 0, None),                              # nothing failed: go ahead
    ([0, 1], 1, None),                          # free failures cost nothing
    ([0, 1, 2], 2, 3),                          # the 3rd: wait 1 s after it
    ([0, 1, 2], 3, None),                       # ... and not longer
    ([0, 1, 2, 3], 4, 5),                       # the 4th: 2 s
    ([0, 1, 2, 3, 5], 6, 9),                    # the 5th: 4 s
    ([0, 1, 2, 3, 5, 9], 10, 9 + 15 * 60),      # the 6th locks for 15 minutes
    ([0, 1, 2, 3, 5, 9], 9 + 15 * 60, None),    # the lock has run out
    ([0, 1, 2], 3600, None),                    # the window has run out: forgotten
])
def test_when_the_next_attempt_may_be_made(offsets, now, expected):
    count, _ = fail_times(offsets)
    wait = retry_at(RULE, count, T0 + now * S)
    assert wait == (None if expected is None else T0 + expected * S)


def test_only_the_failure_that_reaches_the_threshold_starts_a_lock():
    count, started = fail_times([0, 1, 2, 3, 5, 9])
    assert started == [False] * 5 + [True]
    assert count.failures == 6 and count.locked_until == T0 + 9 * S + RULE.lock_for


def test_a_failure_after_the_lock_within_the_window_locks_again():
    count, started = fail_times([0, 1, 2, 3, 5, 9, 9 + 15 * 60])
    assert started[-1] is True
    assert count.locked_until == T0 + (9 + 30 * 60) * S


def test_the_window_counts_from_the_first_failure():
    count, _ = fail_times([0, 1, 2, 3])
    later, locked = after_failure(RULE, count, T0 + timedelta(hours=1))
    assert (later.failures, later.window_started_at, locked) == (1, T0 + timedelta(hours=1),
                                                                False)


def test_a_lock_outlives_the_end_of_its_window():
    long_lock = Rule(free=1, lock_after=2, delay=S, max_delay=S, lock_for=timedelta(hours=2),
                     window=timedelta(hours=1))
    count, _ = after_failure(long_lock, NONE, T0)
    count, locked = after_failure(long_lock, count, T0 + S)
    assert locked
    at = T0 + timedelta(hours=1, minutes=30)
    assert current(long_lock, count, at).failures == 0
    assert retry_at(long_lock, count, at) == T0 + S + timedelta(hours=2)
    assert retry_at(long_lock, count, T0 + S + timedelta(hours=2)) is None
