"""The general outbox: events other than eligibility changes, for the webhooks.

Services call :func:`record` inside their ``unit_of_work()``, so the message is committed
with the change it announces, or not at all. The worker's fan-out turns each message into one
delivery per subscribed endpoint (app/services/integration/webhooks.py); nothing is sent from here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.extensions import db
from app.domain.eligibility import SkillEligibility
from app.domain.webhooks import EVENT_TYPES, iso
from app.models import Certification, utcnow
from app.models.webhooks import OutboxMessage

# agent_eligibility.updated comes from the eligibility outbox (EligibilityEvent) instead.
OUTBOX_TYPES = tuple(t for t in EVENT_TYPES if t != "agent_eligibility.updated")


def record(type: str, payload: dict) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction."""
    if type not in OUTBOX_TYPES:
        raise ValueError(f"unknown outbox message type {type!r}; one of {OUTBOX_TYPES}")
    message = OutboxMessage(type=type, payload=payload, created_at=utcnow())
    db.session.add(message)
    return message


def _agent(user) -> str:
    return user.external_id or str(user.id)


def _when(value: datetime | None) -> str | None:
    return iso(value) if value else None


def published_payload(version) -> dict:
    """``bulletin.published``: which version, what it concerns, and when it gates."""
    return {
        "bulletin": version.slug, "version": version.number, "title": version.title,
        "change": version.change, "skills": list(version.skills),
        "teams": list(version.teams or ()), "effective": version.effective.isoformat(),
        "gate_at": _when(version.gate_at), "published_at": _when(version.published_at),
    }


def passed_payload(user, attempt) -> dict:
    """``certification.passed``: who certified on which version, and until when."""
    certification = db.session.scalar(
        select(Certification).where(Certification.attempt_id == attempt.id))
    return {
        "agent": _agent(user), "bulletin": attempt.version.slug,
        "version": attempt.version.number, "attempt": attempt.id, "score": attempt.score,
        "passed_at": _when(certification.passed_at),
        "valid_until": _when(certification.valid_until),
    }


def expired_payload(user, result: SkillEligibility, at: datetime) -> dict:
    """``certification.expired``: the skill an expiry blocked and the versions to renew."""
    return {
        "agent": _agent(user), "skill": result.skill, "at": iso(at),
        "expired": [{"bulletin": m.bulletin, "version": m.version, "title": m.title}
                    for m in result.missing if m.expired],
    }
