"""API tokens as admins manage them: issue (shown once), list, revoke.

Tokens are stored as SHA-256 hashes (app/security.py); a revoked or expired token is refused
by the bearer check.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..database import unit_of_work
from ..domain.gating import local_midnight, start_of_local_day
from ..extensions import db
from ..models import ApiToken, utcnow
from . import NotFound, ServiceError
from .accounts import create_token


def list_tokens() -> list[ApiToken]:
    """Every token, newest first, with its user."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def token_state(token: ApiToken, at: datetime | None = None) -> str:
    """``active``, ``revoked`` or ``expired``."""
    at = at or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= at:
        return "expired"
    return "active"


def expiry_of(day: date | None, at: datetime | None = None) -> datetime | None:
    """A token valid through ``day`` (organisation's time zone) expires when the next day starts."""
    if day is None:
        return None
    tz = current_app.config["ONEVOICE_TIMEZONE"]
    expires = local_midnight(day + timedelta(days=1), tz)
    if expires <= start_of_local_day(at or utcnow(), tz):  # the day is over already
        raise ServiceError(f"the expiry date {day.isoformat()} is in the past", field="expires_on")
    return expires


def issue_token(email: str, name: str | None = None, expires_on: date | None = None,
                at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token acting as the user with ``email``; the token text is returned once."""
    expires_at = expiry_of(expires_on, at)
    with unit_of_work():
        return create_token(email, (name or "").strip() or None, expires_at=expires_at)


def revoke_token(token_id: int, at: datetime | None = None) -> tuple[ApiToken, bool]:
    """Revoke a token; returns it and whether it was revoked now (False: already was)."""
    with unit_of_work():
        token = db.session.get(ApiToken, token_id)
        if token is None:
            raise NotFound(f"no API token with id {token_id}", field="id")
        if token.revoked_at is not None:
            return token, False
        token.revoked_at = at or utcnow()
        return token, True
