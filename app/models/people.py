"""Users, teams, skills and API tokens."""

from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow

ROLES = ("agent", "trainer", "manager", "admin", "integration")
"""integration: the routing system's service account; it reads eligibility through the API."""

agent_skills = Table(
    "agent_skills",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
)

managed_teams = Table(
    "managed_teams",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    """A department or floor team; an agent belongs to one."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[dict | None] = mapped_column(JSONText, nullable=True)  # {"ko": "..."}
    # SCIM Group externalId and times (meta.created / meta.lastModified).
    external_id: Mapped[str | None] = mapped_column(String(128), unique=True, index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Skill(db.Model):
    """A call type the routing system routes on."""

    __tablename__ = "skills"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[dict | None] = mapped_column(JSONText, nullable=True)  # {"ko": "..."}


class User(UserMixin, db.Model):
    """A person (or the routing system's service account) with one role."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), index=True)
    external_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    # Bumped on every eligibility change: the per-agent `version` of the API and webhooks.
    eligibility_version: Mapped[int] = mapped_column(Integer, default=0)
    # When a time-driven change (a gate, an expiry) may next alter this agent's eligibility.
    eligibility_check_at = mapped_column(UTCDateTime, index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # Any change to the row (SCIM meta.lastModified); eligibility upkeep moves it too.
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The SCIM userName an identity provider sent when it is not the e-mail (else NULL).
    user_name: Mapped[str | None] = mapped_column(String(254), unique=True, index=True)
    # Removed from the directory (SCIM DELETE): inactive and no longer a SCIM resource.
    deleted_at = mapped_column(UTCDateTime)

    team = relationship(Team, lazy="joined")
    skills = relationship(Skill, secondary=agent_skills, order_by=Skill.code)
    managed = relationship(Team, secondary=managed_teams, order_by=Team.code)

    __table_args__ = (  # SCIM ``userName eq "x"`` (migration 0007c)
        Index("ix_users_scim_user_name", func.lower(func.coalesce(user_name, email))),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot sign in
        return bool(self.active)

    @property
    def skill_codes(self) -> frozenset[str]:
        return frozenset(s.code for s in self.skills)


class ApiToken(db.Model):
    """A bearer token acting as its user; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    last_used_at = mapped_column(UTCDateTime)
    expires_at = mapped_column(UTCDateTime)
    revoked_at = mapped_column(UTCDateTime)

    user = relationship(User, lazy="joined")
