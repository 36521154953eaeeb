"""Concurrent webhook sending: a bounded pool of sender threads, each with its own kept-alive
HTTP connections (``ONEVOICE_WEBHOOK_CONCURRENCY`` of them, docs/webhooks.md).

A claim holds at most one delivery per (endpoint, agent): the claim skips an agent's later
version while an earlier one is pending (app/services/integration/webhooks.py ``_due``), so
sending a claim's deliveries in parallel keeps every agent's messages in version order.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from app.models import utcnow
from app.services.integration import webhook_transport as transport


class Pool:
    """``size`` sender threads for one worker pass; used as a context manager, which closes
    every connection the senders kept alive when the pass ends."""

    def __init__(self, size: int):
        self.size = size
        self._held: list[dict] = []
        self._executor: ThreadPoolExecutor | None = None

    def __enter__(self) -> Pool:
        self._executor = ThreadPoolExecutor(
            self.size, thread_name_prefix="onevoice-webhook-send",
            initializer=transport.keep_alive, initargs=(self._held,))
        return self

    def __exit__(self, *_exc) -> None:
        self._executor.shutdown(wait=True)
        transport.close_kept(self._held)

    def send(self, jobs: list, gone: set[int], now: datetime | None,
             headers: Callable) -> list[tuple]:
        """POST every job (skipping endpoints that answered 410 Gone, even during this claim);
        returns ``(job, response, sent_at)`` for each attempt made.

        Each endpoint's first job goes alone (all endpoints in parallel), then the rest: an
        endpoint that answers 410 Gone gets no other request from this claim.

        An exception in a sender (none is expected: the transport never raises for network
        trouble) propagates here; the claim's leases then run out and the deliveries are sent
        again by the next pass, under the same ``webhook-id``.
        """
        def one(job):
            if job.endpoint_id in gone:
                return None
            at = now or utcnow()
            response = transport.post(job.url, headers(job, at), job.body)
            if response.status == 410:
                gone.add(job.endpoint_id)
            return job, response, at

        firsts: dict[int, object] = {}
        for job in jobs:
            firsts.setdefault(job.endpoint_id, job)
        rest = [job for job in jobs if firsts[job.endpoint_id] is not job]
        sent = list(self._executor.map(one, firsts.values()))
        sent += self._executor.map(one, rest)
        return [attempt for attempt in sent if attempt is not None]
