"""Readiness board rules: gate countdowns, colour bands, staffing forecasts and week ends.

Pure functions of their arguments; the clock (``at``) and the organisation's time zone are
passed in, so every rule is tested as a table on a frozen clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.gating import local_midnight, time_zone
from app.domain.refusals import Refused

AT_RISK_DAYS = 3
"""An uncertified assignment due within this many days (or overdue) puts its agent at risk."""

BANDS = 5
"""Colour bands of the board: under 25 %, 25-49 %, 50-74 %, 75-99 %, 100 %."""


@dataclass(frozen=True)
class Countdown:
    """How far a gate is from now, in local calendar days."""

    days: int  # >= 0
    gated: bool  # True once gate_at <= at


def countdown(gate_at: datetime, at: datetime, tz: str) -> Countdown:
    """Local calendar days between ``at`` and ``gate_at`` in ``tz``, and whether it is gated."""
    zone = time_zone(tz)
    gate_day = gate_at.astimezone(zone).date()
    today = at.astimezone(zone).date()
    if gate_at <= at:
        return Countdown(days=max(0, (today - gate_day).days), gated=True)
    return Countdown(days=max(0, (gate_day - today).days), gated=False)


def band(share: float | None) -> int | None:
    """The colour band (0-4) of a share certified; None when there is nothing to colour."""
    if share is None:
        return None
    return min(BANDS - 1, max(0, int(share * (BANDS - 1))))


@dataclass(frozen=True)
class CellLook:
    """How a board cell is shown: ``due`` False before its gate ("not due", with the countdown,
    in a neutral colour); from the gate on, the colour ``band`` of its share certified."""

    due: bool
    band: int | None


def cell_look(gate_at: datetime, at: datetime, share: float | None) -> CellLook:
    """A cell before its gate is not due: nobody is late yet, so no alarm colour whatever its
    share (a red 0 % weeks ahead of a gate says nothing). From ``gate_at`` on (rule 3: gated
    when ``gate_at <= at``) the share's band applies."""
    if at < gate_at:
        return CellLook(False, None)
    return CellLook(True, band(share))


def is_at_risk(due_at: datetime, at: datetime, certified: bool,
               days: int = AT_RISK_DAYS) -> bool:
    """An assignment not certified and due within ``days`` of ``at``, or overdue."""
    return not certified and due_at <= at + timedelta(days=days)


# --- staffing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillCounts:
    """Per skill: agents holding it, cleared now, and cleared with nothing due or expiring."""

    skill: str
    holders: int
    cleared: int
    steady: int  # cleared, nothing upcoming, no expiry: cleared at any later gate too


@dataclass(frozen=True)
class ClearedState:
    """A cleared agent-skill whose clearance may end: its upcoming dues and its expiry."""

    skill: str
    upcoming_due: tuple[datetime, ...]
    valid_until: datetime | None


@dataclass(frozen=True)
class ScheduledGate:
    """A requirement not gated yet: on ``skill`` from ``gate_at``, for ``teams`` (empty = all)."""

    skill: str
    gate_at: datetime
    teams: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Staffing:
    """Agents cleared for a skill now, and at its next gate if nothing changes."""

    skill: str
    holders: int
    cleared_now: int
    next_gate: datetime | None
    cleared_at_next_gate: int | None  # None when no gate is scheduled

    @property
    def losing(self) -> int:
        """How many cleared agents the next gate would block."""
        if self.cleared_at_next_gate is None:
            return 0
        return self.cleared_now - self.cleared_at_next_gate


def next_gates(gates: Iterable[ScheduledGate], teams: Iterable[str],
               at: datetime) -> dict[str, datetime]:
    """The earliest gate after ``at`` per skill among requirements that target ``teams``."""
    wanted = frozenset(teams)
    found: dict[str, datetime] = {}
    for gate in gates:
        if gate.gate_at <= at or (gate.teams and not gate.teams & wanted):
            continue
        if gate.skill not in found or gate.gate_at < found[gate.skill]:
            found[gate.skill] = gate.gate_at
    return found


def _still_cleared(state: ClearedState, gate: datetime) -> bool:
    if any(due <= gate for due in state.upcoming_due):
        return False
    return state.valid_until is None or state.valid_until > gate


def staffing(counts: Iterable[SkillCounts], cleared: Iterable[ClearedState],
             gates: dict[str, datetime]) -> list[Staffing]:
    """Per skill (by code): cleared now and cleared at the next gate if nothing changes."""
    by_skill: dict[str, list[ClearedState]] = {}
    for state in cleared:
        by_skill.setdefault(state.skill, []).append(state)
    rows = []
    for row in sorted(counts, key=lambda c: c.skill):
        gate = gates.get(row.skill)
        later = None
        if gate is not None:
            later = row.steady + sum(_still_cleared(s, gate) for s in by_skill.get(row.skill, ()))
        rows.append(Staffing(row.skill, row.holders, row.cleared, gate, later))
    return rows


# --- weeks -------------------------------------------------------------------------------

MAX_WEEKS = 52


def week_ends(at: datetime, weeks: int = 8) -> list[datetime]:
    """The ends of the last ``weeks`` rolling weeks, oldest first; the last one is ``at``."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be between 1 and {MAX_WEEKS}, got {weeks}")
    return [at - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]


def week_ends_between(start: date | None, end: date | None, at: datetime, tz: str,
                      default_weeks: int = 8) -> list[datetime]:
    """Weekly points from local day ``start`` to the end of local day ``end`` (or ``at``).

    The last point is the end of ``end`` (never later than ``at``); the others step back a
    week at a time while they are not before the start of ``start``. ValueError names the
    field at fault when the range is reversed or longer than a year.
    """
    last = at
    if end is not None:
        last = min(at, local_midnight(end + timedelta(days=1), tz))
    if start is None:
        return week_ends(last, default_weeks)
    first = local_midnight(start, tz)
    if first > last:
        raise Refused("range_start_after_end", start=start.isoformat())
    weeks = (last - first) // timedelta(weeks=1) + 1
    if weeks > MAX_WEEKS:
        raise Refused("range_too_long", weeks=weeks, most=MAX_WEEKS)
    return week_ends(last, weeks)
