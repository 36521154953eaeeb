"""Admins: webhook endpoints (register, shown-once secret, rotate, disable, delete) and the
delivery log with redelivery. Its own blueprint, ``webhooks_admin``, at /admin/webhooks."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.security import allow
from app.domain.webhooks import EVENT_TYPES
from app.errors import NotFound, ServiceError
from app.services.integration import webhook_commands
from app.services.integration import webhook_endpoints as endpoints
from app.web.shared.refusals import refusal_handler, stored_reason

bp = Blueprint("webhooks_admin", __name__, url_prefix="/admin/webhooks")
# the reason, in the admin's language
bp.register_error_handler(ServiceError, refusal_handler("admin.home"))
bp.context_processor(lambda: {"reason_text": stored_reason})  # stored reasons, translated
NO_STORE = {"Cache-Control": "no-store"}  # pages that show a secret are never cached


def _index(status: int = 200, **shown):
    page = render_template("admin/webhooks.html", endpoints=endpoints.list_endpoints(),
                           event_types=EVENT_TYPES, **shown)
    return page, status, NO_STORE


@bp.get("/")
@allow("admin")
def index():
    """Every endpoint, and the form to register one."""
    return _index()


@bp.post("/")
@allow("admin")
def create():
    """Register an endpoint; the page shows its secret this once."""
    url, events = request.form.get("url", "").strip(), request.form.getlist("events")
    try:
        endpoint, secret = webhook_commands.create(url, events)
    except ServiceError as error:
        return _index(400, error=error, form={"url": url, "events": events})
    return _index(201, created=endpoint, secret=secret)


def _endpoint_page(endpoint_id: int, **shown):
    try:
        endpoint = endpoints.get_endpoint(endpoint_id)
    except NotFound:
        abort(404)
    page = render_template("admin/webhooks_endpoint.html", endpoint=endpoint,
                           deliveries=endpoints.delivery_log(endpoint_id), **shown)
    return page, 200, NO_STORE


@bp.get("/<int:endpoint_id>")
@allow("admin")
def endpoint(endpoint_id: int):
    """One endpoint: its subscription, state and newest deliveries with their attempts."""
    return _endpoint_page(endpoint_id)


@bp.post("/<int:endpoint_id>/active")
@allow("admin")
def set_active(endpoint_id: int):
    """Disable the endpoint (no new messages, no sends) or enable it again."""
    active = request.form.get("active") == "1"
    webhook_commands.set_active(endpoint_id, active)
    flash(_("Endpoint enabled.") if active else _("Endpoint disabled."), "ok")
    return redirect(url_for(".endpoint", endpoint_id=endpoint_id))


@bp.post("/<int:endpoint_id>/rotate")
@allow("admin")
def rotate(endpoint_id: int):
    """A new secret, shown this once; the old one keeps signing for 24 hours."""
    _, secret = webhook_commands.rotate(endpoint_id)
    return _endpoint_page(endpoint_id, secret=secret)


@bp.post("/<int:endpoint_id>/delete")
@allow("admin")
def delete(endpoint_id: int):
    """Delete the endpoint with its pending deliveries and its log."""
    webhook_commands.delete(endpoint_id)
    flash(_("Endpoint deleted."), "ok")
    return redirect(url_for(".index"))


@bp.post("/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver")
@allow("admin")
def redeliver(endpoint_id: int, delivery_id: int):
    """Send a delivery again with the same webhook-id, at the worker's next pass."""
    webhook_commands.redeliver(endpoint_id, delivery_id)
    flash(_("Queued for redelivery with the same webhook-id."), "ok")
    return redirect(url_for(".endpoint", endpoint_id=endpoint_id) + f"#delivery-{delivery_id}")
