"""API tokens as admins manage them: issue (shown once), list, revoke.

Tokens are stored as SHA-256 hashes (app/core/security.py); a revoked or expired token is refused
by the bearer check.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.gating import local_midnight, start_of_local_day
from app.errors import NotFound, ServiceError
from app.models import ApiToken, User, utcnow
from app.services.accounts import audit_log
from app.services.accounts.accounts import create_token


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
        raise ServiceError("expiry_in_past", field="expires_on", day=day.isoformat())
    return expires




def issue_token(email: str, name: str | None = None, expires_on: date | None = None,
                at: datetime | None = None, *, confirm_admin: bool = False,
                actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token acting as the user with ``email``; the token text is returned once.

    A token acting as an admin needs ``confirm_admin`` (the page's explicit confirmation);
    without it nothing is written. The issue is audited.
    """
    expires_at = expiry_of(expires_on, at)
    with unit_of_work():
        user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
        if user is not None and user.role == "admin" and not confirm_admin:
            raise ServiceError("admin_token_unconfirmed", field="confirm_admin",
                               email=user.email)
        record, token = create_token(email, (name or "").strip() or None, expires_at=expires_at)
        audit_log.record("token_issued", actor=actor, subject=record.user, token_id=record.id,
                         name=record.name, acts_as_admin=record.user.role == "admin")
        return record, token


def tokens_of(user_id: int) -> list[ApiToken]:
    """One person's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(token_id: int, at: datetime | None = None,
                 actor: User | None = None) -> tuple[ApiToken, bool]:
    """Revoke a token; returns it and whether it was revoked now (False: already was)."""
    with unit_of_work():
        token = db.session.get(ApiToken, token_id)
        if token is None:
            raise NotFound("no_token", field="id", id=token_id)
        if token.revoked_at is not None:
            return token, False
        token.revoked_at = at or utcnow()
        audit_log.record("token_revoked", actor=actor, subject=token.user, token_id=token.id,
                         name=token.name)
        return token, True
