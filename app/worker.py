"""The worker: finds time-driven eligibility changes (a gate reached, a certification
expiring) and records them; runs in-process under ``python app.py`` or as ``flask worker``."""

from __future__ import annotations

import logging
import threading


from flask import Flask

log = logging.getLogger("onevoice.worker")


def run_once(app: Flask) -> int:
    """One pass of every job; returns the number of eligibility changes recorded."""
    from .services.eligibility import run_time_checks

    with app.app_context():
        return run_time_checks()


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


