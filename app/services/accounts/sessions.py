"""Server-side sessions: every signed-in browser has a row that can be ended at once.

The signed Flask cookie holds a random session id; ``user_sessions`` holds its SHA-256, the
user, created and last-seen times, user agent and address. A request is signed in only while
that row exists, has not ended, and is within the idle and absolute timeouts
(``ONEVOICE_SESSION_IDLE_MINUTES``, ``ONEVOICE_SESSION_MAX_HOURS``). So a cookie copied
before logout is refused afterwards.

Other parts end sessions with ONE call, inside their own unit of work::

    from app.services.accounts.sessions import end_sessions
    end_sessions(user, "deactivated", actor=admin)

``reason`` is one of ``REASONS``; ``"deactivated"`` also revokes the user's API tokens. A
user whose ``active`` flag goes from true to false in any transaction gets the same at
flush time (``_end_on_deactivation``), whatever path made the change.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, event, inspect, or_, select, update
from sqlalchemy.orm import Session

from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import NotFound, ServiceError
from app.models import ApiToken, User, utcnow
from app.models.security import UserSession
from app.services.accounts.security_log import record

REASONS = ("logout", "deactivated", "password_changed", "signed_out_everywhere")
TOUCH_EVERY = timedelta(minutes=1)  # last-seen is written at most this often per session
_ENDED = "onevoice_sessions_ended"  # session.info: (user id, reason) already ended here


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def _timeouts() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return (timedelta(minutes=config["ONEVOICE_SESSION_IDLE_MINUTES"]),
            timedelta(hours=config["ONEVOICE_SESSION_MAX_HOURS"]))


def start_session(user: User, *, user_agent: str | None, address: str | None,
                  now: datetime | None = None) -> str:
    """A new session row for ``user`` (inside the caller's unit of work); returns its id.

    The id goes into the signed cookie; only its SHA-256 is stored. The user's sessions that
    ended or timed out are deleted at the same time, so the table holds live ones only.
    """
    now = now or utcnow()
    idle, longest = _timeouts()
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.ended_at.is_not(None), UserSession.created_at <= now - longest,
            UserSession.last_seen_at <= now - idle)))
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=_digest(sid), user_id=user.id, created_at=now,
                               last_seen_at=now, user_agent=(user_agent or "")[:300] or None,
                               address=(address or "")[:64] or None))
    return sid


def live_user(user_id: str, sid: str | None, now: datetime | None = None) -> User | None:
    """The user of a live session, or None (ended, timed out, unknown, or user inactive).

    Writes last-seen at most once a minute per session, in its own short transaction.
    """
    if not sid or not str(user_id).isdigit():
        return None
    now = now or utcnow()
    row = db.session.get(UserSession, _digest(sid))
    if row is None or row.ended_at is not None or str(row.user_id) != str(user_id):
        return None
    idle, longest = _timeouts()
    if now - row.last_seen_at >= idle or now - row.created_at >= longest:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with unit_of_work():
            db.session.execute(update(UserSession).where(UserSession.id == row.id)
                               .values(last_seen_at=now))
    return user


def end_session(sid: str | None, user_id: int | None, address: str | None = None) -> None:
    """Logout: end this one session (its copies with it)."""
    with unit_of_work():
        if sid:
            db.session.execute(update(UserSession).where(
                UserSession.id == _digest(sid), UserSession.ended_at.is_(None))
                .values(ended_at=utcnow(), end_reason="logout"))
        record("sign_out", user_id=user_id, address=address)


def end_sessions(user: User, reason: str, *, actor: User | None = None,
                 at: datetime | None = None) -> int:
    """End every session of ``user`` at once; returns how many were live.

    Call it inside the caller's unit of work (it writes with it). ``reason`` is one of
    ``REASONS``; ``"deactivated"`` also revokes the user's API tokens. Audited. Calling it
    twice for the same user and reason in one transaction does the work once.
    """
    if reason not in REASONS:
        raise ServiceError("session_reason_invalid", field="reason", reason=repr(reason),
                           options=REASONS)
    return _end(db.session, user.id, reason, actor.id if actor else None, at or utcnow())


def _end(session: Session, user_id: int, reason: str, actor_id: int | None,
         at: datetime) -> int:
    done = session.info.setdefault(_ENDED, set())
    if (user_id, reason) in done:
        return 0
    done.add((user_id, reason))
    connection = session.connection()  # core statements: no autoflush from inside a flush
    ended = connection.execute(update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=at, end_reason=reason)).rowcount
    revoked = 0
    if reason == "deactivated":
        revoked = connection.execute(update(ApiToken).where(
            ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=at)).rowcount
    record("sessions_ended", user_id=user_id, actor_id=actor_id, at=at, session=session,
           details={"reason": reason, "sessions": ended, "tokens_revoked": revoked})
    return ended


def open_sessions(now: datetime | None = None) -> list[tuple[UserSession, User]]:
    """Live sessions (not ended, within both timeouts), most recently seen first."""
    now = now or utcnow()
    idle, longest = _timeouts()
    return list(db.session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.ended_at.is_(None), UserSession.last_seen_at > now - idle,
               UserSession.created_at > now - longest)
        .order_by(UserSession.last_seen_at.desc()).limit(500)).all())


@event.listens_for(Session, "before_flush")
def _end_on_deactivation(session: Session, _context, _instances) -> None:
    """Any path that sets ``User.active`` from true to false ends the user's access."""
    for obj in list(session.dirty):
        if not isinstance(obj, User) or obj.id is None:
            continue
        history = inspect(obj).attrs.active.history
        if history.added == [False] and True in (history.deleted or ()):
            _end(session, obj.id, "deactivated", None, utcnow())


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_ended(session: Session) -> None:
    session.info.pop(_ENDED, None)


def sign_out_everywhere(user_id: int, actor: User) -> tuple[User, int]:
    """An admin's "sign out everywhere": every session of the person ends now."""
    with unit_of_work():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("no_user", field="user_id", id=user_id)
        return user, end_sessions(user, "signed_out_everywhere", actor=actor)
