"""The API's one error shape: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from ..domain.types import ContentError
from ..services import ServiceError


def api_error(status: int, code: str, message: str, details=None):
    """A JSON error response."""
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    return response


def register(bp) -> None:
    """Map every failure inside the API blueprint to the error shape."""

    @bp.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        details = error.details
        if error.field and details is None:
            details = {"field": error.field}
        return api_error(error.status, error.code, error.message, details)

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
