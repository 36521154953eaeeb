"""Webhook endpoints as admins manage them: register, list, rotate, disable, delete,
and look into (or redeliver from) the delivery log. Callers run writes in ``unit_of_work()``.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.extensions import db
from app.domain import webhooks as rules
from app.domain.refusals import Problem
from app.errors import Conflict, NotFound, ServiceError
from app.models import utcnow
from app.models.webhooks import WebhookDelivery, WebhookEndpoint

SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh ``whsec_`` secret: 256 random bits."""
    return rules.format_secret(secrets.token_bytes(SECRET_BYTES))


def check_subscription(url, events) -> tuple[str, list[str]]:
    """The URL and event types, validated; a ServiceError names the field and value."""
    if not isinstance(url, str):
        raise ServiceError("url_not_text", field="url")
    problem = rules.url_problem(url)
    if problem:
        raise ServiceError(problem.code, field="url", **problem.params)
    if not isinstance(events, list):
        raise ServiceError("events_not_list", field="events")
    problem = rules.event_problem(events)
    if problem:
        raise ServiceError(problem.code, field="events", **problem.params,
                           details={"field": "events", "allowed": list(rules.EVENT_TYPES)})
    return url, rules.normalise_events(events)


def create_endpoint(url, events) -> tuple[WebhookEndpoint, str]:
    """Register a receiver; returns it with its secret (shown to the admin this once)."""
    url, events = check_subscription(url, events)
    secret = new_secret()
    endpoint = WebhookEndpoint(url=url, events=events, secret=secret, active=True,
                               created_at=utcnow())
    db.session.add(endpoint)
    db.session.flush()
    return endpoint, secret


def list_endpoints() -> list[WebhookEndpoint]:
    """Every endpoint, oldest first."""
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def get_endpoint(endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    """The endpoint with this id, or NotFound."""
    query = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    if lock:
        query = query.with_for_update()
    endpoint = db.session.scalar(query.execution_options(populate_existing=True))
    if endpoint is None:
        raise NotFound("no_webhook_endpoint", field="id", id=endpoint_id)
    return endpoint


def delete_endpoint(endpoint_id: int) -> None:
    """Remove the endpoint with its pending deliveries and its delivery log."""
    db.session.delete(get_endpoint(endpoint_id, lock=True))
    db.session.flush()


def rotate_secret(endpoint_id: int, at: datetime | None = None) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one keeps signing beside it for 24 h (both signatures sent)."""
    at = at or utcnow()
    endpoint = get_endpoint(endpoint_id, lock=True)
    secret = new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = at + rules.ROTATION_OVERLAP
    endpoint.secret = secret
    return endpoint, secret


def signing_secrets(endpoint: WebhookEndpoint, at: datetime) -> list[str]:
    """The secrets that sign at ``at``: the current one, and the previous during the overlap."""
    in_force = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and \
            endpoint.previous_secret_until > at:
        in_force.append(endpoint.previous_secret)
    return in_force


def set_active(endpoint_id: int, active: bool, reason: Problem | None = None) -> WebhookEndpoint:
    """Enable or disable an endpoint; a disabled one gets no new messages and no sends. The
    reason (default: disabled by an admin) is stored as a code, worded when shown."""
    endpoint = get_endpoint(endpoint_id, lock=True)
    endpoint.active = active
    endpoint.disabled_reason = None if active else (
        reason or Problem.of("webhook_disabled_by_admin")).stored()
    if active:
        _wake_pushers()  # what was queued for it goes out now, not at the next safety poll
    return endpoint


def endpoint_document(endpoint: WebhookEndpoint) -> dict:
    """An endpoint as the API lists it: never its secret."""
    return {
        "id": endpoint.id, "url": endpoint.url, "events": list(endpoint.events),
        "active": bool(endpoint.active),
        "disabled_reason": stored_english(endpoint.disabled_reason),
        "created_at": rules.iso(endpoint.created_at),
        "previous_secret_valid_until": rules.iso(endpoint.previous_secret_until)
        if endpoint.previous_secret_until else None,
    }


def delivery_log(endpoint_id: int, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's newest deliveries (attempts loaded with them), newest first."""
    return list(db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
        .options(selectinload(WebhookDelivery.log))
        .order_by(WebhookDelivery.id.desc()).limit(limit)
        .execution_options(populate_existing=True)
    ))


def redeliver(endpoint_id: int, delivery_id: int, at: datetime | None = None) -> WebhookDelivery:
    """Queue a delivery again, now, with the same webhook-id and body (a fresh schedule)."""
    at = at or utcnow()
    delivery = db.session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id,
                                      WebhookDelivery.endpoint_id == endpoint_id)
        .with_for_update().execution_options(populate_existing=True))
    if delivery is None:
        raise NotFound("no_delivery", field="delivery", id=delivery_id,
                       endpoint=endpoint_id)
    if delivery.locked_until is not None and delivery.locked_until > at:
        raise Conflict("delivery_busy", field="delivery", id=delivery.msg_id)
    delivery.status, delivery.attempts = "pending", 0
    delivery.next_attempt_at = at
    _wake_pushers()
    return delivery


def _wake_pushers() -> None:
    from app.services.integration.webhook_push import (
        wake_in_transaction,  # the pusher imports this module
    )

    wake_in_transaction()


def stored_english(text: str | None) -> str | None:
    """A reason stored with ``Problem.stored`` in English (the API); older text as it is."""
    problem = Problem.from_stored(text)
    return problem.message if problem else text
