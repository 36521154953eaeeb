"""HTTP API v1: JSON, bearer tokens (product.md section 7)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import errors  # noqa: E402

errors.register(bp)

from . import bulletins, eligibility, me, openapi, reports  # noqa: E402,F401
