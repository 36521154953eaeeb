"""Who is cleared for which call type: the routing system's questions."""

from __future__ import annotations

import hashlib

from flask import g, jsonify, request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import EligibilityState, Skill, Team, User, utcnow
from ..security import allow
from ..services import NotFound
from ..services.eligibility_view import document_from_states, refresh_if_due, stored_states
from ..services.reports import visible_team_ids
from . import bp

READERS = ("admin", "manager", "integration")

# Built once (not per request): the agent, its team (no lazy load) and its stored states as
# plain columns (no ORM objects to build), in one statement.
AGENT_WITH_STATES = (
    select(User, Skill.code, EligibilityState.cleared, EligibilityState.valid_until,
           EligibilityState.missing, EligibilityState.upcoming)
    .select_from(User).outerjoin(Team, Team.id == User.team_id)
    .outerjoin(EligibilityState, EligibilityState.user_id == User.id)
    .outerjoin(Skill, Skill.id == EligibilityState.skill_id)
    .options(contains_eager(User.team))
    .where(User.external_id == bindparam("external_id"), User.role == "agent")
    .order_by(Skill.code)
)


def agent_by_external_id(external_id: str) -> User:
    """The agent with this external id, within what the caller may see."""
    return agent_with_states(external_id)[0]


def agent_with_states(external_id: str) -> tuple[User, list[tuple[str, object]]]:
    """The agent with this external id (within what the caller may see) and its stored
    eligibility by skill (rows with cleared, valid_until, missing, upcoming), in one SQL
    statement: the routing system's hot path."""
    rows = db.session.execute(AGENT_WITH_STATES, {"external_id": external_id}).all()
    user = rows[0][0] if rows else None
    allowed = visible_team_ids(g.api_user)
    if user is None or (allowed is not None and user.team_id not in allowed):
        raise NotFound(f"no agent with external_id '{external_id}'", field="external_id")
    return user, [(row.code, row) for row in rows if row.cleared is not None]


@bp.get("/agents/<external_id>/eligibility")
@allow(*READERS, api=True)
def agent_eligibility(external_id: str):
    """One agent's eligibility, with an ETag for cheap polling.

    The body is serialised once and its hash is the ETag (benchmarks/b1_eligibility.py).
    """
    user, states = agent_with_states(external_id)
    if user.eligibility_check_at is not None and user.eligibility_check_at <= utcnow():
        refresh_if_due(user)  # a gate or an expiry the worker has not applied yet
        states = stored_states(user)
    response = jsonify(document_from_states(user, states))
    etag = hashlib.sha256(response.get_data()).hexdigest()[:32]
    if etag in request.if_none_match:
        return "", 304, {"ETag": f'"{etag}"'}
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
