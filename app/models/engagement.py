"""Keeping agents engaged after publishing: inbox notices and spaced practice."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow


class Notification(db.Model):
    """An inbox notice: a bulletin published for me, due soon, or overdue."""

    __tablename__ = "notifications"
    # One notice per agent, version and kind: the worker may run any number of times.
    __table_args__ = (UniqueConstraint("user_id", "version_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("bulletin_versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # published | due_soon | overdue | reminder
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime)

    version = relationship("BulletinVersion", lazy="joined")


class ManagerReminder(db.Model):
    """A reminder a manager sent an agent about one bulletin version: the audit record of who
    reminded whom of what and when, whether the e-mail went, and the basis of the limit of
    one reminder per agent and version per ``ONEVOICE_REMINDER_INTERVAL_HOURS``."""

    __tablename__ = "manager_reminders"
    __table_args__ = (Index("ix_manager_reminders_user_version_sent",
                            "user_id", "version_id", "sent_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("bulletin_versions.id", ondelete="CASCADE"), index=True
    )
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    sent_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # pending (stored, mail not tried yet) | sent | failed | off (no mail server configured)
    mail: Mapped[str] = mapped_column(String(16), default="pending")
    mail_error: Mapped[str | None] = mapped_column(String(500))

    version = relationship("BulletinVersion", lazy="joined")
    sent_by = relationship("User", foreign_keys=[sent_by_id], lazy="joined")


class PracticeCard(db.Model):
    """One agent's spaced-practice schedule for one fact of one bulletin version (FSRS)."""

    __tablename__ = "practice_cards"
    __table_args__ = (UniqueConstraint("user_id", "version_id", "fact_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("bulletin_versions.id", ondelete="CASCADE"), index=True
    )
    fact_key: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict] = mapped_column(JSONText)  # the FSRS card, as fsrs.Card.to_dict()
    due = mapped_column(UTCDateTime, nullable=False, index=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)  # practice answers so far
    lapses: Mapped[int] = mapped_column(Integer, default=0)  # wrong practice answers
    last_item_id: Mapped[int | None] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    last_reviewed_at = mapped_column(UTCDateTime)

    version = relationship("BulletinVersion", lazy="joined")


class PracticeReview(db.Model):
    """One practice answer: graded on the server, fed to the scheduler, never to eligibility."""

    __tablename__ = "practice_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[int] = mapped_column(
        ForeignKey("practice_cards.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("bulletin_versions.id"), index=True)
    fact_key: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("item_options.id"))
    correct: Mapped[bool] = mapped_column(Boolean)
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating value (Again 1, Good 3)
    answered_at = mapped_column(UTCDateTime, nullable=False)
