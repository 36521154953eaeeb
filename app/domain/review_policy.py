"""What an agent sees after grading: the bulletin's review policy (front matter ``review:``).

The key (which option was correct) is shown according to the policy:

- ``after_pass`` (the default): when the attempt passed;
- ``after_cap``: when the attempt passed, or the agent has used today's attempts (the daily
  cap of rule 7), so the key can no longer be tried out in a retake the same day;
- ``always``: after every graded attempt;
- ``never``: never.

Explanations follow the key: one rule governs both. An explanation restates the correct value
("the WiBro ID works on hotspots"), so showing it while the key is hidden would give the key
away on the very page that says it is hidden. Rule 9 holds under every policy: nothing here
applies before grading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain.gating import start_of_local_day, to_utc

POLICIES = ("after_pass", "always", "never", "after_cap")
DEFAULT_POLICY = "after_pass"


@dataclass(frozen=True)
class Review:
    """What the agent is shown about a graded attempt's items."""

    policy: str
    show_key: bool
    show_explanation: bool


def decide(policy: str | None, *, passed: bool, cap_used: bool) -> Review:
    """Return what a graded attempt reveals under ``policy`` (None = ``after_pass``)."""
    policy = policy or DEFAULT_POLICY
    if policy not in POLICIES:
        raise ValueError(f"unknown review policy {policy!r} (expected one of "
                         f"{', '.join(POLICIES)})")
    show_key = {
        "never": False,
        "always": True,
        "after_pass": passed,
        "after_cap": passed or cap_used,
    }[policy]
    return Review(policy, show_key=show_key, show_explanation=show_key)


def daily_cap_used(started_at: Iterable[datetime], now: datetime, *, daily_cap: int, tz: str,
                   unlocked_at: datetime | None = None) -> bool:
    """Tell whether the attempts started today (local day in ``tz``) reach ``daily_cap``.

    Attempts started before a manager's ``unlocked_at`` do not count, as for retakes: an
    unlocked agent may try again, so the key stays hidden.
    """
    if daily_cap < 1:
        raise ValueError(f"daily_cap must be at least 1, got {daily_cap}")
    since = start_of_local_day(to_utc(now, "now"), tz)
    if unlocked_at is not None:
        since = max(since, to_utc(unlocked_at, "unlocked_at"))
    return sum(1 for started in started_at if started >= since) >= daily_cap
