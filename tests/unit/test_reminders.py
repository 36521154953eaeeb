"""Inbox notices per assignment (reminders and publication news) as a table, frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.reminders import (
    CERTIFIED,
    DUE_SOON,
    MANAGER_REMINDER,
    OVERDUE,
    PUBLISHED,
    RECENT,
    REMINDERS,
    AssignmentState,
    ReminderCase,
    ReminderDecision,
    notices_for,
    reminder_decision,
    resolved_reminders,
)

NOW = datetime(2030, 3, 5, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)
OLD = NOW - 30 * DAY  # assigned long ago: no "published" news


def state(due, assigned=OLD, certified=False, in_force=True) -> AssignmentState:
    return AssignmentState(due_at=due, assigned_at=assigned, certified=certified,
                           in_force=in_force)


@pytest.mark.parametrize(("assignment", "kinds"), [
    (state(NOW + 10 * DAY), ()),
    (state(NOW + 3 * DAY), (DUE_SOON,)),  # exactly three days ahead is "within"
    (state(NOW + 3 * DAY + timedelta(seconds=1)), ()),
    (state(NOW + DAY), (DUE_SOON,)),
    (state(NOW), (OVERDUE,)),
    (state(NOW - DAY), (OVERDUE,)),
    (state(NOW - DAY, certified=True), ()),
    (state(NOW + DAY, certified=True), ()),
    (state(NOW - DAY, in_force=False), ()),  # retired: nothing to chase
    (state(NOW + 10 * DAY, assigned=NOW - DAY), (PUBLISHED,)),
    (state(NOW + DAY, assigned=NOW - DAY), (PUBLISHED, DUE_SOON)),
    (state(NOW - DAY, assigned=NOW - 2 * DAY), (PUBLISHED, OVERDUE)),
    (state(NOW + DAY, assigned=NOW, certified=True), (PUBLISHED,)),  # minor change: news only
    (state(NOW + 10 * DAY, assigned=NOW - 7 * DAY), (PUBLISHED,)),
    (state(NOW + 10 * DAY, assigned=NOW - 8 * DAY), ()),
    (state(NOW + 10 * DAY, assigned=NOW + DAY), ()),  # not yet assigned at that instant
    (state(NOW + 10 * DAY, assigned=NOW, in_force=False), ()),
])
def test_notices_for(assignment, kinds):
    assert notices_for(assignment, NOW) == kinds


@pytest.mark.parametrize(("assignment", "resolved"), [
    (state(NOW + DAY), ()),
    (state(NOW - DAY), (DUE_SOON,)),
    (state(NOW + DAY, certified=True), REMINDERS),
    (state(NOW - DAY, certified=True), REMINDERS),
    (state(NOW - DAY, in_force=False), REMINDERS),
])
def test_resolved_reminders(assignment, resolved):
    assert resolved_reminders(assignment, NOW) == resolved


# --- reminders a manager sends: at most one per agent and version per interval --------------

HOURS_24 = timedelta(hours=24)


@pytest.mark.parametrize(("certified", "last_sent", "expected"), [
    (False, None, ReminderDecision(True)),
    (False, NOW - 25 * timedelta(hours=1), ReminderDecision(True)),
    (False, NOW - HOURS_24, ReminderDecision(True)),  # exactly the interval ago: may go again
    (False, NOW - HOURS_24 + timedelta(seconds=1),
     ReminderDecision(False, RECENT, NOW + timedelta(seconds=1))),
    (False, NOW - timedelta(hours=2), ReminderDecision(False, RECENT, NOW + timedelta(hours=22))),
    (False, NOW, ReminderDecision(False, RECENT, NOW + HOURS_24)),
    (True, None, ReminderDecision(False, CERTIFIED)),
    (True, NOW - timedelta(hours=2), ReminderDecision(False, CERTIFIED)),  # certified wins
])
def test_reminder_decision(certified, last_sent, expected):
    assert reminder_decision(ReminderCase(certified, last_sent), NOW, HOURS_24) == expected


def test_the_interval_is_a_parameter():
    case = ReminderCase(False, NOW - timedelta(hours=3))
    assert reminder_decision(case, NOW, timedelta(hours=2)).allowed
    assert not reminder_decision(case, NOW, timedelta(hours=4)).allowed


def test_a_managers_reminder_is_resolved_once_certified():
    assert MANAGER_REMINDER in resolved_reminders(state(NOW - DAY, certified=True), NOW)
    assert MANAGER_REMINDER not in notices_for(state(NOW - DAY), NOW)  # only managers send it
