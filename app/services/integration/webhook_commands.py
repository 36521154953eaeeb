"""An admin's commands on webhook endpoints, each in its own unit of work
(``webhook_endpoints`` holds the rules; docs/webhooks.md)."""

from __future__ import annotations

from app.core.database import unit_of_work
from app.models.webhooks import WebhookEndpoint
from app.services.integration import webhook_endpoints as endpoints


def create(url, events) -> tuple[WebhookEndpoint, str]:
    """Register a receiver: the endpoint and its ``whsec_`` secret (shown once)."""
    with unit_of_work():
        return endpoints.create_endpoint(url, events)


def delete(endpoint_id: int) -> None:
    """Remove an endpoint, its pending deliveries and its delivery log."""
    with unit_of_work():
        endpoints.delete_endpoint(endpoint_id)


def rotate(endpoint_id: int) -> tuple[WebhookEndpoint, str]:
    """A new secret (shown once); the old one also signs for 24 h."""
    with unit_of_work():
        return endpoints.rotate_secret(endpoint_id)


def set_active(endpoint_id: int, active: bool) -> WebhookEndpoint:
    """Disable an endpoint (no new messages, no sends) or enable it again."""
    with unit_of_work():
        return endpoints.set_active(endpoint_id, active)


def redeliver(endpoint_id: int, delivery_id: int) -> None:
    """Queue a delivery again with the same webhook-id, for the worker's next pass."""
    with unit_of_work():
        endpoints.redeliver(endpoint_id, delivery_id)
