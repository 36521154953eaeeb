"""HTTP API v1: JSON, bearer tokens (product.md section 7)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import errors  # noqa: E402

errors.register(bp)

from . import openapi  # noqa: E402,F401  (first: the other modules describe their paths)
from . import bulletins, eligibility, me, reports  # noqa: E402,F401
