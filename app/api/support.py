"""Supporting agents over the API: a manager's retake unlock (rule 7) and the audit of an
agent's eligibility at a past instant."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp
from app.api.body import field, json_body
from app.api.openapi.document import describe, op, param
from app.api.schemas import BOOL, INT, STR, TIME, arr, null, obj, strict
from app.core.security import allow
from app.queries import audit
from app.services.certification import support, support_commands

_AGENT = param("external_id", where="path", example="A1")
_SKILL = param("skill", description="Only this skill code", example="wifi")
_CERT = obj(["bulletin", "version"], bulletin=STR, version=INT)

describe({
    "/agents/{external_id}/unlock": {"post": op(
        "Lift an agent's retake cooldown and daily cap on a bulletin's newest published "
        "version (rule 7): {agent, bulletin, version, unlocked_at}. A manager may unlock the "
        "agents of the teams they manage (others are 404)",
        "manager (own teams), admin", params=[_AGENT],
        body=obj(["bulletin"], bulletin={"type": "string", "example": "wibro50-wifi-login"}),
        response=strict(agent=STR, bulletin=STR, version=INT, unlocked_at=TIME),
        errors=(400, 401, 403, 404))},
    "/agents/{external_id}/eligibility/at": {"get": op(
        "Was the agent cleared at a past instant, and why: {agent, at, skill, cleared: "
        "[{skill, valid_until, relied_on}], blocked: [{skill, missing, inactive}], due, "
        "certifications (passed by then), requirements (published by then, with status), "
        "directory}. time is ISO 8601 (without an offset: organisation time zone), required, "
        "not in the future; the agent's team, skills and active flag are the current ones",
        "admin, manager (own teams), integration", params=[_AGENT],
        query=[param("time", required=True, example="2026-01-01T09:00"), _SKILL],
        response=obj(["agent", "at", "cleared", "blocked", "due", "certifications",
                      "requirements", "directory"], agent=STR, name=STR, at=TIME,
                     skill=null(STR),
                     cleared=arr(strict(skill=STR, valid_until=null(TIME),
                                        relied_on=arr(_CERT))),
                     blocked=arr(obj(["skill", "missing", "inactive"], skill=STR,
                                     missing=arr(obj(["bulletin", "version"])), inactive=BOOL)),
                     due=arr(obj(["skill"], skill=STR)), certifications=arr(_CERT),
                     requirements=arr(obj(["bulletin", "version"], bulletin=STR, version=INT)),
                     directory=obj(["team", "skills", "active"], team=null(STR),
                                   skills=arr(STR), active=BOOL)),
        errors=(400, 401, 403, 404))},
})


@bp.post("/agents/<external_id>/unlock")
@allow("manager", "admin", api=True)
def unlock_agent(external_id: str):
    """Let an agent retake a bulletin's quiz now."""
    slug = field(json_body(), "bulletin", str)
    assignment = support_commands.unlock(g.api_user, external_id, slug)
    return jsonify({"agent": external_id, "bulletin": slug,
                    "version": assignment.version.number,
                    "unlocked_at": assignment.unlocked_at.isoformat()})


@bp.get("/agents/<external_id>/eligibility/at")
@allow("admin", "manager", "integration", api=True)
def eligibility_at(external_id: str):
    """The agent's eligibility reconstructed at ``time``."""
    user = support.agent_in_scope(g.api_user, external_id)
    at = audit.parse_instant(request.args.get("time"))
    return jsonify(audit.eligibility_at(user, at, request.args.get("skill") or None))
