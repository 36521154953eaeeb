"""Who is cleared for which call type: the routing system's questions."""

from __future__ import annotations

import hashlib
import json

from flask import g, jsonify, request
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..security import allow
from ..services import NotFound
from ..services.eligibility_view import eligibility_document
from ..services.reports import visible_team_ids
from . import bp

READERS = ("admin", "manager", "integration")


def agent_by_external_id(external_id: str) -> User:
    """The agent with this external id, within what the caller may see."""
    user = db.session.scalar(
        select(User).where(User.external_id == external_id, User.role == "agent")
    )
    allowed = visible_team_ids(g.api_user)
    if user is None or (allowed is not None and user.team_id not in allowed):
        raise NotFound(f"no agent with external_id '{external_id}'", field="external_id")
    return user


@bp.get("/agents/<external_id>/eligibility")
@allow(*READERS, api=True)
def agent_eligibility(external_id: str):
    """One agent's eligibility, with an ETag for cheap polling."""
    document = eligibility_document(agent_by_external_id(external_id))
    etag = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        return "", 304, {"ETag": f'"{etag}"'}
    response = jsonify(document)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
