"""Bulletins, their versions and facts, and the quiz items generated from them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow

VERSION_STATUSES = ("draft", "published", "retired")


class Bulletin(db.Model):
    """One policy or product change, identified by its slug."""

    __tablename__ = "bulletins"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    versions = relationship(
        "BulletinVersion", back_populates="bulletin", order_by="BulletinVersion.number"
    )


class BulletinVersion(db.Model):
    """A version of a bulletin: its text, dates, audience and facts."""

    __tablename__ = "bulletin_versions"
    __table_args__ = (UniqueConstraint("bulletin_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str] = mapped_column(String(16), default="en")
    effective: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    gate: Mapped[str] = mapped_column(String(16), default="deadline")
    skills: Mapped[list] = mapped_column(JSONText)  # skill codes
    teams: Mapped[list] = mapped_column(JSONText)  # team codes; [] = every team
    critical: Mapped[list] = mapped_column(JSONText)
    supersedes: Mapped[list] = mapped_column(JSONText)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    pass_mark: Mapped[int | None] = mapped_column(Integer)
    recertify_after_days: Mapped[int | None] = mapped_column(Integer)
    review: Mapped[str | None] = mapped_column(String(16))  # review policy; None = after_pass
    source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    change: Mapped[str | None] = mapped_column(String(16))  # material | minor, set on publish
    # Certifications on any version of the same lineage satisfy this one (rule 5: a minor
    # change carries certifications over; a material change starts a new lineage).
    lineage_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The same change in another language: the slug of the original (front matter
    # ``translation_of``), and, once published, the original version it was checked against
    # (a translation has no requirements or assignments of its own; its quiz certifies that
    # version: app/services/translations.py).
    translation_of: Mapped[str | None] = mapped_column(String(80), index=True)
    pair_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("bulletin_versions.id", ondelete="SET NULL"))
    gate_at = mapped_column(UTCDateTime)
    published_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # Draft history: every save of the source increments ``revision`` (an edit form carries
    # the revision it was loaded with; a stale save is refused), and who edited it and when.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at = mapped_column(UTCDateTime)

    bulletin = relationship(Bulletin, back_populates="versions", lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    edited_by = relationship("User", foreign_keys=[edited_by_id])
    pair_version = relationship("BulletinVersion", remote_side=[id],
                                foreign_keys=[pair_version_id])
    facts = relationship("Fact", order_by="Fact.position", cascade="all, delete-orphan")
    items = relationship("Item", order_by="Item.position", cascade="all, delete-orphan")

    @property
    def slug(self) -> str:
        return self.bulletin.slug


class BulletinEvent(db.Model):
    """The bulletin's history of what leaves no version behind (a discarded draft), by slug
    so that it outlives a discarded first version."""

    __tablename__ = "bulletin_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # draft_discarded
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor = relationship("User")


class Fact(db.Model):
    """One testable statement of a change."""

    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("version_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("bulletin_versions.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(300))
    value: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(80), default="text")
    old_value: Mapped[str | None] = mapped_column(Text)
    not_values: Mapped[list] = mapped_column(JSONText)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Item(db.Model):
    """A quiz question about one fact."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("version_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("bulletin_versions.id", ondelete="CASCADE"), index=True
    )
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    stem: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    recipe: Mapped[str] = mapped_column(String(32), default="")
    edited: Mapped[bool] = mapped_column(Boolean, default=False)  # a trainer changed it
    position: Mapped[int] = mapped_column(Integer, default=0)

    fact = relationship(Fact, lazy="joined")
    options = relationship(
        "ItemOption", order_by="ItemOption.position", cascade="all, delete-orphan",
        lazy="selectin",
    )


class ItemOption(db.Model):
    """An option of an item; a wrong one records where it came from."""

    __tablename__ = "item_options"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(32))
