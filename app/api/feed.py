"""Bulk eligibility and its change feed: what the routing system follows."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp
from app.api.openapi.document import describe, op, param
from app.api.schemas import BOOL, ELIGIBILITY, INT, STR, TIME, arr, component, null, strict
from app.core.security import allow
from app.errors import ServiceError
from app.services.integration import feed

READERS = ("admin", "manager", "integration")


@bp.get("/eligibility")
@allow(*READERS, api=True)
def eligibility_listing():
    """Every agent's eligibility, a page at a time, with the feed position it reflects."""
    args = request.args
    limit = feed.whole_number(args.get("limit"), "limit", feed.DEFAULT_LIMIT, 1, feed.MAX_LIMIT)
    page = feed.listing(g.api_user, skill=args.get("skill") or None,
                        team=args.get("team") or None, cursor=args.get("cursor") or None,
                        limit=limit)
    return jsonify({"agents": page.agents, "next_cursor": page.next_cursor,
                    "as_of": page.as_of})


def _wait_seconds(value: str | None) -> float:
    if value is None or value == "":
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= feed.MAX_WAIT_SECONDS:
        raise ServiceError("wait_invalid", field="wait", most=feed.MAX_WAIT_SECONDS,
                           value=repr(value))
    return seconds


@bp.get("/eligibility/changes")
@allow(*READERS, api=True)
def eligibility_changes():
    """Eligibility changes after ``since``, oldest first; ``wait`` long-polls."""
    args = request.args
    since = feed.whole_number(args.get("since"), "since", 0, 0, 2**63 - 1)
    limit = feed.whole_number(args.get("limit"), "limit", feed.DEFAULT_LIMIT, 1, feed.MAX_LIMIT)
    page = feed.changes(g.api_user, since, limit=limit, wait=_wait_seconds(args.get("wait")))
    return jsonify({"changes": page.changes, "next_since": page.next_since})


_LIMIT = param("limit", {"type": "integer", "minimum": 1, "maximum": feed.MAX_LIMIT,
                         "default": feed.DEFAULT_LIMIT})
_LISTING = op("Every agent's eligibility, a page at a time", "admin, manager (own teams), "
              "integration",
              query=[param("skill", description="Keep agents holding this skill code",
                           example="wifi"),
                     param("team", description="One team's code", example="wibro_care"),
                     param("cursor", description="next_cursor of the previous page"), _LIMIT],
              response=strict(agents=arr(ELIGIBILITY), next_cursor=null(STR),
                              as_of={"type": "integer", "minimum": 0}),
              errors=(400, 401, 403, 404))
_LISTING["description"] += (
    " `{agents: [<the document of /agents/{external_id}/eligibility>], next_cursor, as_of}`."
    " Agents in id order; `skill` keeps agents holding that skill, `team` one team;"
    " `limit` 1-1000 (default 100); `next_cursor` (opaque) is null on the last page."
    " `as_of` is the change-feed seq the documents reflect: follow"
    " `/eligibility/changes?since=<as_of>` from there. Managers see their own teams only.")
_CHANGE = component("EligibilityChange", strict(
    seq=INT, agent=STR, skill=STR, cleared=BOOL, reason=STR, at=TIME, version=null(INT)))
_CHANGES = op("Eligibility changes after a feed position (long-poll with wait)",
              "admin, manager (own teams), integration",
              query=[param("since", {"type": "integer", "minimum": 0, "maximum": 2**63 - 1,
                                     "default": 0}), _LIMIT,
                     param("wait", {"type": "number", "minimum": 0,
                                    "maximum": feed.MAX_WAIT_SECONDS, "default": 0},
                           description="Seconds to hold the request while there is no change "
                           "(capped by ONEVOICE_FEED_MAX_WAIT_SECONDS)")],
              response=strict(changes=arr(_CHANGE), next_since={"type": "integer",
                                                                "minimum": 0}),
              errors=(400, 401, 403, 410))
_CHANGES["description"] += (
    " `{changes: [{seq, agent, skill, cleared, reason, at, version}], next_since}`, oldest"
    " first; ask again with `since=<next_since>`. `version` is the agent's eligibility"
    " version after the change. `wait` (0-25 s) holds the request until a change arrives."
    " 410 `since_too_old` when events after `since` were pruned"
    " (ONEVOICE_FEED_RETENTION_DAYS, default 30): read `/eligibility` again."
    " Managers see the changes of agents now in their teams.")
describe({"/eligibility": {"get": _LISTING}, "/eligibility/changes": {"get": _CHANGES}})
