"""A bare authenticated endpoint: the baseline the eligibility benchmark compares with.

It does what every API call does (bearer-token check, JSON response) and nothing more, so
``benchmarks/b1_eligibility.py`` can tell what the eligibility lookup itself costs. It also
lets an integration check its token without reading any data.
"""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.api.openapi.document import describe, op
from app.core.security import allow
from app.models import ROLES


@bp.get("/ping")
@allow(*ROLES, api=True)
def ping():
    """``{"ok": true}`` for any valid token."""
    return jsonify({"ok": True})


describe({"/ping": {"get": op("Check a token: {\"ok\": true} for any valid token",
                              ", ".join(ROLES), errors=(401,),
                              response={"type": "object", "required": ["ok"],
                                        "properties": {"ok": {"const": True}}})}})
