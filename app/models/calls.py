"""Answered calls reported by the routing system, each with its compliance verdict."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow


class Call(db.Model):
    """One answered call: who took it, for which call type, when, and whether they were cleared.

    The verdict is judged once, when the call is recorded, from the records as they stood at
    ``answered_at`` (app/domain/compliance.py); ``flask --app app calls recheck`` judges again.
    ``team_id`` is the agent's team when the call was recorded, so reports by team keep the
    team the agent answered for; ``local_day`` is ``answered_at``'s day in the organisation's
    time zone.
    """

    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_day_team", "local_day", "team_id"),
        Index("ix_calls_user_answered", "user_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    answered_at = mapped_column(UTCDateTime, nullable=False, index=True)
    local_day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))  # api, csv, asterisk
    received_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    cleared: Mapped[bool] = mapped_column(Boolean)
    # Why not cleared: not_held, inactive or missing; None when cleared.
    reason: Mapped[str | None] = mapped_column(String(16))
    # The requirements not met (ids, in the rule's order); app/queries/compliance.py names
    # their bulletin, version, due time and title when a report reads them.
    missing_requirements: Mapped[list] = mapped_column(JSONText)

    user = relationship("User", lazy="joined")
    skill = relationship("Skill", lazy="joined")
