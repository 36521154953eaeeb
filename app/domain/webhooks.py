"""Webhook rules per Standard Webhooks 1.0: signatures, retry schedule, outcomes, validation.

Pure functions: the clock (``now``) and the randomness (``rng``, anything with
``uniform(a, b)``) are passed in, so every rule is a table of cases in tests/unit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from app.domain.refusals import Problem

EVENT_TYPES = (
    "agent_eligibility.updated",
    "bulletin.published",
    "certification.passed",
    "certification.expired",
    "call.violation",
)
SECRET_PREFIX = "whsec_"

# Wait after the 1st, 2nd, ... failed attempt; after the last one the delivery gives up.
SCHEDULE = (
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=10),
)
JITTER = 0.2  # each wait is spread over +-20 % so retries from many deliveries do not align
MAX_RETRY_AFTER = timedelta(hours=24)  # a receiver cannot park a delivery for longer
ROTATION_OVERLAP = timedelta(hours=24)  # the old secret keeps signing this long after rotation
MAX_URL_LENGTH = 2000
DIGITS = re.compile(r"[0-9]+")


# --- secrets and signatures ---------------------------------------------------------------


def format_secret(key: bytes) -> str:
    """The secret as shown to the integrator: ``whsec_`` + base64 of the key bytes."""
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a ``whsec_...`` secret; ValueError when it is not one."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a webhook secret starts with {SECRET_PREFIX!r}")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is whsec_ followed by base64") from None
    if not key:
        raise ValueError("a webhook secret may not be empty")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` keyed with the secret's key."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one signature per secret in force, space-separated."""
    return " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets)


def encode_body(event_type: str, at: datetime, data: dict) -> str:
    """The message body ``{type, timestamp, data}`` as compact, stable JSON text."""
    document = {"type": event_type, "timestamp": iso(at), "data": data}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def iso(at: datetime) -> str:
    """An aware time as ISO 8601 in UTC with a Z, as the payloads carry times."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- retries --------------------------------------------------------------------------------


def backoff(attempt: int, rng, schedule: tuple[timedelta, ...] = SCHEDULE) -> timedelta | None:
    """How long to wait after failed attempt number ``attempt`` (1-based); None = give up.

    By default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each spread by +-20 %
    (``rng.uniform``).
    """
    if attempt < 1:
        raise ValueError(f"attempt numbers start at 1, not {attempt}")
    if attempt > len(schedule):
        return None
    return schedule[attempt - 1] * rng.uniform(1 - JITTER, 1 + JITTER)


def parse_schedule(text: str | None) -> tuple[timedelta, ...]:
    """The retry schedule a setting gives as seconds separated by commas ("5,300,1800");
    empty or None means the default :data:`SCHEDULE`. Raises ValueError naming the bad part."""
    if text is None or not text.strip():
        return SCHEDULE
    waits = []
    for part in text.split(","):
        value = part.strip()
        if not DIGITS.fullmatch(value) or int(value) < 1 or int(value) > 86400:
            raise ValueError(f"ONEVOICE_WEBHOOK_RETRY_SCHEDULE: {value!r} is not a whole "
                             "number of seconds from 1 to 86400")
        waits.append(timedelta(seconds=int(value)))
    return tuple(waits)


def retry_after(header: str | None, now: datetime) -> timedelta | None:
    """The wait a ``Retry-After`` header asks for (seconds or an HTTP-date); None if unusable.

    A date in the past means "now" (zero); a longer wait than 24 h is cut to 24 h; garbage
    or a negative number is ignored.
    """
    value = (header or "").strip()
    if not value:
        return None
    if DIGITS.fullmatch(value):
        seconds = int(value) if len(value) <= 9 else 10**9  # timedelta has a range
        return min(timedelta(seconds=seconds), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return min(max(when - now, timedelta(0)), MAX_RETRY_AFTER)


@dataclass(frozen=True)
class Outcome:
    """What one attempt means: ``delivered``, ``retry`` (after ``wait``), ``failed`` (gave up)
    or ``gone`` (410: the receiver asked never to be called again; the endpoint is disabled)."""

    state: str
    wait: timedelta | None = None


def outcome(status: int | None, attempt: int, asked_wait: timedelta | None, rng,
            schedule: tuple[timedelta, ...] = SCHEDULE) -> Outcome:
    """Judge attempt number ``attempt`` that got HTTP ``status`` (None: no response at all).

    2xx delivers; 410 is gone; anything else retries on the schedule, where the receiver's
    Retry-After (capped at 24 h) replaces the scheduled wait, until the schedule runs out.
    """
    if status is not None and 200 <= status < 300:
        return Outcome("delivered")
    if status == 410:
        return Outcome("gone")
    scheduled = backoff(attempt, rng, schedule)
    if scheduled is None:
        return Outcome("failed")
    if asked_wait is not None:
        return Outcome("retry", min(max(asked_wait, timedelta(0)), MAX_RETRY_AFTER))
    return Outcome("retry", scheduled)


# --- validation -----------------------------------------------------------------------------


def url_problem(url: str) -> Problem | None:
    """Why ``url`` cannot be a webhook endpoint, or None when it can."""
    if not url.strip():
        return Problem.of("url_empty")
    if len(url) > MAX_URL_LENGTH:
        return Problem.of("url_too_long", limit=MAX_URL_LENGTH)
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return Problem.of("url_spaces", url=repr(url))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return Problem.of("url_scheme", url=repr(url))
    try:
        parts.port  # noqa: B018 - raises on a port out of range or not a number
    except ValueError:
        return Problem.of("url_port", url=repr(url))
    if not parts.hostname:
        return Problem.of("url_no_host", url=repr(url))
    if parts.username is not None or parts.password is not None:
        return Problem.of("url_credentials", url=repr(url))
    if parts.fragment:
        return Problem.of("url_fragment", url=repr(url))
    return None


def event_problem(events: list) -> Problem | None:
    """Why ``events`` is not a usable subscription, or None when it is."""
    if not events:
        return Problem.of("events_empty", types=EVENT_TYPES)
    for event in events:
        if not isinstance(event, str):
            return Problem.of("event_not_text", event=repr(event))
        if event not in EVENT_TYPES:
            return Problem.of("event_unknown", event=repr(event), types=EVENT_TYPES)
    return None


def normalise_events(events: list[str]) -> list[str]:
    """The subscribed types once each, in the order of EVENT_TYPES."""
    return [event for event in EVENT_TYPES if event in set(events)]


# --- agent_eligibility.updated ------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityChange:
    """One outbox row: one skill of one agent changed, as agent version ``version``."""

    seq: int
    user_id: int
    version: int
    skill: str
    cleared: bool
    reason: str
    at: datetime


@dataclass(frozen=True)
class ChangeSet:
    """Every skill that changed in one agent version: one agent_eligibility.updated message."""

    user_id: int
    version: int
    at: datetime
    changed: tuple[EligibilityChange, ...]

    @property
    def key(self) -> str:
        """Names the change set across fan-out batches (one message per endpoint)."""
        return f"eligibility:{self.user_id}:{self.version}"


def group_changes(changes: list[EligibilityChange]) -> list[ChangeSet]:
    """Group rows by (agent, version), in the order each group first appears."""
    groups: dict[tuple[int, int], list[EligibilityChange]] = {}
    for change in sorted(changes, key=lambda c: c.seq):
        groups.setdefault((change.user_id, change.version), []).append(change)
    return [ChangeSet(user, version, rows[0].at, tuple(sorted(rows, key=lambda c: c.skill)))
            for (user, version), rows in groups.items()]


def eligibility_update(agent: str, change_set: ChangeSet, document: dict) -> dict:
    """The ``data`` of agent_eligibility.updated: what changed and why at ``version``, and
    the agent's whole current ``eligibility`` (the API's document: cleared skills with their
    ``valid_until``, blocked ones with what is missing).

    The document is the agent's eligibility when the message was prepared, with its own
    ``version``: equal to the message's, or newer when later changes came first.
    """
    return {
        "agent": agent,
        "version": change_set.version,
        "changed": [{"skill": c.skill, "cleared": c.cleared, "reason": c.reason}
                    for c in change_set.changed],
        "eligibility": document,
    }


_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def eligibility_body(agent: str, change_set: ChangeSet, document_text: str) -> str:
    """``encode_body("agent_eligibility.updated", change_set.at, eligibility_update(agent,
    change_set, document))`` with the document given as its stored JSON text (compact, keys
    sorted, as ``eligibility_documents.serialise`` writes it): the same text, without
    decoding and encoding the document again for every message."""
    changed = [{"skill": c.skill, "cleared": c.cleared, "reason": c.reason}
               for c in change_set.changed]
    return (f'{{"data":{{"agent":{_encode(agent)},"changed":{_encode(changed)},'
            f'"eligibility":{document_text},"version":{int(change_set.version)}}},'
            f'"timestamp":{_encode(iso(change_set.at))},'
            f'"type":"agent_eligibility.updated"}}')

