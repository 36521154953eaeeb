"""Managers' reports as JSON: readiness and knowledge gaps, within the caller's scope."""

from __future__ import annotations

from collections import defaultdict

from flask import g, jsonify, request

from ..security import allow
from ..services.gaps import gaps_document, knowledge_gaps
from ..services.reports import readiness, scoped_teams
from . import bp
from .openapi import describe, op

REPORTERS = ("manager", "trainer", "admin")

describe({
    "/reports/gaps": {"get": op(
        "Knowledge gaps per team and fact on first attempts: share correct, the most chosen "
        "wrong answer, the stale-knowledge rate and the one-voice ranking. Without "
        "`bulletin`, the current bulletin with the latest gate",
        "manager (own teams), trainer, admin", query=["team", "bulletin"])},
})


def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/reports/readiness")
@allow(*REPORTERS, api=True)
def readiness_report():
    """Per team and bulletin: assigned agents, certified agents and the share."""
    teams = scoped_teams(g.api_user, request.args.get("team"))
    by_team = defaultdict(list)
    for cell in readiness(teams):
        by_team[cell.team].append({
            "bulletin": cell.bulletin, "version": cell.version, "title": cell.title,
            "gate_at": cell.gate_at.isoformat(), "assigned": cell.assigned,
            "certified": cell.certified, "share": cell.share,
        })
    return _no_store(jsonify({"teams": [
        {"team": t.code, "name": t.name, "bulletins": by_team[t.code]} for t in teams]}))


@bp.get("/reports/gaps")
@allow(*REPORTERS, api=True)
def gaps_report():
    """``{bulletin, version, teams:[{team, facts:[...], stale_rate}], one_voice:[...]}``."""
    teams = scoped_teams(g.api_user, request.args.get("team") or None)
    report = knowledge_gaps(teams, request.args.get("bulletin") or None)
    return _no_store(jsonify(gaps_document(report)))
