"""Sign-in throttling: a progressive delay, then a temporary lock (pure; no clock of its own).

Failures are counted in a fixed window that starts at the first failure and lasts
``window``. The first ``free`` failures cost nothing; from then on each attempt must wait
``delay`` after the last failure, doubled with every further failure up to ``max_delay``;
the ``lock_after``-th failure locks for ``lock_for``. While the window lasts, every further
failure locks again. The same rule serves accounts, client addresses and bad API tokens with
different numbers (app/services/accounts/throttle.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Rule:
    """The numbers of one throttle."""

    free: int
    lock_after: int
    delay: timedelta
    max_delay: timedelta
    lock_for: timedelta
    window: timedelta


@dataclass(frozen=True)
class Count:
    """What is known of one account's (or address's) recent failures."""

    failures: int = 0
    window_started_at: datetime | None = None
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


NONE = Count()


def current(rule: Rule, count: Count, now: datetime) -> Count:
    """The count as it stands at ``now``: a window that has run out is forgotten."""
    if count.window_started_at is None or now - count.window_started_at >= rule.window:
        if count.locked_until is not None and count.locked_until > now:
            return Count(0, None, None, count.locked_until)  # a lock still runs its course
        return NONE
    return count


def delay_after(rule: Rule, failures: int) -> timedelta:
    """The wait after the ``failures``-th failure (zero while failures are free)."""
    if failures < rule.free:
        return timedelta(0)
    steps = failures - rule.free
    return min(rule.max_delay, rule.delay * (2 ** min(steps, 30)))


def retry_at(rule: Rule, count: Count, now: datetime) -> datetime | None:
    """When the next attempt may be made, or None when it may be made now."""
    count = current(rule, count, now)
    if count.locked_until is not None and count.locked_until > now:
        return count.locked_until
    if count.last_failure_at is None:
        return None
    allowed = count.last_failure_at + delay_after(rule, count.failures)
    return allowed if allowed > now else None


def after_failure(rule: Rule, count: Count, now: datetime) -> tuple[Count, bool]:
    """The count after one more failure at ``now``, and whether this failure started a lock."""
    count = current(rule, count, now)
    failures = count.failures + 1
    started = count.window_started_at or now
    was_locked = count.locked_until is not None and count.locked_until > now
    locked_until = count.locked_until if was_locked else None
    if failures >= rule.lock_after and not was_locked:
        locked_until = now + rule.lock_for
    return Count(failures, started, now, locked_until), locked_until is not None and not was_locked


def retry_after_seconds(details, now: datetime) -> int:
    """Whole seconds until ``details["retry_at"]`` (ISO 8601), at least 1; 60 without it."""
    try:
        retry_at = datetime.fromisoformat(details["retry_at"])
    except (TypeError, KeyError, ValueError):
        return 60
    if retry_at.tzinfo is None:
        retry_at = retry_at.replace(tzinfo=UTC)
    return max(1, math.ceil((retry_at - now).total_seconds()))
