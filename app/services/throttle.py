"""Sign-in and API-token throttling, counted in the database so every process agrees.

Per account (the e-mail typed, known or not: the same answer either way) and per client
address: a progressive delay, then a temporary lock (the rule: app/domain/throttle.py). A
refused attempt is not counted, so waiting out the delay is the only way on. Bad bearer
tokens are counted per address; a valid token is never slowed (the check runs only after a
token failed, so the routing system's lookups cost nothing more).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..database import dialect_insert, unit_of_work
from ..domain import throttle
from ..extensions import db
from ..models import utcnow
from ..models.security import SignInThrottle
from . import ServiceError
from .security_log import record

ACCOUNT, ADDRESS, TOKEN = "account", "address", "token_address"


class Throttled(ServiceError):
    """Too many failures: try again at ``retry_at``."""

    status = 429

    def __init__(self, retry_at: datetime, message: str = "too many failed attempts"):
        super().__init__(f"{message}; try again after {retry_at.isoformat(timespec='seconds')}",
                         code="too_many_attempts",
                         details={"retry_at": retry_at.isoformat(timespec="seconds")})
        self.retry_at = retry_at


def rule(scope: str) -> throttle.Rule:
    """The numbers for ``scope`` from the settings (docs/configuration.md)."""
    config = current_app.config
    prefix = {ACCOUNT: "ONEVOICE_SIGNIN_ACCOUNT", ADDRESS: "ONEVOICE_SIGNIN_ADDRESS",
              TOKEN: "ONEVOICE_TOKEN_ADDRESS"}[scope]
    return throttle.Rule(
        free=config[f"{prefix}_FREE_FAILURES"], lock_after=config[f"{prefix}_LOCK_AFTER"],
        delay=timedelta(seconds=config["ONEVOICE_SIGNIN_DELAY_SECONDS"]),
        max_delay=timedelta(seconds=60),
        lock_for=timedelta(minutes=config["ONEVOICE_SIGNIN_LOCK_MINUTES"]),
        window=timedelta(minutes=config["ONEVOICE_SIGNIN_WINDOW_MINUTES"]))


def _count(row: SignInThrottle | None) -> throttle.Count:
    if row is None:
        return throttle.NONE
    return throttle.Count(row.failures, row.window_started_at, row.last_failure_at,
                          row.locked_until)


def _row(scope: str, key: str, lock: bool = False) -> SignInThrottle | None:
    query = select(SignInThrottle).where(SignInThrottle.scope == scope, SignInThrottle.key == key)
    return db.session.scalar(query.with_for_update() if lock else query)


def wait_until(keys: dict[str, str], now: datetime | None = None) -> datetime | None:
    """The latest time any of ``{scope: key}`` asks to wait until, or None to go ahead."""
    now = now or utcnow()
    waits = [throttle.retry_at(rule(scope), _count(_row(scope, key)), now)
             for scope, key in keys.items() if key]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def _fail(scope: str, key: str, now: datetime) -> bool:
    """One more failure for ``scope``/``key``; whether it started a lock."""
    db.session.execute(dialect_insert(SignInThrottle).values(
        scope=scope, key=key, failures=0, window_started_at=now, last_failure_at=now)
        .on_conflict_do_nothing())
    row = _row(scope, key, lock=True)
    count, locked = throttle.after_failure(rule(scope), _count(row), now)
    row.failures, row.window_started_at = count.failures, count.window_started_at
    row.last_failure_at, row.locked_until = count.last_failure_at, count.locked_until
    return locked


def sign_in_failed(email: str, address: str | None, user_id: int | None,
                   now: datetime | None = None) -> None:
    """Count a wrong password (or unknown e-mail) against the account and the address."""
    now = now or utcnow()
    with unit_of_work():
        record("sign_in_failed", user_id=user_id, email=email, address=address, at=now)
        for scope, key in ((ACCOUNT, email), (ADDRESS, address)):
            if key and _fail(scope, key, now):
                record("lock_started", user_id=user_id if scope == ACCOUNT else None,
                       email=email, address=address, at=now,
                       details={"scope": scope, "failures": rule(scope).lock_after,
                                "minutes": current_app.config["ONEVOICE_SIGNIN_LOCK_MINUTES"]})


def sign_in_succeeded(email: str) -> None:
    """A right password forgets the account's failures (the address's stay counted)."""
    db.session.execute(delete(SignInThrottle).where(
        SignInThrottle.scope == ACCOUNT, SignInThrottle.key == email))


def check_sign_in(email: str, address: str | None, now: datetime | None = None) -> None:
    """Raise ``Throttled`` when the account or the address must wait."""
    until = wait_until({ACCOUNT: email, ADDRESS: address}, now)
    if until is not None:
        raise Throttled(until, "too many failed sign-ins")


def token_failed(address: str | None, now: datetime | None = None) -> datetime | None:
    """A bad bearer token from ``address``: the time to wait until when the address is held
    back already (the request is then refused, not counted), else None after counting it."""
    if not address:
        return None
    now = now or utcnow()
    if (waiting := wait_until({TOKEN: address}, now)) is not None:
        return waiting
    with unit_of_work():
        if _fail(TOKEN, address, now):
            record("token_lock_started", address=address, at=now,
                   details={"failures": rule(TOKEN).lock_after})
    return None
