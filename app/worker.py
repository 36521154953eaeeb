"""The worker: finds time-driven eligibility changes (a gate reached, a certification
expiring) and records them; runs in-process under ``python app.py`` or as ``flask worker``."""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger("onevoice.worker")


def run_once(app: Flask) -> int:
    """One pass of every job; returns the number of eligibility changes recorded."""
    from app.derived.aggregates import refresh_expired
    from app.queries.inbox import worker_job as send_reminders
    from app.services.accounts.security_upkeep import prune_security
    from app.services.calls.answered import prune_calls
    from app.services.certification.eligibility import run_time_checks
    from app.services.integration import webhooks
    from app.services.integration.feed import prune_events
    from app.services.integration.idempotency import prune_keys

    with app.app_context():
        changes = run_time_checks()
        refresh_expired()  # report cells whose certifications expired since they were counted
        prune_events()  # the change feed keeps ONEVOICE_FEED_RETENTION_DAYS of events
        prune_keys()  # Idempotency-Keys live 24 hours
        prune_calls()  # answered calls are kept ONEVOICE_CALL_RETENTION_DAYS
        prune_security()  # finished sessions, spent throttles, the security log's old rows
        send_reminders()  # inbox: due soon, overdue, newly published (every 5 minutes)
        webhooks.fan_out()  # outbox rows -> one delivery per subscribed endpoint
        webhooks.deliver_due()  # signed POSTs, retries, the delivery log
        return changes


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Run passes every ONEVOICE_WORKER_INTERVAL_SECONDS until ``stop`` is set."""
    stop = stop or threading.Event()
    interval = app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"]
    while not stop.is_set():
        try:
            changes = run_once(app)
            if changes:
                log.info("worker recorded %d eligibility change(s)", changes)
        except Exception:  # keep the loop alive; the next pass retries
            log.exception("worker pass failed")
        stop.wait(interval)


def start_in_process(app: Flask) -> threading.Event:
    """The embedded default: the worker as a daemon thread beside the web server."""
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(app, stop), name="onevoice-worker",
                              daemon=True)
    thread.start()
    return stop


