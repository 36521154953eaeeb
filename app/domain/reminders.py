"""Which notices an agent's inbox gets for an assignment (reminders and publication news).

- ``published``: a bulletin version was assigned to the agent recently (within
  ``PUBLISHED_WINDOW``): "new bulletin published". Older assignments get none, so switching
  the inbox on does not flood agents with news of long-published bulletins.
- ``due_soon``: not certified, the version is in force and its due date is within
  ``DUE_SOON_WINDOW`` from now.
- ``overdue``: not certified, in force, due date passed.

- ``reminder``: a manager of the agent's team sent a reminder from the board
  (:func:`reminder_decision` says whether one may be sent now).

There is at most one notice per agent, version and kind (the caller stores them
idempotently; a new manager reminder renews the agent's ``reminder`` notice). When an
``overdue`` notice arrives, the ``due_soon`` one is superseded; once the agent is certified,
every reminder is resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PUBLISHED = "published"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
MANAGER_REMINDER = "reminder"
KINDS = (PUBLISHED, DUE_SOON, OVERDUE)  # the notices the worker derives from assignments
REMINDERS = (DUE_SOON, OVERDUE, MANAGER_REMINDER)  # resolved once the agent is certified

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


# --- reminders a manager sends ----------------------------------------------------------

CERTIFIED = "certified"
RECENT = "recent"


@dataclass(frozen=True)
class ReminderCase:
    """What the rule needs to know before a manager reminds an agent of one bulletin."""

    certified: bool  # the agent already holds a certification satisfying the version
    last_sent: datetime | None  # the latest reminder sent for this agent and version


@dataclass(frozen=True)
class ReminderDecision:
    """Whether a reminder may go now; if not, why (CERTIFIED, RECENT) and when it may."""

    allowed: bool
    reason: str | None = None
    retry_at: datetime | None = None


def reminder_decision(case: ReminderCase, at: datetime,
                      interval: timedelta) -> ReminderDecision:
    """At most one reminder per agent and version per ``interval``; none once certified.

    A reminder sent exactly ``interval`` ago no longer holds the next one back.
    """
    if case.certified:
        return ReminderDecision(False, CERTIFIED)
    if case.last_sent is not None and at < case.last_sent + interval:
        return ReminderDecision(False, RECENT, case.last_sent + interval)
    return ReminderDecision(True)
