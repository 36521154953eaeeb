"""The agent's inbox: reminders (due soon, overdue, a manager's reminder) and "new bulletin
published" notices.

The worker runs :func:`worker_job` on every pass (it generates at most every five minutes).
Generation is idempotent: one notice per agent, version and kind (a unique constraint backs
it), so passes can repeat or overlap. Which notices an assignment calls for is the pure rule
in app/domain/reminders.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import rules_sql
from app.core.config import whole_setting
from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import reminders
from app.errors import NotFound
from app.models import (
    Assignment,
    BulletinVersion,
    Notification,
    Requirement,
    User,
    utcnow,
)

INBOX_SIZE = 20
DEFAULT_BATCH = 2000


def in_force_clause(at: datetime):
    """SQL: the version has a requirement not retired at ``at``."""
    return exists().where(
        Requirement.version_id == BulletinVersion.id,
        or_(Requirement.retired_at.is_(None), Requirement.retired_at > at),
    )


def _notice(kind_filter, *, unread: bool = False):
    """SQL: the assignment already has a notice matching ``kind_filter`` (unread ones only)."""
    condition = [Notification.user_id == Assignment.user_id,
                 Notification.version_id == Assignment.version_id, kind_filter]
    if unread:
        condition.append(Notification.read_at.is_(None))
    return exists().where(*condition)


def _candidates(at: datetime, after: int = 0,
                limit: int | None = None) -> list[tuple[Assignment, bool, bool]]:
    """Assignments of active agents whose notices may change now, with (certified, in force),
    in id order: those after id ``after``, at most ``limit``.

    A pre-filter only (the pure rule decides): recent assignments without their news,
    uncertified ones entering the due-soon window or overdue without that reminder, and
    unread reminders that certification, retirement or the due date made stale. In a steady
    state it returns nothing, so repeated passes stay cheap.
    """
    certified, in_force = rules_sql.certified(at), in_force_clause(at)
    kind = Notification.kind
    news = and_(Assignment.created_at >= at - reminders.PUBLISHED_WINDOW,
                Assignment.created_at <= at, ~_notice(kind == reminders.PUBLISHED))
    reminder = and_(~certified, in_force, or_(
        and_(Assignment.due_at <= at, ~_notice(kind == reminders.OVERDUE)),
        and_(Assignment.due_at > at, Assignment.due_at <= at + reminders.DUE_SOON_WINDOW,
             ~_notice(kind == reminders.DUE_SOON)),
    ))
    stale = or_(
        and_(or_(certified, ~in_force), _notice(kind.in_(reminders.REMINDERS), unread=True)),
        and_(Assignment.due_at <= at, _notice(kind == reminders.DUE_SOON, unread=True)),
    )
    return db.session.execute(
        select(Assignment, certified, in_force)
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True)))
        .where(BulletinVersion.status == "published", Assignment.id > after,
               or_(news, reminder, stale))
        .order_by(Assignment.id).limit(limit)
    ).all()


def batch_size() -> int:
    """ONEVOICE_INBOX_BATCH (default 2,000): candidate assignments per transaction."""
    return whole_setting("ONEVOICE_INBOX_BATCH", DEFAULT_BATCH, "assignments")


def generate(at: datetime | None = None, *, batch: int | None = None) -> int:
    """Create the notices the assignments call for and resolve stale reminders; return how
    many notices were created.

    The candidates are taken in id order ``batch`` at a time (``ONEVOICE_INBOX_BATCH``),
    each batch ONE transaction: a centre's first pass over a million assignments holds the
    database's writer (SQLite's only one) for one batch at a time, not for minutes. A pass
    stopped part-way (a crash, a refused write) loses nothing: what a batch wrote is
    committed, and a notice already stored is no longer a candidate, so the next pass goes
    on where it stopped."""
    at, size, created, after = at or utcnow(), batch or batch_size(), 0, 0
    while True:
        try:
            with unit_of_work():
                rows = _candidates(at, after, size)
                created += _generate(rows, at)
        except IntegrityError:  # a parallel pass stored the same notice first; the next
            return created      # pass finds everything else
        if len(rows) < size:
            return created
        after = rows[-1][0].id


def _generate(rows: list[tuple[Assignment, bool, bool]], at: datetime) -> int:
    existing = _existing({a.user_id for a, _, _ in rows})
    notices = []
    for assignment, certified, in_force in rows:
        state = reminders.AssignmentState(assignment.due_at, assignment.created_at,
                                          bool(certified), bool(in_force))
        key = (assignment.user_id, assignment.version_id)
        for kind in reminders.notices_for(state, at):
            if (*key, kind) not in existing:
                notices.append({"user_id": key[0], "version_id": key[1], "kind": kind,
                                "created_at": at})
                existing.add((*key, kind))
        _resolve(key, reminders.resolved_reminders(state, at), at)
    if notices:  # one multi-row INSERT, no ORM object per notice
        db.session.execute(insert(Notification), notices)
    return len(notices)


def _existing(user_ids: set[int]) -> set[tuple[int, int, str]]:
    if not user_ids:
        return set()
    return set(db.session.execute(
        select(Notification.user_id, Notification.version_id, Notification.kind)
        .where(Notification.user_id.in_(user_ids))
    ).all())


def _resolve(key: tuple[int, int], kinds: tuple[str, ...], at: datetime) -> None:
    if kinds:
        db.session.execute(
            update(Notification).where(
                Notification.user_id == key[0], Notification.version_id == key[1],
                Notification.kind.in_(kinds), Notification.read_at.is_(None),
            ).values(read_at=at).execution_options(synchronize_session=False)
        )


def post_reminder(user_id: int, version_id: int, at: datetime) -> Notification:
    """The agent's ``reminder`` notice for a version, new or renewed (unread, dated ``at``).

    A manager's reminder (app/services/certification/reminders.py) names the bulletin version;
    the agent's inbox shows its title and due time. One notice per agent, version and kind:
    reminding again renews it rather than piling up copies. Run inside ``unit_of_work()``.
    """
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == user_id, Notification.version_id == version_id,
        Notification.kind == reminders.MANAGER_REMINDER))
    if note is None:
        note = Notification(user_id=user_id, version_id=version_id,
                            kind=reminders.MANAGER_REMINDER)
        db.session.add(note)
    note.created_at, note.read_at = at, None
    return note


def inbox(user: User, limit: int = INBOX_SIZE) -> tuple[int, list[Notification]]:
    """The agent's unread count and their unread notices, newest first (at most ``limit``)."""
    unread = Notification.user_id == user.id, Notification.read_at.is_(None)
    count = db.session.scalar(select(func.count(Notification.id)).where(*unread)) or 0
    rows = db.session.scalars(
        select(Notification).where(*unread)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ).all()
    return count, list(rows)


def mark_read(user: User, notification_id: int, at: datetime | None = None) -> Notification:
    """Mark one of the agent's own notices read; another agent's is NotFound."""
    note = db.session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id))
    if note is None:
        raise NotFound("no_notice", field="notification", id=notification_id)
    if note.read_at is None:
        note.read_at = at or utcnow()
    return note


def mark_all_read(user: User, at: datetime | None = None) -> int:
    """Mark every unread notice of the agent read; return how many."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=at or utcnow()).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


REMINDER_INTERVAL = timedelta(minutes=5)


def worker_job(at: datetime | None = None) -> int:
    """The worker's job: :func:`generate`, at most every REMINDER_INTERVAL per app.

    Reminders are about days, not seconds; the throttle keeps the pass (a scan of the
    assignments) off the worker's every-30-seconds loop.
    """
    at = at or utcnow()
    state = current_app.extensions.setdefault("onevoice_inbox", {})
    last = state.get("last_pass")
    if last is not None and timedelta(0) <= at - last < REMINDER_INTERVAL:
        return 0
    state["last_pass"] = at
    return generate(at)


def mark_version_read(user: User, version_id: int, at: datetime | None = None) -> int:
    """Mark read every unread notice of the agent on one bulletin version (one inbox line);
    return how many. A line with nothing unread left is NotFound, so a stale page says so."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.version_id == version_id,
                                   Notification.read_at.is_(None))
        .values(read_at=at or utcnow()).execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        raise NotFound("no_unread_notice", field="notification", id=version_id)
    return result.rowcount
