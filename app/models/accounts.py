"""Invitation and password-reset links (only their SHA-256 is stored), and the audit log."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow
from app.models.people import User

LINK_PURPOSES = ("invitation", "reset")


class PersonLink(db.Model):
    """A single-use, expiring link sent by e-mail: an invitation or a password reset."""

    __tablename__ = "person_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    user = relationship(User, foreign_keys=[user_id], lazy="joined")


class AuditEntry(db.Model):
    """Who did what to whom, when: role changes, (de)activations, invitations, tokens."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    details = mapped_column(JSONText)

    actor = relationship(User, foreign_keys=[actor_id], lazy="joined")
