"""Signing in with a password: throttled, audited, rehashed, and a server-side session.

The answer for an unknown e-mail, a wrong password and a deactivated account is the same
(``None``), and each counts as one failure for the e-mail typed and the client address.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.core.security import hash_password, needs_rehash, verify_password
from app.errors import ServiceError
from app.models import User, utcnow
from app.services.accounts import throttle
from app.services.accounts.security_log import record
from app.services.accounts.sessions import end_sessions, start_session


def sign_in(email: str, password: str, *, address: str | None,
            user_agent: str | None) -> tuple[User, str] | None:
    """The user and a new session id, or None for wrong credentials.

    Raises ``throttle.Throttled`` (with ``retry_at``) while the account or the address must
    wait; the password is then not even checked, so a lock cannot be guessed through. The
    attempt is counted as a failure before the password is checked (and given back when it
    was right), so attempts sent in parallel cannot all get past the delay.
    """
    email = (email or "").strip().lower()
    try:
        reservation = throttle.reserve_sign_in(email, address)
    except throttle.Throttled as refused:
        if _first_refusal(refused.held):
            with unit_of_work():
                record("sign_in_refused", email=email, address=address,
                       details={"held": refused.held[0], "until": refused.details["retry_at"]})
        raise
    user = db.session.scalar(select(User).where(User.email == email))
    if not (verify_password(user, password) and user.active):
        throttle.sign_in_failed(reservation, user.id if user else None)
        return None
    with unit_of_work():
        throttle.sign_in_succeeded(reservation)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            record("password_rehashed", user_id=user.id, address=address)
        sid = start_session(user, user_agent=user_agent, address=address)
        record("sign_in", user_id=user.id, email=email, address=address)
    return user, sid


# Refusals while held back are audited once a minute per throttle and process, so hammering a
# locked account or address cannot fill the log (a few rows a minute at most).
_REFUSALS_LOGGED: dict[tuple[str, str], datetime] = {}
REFUSAL_LOG_EVERY = timedelta(minutes=1)


def _first_refusal(held: tuple[str, str] | None, now: datetime | None = None) -> bool:
    now = now or utcnow()
    last = _REFUSALS_LOGGED.get(held)
    if last is not None and now - last < REFUSAL_LOG_EVERY:
        return False
    if len(_REFUSALS_LOGGED) > 10_000:
        _REFUSALS_LOGGED.clear()
    _REFUSALS_LOGGED[held] = now
    return True


def set_password(user: User, password: str, *, actor: User | None = None) -> int:
    """Give ``user`` a new password and end all their sessions (inside the caller's unit of
    work); returns how many sessions ended. Audited."""
    if not password or len(password) > 200:
        raise ServiceError("password_length", field="password")
    user.password_hash = hash_password(password)
    record("password_changed", user_id=user.id, actor_id=actor.id if actor else None)
    return end_sessions(user, "password_changed", actor=actor)
