"""Idempotency keys: a POST sent again with the same key returns the stored response.

A key belongs to one user and lives 24 hours. The first request claims the key (a row with
no response yet), does its work, and stores its status and body; the same request again gets
that response back without the work being done twice. The same key on a different request
(method, path or body) is refused. A claim left without a response for ABANDONED_AFTER (the
server stopped mid-request) may be taken over by a retry.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import Conflict, ServiceError
from app.models import IdempotencyKey, utcnow

KEY_LIFETIME = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)
KEY_TEXT = re.compile(r"^[\x20-\x7e]{1,255}$")  # printable ASCII, as an HTTP header allows


class KeyReused(ServiceError):
    """The key was used for a different request (HTTP 422)."""

    status = 422


@dataclass(frozen=True)
class Claim:
    """This request holds the key: do the work, then ``finish`` (or ``release``)."""

    id: int


@dataclass(frozen=True)
class Replay:
    """The stored response of the first request with this key."""

    status: int
    body: str


def request_hash(method: str, path: str, body: bytes) -> str:
    """SHA-256 of method, path and body; a JSON body counts by its content, not its spacing."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    return hashlib.sha256(method.upper().encode() + b"\n" + path.encode() + b"\n"
                          + canonical).hexdigest()


def check_key(key: str) -> str:
    """The key as given, or a ServiceError naming what is wrong with it."""
    if not KEY_TEXT.match(key or "") or not key.strip():
        raise ServiceError("invalid_idempotency_key", field="Idempotency-Key")
    return key


def begin(user_id: int, key: str, digest: str, at: datetime | None = None) -> Claim | Replay:
    """Claim ``key`` for a request with hash ``digest``, or return the stored response.

    KeyReused (422) when the key came with a different request; Conflict (409) while the first
    request with it is still being processed.
    """
    at = at or utcnow()
    check_key(key)
    try:
        with unit_of_work():
            row = db.session.scalar(select(IdempotencyKey).where(
                IdempotencyKey.user_id == user_id, IdempotencyKey.key == key).with_for_update())
            if row is not None and _stale(row, at):
                db.session.delete(row)
                db.session.flush()
                row = None
            if row is None:
                row = IdempotencyKey(user_id=user_id, key=key, request_hash=digest,
                                     created_at=at)
                db.session.add(row)
                db.session.flush()
                return Claim(row.id)
            return _answer(row, digest)
    except IntegrityError:  # another request claimed the key a moment ago
        raise _in_use() from None


def _stale(row: IdempotencyKey, at: datetime) -> bool:
    expired = row.created_at <= at - KEY_LIFETIME
    return expired or (row.status is None and row.created_at <= at - ABANDONED_AFTER)


def _in_use() -> Conflict:
    return Conflict("idempotency_key_in_use", field="Idempotency-Key")


def _answer(row: IdempotencyKey, digest: str) -> Replay:
    if row.request_hash != digest:
        raise KeyReused("idempotency_key_reused", field="Idempotency-Key")
    if row.status is None:
        raise _in_use()
    return Replay(row.status, row.body or "")


def finish(claim: Claim, status: int, body: str) -> None:
    """Store the response of the claimed request, for replays."""
    with unit_of_work():
        row = db.session.get(IdempotencyKey, claim.id)
        if row is not None:
            row.status, row.body = status, body


def release(claim: Claim) -> None:
    """Give the key up (the request failed on the server's side): a retry runs again."""
    with unit_of_work():
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim.id))


def abandon(claim: Claim) -> None:
    """Give the key up after a failed request: whatever the request left in the session is
    rolled back first (it may be unusable), then the key is released."""
    db.session.rollback()
    release(claim)


def prune_keys(at: datetime | None = None) -> int:
    """The worker's job: forget keys older than 24 hours; return how many."""
    cutoff = (at or utcnow()) - KEY_LIFETIME
    with unit_of_work():
        result = db.session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at <= cutoff))
        return result.rowcount or 0
