"""When a requirement starts to block, when a certification runs out, and local days.

product.md section 3, rule 2 (gate_at) and rule 6 (expiry). Every result is a timezone-aware
UTC datetime; the organisation's time zone (``ONEVOICE_TIMEZONE``) is passed in by name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

GATES = ("deadline", "immediate")
"""Values of the front-matter ``gate:`` key; ``deadline`` (the default) gates at the start of
the deadline day, or of the effective day when no deadline is given."""


def time_zone(tz: str) -> ZoneInfo:
    """Return the IANA time zone called ``tz``; ValueError naming it when there is none."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def to_utc(at: datetime, name: str = "at") -> datetime:
    """Return ``at`` converted to UTC; ValueError when it is naive (has no time zone)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {at.isoformat()}")
    return at.astimezone(UTC)


def local_midnight(day: date, tz: str) -> datetime:
    """Return the instant (UTC) at which ``day`` begins in ``tz``."""
    # fold=0 picks the first 00:00 when midnight repeats, and the instant the day actually
    # starts when a DST jump skips midnight.
    return datetime.combine(day, time(0), tzinfo=time_zone(tz)).astimezone(UTC)


def gate_at(
    *, effective: date, deadline: date | None, gate: str, tz: str, published_at: datetime
) -> datetime:
    """Return the instant from which a published version's requirements block (rule 2).

    ``gate="immediate"`` gates from ``published_at``; otherwise the gate is the start of the
    deadline day (or the effective day without a deadline) in the organisation's time zone.
    """
    time_zone(tz)  # an unknown tz is an error even for "immediate"
    if gate not in GATES:
        raise ValueError(f"unknown gate: {gate!r} (expected one of {', '.join(GATES)})")
    if gate == "immediate":
        return to_utc(published_at, "published_at")
    return local_midnight(deadline or effective, tz)


def valid_until(passed_at: datetime, recertify_after_days: int | None) -> datetime | None:
    """Return when a certification passed at ``passed_at`` expires (rule 6); None = never."""
    passed_utc = to_utc(passed_at, "passed_at")
    if recertify_after_days is None:
        return None
    if recertify_after_days < 1:
        raise ValueError(
            f"recertify_after_days must be a positive number of days, got {recertify_after_days}"
        )
    return passed_utc + timedelta(days=recertify_after_days)


def start_of_local_day(at: datetime, tz: str) -> datetime:
    """Return the instant (UTC) at which the local day containing ``at`` began in ``tz``."""
    local = to_utc(at).astimezone(time_zone(tz))
    return local_midnight(local.date(), tz)


def next_local_midnight(at: datetime, tz: str) -> datetime:
    """Return the instant (UTC) at which the local day after the one containing ``at`` begins."""
    local = to_utc(at).astimezone(time_zone(tz))
    return local_midnight(local.date() + timedelta(days=1), tz)


def local_iso(at: datetime | None, tz: str) -> str:
    """An instant as ISO 8601 in the organisation's time zone with its offset
    (``2010-08-30T00:00:00+09:00``), as the CSV downloads write times; empty for None.

    The same instant as the UTC form, in the clock managers read on the board.
    """
    if at is None:
        return ""
    return to_utc(at).astimezone(time_zone(tz)).isoformat()
