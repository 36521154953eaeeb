"""Inbox notices per assignment (reminders and publication news) as a table, frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.reminders import (
    DUE_SOON,
    OVERDUE,
    PUBLISHED,
    REMINDERS,
    AssignmentState,
    notices_for,
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
