"""A manager reminds overdue or at-risk agents of a bulletin: an inbox notice for each agent,
an e-mail where mail is configured, in the agent's language; audited; rate-limited.

Two steps, so a slow or failing mail server never holds or undoes the reminders:
:func:`remind` stores the notices and the audit records in one unit of work, then
:func:`deliver` sends each e-mail after the commit and records how it went.

A manager may remind only agents of the teams they manage (admins: everyone); one pick outside
that scope refuses the whole request, and nothing is written. The rule (at most one reminder
per agent and version per ``ONEVOICE_REMINDER_INTERVAL_HOURS``, none once certified) is
app/domain/reminders.py ``reminder_decision``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, tuple_

from app import rules_sql
from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import reminders as rules
from app.errors import Forbidden, NotFound, ServiceError
from app.models import Assignment, BulletinVersion, ManagerReminder, User, utcnow
from app.queries.inbox import post_reminder
from app.queries.reports import visible_team_ids
from app.services.certification.reminder_mail import reminder_message
from app.services.mail import MailError, mail_enabled, send_mail

log = logging.getLogger("onevoice.reminders")
MOST_PICKS = 500


@dataclass(frozen=True)
class Target:
    """One agent and the bulletin version to remind them of, with the rule's decision."""

    agent: User
    version: BulletinVersion
    due_at: datetime
    decision: rules.ReminderDecision


def interval() -> timedelta:
    """The least time between two reminders to one agent about one version (setting)."""
    return timedelta(hours=int(current_app.config.get("ONEVOICE_REMINDER_INTERVAL_HOURS") or 24))


def parse_picks(values: list[str]) -> list[tuple[int, int]]:
    """The board's checkboxes ("<agent id>:<version id>"), in order, without repeats.

    A ServiceError names a malformed value, and an empty or oversized selection.
    """
    picks: dict[tuple[int, int], None] = {}
    for raw in values:
        user, _sep, version = (raw or "").strip().partition(":")
        if not (user.isascii() and user.isdigit() and version.isascii() and version.isdigit()):
            raise ServiceError("pick_invalid", field="pick", value=(raw or "")[:40])
        picks[(int(user), int(version))] = None
    if not picks:
        raise ServiceError("pick_required", field="pick")
    if len(picks) > MOST_PICKS:
        raise ServiceError("picks_too_many", field="pick", n=MOST_PICKS)
    return list(picks)


def targets(viewer: User, picks: list[tuple[int, int]], at: datetime | None = None, *,
            lock: bool = False) -> list[Target]:
    """The agents and versions picked, each with the rule's decision (3 queries).

    Forbidden when any agent is outside the viewer's teams; NotFound when a pick is not an
    active agent's assignment of a published version.
    """
    at = at or utcnow()
    query = (select(Assignment, User, BulletinVersion, rules_sql.certified(at))
             .join(User, User.id == Assignment.user_id)
             .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
             .where(tuple_(Assignment.user_id, Assignment.version_id).in_(picks),
                    User.role == "agent", User.active.is_(True),
                    BulletinVersion.status == "published"))
    if lock:  # two managers reminding the same agent at once: one waits, then sees the other
        query = query.with_for_update(of=Assignment)
    rows = db.session.execute(query).all()
    found = {(a.user_id, a.version_id): (a, u, v, bool(c)) for a, u, v, c in rows}
    allowed = visible_team_ids(viewer)
    outside = [pick for pick, (_a, u, _v, _c) in found.items()
               if allowed is not None and u.team_id not in allowed]
    if outside:
        raise Forbidden("not_your_team", field="pick",
                        value=f"{outside[0][0]}:{outside[0][1]}")
    missing = [pick for pick in picks if pick not in found]
    if missing:
        raise NotFound("pick_not_assigned", field="pick",
                       value=f"{missing[0][0]}:{missing[0][1]}")
    last = _last_sent(picks)
    return [Target(u, v, a.due_at, rules.reminder_decision(
                rules.ReminderCase(certified, last.get(pick)), at, interval()))
            for pick in picks for a, u, v, certified in [found[pick]]]


def _last_sent(picks: list[tuple[int, int]]) -> dict[tuple[int, int], datetime]:
    rows = db.session.execute(
        select(ManagerReminder.user_id, ManagerReminder.version_id,
               func.max(ManagerReminder.sent_at))
        .where(tuple_(ManagerReminder.user_id, ManagerReminder.version_id).in_(picks))
        .group_by(ManagerReminder.user_id, ManagerReminder.version_id)
    ).all()
    return {(user, version): sent for user, version, sent in rows}


@dataclass(frozen=True)
class Outcome:
    """What :func:`remind` did: the reminders stored, and the picks the rule held back."""

    sent: list[ManagerReminder]
    held: list[Target]


def remind(viewer: User, picks: list[tuple[int, int]], at: datetime | None = None) -> Outcome:
    """Store a ``reminder`` notice and an audit record for every pick the rule allows, in one
    unit of work; the e-mails follow with :func:`deliver`."""
    at = at or utcnow()
    with unit_of_work():
        chosen = targets(viewer, picks, at, lock=True)
        mail = "pending" if mail_enabled() else "off"
        sent = []
        for target in (t for t in chosen if t.decision.allowed):
            post_reminder(target.agent.id, target.version.id, at)
            record = ManagerReminder(user_id=target.agent.id, version_id=target.version.id,
                                     sent_by_id=viewer.id, sent_at=at, mail=mail)
            db.session.add(record)
            sent.append(record)
    for record in sent:
        log.info("reminder %s: %s reminded user %s of version %s", record.id, viewer.email,
                 record.user_id, record.version_id)
    return Outcome(sent, [t for t in chosen if not t.decision.allowed])


def deliver(outcome: Outcome) -> int:
    """Send the e-mail of every stored reminder whose mail is pending, each in its agent's
    language, and record sent or failed; return how many were sent."""
    delivered = 0
    for record in outcome.sent:
        if record.mail != "pending":
            continue
        agent = db.session.get(User, record.user_id)
        due_at = db.session.scalar(select(Assignment.due_at).where(
            Assignment.user_id == record.user_id, Assignment.version_id == record.version_id))
        subject, text = reminder_message(agent, record.version, due_at, record.sent_by)
        try:
            send_mail(agent.email, subject, text)
            status, error = "sent", None
            delivered += 1
        except MailError as failure:
            log.warning("reminder %s: %s", record.id, failure)
            status, error = "failed", str(failure)[:500]
        with unit_of_work():
            db.session.get(ManagerReminder, record.id).mail = status
            db.session.get(ManagerReminder, record.id).mail_error = error
        record.mail = status
    return delivered


def history(agent: User, limit: int = 20) -> list[ManagerReminder]:
    """The reminders sent to one agent, newest first (the audit shown on the agent page)."""
    return list(db.session.scalars(
        select(ManagerReminder).where(ManagerReminder.user_id == agent.id)
        .order_by(ManagerReminder.sent_at.desc(), ManagerReminder.id.desc()).limit(limit)))
