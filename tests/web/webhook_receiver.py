"""A webhook receiver for tests: http.server on 127.0.0.1 in a thread, recording every request.

``answer`` decides each response (status and headers) from the request, so a test can play a
receiver that is down, overloaded (503 + Retry-After), gone (410) or healthy. ``stop()`` then
``start()`` again on the same port plays "connection refused" for a while.
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standardwebhooks.webhooks as reference


@dataclass(frozen=True)
class Request:
    """One POST as the receiver saw it, and the status it answered."""

    path: str
    headers: dict
    body: bytes
    status: int
    received: float = 0.0  # time.time() when the request arrived

    @property
    def msg_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def document(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """Records requests; answers ``answer(headers, body) -> (status, headers)`` (200 default)."""

    def __init__(self):
        self.requests: list[Request] = []
        self.answer = lambda headers, body: (200, {})
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/onevoice"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received = time.time()
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra = receiver.answer(headers, body)
                with receiver._lock:
                    receiver.requests.append(Request(self.path, headers, body, status,
                                                     received))
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the socket: connections are refused until ``start()``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def taken(self) -> list[Request]:
        """The requests so far (a copy)."""
        with self._lock:
            return list(self.requests)


@contextmanager
def receiver_clock(at: datetime):
    """Run the reference verifier as if its clock read ``at`` (for simulated time)."""
    real = reference.datetime

    class Frozen(real):
        @classmethod
        def now(cls, tz=None):
            return at

    reference.datetime = Frozen
    try:
        yield
    finally:
        reference.datetime = real


def verify(secret: str, request: Request, at: datetime | None = None) -> dict:
    """The body, verified by the reference Standard Webhooks implementation (or it raises)."""
    if at is None:
        return reference.Webhook(secret).verify(request.body, request.headers)
    with receiver_clock(at):
        return reference.Webhook(secret).verify(request.body, request.headers)
