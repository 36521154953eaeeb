"""Managers' reports as JSON: readiness and knowledge gaps, within the caller's scope."""

from __future__ import annotations

from collections import defaultdict

from flask import g, jsonify, request

from app.api import bp
from app.api.openapi.document import describe, op, param
from app.api.schemas import BOOL, INT, NUM, STR, TIME, arr, component, null, obj, strict
from app.core.security import allow
from app.queries.gaps import gaps_document, knowledge_gaps
from app.queries.reports import readiness, scoped_teams

REPORTERS = ("manager", "trainer", "admin")

_SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_TEAM_SHARE = strict(team=STR, share=_SHARE, answered=INT, low_sample=BOOL)
READINESS = component("Readiness", strict(teams=arr(strict(
    team=STR, name=STR, bulletins=arr(strict(
        bulletin=STR, version=INT, title=STR, gate_at=TIME, assigned=INT, certified=INT,
        share={"type": "number", "minimum": 0, "maximum": 1}))))))
GAPS = component("KnowledgeGaps", obj(
    ["bulletin", "version", "teams", "one_voice"], bulletin=null(STR), version=null(INT),
    title=null(STR), low_sample_below=INT,
    teams=arr(strict(team=STR, name=STR, answered=INT, stale_rate=null(NUM), facts=arr(strict(
        fact=STR, label=STR, answered=INT, correct=INT, share=_SHARE,
        top_wrong=null(strict(text=STR, source=null(STR), share=NUM)))))),
    one_voice=arr(strict(fact=STR, label=STR, spread=NUM, best=_TEAM_SHARE,
                         worst=_TEAM_SHARE))))
_TEAM = param("team", description="A team code (a manager: one of their own teams, else 403)",
              example="wibro_care")

describe({
    "/reports/readiness": {"get": op(
        "Readiness per team and bulletin: assigned agents, certified agents and the share",
        "manager (own teams), trainer, admin", query=[_TEAM], response=READINESS,
        errors=(401, 403, 404))},
    "/reports/gaps": {"get": op(
        "Knowledge gaps per team and fact on first attempts: share correct, the most chosen "
        "wrong answer, the stale-knowledge rate and the one-voice ranking. Without "
        "`bulletin`, the current bulletin with the latest gate",
        "manager (own teams), trainer, admin",
        query=[_TEAM, param("bulletin", description="A bulletin's slug",
                            example="wibro50-wifi-login")],
        response=GAPS, errors=(401, 403, 404))},
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
