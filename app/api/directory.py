"""Directory sync: HR/WFM upserts agents in bulk."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp
from app.api.body import json_body
from app.api.openapi.document import describe, obj, op, param
from app.api.schemas import INT, STR, arr
from app.core.security import allow
from app.errors import ServiceError
from app.services.accounts.directory import rows_from_json, sync_agents

AGENT_ROW = obj(
    ["external_id", "name", "email", "team", "skills"],
    external_id={"type": "string", "description": "The agent's id in HR/WFM and routing "
                 "(no '/'); the key of the upsert"},
    name={"type": "string"}, email={"type": "string"},
    team={"type": "string", "description": "An existing team code"},
    skills={"type": "array", "items": {"type": "string"},
            "description": "Existing skill codes; the agent holds exactly these"},
    active={"type": "boolean", "default": True},
)


@bp.put("/agents")
@allow("admin", api=True)
def put_agents():
    """Bulk upsert agents by external id; all or nothing."""
    raw = request.args.get("invite", "false")
    if raw not in ("true", "false"):
        raise ServiceError("invite_not_bool", field="invite", value=repr(raw))
    report = sync_agents(rows_from_json(json_body(list)), invite=raw == "true",
                         actor=g.api_user).as_dict()
    if raw != "true":  # the invitation counts answer only a request that asked for them
        del report["invited"], report["invitations_failed"]
    return jsonify(report)


_SYNC = op(
    "Bulk upsert agents by external_id; all or nothing", "admin",
    body={"type": "array", "items": AGENT_ROW},
    response=obj(["created", "updated", "unchanged", "eligibility_changes"], created=INT,
                 updated=INT, unchanged=INT, eligibility_changes=INT, invited=INT,
                 invitations_failed=arr(STR)),
    query=[param("invite", {"type": "string", "enum": ["true", "false"], "default": "false"},
                 description="true: mail an invitation (a link to choose a password) to "
                 "every agent this request creates; 409 `mail_not_configured`, nothing "
                 "written, when the server has no MAIL_SERVER")],
    errors=(400, 401, 403, 409, 422))
_SYNC["description"] += (
    " Every row is checked first: on any problem the answer is 422 `invalid_rows` with "
    "`details: [{row, field, message}]` (row = the element's index in the array, from 0) "
    "and nothing is written. Teams and skills must exist (admins create them). Agents not "
    "in the array are left as they are. An agent created by hand without an external_id is "
    "linked by e-mail. Agents whose skills, team or activity change get their assignments "
    "and eligibility recomputed, with change-feed events in the same transaction. Answers "
    "`{created, updated, unchanged, eligibility_changes}`; with `invite=true` also `invited` "
    "(new agents mailed an invitation) and `invitations_failed` (their addresses when the "
    "mail server refused; the agents are created and can be invited again).")
describe({"/agents": {"put": _SYNC}})
