"""The worker's upkeep of the security tables: finished sessions, spent throttles, old log."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import utcnow
from app.models.security import SecurityEvent, SignInThrottle, UserSession


def prune_security(at: datetime | None = None) -> dict[str, int]:
    """Delete sessions that ended or timed out, throttles whose window and lock are over,
    and security log rows older than ONEVOICE_SECURITY_LOG_RETENTION_DAYS; the counts."""
    now, config = at or utcnow(), current_app.config
    idle = timedelta(minutes=config["ONEVOICE_SESSION_IDLE_MINUTES"])
    longest = timedelta(hours=config["ONEVOICE_SESSION_MAX_HOURS"])
    window = timedelta(minutes=config["ONEVOICE_SIGNIN_WINDOW_MINUTES"])
    kept = timedelta(days=config["ONEVOICE_SECURITY_LOG_RETENTION_DAYS"])
    with unit_of_work():
        sessions = db.session.execute(delete(UserSession).where(or_(
            UserSession.ended_at.is_not(None), UserSession.last_seen_at <= now - idle,
            UserSession.created_at <= now - longest))).rowcount
        throttles = db.session.execute(delete(SignInThrottle).where(
            SignInThrottle.window_started_at <= now - window,
            or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until <= now)
        )).rowcount
        events = db.session.execute(delete(SecurityEvent).where(
            SecurityEvent.at <= now - kept)).rowcount
    return {"sessions": sessions or 0, "throttles": throttles or 0, "events": events or 0}
