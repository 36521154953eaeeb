"""Read receipts by name as JSON: who acknowledged a bulletin version, per team, in scope."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp
from app.api.openapi.document import describe, op
from app.core.security import allow
from app.queries.receipts import receipts_document, version_receipts

REPORTERS = ("manager", "trainer", "admin")

describe({
    "/bulletins/{slug}/receipts": {"get": op(
        "Read receipts of a bulletin version by name: per team, the active agents assigned it "
        "who acknowledged it (`acknowledged`, with `acknowledged_at`) and who have not yet "
        "(`not_acknowledged`, with `due_at`). `version` defaults to the newest published "
        "version; a receipt counts for its own version only. A manager sees only their own "
        "teams (`team` outside them: 403)",
        "manager (own teams), trainer, admin", params=["slug"], query=["version", "team"])},
})


@bp.get("/bulletins/<slug>/receipts")
@allow(*REPORTERS, api=True)
def bulletin_receipts(slug: str):
    """``{bulletin, version, title, status, team, teams:[{team, name, assigned,
    acknowledged:[{agent, name, acknowledged_at}], not_acknowledged:[{agent, name, due_at}]}]}``."""
    report = version_receipts(g.api_user, slug, request.args.get("version"),
                              (request.args.get("team") or "").strip() or None)
    response = jsonify(receipts_document(report))
    response.headers["Cache-Control"] = "private, no-store"
    return response
