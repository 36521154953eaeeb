"""SCIM 2.0 provisioning (RFC 7643/7644) under /scim/v2: Users and Groups (teams).

Bearer tokens of an integration account only; no cookies, so no CSRF. docs/scim.md.
"""

from flask import Blueprint

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")

from app.scim import errors  # noqa: E402  (registers on bp, defined above)

errors.register(bp)

from app.scim import discovery, groups, users  # noqa: E402, F401  (routes register on bp)
