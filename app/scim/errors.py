"""SCIM's one error shape (RFC 7644 §3.12) for every failure under /scim/v2."""

from __future__ import annotations

import json

from flask import current_app
from pydantic import ValidationError
from scim2_models import Error, SCIMException
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app.core.security import bearer_refusal
from app.errors import ServiceError

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_TYPES = frozenset({"invalidFilter", "tooMany", "uniqueness", "mutability",
                        "invalidSyntax", "invalidPath", "noTarget", "invalidValue",
                        "invalidVers", "sensitive"})
MEDIA_TYPE = "application/scim+json"


def scim_response(payload: dict, status: int = 200, headers: dict | None = None):
    """A response with a SCIM JSON body and the SCIM media type."""
    response = current_app.response_class(json.dumps(payload, ensure_ascii=False), status,
                                          headers=headers, mimetype=MEDIA_TYPE)
    return response


def scim_error(status: int, detail: str, scim_type: str | None = None):
    """A SCIM error response: ``{"schemas": [Error], "status", "scimType"?, "detail"}``."""
    payload = {"schemas": [ERROR_URN], "status": str(status), "detail": detail}
    if scim_type:
        payload["scimType"] = scim_type
    return scim_response(payload, status)


def routing_error(error: HTTPException):
    """An unrouted URL or method under /scim/v2, in the SCIM shape (with Allow on 405)."""
    response = scim_error(error.code or 404, error.description or error.name)
    if getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _validation(error: ValidationError):
    errors = Error.from_validation_errors(error)
    detail = "; ".join(e.detail or "" for e in errors)
    scim_type = next((e.scim_type for e in errors if e.scim_type), "invalidValue")
    return scim_error(400, detail, scim_type)


def register(bp) -> None:
    """Map every failure inside the SCIM blueprint to the SCIM error shape."""
    bearer_refusal(bp.name, lambda status, _code, message, _details=None:
                   scim_error(status, message))  # refusals of the policy check

    @bp.errorhandler(SCIMException)
    def _scim_exception(error: SCIMException):
        return scim_error(error.status, error.detail, error.scim_type or None)

    @bp.errorhandler(ValidationError)
    def _invalid(error: ValidationError):
        return _validation(error)

    @bp.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        scim_type = error.api_code if error.api_code in SCIM_TYPES else None
        if error.status == 400 and scim_type is None:
            scim_type = "invalidValue"
        return scim_error(error.status, error.message, scim_type)

    @bp.errorhandler(IntegrityError)
    def _clash(error: IntegrityError):
        # Two requests writing the same person at once: the database's constraint wins.
        if "unique" in str(error.orig).lower() or "duplicate" in str(error.orig).lower():
            return scim_error(409, "the userName, e-mail, externalId or name was just taken by "
                              "another request; read the resource and try again", "uniqueness")
        return scim_error(409, "the change conflicts with another request; read the resource "
                          "and try again")

    @bp.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return routing_error(error)
