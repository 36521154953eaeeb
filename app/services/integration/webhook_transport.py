"""One HTTP POST to a webhook receiver, with the standard library only (http.client).

Redirects are not followed (a 3xx is a failed attempt, like any non-2xx): the signed body
goes to the URL the admin registered and nowhere else.
"""

from __future__ import annotations

import http.client
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 5.0
EXCERPT_BYTES = 500
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
    connection = _connection(parts, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers={
            **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT})
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        return Response(response.status, _ms(started), response.getheader("Retry-After"),
                        excerpt)
    except (OSError, http.client.HTTPException) as error:
        return Response(None, _ms(started), error=_describe(error))
    finally:
        connection.close()


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
