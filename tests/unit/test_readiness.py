"""Readiness board rules on a frozen clock: countdowns, bands, at-risk, staffing, weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.readiness import (
    CellLook,
    ClearedState,
    Countdown,
    ScheduledGate,
    SkillCounts,
    band,
    cell_look,
    countdown,
    is_at_risk,
    next_gates,
    staffing,
    week_ends,
    week_ends_between,
)

SEOUL = "Asia/Seoul"
# 2010-08-27 10:00 in Seoul
NOW = datetime(2010, 8, 27, 1, 0, tzinfo=UTC)
GATE = datetime(2010, 8, 29, 15, 0, tzinfo=UTC)  # 2010-08-30 00:00 in Seoul


@pytest.mark.parametrize(("gate", "at", "tz", "expected"), [
    (GATE, NOW, SEOUL, Countdown(3, False)),
    (GATE, GATE - timedelta(minutes=1), SEOUL, Countdown(1, False)),  # 23:59 the day before
    (GATE, GATE, SEOUL, Countdown(0, True)),
    (GATE, GATE + timedelta(hours=23), SEOUL, Countdown(0, True)),  # same local day
    (GATE, GATE + timedelta(days=2, hours=1), SEOUL, Countdown(2, True)),
    # 2010-08-29 15:00 UTC is still the 29th in UTC: the local day decides.
    (GATE, datetime(2010, 8, 29, 14, 0, tzinfo=UTC), "UTC", Countdown(0, False)),
    (GATE, datetime(2010, 8, 29, 14, 0, tzinfo=UTC), SEOUL, Countdown(1, False)),
])
def test_countdown_in_local_days(gate, at, tz, expected):
    assert countdown(gate, at, tz) == expected


@pytest.mark.parametrize(("share", "expected"), [
    (None, None), (0.0, 0), (0.2499, 0), (0.25, 1), (0.5, 2), (0.75, 3), (0.99, 3), (1.0, 4),
])
def test_band(share, expected):
    assert band(share) == expected


@pytest.mark.parametrize(("gate", "at", "share", "expected"), [
    (GATE, GATE - timedelta(days=27), 0.0, CellLook(False, None)),  # weeks ahead: not red 0 %
    (GATE, GATE - timedelta(seconds=1), 0.0, CellLook(False, None)),
    (GATE, GATE - timedelta(days=1), 1.0, CellLook(False, None)),  # all passed early: not due
    (GATE, GATE, 0.0, CellLook(True, 0)),  # gated at gate_at itself (rule 3)
    (GATE, GATE, 0.5, CellLook(True, 2)),
    (GATE, GATE + timedelta(days=3), 1.0, CellLook(True, 4)),
    (GATE, GATE + timedelta(days=3), None, CellLook(True, None)),
])
def test_cells_before_their_gate_are_not_due(gate, at, share, expected):
    assert cell_look(gate, at, share) == expected


@pytest.mark.parametrize(("due", "certified", "expected"), [
    (NOW - timedelta(days=1), False, True),  # overdue
    (NOW + timedelta(days=3), False, True),  # due within 3 days
    (NOW + timedelta(days=3, seconds=1), False, False),
    (NOW - timedelta(days=1), True, False),  # certified: never at risk
])
def test_is_at_risk(due, certified, expected):
    assert is_at_risk(due, NOW, certified) is expected


def test_next_gates_skip_past_and_other_teams():
    gates = [
        ScheduledGate("wifi", GATE, frozenset({"wired_care"})),
        ScheduledGate("wifi", GATE + timedelta(days=5)),
        ScheduledGate("wibro", NOW - timedelta(days=1)),  # already gated
        ScheduledGate("wired", GATE + timedelta(days=1), frozenset({"wired_care"})),
    ]
    assert next_gates(gates, ["wibro_care"], NOW) == {"wifi": GATE + timedelta(days=5)}
    assert next_gates(gates, ["wired_care"], NOW) == {"wifi": GATE,
                                                      "wired": GATE + timedelta(days=1)}


def test_staffing_forecast_at_the_next_gate():
    counts = [SkillCounts("wifi", holders=10, cleared=8, steady=3),
              SkillCounts("wibro", holders=4, cleared=4, steady=4)]
    cleared = [
        ClearedState("wifi", (GATE,), None),  # due at the gate: blocked then
        ClearedState("wifi", (GATE + timedelta(days=9),), None),  # due later: still cleared
        ClearedState("wifi", (), GATE - timedelta(hours=1)),  # expires before the gate
        ClearedState("wifi", (), GATE + timedelta(days=1)),  # expires after it
        ClearedState("wifi", (GATE,), GATE + timedelta(days=1)),
    ]
    wibro, wifi = staffing(counts, cleared, {"wifi": GATE})
    assert (wifi.skill, wifi.cleared_now, wifi.next_gate, wifi.cleared_at_next_gate) == (
        "wifi", 8, GATE, 5)
    assert wifi.losing == 3
    assert (wibro.next_gate, wibro.cleared_at_next_gate, wibro.losing) == (None, None, 0)


def test_week_ends_are_rolling_weeks_ending_now():
    ends = week_ends(NOW, 3)
    assert ends == [NOW - timedelta(weeks=2), NOW - timedelta(weeks=1), NOW]
    with pytest.raises(ValueError, match="weeks must be between 1 and 52"):
        week_ends(NOW, 0)


def test_week_ends_between_local_days():
    end_of_aug_20 = datetime(2010, 8, 20, 15, 0, tzinfo=UTC)  # 21 Aug 00:00 Seoul
    ends = week_ends_between(date(2010, 8, 6), date(2010, 8, 20), NOW, SEOUL)
    assert ends == [end_of_aug_20 - timedelta(weeks=2), end_of_aug_20 - timedelta(weeks=1),
                    end_of_aug_20]
    assert week_ends_between(None, None, NOW, SEOUL) == week_ends(NOW, 8)
    assert week_ends_between(None, date(2030, 1, 1), NOW, SEOUL)[-1] == NOW  # never the future
    with pytest.raises(ValueError, match="from: 2010-08-28 is after the end"):
        week_ends_between(date(2010, 8, 28), date(2010, 8, 20), NOW, SEOUL)
    with pytest.raises(ValueError, match="at most 52"):
        week_ends_between(date(2008, 1, 1), None, NOW, SEOUL)
