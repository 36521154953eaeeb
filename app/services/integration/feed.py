"""The routing system's bulk reads: every agent's eligibility, and the feed of its changes.

A consumer reads the listing once (``as_of`` is a feed position), then follows
``changes(since=as_of)``. Events carry absolute values (cleared or not), so replaying an
event the listing already reflects is harmless: the consumer ends with the server's state.
For that, the feed must never skip an event: on PostgreSQL, writers of eligibility events
are serialised (``_serialise_event_writers``) so that seq order is commit order and a reader
never sees seq 11 before seq 10 commits. SQLite serialises writers already. Events the time
pass writes shortly before their instant are held until it, and the feed ends before them
meanwhile (``last_seq``): it shows them, and what came after, when they are released.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, event, func, select, text
from sqlalchemy.orm import Session

from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import ServiceError
from app.models import EligibilityEvent, EligibilityState, Skill, User, agent_skills, utcnow
from app.queries.eligibility_view import document_from_states
from app.queries.feed_end import fan_out_end, feed_end
from app.queries.reports import scoped_teams, visible_team_ids
from app.services.accounts.choices import unknown
from app.services.certification import time_pass_ahead
from app.services.certification.eligibility import recompute
from app.services.integration.webhook_upkeep import fanned_out

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_WAIT_SECONDS = 25
POLL_SECONDS = 0.5
EVENT_WRITERS_LOCK = 0x0E11_6175  # pg_advisory_xact_lock key: "eligibility events"


class Gone(ServiceError):
    """The feed no longer holds the events after ``since`` (HTTP 410)."""

    status, kind = 410, "gone"


@event.listens_for(Session, "before_flush")
def _serialise_event_writers(session, _context, _instances) -> None:
    """PostgreSQL: one transaction at a time writes events, until it commits (seq = commit order).

    The lock is taken before the flush draws seq numbers and held to the end of the
    transaction, so a reader that sees seq N has seen every committed event below it.
    """
    if any(isinstance(row, EligibilityEvent) for row in session.new):
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": EVENT_WRITERS_LOCK})


# --- the listing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """One page of agents' eligibility documents, where to go on, and the feed position."""

    agents: list[dict]
    next_cursor: str | None
    as_of: int


def encode_cursor(user_id: int) -> str:
    """The opaque cursor after agent ``user_id``."""
    return base64.urlsafe_b64encode(str(user_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The agent id a cursor stands for; ServiceError when it is not one the API gave out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.isdigit():
            return int(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ServiceError("feed_cursor_invalid", field="cursor", value=repr(cursor))


_WHOLE = re.compile(r"\s*-?[0-9]{1,19}\s*")  # ASCII digits (isdigit() takes "²"), int64


def whole_number(value: str | None, name: str, default: int, low: int, high: int) -> int:
    """A query parameter as a whole number within ``low..high``, or a ServiceError naming it."""
    if value is None or value == "":
        return default
    if not _WHOLE.fullmatch(value) or not low <= int(value) <= high:
        raise ServiceError("number_out_of_range", field=name, name=name, low=low, high=high,
                           value=repr(value))
    return int(value)


def _agents_query(viewer: User, skill: str | None, team: str | None):
    query = select(User).where(User.role == "agent")
    allowed = visible_team_ids(viewer)
    if team:
        query = query.where(User.team_id == scoped_teams(viewer, team)[0].id)
    elif allowed is not None:
        query = query.where(User.team_id.in_(allowed))
    if skill:
        skill_id = db.session.scalar(select(Skill.id).where(Skill.code == skill))
        if skill_id is None:
            raise unknown("skill", skill)
        query = query.where(User.id.in_(
            select(agent_skills.c.user_id).where(agent_skills.c.skill_id == skill_id)))
    return query


def _refresh_due(query, after: int, limit: int, at: datetime) -> None:
    """Apply time-driven changes (a gate reached, an expiry) to the page's agents first."""
    page = db.session.execute(query.with_only_columns(User.id, User.eligibility_check_at)
                              .where(User.id > after).order_by(User.id).limit(limit + 1)).all()
    due = [uid for uid, check_at in page if check_at is not None and check_at <= at]
    if due:
        with unit_of_work():
            users = db.session.scalars(
                select(User).where(User.id.in_(due), User.eligibility_check_at <= at)
                .execution_options(populate_existing=True)).all()
            recompute(users, cause="time", at=at)


def _states(user_ids: list[int]) -> dict[int, list]:
    rows = db.session.execute(
        select(EligibilityState.user_id, Skill.code, EligibilityState)
        .join(Skill, EligibilityState.skill_id == Skill.id)
        .where(EligibilityState.user_id.in_(user_ids))
        .order_by(EligibilityState.user_id, Skill.code)).all()
    states: dict[int, list] = defaultdict(list)
    for user_id, code, state in rows:
        states[user_id].append((code, state))
    return states


def last_seq() -> int:
    """The highest event seq the feed shows now (0 before the first event): events written
    ahead of their instant are held until it (``time_pass_ahead.feed_end``), and so is every
    event after them."""
    return feed_end(db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0)


def listing(viewer: User, *, skill: str | None = None, team: str | None = None,
            cursor: str | None = None, limit: int = DEFAULT_LIMIT,
            at: datetime | None = None) -> Listing:
    """A page of agents (by id) with their eligibility documents, in five or so queries.

    ``as_of`` is read first, in the same read transaction as the documents: every event up to
    it is reflected in them (on PostgreSQL, at READ COMMITTED, the documents may also reflect
    a few later events; following the feed from ``as_of`` replays them harmlessly).
    """
    at = at or utcnow()
    query = _agents_query(viewer, skill, team)
    after = decode_cursor(cursor) if cursor else 0
    time_pass_ahead.release_due(at)
    _refresh_due(query, after, limit, at)
    db.session.commit()  # end any earlier read: as_of and the documents share one snapshot
    try:
        # before the events of a release whose stages are not applied yet: the documents
        # may not reflect them (following the feed from here replays them, harmlessly)
        as_of = fan_out_end(db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0)
        users = db.session.scalars(query.where(User.id > after).order_by(User.id)
                                   .limit(limit + 1)
                                   .execution_options(populate_existing=True)).all()
        page = users[:limit]
        states = _states([u.id for u in page])
        documents = [document_from_states(u, states.get(u.id, [])) for u in page]
    finally:
        db.session.commit()
    more = len(users) > limit
    return Listing(documents, encode_cursor(page[-1].id) if more else None, as_of)


# --- the change feed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """Changes after a position, and the position to ask from next."""

    changes: list[dict]
    next_since: int


def _check_retained(since: int) -> None:
    first = db.session.scalar(select(func.min(EligibilityEvent.seq)))
    if first is not None and since < first - 1:
        raise Gone("since_too_old", field="since", since=since, days=retention_days(),
                   first=first)


def _read_changes(viewer: User, since: int, limit: int) -> Changes:
    newest = last_seq()  # first: the page below never runs past what this read has seen
    query = (select(EligibilityEvent, User.external_id)
             .join(User, User.id == EligibilityEvent.user_id)
             .where(EligibilityEvent.seq > since, EligibilityEvent.seq <= newest)
             .order_by(EligibilityEvent.seq).limit(limit))
    allowed = visible_team_ids(viewer)
    if allowed is not None:
        query = query.where(User.team_id.in_(allowed))
    rows = db.session.execute(query).all()
    changes = [{"seq": e.seq, "agent": external or str(e.user_id), "skill": e.skill,
                "cleared": bool(e.cleared), "reason": e.reason, "at": e.at.isoformat(),
                "version": e.agent_version} for e, external in rows]
    # A full page resumes after its last event; otherwise every event up to newest was seen
    # (events of other teams included, for a manager).
    next_since = changes[-1]["seq"] if len(changes) == limit else max(since, newest)
    return Changes(changes, next_since)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def changes(viewer: User, since: int, *, limit: int = DEFAULT_LIMIT, wait: float = 0) -> Changes:
    """Changes after ``since`` the viewer may see; with ``wait``, long-poll up to that long.

    The table is polled every POLL_SECONDS; no transaction is open while waiting. Gone when
    events after ``since`` were pruned.
    """
    deadline = time.monotonic() + min(max(wait, 0), max_hold_seconds())
    time_pass_ahead.release_due(utcnow())  # due and not released yet: the worker is late
    try:
        _check_retained(since)
        page = _read_changes(viewer, since, limit)
    finally:
        db.session.commit()
    while not page.changes and time.monotonic() < deadline:
        _sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0)))
        try:
            page = _read_changes(viewer, page.next_since, limit)
        finally:
            db.session.commit()
    return page


def max_hold_seconds() -> float:
    """ONEVOICE_FEED_MAX_WAIT_SECONDS (default and at most 25): the longest a long-poll is
    held, whatever ``wait`` asks for (e.g. under a proxy with a short idle timeout)."""
    value = current_app.config.get("ONEVOICE_FEED_MAX_WAIT_SECONDS", MAX_WAIT_SECONDS)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ValueError(f"setting ONEVOICE_FEED_MAX_WAIT_SECONDS={value!r} must be a number "
                         "of seconds, at least 0")
    return min(value, MAX_WAIT_SECONDS)


# --- retention ------------------------------------------------------------------------------


def retention_days() -> int:
    """ONEVOICE_FEED_RETENTION_DAYS (default 30): how long the feed keeps events."""
    days = current_app.config.get("ONEVOICE_FEED_RETENTION_DAYS", 30)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValueError(f"setting ONEVOICE_FEED_RETENTION_DAYS={days!r} must be a whole "
                         "number of days, at least 1")
    return days


def prune_events(at: datetime | None = None) -> int:
    """The worker's job: delete events older than the retention window; return how many.

    The newest event is always kept, so seq keeps growing (SQLite would reuse numbers of an
    emptied table) and ``since`` positions stay meaningful; an event the webhook fan-out has
    not read yet is kept too.
    """
    cutoff = (at or utcnow()) - timedelta(days=retention_days())
    with unit_of_work():
        newest = last_seq()
        result = db.session.execute(delete(EligibilityEvent).where(
            EligibilityEvent.at < cutoff, EligibilityEvent.seq < newest,
            EligibilityEvent.seq <= fanned_out("eligibility")))  # webhooks made first
        return result.rowcount or 0
