"""The worker: finds time-driven eligibility changes (a gate reached, a certification
expiring) and records them; runs in-process under ``python app.py`` or as ``flask worker``."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.core.db_unavailable import note_unavailable
from app.core.extensions import db
from app.derived.aggregates import refresh_expired
from app.models import utcnow
from app.queries.inbox import worker_job as send_reminders
from app.services.accounts.security_upkeep import prune_security
from app.services.calls.answered import prune_calls
from app.services.certification import time_pass_ahead
from app.services.certification.time_pass import next_due
from app.services.certification.time_pass import run as time_pass
from app.services.integration import webhooks
from app.services.integration.feed import prune_events
from app.services.integration.idempotency import prune_keys
from app.services.integration.webhook_push import start_pusher
from app.services.integration.webhook_upkeep import prune_webhooks
from app.services.integration.webhooks import retry_schedule
from app.services.reports.trend_snapshots import worker_job as snapshot_weeks

log = logging.getLogger("onevoice.worker")


def run_once(app: Flask, *, time_pass_too: bool = True) -> int:
    """One pass of every job; returns the number of eligibility changes recorded.

    ``time_pass_too=False`` leaves the time pass to :func:`run_time_loop` (``run_forever``).
    """
    with app.app_context():
        # set-based, in batches; events carry the due instant
        changes = time_pass().changes if time_pass_too else 0
        refresh_expired()  # report cells whose certifications expired since they were counted
        snapshot_weeks()  # closed trend weeks, every ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS
        prune_events()  # the change feed keeps ONEVOICE_FEED_RETENTION_DAYS of events
        prune_keys()  # Idempotency-Keys live 24 hours
        prune_calls()  # answered calls are kept ONEVOICE_CALL_RETENTION_DAYS
        prune_security()  # finished sessions, spent throttles, the security log's old rows
        prune_webhooks()  # finished deliveries, read outbox rows (ONEVOICE_WEBHOOK_RETENTION_DAYS)
        send_reminders()  # inbox: due soon, overdue, newly published (every 5 minutes)
        webhooks.fan_out()  # outbox rows -> one delivery per subscribed endpoint
        webhooks.deliver_due()  # signed POSTs, retries, the delivery log
        return changes


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Run every job each ONEVOICE_WORKER_INTERVAL_SECONDS until ``stop`` is set, with two
    threads beside them: the time pass (:func:`run_time_loop`, woken at the next due instant, so
    a long job never delays a gate) and the webhook pusher (it sends within moments of a commit,
    not at the next pass)."""
    app = getattr(app, "_get_current_object", lambda: app)()  # current_app from the CLI
    with app.app_context():
        retry_schedule()  # a bad ONEVOICE_WEBHOOK_RETRY_SCHEDULE stops here, named
        time_pass_ahead.ahead_seconds()  # so does a bad ONEVOICE_TIME_PASS_AHEAD_SECONDS
        time_pass_ahead.publish_seconds()  # and ONEVOICE_TIME_PASS_PUBLISH_SECONDS
    stop = stop or threading.Event()
    start_pusher(app, stop)
    interval = app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"]
    timer = threading.Thread(target=run_time_loop, args=(app, stop), name="onevoice-time-pass",
                             daemon=True)
    timer.start()
    while not stop.is_set():
        try:
            run_once(app, time_pass_too=False)
        except Exception as error:  # keep the loop alive; the next pass retries
            if not note_unavailable(error, "worker pass", log):
                log.exception("worker pass failed")
        stop.wait(interval)
    timer.join(timeout=interval)


def run_time_loop(app: Flask, stop: threading.Event) -> None:
    """The time pass, at the instant the next known change falls due (a gate, an expiry) and
    at least every ONEVOICE_WORKER_INTERVAL_SECONDS, until ``stop`` is set; after each pass,
    the changes of the next ONEVOICE_TIME_PASS_AHEAD_SECONDS are staged (``time_pass_ahead``)
    so the pass at their instant only moves them into place, and the events of the next
    ONEVOICE_TIME_PASS_PUBLISH_SECONDS are written to the feed, held until their instant."""
    interval = app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"]
    while not stop.is_set():
        try:
            with app.app_context():
                done = time_pass()
                staged = time_pass_ahead.stage()
                published = time_pass_ahead.publish()
            if done.changes or done.staged:
                log.info("worker recorded %d eligibility change(s) of %d agent(s), %d agent(s) "
                         "from their stage", done.changes, done.agents, done.staged)
            if staged.agents:
                log.info("worker staged the changes of %d agent(s) ahead of their instant",
                         staged.agents)
            if published.changes:
                log.info("worker wrote %d change(s) of %d agent(s) to the feed, held until "
                         "their instant", published.changes, published.agents)
        except Exception as error:  # keep the loop alive; the next pass retries
            if not note_unavailable(error, "time pass", log):
                log.exception("time pass failed")
        stop.wait(seconds_to_next_pass(app, interval))


def seconds_to_next_pass(app: Flask, interval: float) -> float:
    """The interval, or less when an agent's next time-driven change comes sooner (or the
    moment to write a staged instant's events to the feed): the time pass wakes then, so the
    feed carries a gate's changes at its instant."""
    try:
        with app.app_context():
            due = min((t for t in (next_due(), time_pass_ahead.next_publish()) if t is not None),
                      default=None)
            db.session.remove()
    except Exception:  # the database is away: poll as usual
        log.exception("worker could not read the next due instant")
        return interval
    if due is None:
        return interval
    # at least a fifth of a second: a pass that keeps failing must not spin
    return min(interval, max((due - utcnow()).total_seconds(), 0.2))


def start_in_process(app: Flask) -> threading.Event:
    """The embedded default: the worker as a daemon thread beside the web server."""
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(app, stop), name="onevoice-worker",
                              daemon=True)
    thread.start()
    return stop


