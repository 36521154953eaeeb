"""The agent's eligibility computed afresh from the rules: the reference the stored copy is
compared with in tests."""

from __future__ import annotations

from datetime import datetime

from app.domain import eligibility as rules
from app.models import User, utcnow
from app.services.certification.eligibility import (
    _certifications,
    agent_view,
    load_requirements,
)


def evaluate_now(user: User, at: datetime | None = None) -> dict[str, rules.SkillEligibility]:
    """The agent's eligibility computed from the rules (not the stored copy)."""
    at = at or utcnow()
    certs = _certifications([user.id]).get(user.id, [])
    return rules.evaluate(agent_view(user), load_requirements(), certs, at)
