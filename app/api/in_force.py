"""Point in time over the API: what was in force for a call type on a day."""

from __future__ import annotations

from flask import jsonify, request

from app.api import bp
from app.api.openapi.document import describe, op, param
from app.api.schemas import BOOL, INT, STR, arr, null, obj, strict
from app.core.security import allow
from app.queries.point_in_time import as_json
from app.queries.point_in_time import in_force as versions_in_force

describe({
    "/bulletins/in-force": {"get": op(
        "The bulletin versions whose requirements applied to a skill at the end of a day "
        "(organisation time zone), counting only what had been published by then, with "
        "their facts: {skill, date, as_of, bulletins: [{bulletin, version, title, status, "
        "effective, gate_at, published_at, teams, facts: [{id, label, value, was, "
        "critical}]}]}; skill and date (YYYY-MM-DD) are required",
        "trainer, manager, admin, integration, agent",
        query=[param("skill", required=True, example="wifi"),
               param("date", {"type": "string", "format": "date"}, required=True,
                     example="2010-09-01")],
        response=strict(skill=STR, date=STR, as_of=STR, bulletins=arr(obj(
            ["bulletin", "version", "title", "status", "effective", "facts"], bulletin=STR,
            version=INT, title=STR, status=STR, effective=STR, gate_at=null(STR),
            published_at=null(STR), teams=arr(STR),
            facts=arr(strict(id=STR, label=STR, value=STR, was=null(STR), critical=BOOL))))),
        errors=(400, 401, 403))},
})


@bp.get("/bulletins/in-force")
@allow("trainer", "manager", "admin", "integration", "agent", api=True)
def bulletins_in_force():
    """What agents holding a skill were required to know on a day."""
    answer = versions_in_force(request.args.get("skill"), request.args.get("date"))
    return jsonify(as_json(answer))
