"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

A test checks that every API route is described here and every description is routed.
"""

from __future__ import annotations

from flask import jsonify

from ..security import allow
from . import bp

ERROR = {"$ref": "#/components/schemas/Error"}
OBJ = {"type": "object"}


def op(summary: str, roles: str, *, body: dict | None = None, ok: int = 200,
        params: list[str] = (), query: list[str] = (), extra: tuple[int, ...] = ()) -> dict:
    responses = {str(ok): {"description": "OK", "content": {"application/json": {"schema": OBJ}}}}
    for status in (400, 401, 403, 404, *extra):
        responses[str(status)] = {"description": "error",
                                  "content": {"application/json": {"schema": ERROR}}}
    op = {
        "summary": summary,
        "description": f"Roles: {roles}.",
        "security": [{"bearer": []}],
        "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                       for p in params]
        + [{"name": q, "in": "query", "required": False, "schema": {"type": "string"}}
           for q in query],
        "responses": responses,
    }
    if body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
    return op


def obj(required: list[str], **props) -> dict:
    return {"type": "object", "required": required, "properties": props}


STR = {"type": "string"}
INT = {"type": "integer"}

PATHS = {
    "/agents/{external_id}/eligibility": {"get": op(
        "One agent's eligibility (ETag; 304 on If-None-Match)", "admin, manager, integration",
        params=["external_id"], extra=(304,))},
    "/bulletins": {"post": op(
        "Create a draft from a bulletin file's text, with generated items", "trainer, admin",
        body=obj(["source"], source=STR), ok=201, extra=(422,))},
    "/bulletins/{slug}": {"get": op("A bulletin's newest version", "trainer, admin",
                                     params=["slug"])},
    "/bulletins/{slug}/items": {
        "get": op("Items of the newest version", "trainer, admin", params=["slug"]),
        "post": op("Add a hand-written item to the draft", "trainer, admin", params=["slug"],
                    body=obj(["fact", "stem", "options"], fact=STR, stem=STR, explanation=STR,
                              options={"type": "array", "items": OBJ}), ok=201, extra=(409,)),
    },
    "/bulletins/{slug}/regenerate": {"post": op(
        "Regenerate the draft's items, keeping reviewed ones", "trainer, admin",
        params=["slug"], extra=(409,))},
    "/bulletins/{slug}/items/{item_key}": {"put": op(
        "Edit, approve or retire an item", "trainer, admin", params=["slug", "item_key"],
        body=obj([], stem=STR, explanation=STR, status=STR, kind=STR,
                  options={"type": "array", "items": OBJ}), extra=(409,))},
    "/bulletins/{slug}/publish": {"post": op(
        "Publish the draft version", "trainer, admin", params=["slug"],
        body=obj([], change={"enum": ["material", "minor"]}), extra=(409,))},
    "/me/assignments": {"get": op("What I must pass", "agent")},
    "/me/attempts": {"post": op("Start or resume an attempt", "agent",
                                 body=obj(["bulletin"], bulletin=STR), ok=201,
                                 extra=(409, 429))},
    "/me/attempts/{attempt_id}": {"get": op("Resume my attempt", "agent",
                                             params=["attempt_id"])},
    "/me/attempts/{attempt_id}/answers/{item_id}": {"put": op(
        "Autosave an answer", "agent", params=["attempt_id", "item_id"],
        body=obj(["option"], option=INT, seq=INT), extra=(409,))},
    "/me/attempts/{attempt_id}/submit": {"post": op(
        "Grade my attempt (idempotent)", "agent", params=["attempt_id"])},
    "/me/eligibility": {"get": op("My eligibility", "agent")},
    "/reports/readiness": {"get": op("Readiness per team and bulletin",
                                      "manager (own teams), trainer, admin", query=["team"])},
    "/openapi.json": {"get": {"summary": "This document", "security": [],
                              "responses": {"200": {"description": "OK"}}}},
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
             "description": "Bulletins, quizzes and eligibility for contact-centre routing."},
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {"Error": obj(["error"], error=obj(
            ["code", "message"], code=STR, message=STR, details={}))},
    },
}


@bp.get("/openapi.json")
@allow(api=False)
def openapi_document():
    """The OpenAPI document (public: it holds no data)."""
    return jsonify(DOCUMENT)
