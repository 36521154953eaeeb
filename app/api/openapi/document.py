"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Each API module describes its own routes with ``describe({path: {method: op(...)}})`` at
import; shared body schemas are in :mod:`app.api.schemas`. A test checks that every API route
is described and every description is routed, and tests/api_contract runs Schemathesis
against the running app to prove the document matches what the code answers.
"""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.api.schemas import ERROR, INT, SCHEMAS, STR, obj  # noqa: F401  (obj, STR, INT: for modules)
from app.core.security import allow

OBJ = {"type": "object"}
ERRORS = {
    400: "Bad request: the body is not JSON of the right shape, or a field or parameter is "
         "missing or invalid, or holds a NUL character (`details.field` names it)",
    401: "No valid bearer token (missing, unknown, revoked or expired)",
    403: "The token's role may not call this endpoint, or the team is not the caller's",
    404: "No such resource (or not within what the caller may see)",
    409: "Conflicts with the current state (e.g. already published, already submitted), or "
         "an Idempotency-Key whose first request is still running",
    410: "Gone: the change feed no longer holds events after `since`",
    422: "Well-formed but not acceptable (e.g. an invalid bulletin file or directory rows), "
         "or an Idempotency-Key reused with another request",
    413: "The request body is larger than the server accepts (MAX_CONTENT_LENGTH)",
    429: "Too many attempts, or too many bad bearer tokens from this address: try again "
         "after Retry-After seconds",
    503: "`database_unavailable`: the database is locked, read-only or unreachable for a "
         "moment; nothing was changed: send the same request after Retry-After seconds",
}
RETRY_AFTER = {"description": "Seconds until the request may succeed", "required": True,
               "schema": {"type": "integer", "minimum": 0}}


def param(name: str, schema: dict | None = None, *, where: str = "query",
          required: bool = False, description: str | None = None, example=None) -> dict:
    """An operation parameter (a path parameter is always required)."""
    described = {"name": name, "in": where, "required": required or where == "path",
                 "schema": schema or dict(STR)}
    if description:
        described["description"] = description
    if example is not None:
        described["example"] = example
    return described


def error_response(status: int) -> dict:
    """A documented error status with the API's error shape."""
    response = {"description": ERRORS[status],
                "content": {"application/json": {"schema": ERROR}}}
    if status in (429, 503):
        response["headers"] = {"Retry-After": RETRY_AFTER}
    return response


def op(summary: str, roles: str, *, body: dict | None = None, ok: int = 200,
       response: dict | None = None, params=(), query=(), extra: tuple[int, ...] = (),
       errors: tuple[int, ...] | None = None, headers: dict | None = None) -> dict:
    """One operation: ``response`` is the body schema of the ``ok`` status (none for 204);
    ``errors`` the error statuses it really answers (default 401, 403, 404 + ``extra``; 400
    always: every route refuses a NUL character in a URL parameter);
    ``params``/``query`` are names (string parameters) or :func:`param` objects."""
    success = {"description": "OK"}
    if ok != 204:
        success["content"] = {"application/json": {"schema": response or OBJ}}
    if headers:
        success["headers"] = headers
    responses = {str(ok): success}
    statuses = set(errors if errors is not None else (401, 403, 404, *extra))
    if 401 in statuses:
        statuses.add(429)  # repeated bad tokens from an address (app/services/accounts/throttle.py)
    if body is not None:
        statuses.add(413)  # a body over MAX_CONTENT_LENGTH
    statuses.add(503)  # database_unavailable (app/web/shared/unavailable.py), any operation
    for status in sorted(statuses | {400}):  # 400: also a NUL in any URL parameter (body.py)
        responses[str(status)] = error_response(status)
    operation = {
        "summary": summary,
        "description": f"Roles: {roles}.",
        "security": [{"bearer": []}],
        "parameters": [p if isinstance(p, dict) else param(p, where="path") for p in params]
        + [q if isinstance(q, dict) else param(q) for q in query],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": body}}}
    return operation


PATHS: dict = {
    "/openapi.json": {"get": {
        "summary": "This document", "security": [],
        "responses": {"200": {"description": "The OpenAPI 3.1 document",
                              "content": {"application/json": {"schema": OBJ}}}}}},
}


def describe(paths: dict) -> None:
    """Add an API module's paths to the document (each module describes its own routes)."""
    clash = set(paths) & set(PATHS)
    if clash:
        raise ValueError(f"OpenAPI paths described twice: {sorted(clash)}")
    PATHS.update(paths)


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "OneVoice API", "version": "1.0.0",
             "description": "Bulletins, quizzes and eligibility for contact-centre routing. "
                            "Every error is `{\"error\": {\"code\", \"message\", \"details\"}}`."},
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer", "bearerFormat": "ov_<token>",
            "description": "An API token (admin: API tokens); it acts with its user's role."}},
        "schemas": SCHEMAS,
    },
}


@bp.get("/openapi.json")
@allow(api=False)
def openapi_document():
    """The OpenAPI document (public: it holds no data)."""
    return jsonify(DOCUMENT)

