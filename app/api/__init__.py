"""HTTP API v1: JSON, bearer tokens (product.md section 7)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import body, errors  # noqa: E402

errors.register(bp)
body.register(bp)  # the <id:...> URL converter, before any route is added

from app.api import bulletins, directory, eligibility, feed, idempotency, me, reports  # noqa: E402,F401  # noqa: E402,F401
from app.api.openapi import document as openapi  # noqa: E402,F401  (first: the other modules describe their paths)

idempotency.register(bp)  # Idempotency-Key on every POST

from app.api import (  # noqa: E402,F401  (point in time; knowledge base)
    calls,  # noqa: E402,F401  (answered calls, compliance audit)
    in_force,
    item_stats,  # noqa: E402,F401
    ping,  # noqa: E402,F401
    receipts,  # noqa: E402,F401  (read receipts by name)
    search,
    support,  # noqa: E402,F401  (unlock, eligibility audit)
    webhooks,  # noqa: E402,F401  (webhook endpoints)
)
