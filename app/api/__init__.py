"""HTTP API v1: JSON, bearer tokens (product.md section 7)."""
# isort: skip_file

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import body, errors  # noqa: E402

errors.register(bp)
body.register(bp)  # the <id:...> URL converter, before any route is added

# the OpenAPI document first: the other modules describe their paths (isort: keep this order)
from app.api.openapi import document as openapi  # noqa: E402,F401
from app.api.openapi import core as openapi_core  # noqa: E402,F401  (bulletins, me, eligibility)
from app.api import bulletins, eligibility, me, reports  # noqa: E402,F401
from app.api import directory, feed, idempotency  # noqa: E402,F401

idempotency.register(bp)  # Idempotency-Key on every POST

from app.api import item_stats  # noqa: E402,F401
from app.api import ping  # noqa: E402,F401
from app.api import in_force, search  # noqa: E402,F401  (point in time; knowledge base)
from app.api import support  # noqa: E402,F401  (unlock, eligibility audit)
from app.api import webhooks  # noqa: E402,F401  (webhook endpoints)
from app.api import receipts  # noqa: E402,F401  (read receipts by name)
from app.api import calls  # noqa: E402,F401  (answered calls, compliance audit)
