"""The agent's countdown to each due date: "due in 3 days", "due today", "overdue by 2 days"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from app.domain import readiness as rules
from app.models.base import utcnow


@dataclass(frozen=True)
class DueCountdown:
    """The words shown next to a due date, and how urgent it is (for the style only)."""

    text: str
    kind: str  # "overdue", "today" or "later"


def due_countdown(due_at: datetime, at: datetime | None = None) -> DueCountdown:
    """Local calendar days from now to the last day to pass, in the organisation's time zone.

    Due dates are usually local midnight, so the last day to pass is the day before: on it
    the agent reads "due today", not "due in 1 day".
    """
    at, zone = at or utcnow(), current_app.config["ONEVOICE_TIMEZONE"]
    if due_at > at:
        left = rules.countdown(due_at - timedelta(microseconds=1), at, zone)
        if left.days == 0:
            return DueCountdown(_("due today"), "today")
        return DueCountdown(ngettext("due in %(num)d day", "due in %(num)d days", left.days),
                            "later")
    left = rules.countdown(due_at, at, zone)
    if left.days == 0:
        return DueCountdown(_("overdue since today"), "overdue")
    return DueCountdown(ngettext("overdue by %(num)d day", "overdue by %(num)d days",
                                 left.days), "overdue")
