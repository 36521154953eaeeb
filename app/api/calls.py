"""Answered calls from the routing system, and the compliance audit of them."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp
from app.api.body import json_body
from app.api.openapi.document import describe, op, param
from app.api.reports import _no_store
from app.api.schemas import INT, STR, TIME, arr, component, null, obj, strict
from app.core.security import allow
from app.errors import ServiceError
from app.queries.compliance import report
from app.services.accounts.directory import rows_from_json
from app.services.calls.answered import MAX_ROWS, record_calls

CALL = obj(
    ["call_id", "agent", "skill", "answered_at"],
    call_id={"type": "string", "minLength": 1, "maxLength": 128,
             "description": "The routing system's id of the call: the key of idempotency"},
    agent={"type": "string", "description": "The agent's external_id"},
    skill={"type": "string", "description": "The call type's code"},
    answered_at={"type": "string", "format": "date-time",
                 "description": "RFC 3339 with an offset"},
)
_MISSING = strict(bulletin=STR, version=INT, due=TIME, title=STR)
VIOLATION = component("CallViolation", strict(
    call_id=STR, agent=STR, skill=STR, answered_at=TIME, team=null(STR),
    reason={"enum": ["missing", "not_held", "inactive"]}, missing=arr(_MISSING)))
COMPLIANCE = component("Compliance", strict(
    **{"from": TIME, "to": TIME}, calls=INT, compliant=INT,
    share={"type": ["number", "null"], "minimum": 0, "maximum": 1},
    violations=arr(VIOLATION), next_cursor=null(STR)))

_RECORD = op(
    "Report answered calls; each is judged against the agent's eligibility at answered_at",
    "integration, admin", body={"type": "array", "items": CALL, "maxItems": MAX_ROWS},
    response=strict(accepted=INT, duplicates=INT), errors=(400, 401, 403, 422))
_RECORD["description"] += (
    f" At most {MAX_ROWS} calls per request. All or nothing: on any problem the answer is 422 "
    "`invalid_rows` with `details: [{row, field, message}]` (row = the index in the array) "
    "and nothing is written. Idempotent by `call_id`: a call sent again with the same values "
    "counts in `duplicates`; with other values it is a row error. A call answered by an agent "
    "who was not cleared is a violation, announced by the `call.violation` webhook.")
_AUDIT = op(
    "The compliance audit: calls answered by an agent not cleared for the call type then",
    "manager (own teams), admin",
    query=[param("from", description="A local day (YYYY-MM-DD) or an RFC 3339 instant; "
                 "default: 6 days before `to`'s day", example="2026-12-01"),
           param("to", description="A local day (included) or an instant (excluded); "
                 "default: now", example="2026-12-04"),
           param("team", description="A team code (a manager: one of their own)",
                 example="wired_100"),
           param("skill", description="A call type's code", example="wifi"),
           param("limit", description="Violations per page, 1-10000 (default 1000)",
                 example="1000"),
           param("cursor", description="`next_cursor` of the previous page")],
    response=COMPLIANCE, errors=(400, 401, 403, 404))
_AUDIT["description"] += (
    " Counts cover the whole period; `violations` come a page at a time, oldest recorded "
    "first, with `next_cursor` while more remain. Teams are the agent's team when the call "
    "was recorded.")
describe({"/calls": {"post": _RECORD}, "/reports/compliance": {"get": _AUDIT}})


@bp.post("/calls")
@allow("integration", "admin", api=True)
def post_calls():
    """Record answered calls, all or nothing."""
    rows = json_body(list)
    if len(rows) > MAX_ROWS:
        raise ServiceError("too_many_rows", most=MAX_ROWS, n=len(rows))
    return jsonify(record_calls(rows_from_json(rows), source="api").as_dict())


@bp.get("/reports/compliance")
@allow("manager", "admin", api=True)
def compliance_report():
    """Calls answered in the period, the compliant ones, and the violations."""
    args = request.args
    return _no_store(jsonify(report(
        g.api_user, start=args.get("from"), end=args.get("to"), team=args.get("team"),
        skill=args.get("skill"), limit=args.get("limit"), cursor=args.get("cursor"))))
