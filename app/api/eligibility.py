"""Who is cleared for which call type: the routing system's questions."""

from __future__ import annotations

from flask import Response, g, request

from app.api import bp
from app.core.security import allow
from app.queries.agent_document import agent_document

READERS = ("admin", "manager", "integration")


@bp.get("/agents/<external_id>/eligibility")
@allow(*READERS, api=True)
def agent_eligibility(external_id: str):
    """One agent's eligibility, with an ETag for cheap polling.

    The body is the stored document (``app.derived.eligibility_documents``); a gate or an
    expiry the worker has not applied yet is applied first.
    """
    body, etag = agent_document(g.api_user, external_id)
    if etag in request.if_none_match:
        return "", 304, {"ETag": f'"{etag}"'}
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
