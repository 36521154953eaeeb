"""Managers' reports as JSON."""

from __future__ import annotations

from collections import defaultdict

from flask import g, jsonify, request

from ..security import allow
from ..services.reports import readiness, scoped_teams
from . import bp


@bp.get("/reports/readiness")
@allow("manager", "trainer", "admin", api=True)
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
    return jsonify({"teams": [{"team": t.code, "name": t.name, "bulletins": by_team[t.code]}
                              for t in teams]})
