"""The API's one error shape: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from app.core.security import bearer_refusal
from app.domain.bulletin.types import ContentError
from app.domain.throttle import retry_after_seconds
from app.errors import ServiceError
from app.models import utcnow


def api_error(status: int, code: str, message: str, details=None):
    """A JSON error response."""
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    return response


def register(bp) -> None:
    """Map every failure inside the API blueprint to the error shape."""
    bearer_refusal(bp.name, api_error)  # refusals of the policy check (app.core.security)

    @bp.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        details = error.details
        if error.field and details is None:
            details = {"field": error.field}
        response = api_error(error.status, error.api_code, error.message, details)
        if error.status == 429:
            response.headers["Retry-After"] = str(retry_after_seconds(details, utcnow()))
        return response

    @bp.errorhandler(ContentError)
    def _content_error(error: ContentError):
        return api_error(
            422, "invalid_bulletin", str(error.errors[0]) if error.errors else "invalid content",
            [{"file": e.file, "line": e.line, "message": e.message} for e in error.errors],
        )

    @bp.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return api_error(error.code or 500, error.name.lower().replace(" ", "_"),
                         error.description or error.name)
