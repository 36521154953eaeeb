"""Which notices an agent's inbox gets for an assignment (reminders and publication news).

- ``published``: a bulletin version was assigned to the agent recently (within
  ``PUBLISHED_WINDOW``): "new bulletin published". Older assignments get none, so switching
  the inbox on does not flood agents with news of long-published bulletins.
- ``due_soon``: not certified, the version is in force and its due date is within
  ``DUE_SOON_WINDOW`` from now.
- ``overdue``: not certified, in force, due date passed.

There is at most one notice per agent, version and kind (the caller stores them
idempotently). When an ``overdue`` notice arrives, the ``due_soon`` one is superseded; once
the agent is certified, both reminders are resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PUBLISHED = "published"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
KINDS = (PUBLISHED, DUE_SOON, OVERDUE)
REMINDERS = (DUE_SOON, OVERDUE)

DUE_SOON_WINDOW = timedelta(days=3)
PUBLISHED_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class AssignmentState:
    """What the reminder rule needs to know about one assignment."""

    due_at: datetime
    assigned_at: datetime
    certified: bool  # holds a certification that satisfies the version now
    in_force: bool  # the version's requirement is not retired


def notices_for(state: AssignmentState, at: datetime) -> tuple[str, ...]:
    """Return the kinds of notice the assignment calls for at ``at``, in KINDS order."""
    kinds = []
    if state.in_force and at - PUBLISHED_WINDOW <= state.assigned_at <= at:
        kinds.append(PUBLISHED)
    if state.in_force and not state.certified:
        if state.due_at <= at:
            kinds.append(OVERDUE)
        elif state.due_at <= at + DUE_SOON_WINDOW:
            kinds.append(DUE_SOON)
    return tuple(kinds)


def resolved_reminders(state: AssignmentState, at: datetime) -> tuple[str, ...]:
    """Return the reminder kinds that no longer call for attention (to be marked read).

    Certified, or the requirement retired: both reminders are resolved. Overdue: the
    ``due_soon`` reminder is superseded.
    """
    if state.certified or not state.in_force:
        return REMINDERS
    if state.due_at <= at:
        return (DUE_SOON,)
    return ()
