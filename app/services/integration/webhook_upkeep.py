"""Pruning the webhook tables by age, never before delivery.

Kept ``ONEVOICE_WEBHOOK_RETENTION_DAYS`` (30 by default): deliveries that are finished
(delivered, or given up) with their attempt log, and general outbox messages that fan-out has
read and whose deliveries are all finished. A pending delivery is never pruned, however old
(a redelivered or long-retried message keeps its row and its ``webhook-id``), nor is an
outbox row past the fan-out cursor. Eligibility events are the change feed's and are pruned
by app/services/integration/feed.py, also never past the fan-out cursor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import utcnow
from app.models.webhooks import OutboxMessage, WebhookAttempt, WebhookCursor, WebhookDelivery


def retention() -> timedelta:
    """How long finished webhook rows are kept."""
    return timedelta(days=current_app.config.get("ONEVOICE_WEBHOOK_RETENTION_DAYS", 30))


def fanned_out(source: str) -> int:
    """How far fan-out has read ``source`` (0 before its first pass)."""
    return db.session.scalar(
        select(WebhookCursor.position).where(WebhookCursor.source == source)) or 0


def prune_webhooks(at: datetime | None = None) -> tuple[int, int]:
    """The worker's job: delete finished deliveries and read outbox messages older than the
    retention; returns (deliveries, outbox messages) deleted."""
    cutoff = (at or utcnow()) - retention()
    with unit_of_work():
        finished = select(WebhookDelivery.id).where(
            WebhookDelivery.status != "pending", WebhookDelivery.created_at < cutoff)
        db.session.execute(delete(WebhookAttempt).where(
            WebhookAttempt.delivery_id.in_(finished)))
        deliveries = db.session.execute(delete(WebhookDelivery).where(
            WebhookDelivery.id.in_(finished))).rowcount or 0
        still_sending = exists().where(and_(
            WebhookDelivery.status == "pending",
            WebhookDelivery.source_key == "outbox:" + OutboxMessage.id.cast(db.String)))
        messages = db.session.execute(delete(OutboxMessage).where(
            OutboxMessage.created_at < cutoff, OutboxMessage.id <= fanned_out("outbox"),
            OutboxMessage.id < _newest_outbox(), ~still_sending)).rowcount or 0
    return deliveries, messages


def _newest_outbox() -> int:
    """The newest message is kept so ids keep growing (SQLite reuses an emptied table's)."""
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0
