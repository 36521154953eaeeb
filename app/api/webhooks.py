"""Webhook endpoints (admin): register, list, delete, rotate the secret (docs/webhooks.md)."""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.api.body import MAX_ID, field, json_body
from app.api.openapi.document import describe, obj, op, param
from app.api.schemas import BOOL, INT, STR, TIME, arr, component, null, strict
from app.core.security import allow
from app.domain.webhooks import EVENT_TYPES
from app.services.integration import webhook_commands
from app.services.integration import webhook_endpoints as endpoints

_ENDPOINT = strict(id=INT, url=STR, events=arr(STR), active=BOOL, disabled_reason=null(STR),
                   created_at=TIME, previous_secret_valid_until=null(TIME))
ENDPOINT = component("WebhookEndpoint", _ENDPOINT)
WITH_SECRET = component("WebhookEndpointWithSecret", {"allOf": [ENDPOINT, strict(secret={
    "type": "string", "pattern": "^whsec_", "description": "Shown in this answer only"})]})
_ID = param("endpoint_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, where="path",
            example=1)

ADMIN = "admin"


@bp.post("/webhook-endpoints")
@allow(ADMIN, api=True)
def create_webhook_endpoint():
    """Register a receiver; the answer holds its ``whsec_`` secret, shown this once."""
    body = json_body()
    url, events = field(body, "url"), field(body, "events", list)
    endpoint, secret = webhook_commands.create(url, events)
    return jsonify({**endpoints.endpoint_document(endpoint), "secret": secret}), 201


@bp.get("/webhook-endpoints")
@allow(ADMIN, api=True)
def list_webhook_endpoints():
    """Every endpoint, without secrets."""
    return jsonify({"endpoints": [endpoints.endpoint_document(e)
                                  for e in endpoints.list_endpoints()]})


@bp.delete("/webhook-endpoints/<id:endpoint_id>")
@allow(ADMIN, api=True)
def delete_webhook_endpoint(endpoint_id: int):
    """Remove an endpoint, its pending deliveries and its delivery log."""
    webhook_commands.delete(endpoint_id)
    return "", 204


@bp.post("/webhook-endpoints/<id:endpoint_id>/rotate")
@allow(ADMIN, api=True)
def rotate_webhook_secret(endpoint_id: int):
    """A new secret (shown once); the old one also signs for 24 h."""
    endpoint, secret = webhook_commands.rotate(endpoint_id)
    return jsonify({**endpoints.endpoint_document(endpoint), "secret": secret})


_EVENTS = {"type": "array", "items": {"enum": list(EVENT_TYPES)}, "minItems": 1}
_DELETE = op("Delete a webhook endpoint with its deliveries", "admin", params=[_ID], ok=204,
             errors=(401, 403, 404))
describe({
    "/webhook-endpoints": {
        "post": op("Register a webhook endpoint; its secret is in this answer only", "admin",
                   body=obj(["url", "events"], url={"type": "string", "format": "uri"},
                            events=_EVENTS), ok=201, response=WITH_SECRET,
                   errors=(400, 401, 403)),
        "get": op("Webhook endpoints (no secrets)", "admin",
                  response=strict(endpoints=arr(ENDPOINT)), errors=(401, 403)),
    },
    "/webhook-endpoints/{endpoint_id}": {"delete": _DELETE},
    "/webhook-endpoints/{endpoint_id}/rotate": {"post": op(
        "Rotate the secret: the new one is in this answer only; the old one signs for 24 h",
        "admin", params=[_ID], response=WITH_SECRET, errors=(401, 403, 404))},
})
