"""Push: webhook delivery wakes within moments of a commit, and at each retry's due time.

The worker runs :func:`run_pusher` in a thread of its own beside its periodic pass. It sleeps
until the earliest of:

- a committed outbox row: on PostgreSQL a ``NOTIFY onevoice_webhooks`` that a trigger on
  ``outbox_messages`` and ``eligibility_events`` sends in the inserting transaction
  (migration 0009w; PostgreSQL delivers it at commit, never for a rolled-back insert), heard
  on a dedicated ``LISTEN`` connection; on SQLite a cheap poll of the outbox every
  ``ONEVOICE_WEBHOOK_POLL_MS`` (and, for commits made in the worker's own process, an
  in-process wake-up);
- the next retry or lease expiry of a pending delivery (so the 5 s first retry is 5 s);
- a safety poll every ``ONEVOICE_WEBHOOK_SAFETY_POLL_SECONDS`` on PostgreSQL.

On waking it reads (:func:`look`) whether anything is new or due, and only then fans out and
sends (app/services/integration/webhooks.py): an idle pusher holds no write lock.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import event, func, or_, select, text
from sqlalchemy.orm import Session

from app.core.database import is_sqlite
from app.core.db_unavailable import note_unavailable
from app.core.extensions import db
from app.models import EligibilityEvent, utcnow
from app.models.webhooks import OutboxMessage, WebhookCursor, WebhookDelivery, WebhookEndpoint
from app.queries.feed_end import fan_out_end
from app.services.integration import webhooks

log = logging.getLogger("onevoice.webhooks")

CHANNEL = "onevoice_webhooks"
_FLAG = "onevoice_outbox_written"
_local_wake = threading.Event()


# --- in-process wake-up (commits made in the worker's own process) --------------------------


@event.listens_for(Session, "after_flush")
def _note_outbox_rows(session, _context) -> None:
    if any(isinstance(row, OutboxMessage | EligibilityEvent) for row in session.new):
        session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session) -> None:
    if session.info.pop(_FLAG, False):
        _local_wake.set()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session) -> None:
    session.info.pop(_FLAG, None)


def wake_in_transaction() -> None:
    """Wake the pushers when the caller's transaction commits (a redelivery, an endpoint
    enabled again): NOTIFY on PostgreSQL, the in-process wake-up otherwise."""
    if is_sqlite():
        db.session.info[_FLAG] = True
    else:
        db.session.execute(text("SELECT pg_notify(:channel, 'queue')"), {"channel": CHANNEL})


# --- what is there to do -----------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """What the pusher found: outbox rows not fanned out yet, deliveries due now, and when
    the next one falls due (None: nothing pending)."""

    new_rows: bool
    due_now: bool
    next_due: datetime | None


def look(now: datetime) -> Look:
    """Three indexed reads, no lock: is anything new or due, and when is the next thing due."""
    positions = dict(db.session.execute(
        select(WebhookCursor.source, WebhookCursor.position)).all())
    ends = db.session.execute(select(
        select(func.max(EligibilityEvent.seq)).scalar_subquery(),
        select(func.max(OutboxMessage.id)).scalar_subquery())).one()
    new_rows = ((fan_out_end(ends[0] or 0) or 0) > positions.get("eligibility", 0)
                or (ends[1] or 0) > positions.get("outbox", 0))
    pending = (select(WebhookDelivery.id).join(WebhookEndpoint)
               .where(WebhookDelivery.status == "pending", WebhookEndpoint.active.is_(True)))
    due_now = db.session.scalar(select(pending.where(
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until <= now),
    ).exists())) or False
    next_retry = db.session.scalar(pending.with_only_columns(
        func.min(WebhookDelivery.next_attempt_at)).where(WebhookDelivery.next_attempt_at > now))
    next_lease = db.session.scalar(pending.with_only_columns(
        func.min(WebhookDelivery.locked_until)).where(WebhookDelivery.locked_until > now))
    upcoming = [t for t in (next_retry, next_lease) if t is not None]
    return Look(new_rows, bool(due_now), min(upcoming) if upcoming else None)


def push_once() -> int:
    """Fan out and send what is due now; returns deliveries made plus attempts sent."""
    return webhooks.fan_out() + webhooks.deliver_due()


# --- waiting -------------------------------------------------------------------------------


class LocalWaiter:
    """Sleep until the in-process wake-up or the timeout (SQLite, or no LISTEN available)."""

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Return after ``seconds`` at most, earlier when woken or stopped."""
        deadline = time.monotonic() + seconds
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if _local_wake.wait(min(left, 0.5)):
                _local_wake.clear()
                return

    def close(self) -> None:
        """Nothing to release."""


class PgListener:
    """A dedicated autocommit connection that LISTENs on :data:`CHANNEL` (psycopg 3)."""

    def __init__(self, url: str):
        self.url = url
        self.connection = None

    def _connect(self):
        import psycopg  # the PostgreSQL driver: only a PostgreSQL deployment has it

        self.connection = psycopg.connect(self.url, autocommit=True)
        self.connection.execute(f"LISTEN {CHANNEL}")

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Return at the first notification, after ``seconds``, or when stopped."""
        import psycopg  # as in _connect

        deadline = time.monotonic() + seconds
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            try:
                if self.connection is None or self.connection.closed:
                    self._connect()
                for _ in self.connection.notifies(timeout=min(left, 1.0), stop_after=1):
                    return
            except psycopg.Error as error:  # the server went away: poll until it is back
                note_unavailable(error, "webhook listener", log)
                self.close()
                stop.wait(min(left, 1.0))

    def close(self) -> None:
        """Close the listening connection (it is opened again on the next wait)."""
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


def _waiter(app: Flask):
    with app.app_context():
        if is_sqlite():
            return LocalWaiter()
        url = db.engine.url.set(drivername="postgresql")
        return PgListener(url.render_as_string(hide_password=False))


# --- the loop ------------------------------------------------------------------------------

def _step(app: Flask) -> float:
    """One look (and push, if needed); returns how long to sleep before the next look."""
    config = app.config
    with app.app_context():
        idle = (config["ONEVOICE_WEBHOOK_POLL_MS"] / 1000 if is_sqlite()
                else config["ONEVOICE_WEBHOOK_SAFETY_POLL_SECONDS"])
        now = utcnow()
        seen = look(now)
        if (seen.new_rows or seen.due_now) and push_once():
            return 0.0
        if seen.next_due is not None:
            idle = min(idle, max((seen.next_due - utcnow()).total_seconds(), 0.0))
    return max(idle, 0.05)


def run_pusher(app: Flask, stop: threading.Event) -> None:
    """Deliver webhooks as soon as they are committed or due, until ``stop`` is set."""
    waiter = _waiter(app)
    poll = app.config["ONEVOICE_WEBHOOK_POLL_MS"] / 1000
    try:
        if isinstance(waiter, PgListener):
            waiter.wait(0.01, stop)  # LISTEN before the first look: no commit falls between
        while not stop.is_set():
            try:
                pause = _step(app)
            except Exception as error:  # keep pushing after any failure; the next look retries
                if not note_unavailable(error, "webhook push", log):
                    log.exception("webhook push failed")
                pause = max(poll, 1.0)
            if pause:
                waiter.wait(pause, stop)
    finally:
        waiter.close()


def start_pusher(app: Flask, stop: threading.Event) -> threading.Thread:
    """Run :func:`run_pusher` on a daemon thread."""
    thread = threading.Thread(target=run_pusher, args=(app, stop), name="onevoice-push",
                              daemon=True)
    thread.start()
    return thread
