"""``Idempotency-Key`` on every POST of the API, in one place (a before/after-request hook).

The same key from the same user with the same method, path and body gets the stored response
(status and body, with ``Idempotent-Replayed: true``) without the work being done again; the
same key with another request is refused with 422 ``idempotency_key_reused``. Server errors
(5xx) and 429 are not stored: the key is released so a retry runs again.
"""

from __future__ import annotations

import logging

from flask import current_app, g, request

from app.api.openapi.document import PATHS, error_response
from app.services.integration import idempotency

HEADER = "Idempotency-Key"
NOT_STORED = frozenset({429})  # "try later": a retry with the same key must run again
log = logging.getLogger("onevoice.api")


def _claim():
    """before_request: replay a stored response, or claim the key for this request."""
    if request.method != "POST" or HEADER not in request.headers:
        return None
    user = g.get("api_user")
    if user is None:  # a public route: there is no one to remember the key for
        return None
    digest = idempotency.request_hash(request.method, request.full_path.rstrip("?"),
                                      request.get_data())
    outcome = idempotency.begin(user.id, request.headers[HEADER], digest)
    if isinstance(outcome, idempotency.Replay):
        response = current_app.response_class(outcome.body, status=outcome.status,
                                               mimetype="application/json")
        response.headers["Idempotent-Replayed"] = "true"
        return response
    g.idempotency_claim = outcome
    return None


def _store(response):
    """after_request: keep the response of a claimed request (or give the key back)."""
    claim = g.pop("idempotency_claim", None)
    if claim is None:
        return response
    try:
        if response.status_code >= 500 or response.status_code in NOT_STORED:
            idempotency.abandon(claim)  # the request may have left the session unusable
        else:
            idempotency.finish(claim, response.status_code, response.get_data(as_text=True))
    except Exception:  # the response stands; the claim expires (ABANDONED_AFTER)
        log.exception("could not store the response for an Idempotency-Key")
    return response


KEY_PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255,
               "pattern": "^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$"},
    "description": "1 to 255 printable ASCII characters (else 400 "
                   "invalid_idempotency_key). Send the same key again (within 24 h) to get "
                   "the first response back instead of doing the work twice; a key used "
                   "with another request gets 422 idempotency_key_reused, and 409 "
                   "idempotency_key_in_use while the first request is still running.",
}


def _describe_header(_state=None) -> None:
    """Add the header to every POST operation of the OpenAPI document (all modules loaded)."""
    for operations in PATHS.values():
        post = operations.get("post")
        if post is None or KEY_PARAMETER in post.setdefault("parameters", []):
            continue
        post["parameters"].append(dict(KEY_PARAMETER))
        for status in ("400", "409", "422"):
            post.setdefault("responses", {}).setdefault(status, error_response(int(status)))


def _release_unfinished(_error=None) -> None:
    """teardown_request: a request that ended in an exception nobody turned into a response
    (after_request never ran) gives its key back, so a retry runs again."""
    claim = g.pop("idempotency_claim", None)
    if claim is not None:
        idempotency.abandon(claim)


def register(bp) -> None:
    """Install the hooks on the API blueprint."""
    bp.before_request(_claim)
    bp.after_request(_store)
    bp.teardown_request(_release_unfinished)
    bp.record_once(_describe_header)
