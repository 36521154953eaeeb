"""The agent knowledge base over the API: search the bulletins in force."""

from __future__ import annotations

from flask import jsonify, request, url_for

from app.api import bp
from app.api.openapi.document import describe, op, param
from app.api.schemas import INT, STR, arr, null, obj, strict
from app.core.security import allow
from app.errors import ServiceError
from app.queries.search import DEFAULT_LIMIT
from app.queries.search import search as search_bulletins

MAX_LIMIT = 50

describe({
    "/search": {"get": op(
        "Search the facts and text of the bulletins in force (or scheduled): "
        "{query, terms, results: [{bulletin, version, title, effective, status, "
        "fact: {id, label, value, was} | null, snippet, url}]}; every word must appear; "
        "Korean and English; q of 1 to 200 characters, limit 1 to 50 (default 20)",
        "agent, trainer, manager, admin",
        query=[param("q", {"type": "string", "minLength": 1, "maxLength": 200}, required=True,
                     example="wifi login"),
               param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                               "default": 20})],
        response=strict(query=STR, terms=arr(STR), results=arr(obj(
            ["bulletin", "version", "title", "effective", "status", "fact", "snippet", "url"],
            bulletin=STR, version=INT, title=STR, effective=STR, status=STR,
            fact=null(obj(["id", "label", "value", "was"], id=STR, label=STR, value=STR,
                          was=null(STR))), snippet=STR, url=STR))),
        errors=(400, 401, 403))},
})


def _limit(raw) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ServiceError("search_limit_not_number", field="limit", value=repr(raw)) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ServiceError("search_limit_range", field="limit", most=MAX_LIMIT, value=limit)
    return limit


@bp.get("/search")
@allow("agent", "trainer", "manager", "admin", api=True)
def search():
    """Full-text search over the bulletins in force, fast enough for a live call."""
    query = request.args.get("q")
    if query is None or not query.strip():
        raise ServiceError("search_query_required", field="q")
    terms, results = search_bulletins(query, limit=_limit(request.args.get("limit")))
    return jsonify({"query": query, "terms": list(terms),
                    "results": [r.as_json(result_url(r)) for r in results]})


def result_url(result) -> str:
    """A result's place: its bulletin's page, at the fact when a fact matched."""
    return url_for("agent.bulletin", slug=result.slug, _anchor=result.anchor)
