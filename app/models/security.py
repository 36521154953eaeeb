"""Server-side sign-in sessions, sign-in throttles and the security audit log."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow


class UserSession(db.Model):
    """One signed-in browser: the signed cookie holds a random id, this row its SHA-256.

    A request is signed in only while its row exists, has not ended and has not run past the
    idle or absolute timeout (app/services/accounts/sessions.py). Ending the row ends every copy of
    the cookie at once.
    """

    __tablename__ = "user_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's id
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    user_agent: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(64))
    ended_at = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))


class SignInThrottle(db.Model):
    """Failed sign-ins (or bad API tokens) counted per account or client address.

    ``scope`` is ``account`` (key: the e-mail typed), ``address`` (key: the client address)
    or ``token_address`` (bad bearer tokens from an address). Shared by every process through
    the database; the rule is app/domain/throttle.py.
    """

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("scope", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(254))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at = mapped_column(UTCDateTime, nullable=False)
    last_failure_at = mapped_column(UTCDateTime, nullable=False)
    locked_until = mapped_column(UTCDateTime)


class SecurityEvent(db.Model):
    """The security audit log: sign-ins, failures, locks, sessions ended, password rehashes."""

    __tablename__ = "security_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    event: Mapped[str] = mapped_column(String(48))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict | None] = mapped_column(JSONText)
