"""Webhooks: endpoints, the general outbox, fan-out cursors, deliveries and their attempts."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import JSONText, UTCDateTime, utcnow

BIG_ID = BigInteger().with_variant(Integer, "sqlite")  # SQLite: an alias of the rowid

DELIVERY_STATES = ("pending", "delivered", "failed")


class OutboxMessage(db.Model):
    """Outbox for events other than eligibility changes, written in the same transaction
    as the change (bulletin.published, certification.passed, certification.expired)."""

    __tablename__ = "outbox_messages"
    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSONText)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class WebhookCursor(db.Model):
    """How far fan-out has read one source (``eligibility`` events, ``outbox`` messages)."""

    __tablename__ = "webhook_cursors"
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)


class WebhookEndpoint(db.Model):
    """A receiver URL subscribed to some event types, with its signing secret.

    The secret is stored as issued: signing needs it (an HMAC key cannot be hashed away);
    the API and the pages show it only once, when created or rotated.
    """

    __tablename__ = "webhook_endpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list] = mapped_column(JSONText)
    secret: Mapped[str] = mapped_column(String(200))
    previous_secret: Mapped[str | None] = mapped_column(String(200))
    previous_secret_until = mapped_column(UTCDateTime)  # old secret still signs until then
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    deliveries = relationship("WebhookDelivery", back_populates="endpoint",
                              cascade="all, delete-orphan", passive_deletes=True)


class WebhookDelivery(db.Model):
    """One message for one endpoint: its stable ``msg_id`` (the webhook-id header), its exact
    body, and where it stands (pending until delivered or given up)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "source_key"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_agent_order", "endpoint_id", "user_id", "agent_version"),
    )
    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    msg_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(64))
    source_key: Mapped[str] = mapped_column(String(100))  # "eligibility:<user>:<version>"...
    user_id: Mapped[int | None] = mapped_column(Integer)  # agent_eligibility.updated only
    agent_version: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # since created or redelivered
    next_attempt_at = mapped_column(UTCDateTime, nullable=False)
    locked_until = mapped_column(UTCDateTime)  # a worker's lease while it sends
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    delivered_at = mapped_column(UTCDateTime)

    endpoint = relationship(WebhookEndpoint, back_populates="deliveries")
    log = relationship("WebhookAttempt", order_by="WebhookAttempt.id",
                       cascade="all, delete-orphan", passive_deletes=True)


class WebhookAttempt(db.Model):
    """The delivery log: one row per HTTP attempt."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at = mapped_column(UTCDateTime, nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))
    response_excerpt: Mapped[str | None] = mapped_column(Text)
