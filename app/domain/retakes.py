"""May an agent start another attempt now? Cooldown and daily cap (rule 7).

"Today" is the organisation's local day, so the cap resets at local midnight (Seoul by
default), not at UTC midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.gating import next_local_midnight, start_of_local_day, to_utc

DEFAULT_COOLDOWN = timedelta(minutes=10)
DEFAULT_DAILY_CAP = 3

COOLDOWN = "cooldown"
DAILY_CAP = "daily_cap"


@dataclass(frozen=True)
class PastAttempt:
    """An earlier attempt by the same agent on the same bulletin."""

    started_at: datetime
    submitted_at: datetime | None  # None while in progress, or when it expired ungraded
    passed: bool | None  # None until graded


@dataclass(frozen=True)
class RetakeStatus:
    """Whether a new attempt may start now; if not, from when and why."""

    allowed: bool
    retry_at: datetime | None = None
    reason: str | None = None  # COOLDOWN | DAILY_CAP


def _check_settings(cooldown: timedelta, daily_cap: int) -> None:
    if daily_cap < 1:
        raise ValueError(f"daily_cap must be at least 1, got {daily_cap}")
    if cooldown < timedelta(0):
        raise ValueError(f"cooldown must not be negative, got {cooldown}")


def _cooldown_ends(attempts: Sequence[PastAttempt], cooldown: timedelta) -> datetime | None:
    failed = [a.submitted_at for a in attempts if a.submitted_at is not None and a.passed is False]
    return max(failed) + cooldown if failed else None


def retake_status(
    attempts: Sequence[PastAttempt],
    now: datetime,
    *,
    cooldown: timedelta,
    daily_cap: int,
    tz: str,
    unlocked_at: datetime | None = None,
) -> RetakeStatus:
    """Tell whether a new attempt may start at ``now`` given the earlier ``attempts``.

    Attempts started before a manager's ``unlocked_at`` are ignored. The daily cap counts
    every attempt started since local midnight in ``tz``; the cooldown runs from the latest
    failed submission. When both block, the later ``retry_at`` (and its reason) is reported.
    """
    _check_settings(cooldown, daily_cap)
    now = to_utc(now, "now")
    if unlocked_at is not None:
        unlocked_at = to_utc(unlocked_at, "unlocked_at")
        attempts = [a for a in attempts if a.started_at >= unlocked_at]
    blocks: list[tuple[datetime, str]] = []
    day_start = start_of_local_day(now, tz)
    if sum(1 for a in attempts if day_start <= a.started_at) >= daily_cap:
        blocks.append((next_local_midnight(now, tz), DAILY_CAP))
    cooldown_ends = _cooldown_ends(attempts, cooldown)
    if cooldown_ends is not None and cooldown_ends > now:
        blocks.append((cooldown_ends, COOLDOWN))
    if not blocks:
        return RetakeStatus(allowed=True)
    retry_at, reason = max(blocks)
    return RetakeStatus(allowed=False, retry_at=retry_at, reason=reason)
