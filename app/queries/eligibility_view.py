"""Eligibility as the API, the webhooks and the agent's page present it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.derived.eligibility_documents import build_document
from app.models import EligibilityState, Skill, User, utcnow
from app.services.certification.eligibility import recompute


def refresh_if_due(user: User, at: datetime | None = None) -> None:
    """Apply a time-driven change (a gate reached, an expiry) the scheduler has not run yet."""
    at = at or utcnow()
    if user.eligibility_check_at is not None and user.eligibility_check_at <= at:
        with unit_of_work():
            fresh = db.session.get(User, user.id, populate_existing=True)
            if fresh.eligibility_check_at is not None and fresh.eligibility_check_at <= at:
                recompute([fresh], cause="time", at=at)


def stored_states(user: User) -> list[tuple[str, EligibilityState]]:
    """The agent's stored eligibility rows with their skill codes, by skill."""
    return db.session.execute(
        select(Skill.code, EligibilityState).join(Skill, EligibilityState.skill_id == Skill.id)
        .where(EligibilityState.user_id == user.id).order_by(Skill.code)
    ).all()


def eligibility_document(user: User, *, refresh: bool = True) -> dict:
    """``{agent, version, cleared, blocked, due}`` for one agent (product.md section 7)."""
    if refresh:
        refresh_if_due(user)
    return document_from_states(user, stored_states(user))


def document_from_states(user: User, states: list[tuple[str, EligibilityState]]) -> dict:
    """The document of :func:`eligibility_document` from already loaded (code, state) rows.

    Bulk readers load the rows of many agents in one query and build each document here.
    """
    return build_document(
        agent=user.external_id or str(user.id), name=user.name,
        team=user.team.code if user.team else None, active=bool(user.active),
        version=user.eligibility_version or 0, states=states)
