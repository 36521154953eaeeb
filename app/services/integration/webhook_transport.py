"""One HTTP POST to a webhook receiver, with the standard library only (http.client).

Redirects are not followed (a 3xx is a failed attempt, like any non-2xx): the signed body
goes to the URL the admin registered and nowhere else. A thread that called
:func:`keep_alive` (the sender pool's threads) keeps one connection per receiver open between
POSTs (HTTP/1.1 keep-alive); others open and close one per POST.
"""

from __future__ import annotations

import http.client
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 5.0
EXCERPT_BYTES = 500
DRAIN_BYTES = 64 * 1024  # a longer answer is not read to its end: the connection is closed
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
          ConnectionAbortedError)
_local = threading.local()
USER_AGENT = "OneVoice-Webhooks/1.0"


@dataclass(frozen=True)
class Response:
    """What came back: a status (None when no HTTP response came at all) or an error."""

    status: int | None
    duration_ms: int
    retry_after: str | None = None
    excerpt: str = ""
    error: str | None = None


def post(url: str, headers: dict[str, str], body: bytes,
         timeout: float = TIMEOUT_SECONDS) -> Response:
    """POST ``body`` as JSON to ``url``; never raises for network or HTTP trouble."""
    started = time.monotonic()
    parts = urlsplit(url)
    kept = getattr(_local, "connections", None)
    key = (parts.scheme, parts.hostname, parts.port, timeout)
    reused = kept is not None and key in kept
    connection = kept.pop(key) if reused else _connection(parts, timeout)
    try:
        try:
            response, keep = _exchange(connection, parts, headers, body, started)
        except _STALE:
            if not reused:
                raise
            connection.close()  # the receiver closed an idle kept-alive connection: once more
            connection = _connection(parts, timeout)
            response, keep = _exchange(connection, parts, headers, body, started)
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return Response(None, _ms(started), error=_describe(error))
    if kept is not None and keep:
        kept[key] = connection
    else:
        connection.close()
    return response


def _exchange(connection, parts, headers, body, started) -> tuple[Response, bool]:
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request("POST", path, body=body, headers={
        **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT})
    response = connection.getresponse()
    excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
    response.read(DRAIN_BYTES)
    keep = response.isclosed() and not response.will_close
    return Response(response.status, _ms(started), response.getheader("Retry-After"),
                    excerpt), keep


def keep_alive(registry: list[dict]) -> None:
    """From now on this thread keeps its connections open between POSTs; they are listed in
    ``registry`` for :func:`close_kept`."""
    _local.connections = {}
    registry.append(_local.connections)


def close_kept(registry: list[dict]) -> None:
    """Close every connection kept by the threads that registered in ``registry``."""
    for connections in registry:
        for connection in list(connections.values()):
            connection.close()
        connections.clear()


def _connection(parts, timeout: float) -> http.client.HTTPConnection:
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _describe(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text[:300]


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
