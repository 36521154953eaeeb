"""Requirements, assignments, attempts, answers and certifications."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow

ATTEMPT_STATUSES = ("in_progress", "submitted", "expired")


class Requirement(db.Model):
    """Agents holding a skill must be certified on a version from ``gate_at`` (rule 1)."""

    __tablename__ = "requirements"
    __table_args__ = (UniqueConstraint("version_id", "skill_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("bulletin_versions.id"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), index=True)
    gate_at = mapped_column(UTCDateTime, nullable=False)
    retired_at = mapped_column(UTCDateTime)  # a newer version or superseding bulletin took over
    created_at = mapped_column(UTCDateTime, default=utcnow)

    version = relationship("BulletinVersion", lazy="joined")
    skill = relationship("Skill", lazy="joined")


class Assignment(db.Model):
    """One agent must pass one bulletin version by ``due_at``."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("user_id", "version_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("bulletin_versions.id"), index=True)
    due_at = mapped_column(UTCDateTime, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at = mapped_column(UTCDateTime)  # "I have read this version"
    unlocked_at = mapped_column(UTCDateTime)  # a manager lifted the retake limits

    version = relationship("BulletinVersion", lazy="joined")


class Attempt(db.Model):
    """One sitting of one version's quiz by one agent."""

    __tablename__ = "attempts"
    __table_args__ = (
        # One attempt in progress per agent and version, enforced by the database.
        Index(
            "uq_attempts_one_in_progress", "user_id", "version_id", unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("bulletin_versions.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    started_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deadline_at = mapped_column(UTCDateTime)
    submitted_at = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[dict | None] = mapped_column(JSONText)  # the graded response, replayed

    version = relationship("BulletinVersion", lazy="joined")
    items = relationship(
        "AttemptItem", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )


class AttemptItem(db.Model):
    """An item drawn for an attempt, with its options in this attempt's order."""

    __tablename__ = "attempt_items"
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    option_order: Mapped[list] = mapped_column(JSONText)

    item = relationship("Item", lazy="joined")


class Answer(db.Model):
    """The agent's latest saved choice for one item of an attempt."""

    __tablename__ = "answers"
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("item_options.id"))
    # A late save never beats a newer one; clients may send a millisecond clock.
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    saved_at = mapped_column(UTCDateTime, default=utcnow)
    correct: Mapped[bool | None] = mapped_column(Boolean)


class Certification(db.Model):
    """A passed attempt's record."""

    __tablename__ = "certifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("bulletin_versions.id"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), unique=True)
    passed_at = mapped_column(UTCDateTime, nullable=False)
    valid_until = mapped_column(UTCDateTime)

    version = relationship("BulletinVersion", lazy="joined")
