"""The security audit log: who signed in, who failed, what was locked, which sessions ended.

Rows go into ``security_events`` inside the caller's transaction; each is also written to the
``onevoice.security`` logger so a log collector sees it at once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from app.core.extensions import db
from app.models import utcnow
from app.models.security import SecurityEvent

log = logging.getLogger("onevoice.security")

EVENTS = frozenset({
    "sign_in", "sign_in_failed", "sign_in_refused", "lock_started", "sign_out",
    "sessions_ended", "tokens_revoked", "password_changed", "password_rehashed",
    "token_lock_started",
})


def record(event: str, *, user_id: int | None = None, actor_id: int | None = None,
           email: str | None = None, address: str | None = None, details: dict | None = None,
           at: datetime | None = None, session=None) -> SecurityEvent:
    """Add one audit row to the current transaction (the caller commits it)."""
    if event not in EVENTS:
        raise ValueError(f"unknown security event {event!r}")
    row = SecurityEvent(event=event, user_id=user_id, actor_id=actor_id,
                        email=(email or None) and email[:254], address=address,
                        details=details, at=at or utcnow())
    (session or db.session).add(row)
    log.info("%s user=%s actor=%s email=%s address=%s %s", event, user_id, actor_id, email,
             address, details or "")
    return row


def recent(limit: int = 50, user_id: int | None = None) -> list[SecurityEvent]:
    """The newest audit rows, optionally of one user."""
    query = select(SecurityEvent).order_by(SecurityEvent.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(SecurityEvent.user_id == user_id)
    return list(db.session.scalars(query))
