"""The stored eligibility of each agent and skill, and the outbox of its changes."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow


class EligibilityState(db.Model):
    """The last computed eligibility of one agent for one skill."""

    __tablename__ = "eligibility_states"
    __table_args__ = (  # the staffing counts read these, not the rows' JSON (migration 0005)
        Index("ix_eligibility_states_clearance", "user_id", "skill_id", "cleared", "valid_until"),
        Index("ix_eligibility_states_cleared", "cleared", "user_id"),
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True)
    cleared: Mapped[bool] = mapped_column(Boolean)
    valid_until = mapped_column(UTCDateTime)
    missing: Mapped[list] = mapped_column(JSONText)  # [{bulletin, version, due, expired}]
    upcoming: Mapped[list] = mapped_column(JSONText)
    updated_at = mapped_column(UTCDateTime, default=utcnow)


eligibility_documents = Table(
    "eligibility_documents",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("body", Text, nullable=False),
    Column("etag", String(32), nullable=False),
)
"""Each agent's eligibility document as ``GET /api/v1/agents/{id}/eligibility`` serves it:
the JSON text and its ETag, derived from the agent's row and stored states and kept exact
before each commit by ``app.derived.eligibility_documents`` (the routing system's lookup
then reads one row of bytes, docs/performance.md B1)."""


class EligibilityEvent(db.Model):
    """Outbox: one row per change of an agent's eligibility, written in the same transaction."""

    __tablename__ = "eligibility_events"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    skill: Mapped[str] = mapped_column(String(64))
    cleared: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(64))
    agent_version: Mapped[int] = mapped_column(Integer)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    details: Mapped[dict | None] = mapped_column(JSONText)
    # written ahead of its instant by the time pass: the release that holds it until then
    # (``app.models.time_pass_stages.staged_releases``); None for every other event
    release_id: Mapped[int | None] = mapped_column(Integer)
