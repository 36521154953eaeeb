"""Sign-in and API-token throttling, counted in the database so every process agrees.

Per account (the e-mail typed, known or not: the same answer either way) and per client
address: a progressive delay, then a temporary lock (the rule: app/domain/throttle.py). A
refused attempt is not counted, so waiting out the delay is the only way on. Bad bearer
tokens are counted per address; a valid token is never slowed (the check runs only after a
token failed, so the routing system's lookups cost nothing more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.core.database import dialect_insert, unit_of_work
from app.core.extensions import db
from app.domain import throttle
from app.errors import ServiceError
from app.models import utcnow
from app.models.security import SignInThrottle
from app.services.accounts.security_log import record

ACCOUNT, ADDRESS, TOKEN = "account", "address", "token_address"


class Throttled(ServiceError):
    """Too many failures: try again at ``retry_at``."""

    status = 429

    def __init__(self, retry_at: datetime, code: str = "too_many_attempts",
                 held: tuple[str, str] | None = None):
        when = retry_at.isoformat(timespec="seconds")
        super().__init__(code, when=when, details={"retry_at": when})
        self.retry_at = retry_at
        self.held = held  # (scope, key) of the throttle that asked for the longest wait


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


def _locked_row(scope: str, key: str, now: datetime) -> SignInThrottle:
    """The row for ``scope``/``key`` (created empty when missing), locked until the commit."""
    db.session.execute(dialect_insert(SignInThrottle).values(
        scope=scope, key=key, failures=0, window_started_at=now, last_failure_at=now)
        .on_conflict_do_nothing())
    return _row(scope, key, lock=True)


def _store(row: SignInThrottle, count: throttle.Count) -> None:
    row.failures, row.window_started_at = count.failures, count.window_started_at
    row.last_failure_at, row.locked_until = count.last_failure_at, count.locked_until


def _fail(scope: str, key: str, now: datetime) -> bool:
    """One more failure for ``scope``/``key``; whether it started a lock."""
    row = _locked_row(scope, key, now)
    count, locked = throttle.after_failure(rule(scope), _count(row), now)
    _store(row, count)
    return locked


@dataclass(frozen=True)
class Reservation:
    """A sign-in attempt counted as a failure before its password is checked."""

    email: str
    address: str | None
    at: datetime
    locks: dict  # scope -> whether this attempt started a lock
    address_before: throttle.Count  # the address's count before it, to give back on success


def reserve_sign_in(email: str, address: str | None,
                    now: datetime | None = None) -> Reservation:
    """Check the account and the address and count this attempt as a failure, in one
    transaction holding their rows: parallel attempts cannot all slip in before the first
    failure is written. Raises ``Throttled`` (nothing counted) while either must wait."""
    now = now or utcnow()
    with unit_of_work():
        rows = {scope: _locked_row(scope, key, now)
                for scope, key in ((ACCOUNT, email), (ADDRESS, address)) if key}
        waits = [(w, (scope, row.key)) for scope, row in rows.items()
                 if (w := throttle.retry_at(rule(scope), _count(row), now)) is not None]
        if waits:
            until, held = max(waits)
            raise Throttled(until, "too_many_sign_ins", held)
        before = throttle.current(rule(ADDRESS), _count(rows.get(ADDRESS)), now)
        locks = {}
        for scope, row in rows.items():
            count, locks[scope] = throttle.after_failure(rule(scope), _count(row), now)
            _store(row, count)
    return Reservation(email, address, now, locks, before)


def sign_in_failed(reservation: Reservation, user_id: int | None) -> None:
    """The password was wrong (or the e-mail unknown): the counted failure stands; audited."""
    email, address, now = reservation.email, reservation.address, reservation.at
    with unit_of_work():
        record("sign_in_failed", user_id=user_id, email=email, address=address, at=now)
        for scope, started in reservation.locks.items():
            if started:
                record("lock_started", user_id=user_id if scope == ACCOUNT else None,
                       email=email, address=address, at=now,
                       details={"scope": scope, "failures": rule(scope).lock_after,
                                "minutes": current_app.config["ONEVOICE_SIGNIN_LOCK_MINUTES"]})


def sign_in_succeeded(reservation: Reservation) -> None:
    """The password was right (inside the caller's unit of work): the account's failures are
    forgotten, and the address gets back the failure counted for this attempt."""
    db.session.execute(delete(SignInThrottle).where(
        SignInThrottle.scope == ACCOUNT, SignInThrottle.key == reservation.email))
    if not reservation.address:
        return
    row = _locked_row(ADDRESS, reservation.address, reservation.at)
    before = reservation.address_before
    if row.last_failure_at == reservation.at and row.failures == before.failures + 1:
        if before.window_started_at is None:  # nothing counted before this attempt
            db.session.delete(row)
        else:
            _store(row, before)
    else:  # others failed since: take back this one failure only
        row.failures = max(0, row.failures - 1)


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
