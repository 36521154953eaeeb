"""Pages every role shares: the front door and error pages."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.security import allow
from app.errors import ServiceError

bp = Blueprint("web", __name__)

HOMES = {"agent": "agent.home", "trainer": "trainer.home", "manager": "manager.home",
         "admin": "admin.home"}


@bp.get("/")
@allow()
def index():
    """Send each role to its home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOMES.get(current_user.role, "auth.login")))


@bp.get("/healthz")
@allow()
def healthz():
    """Liveness for load balancers."""
    return {"status": "ok"}


@bp.app_errorhandler(ServiceError)
def service_error(error: ServiceError):
    """A refused use case on a web page: say why, on the page the user came from."""
    if request.blueprint == "api":
        raise error
    from app.web.shared.refusals import refusal_text

    flash(refusal_text(error), "error")
    return redirect(request.referrer or url_for("web.index"))


@bp.app_errorhandler(403)
def forbidden(_error):
    return render_template("errors/status.html", status=403,
                           message=_("You do not have access to this page.")), 403


def _api_routing_error(error):
    """Under /api/ an unrouted URL or method still answers in the API's JSON error shape."""
    from app.api.errors import api_error

    response = api_error(error.code, error.name.lower().replace(" ", "_"), error.description)
    if getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _scim_routing_error(error):
    from app.scim.errors import routing_error

    return routing_error(error)


@bp.app_errorhandler(405)
def method_not_allowed(error):
    if request.path.startswith("/scim/"):
        return _scim_routing_error(error)
    return _api_routing_error(error) if request.path.startswith("/api/") else error


@bp.app_errorhandler(404)
def not_found(_error):
    if request.path.startswith("/scim/"):
        return _scim_routing_error(_error)
    if request.path.startswith("/api/"):
        return _api_routing_error(_error)
    return render_template("errors/status.html", status=404,
                           message=_("There is nothing at this address.")), 404


@bp.app_errorhandler(413)
def too_large(error):
    """A body over MAX_CONTENT_LENGTH: refused before it is read, in the API's shape or a page."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if request.path.startswith("/api/"):
        from app.api.errors import api_error

        return api_error(413, "payload_too_large", f"the request body is larger than "
                         f"{limit} bytes (MAX_CONTENT_LENGTH)", {"max_bytes": limit})
    megabytes = f"{limit / (1024 * 1024):.1f}".removesuffix(".0")
    return render_template("errors/status.html", status=413, message=_(
        "The request is too large: this site accepts at most %(size)s MB at once.",
        size=megabytes)), 413


from app.web.shared import (  # noqa: E402, F401
    in_force,  # the point-in-time page
    language,  # the header's language switcher
    unavailable,  # 503 database_unavailable
)
