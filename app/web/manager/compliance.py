"""The compliance audit for managers: per team and day, the share of calls answered by an
agent cleared for them, and each violation with the agent and what they lacked."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from app.core.security import allow
from app.domain.gating import time_zone
from app.queries.compliance import by_day, violations_page
from app.queries.reports import scoped_teams
from app.web.manager import bp
from app.web.manager.exports import csv_response

AUDITORS = ("manager", "admin")
CSV_HEADER = ["call_id", "answered_at", "agent", "name", "team", "skill", "reason", "missing"]


def _filters() -> dict:
    return {"start": request.args.get("from") or None, "end": request.args.get("to") or None,
            "team": (request.args.get("team") or "").strip() or None}


@bp.get("/compliance")
@allow(*AUDITORS)
def compliance():
    """Calls answered by a cleared agent, per team and day; the violations, newest first."""
    filters = _filters()
    when, teams = by_day(current_user, **filters)
    return render_template(
        "manager/compliance.html", when=when, teams=teams, filters=filters,
        violations=[{**row, "day": _local(row["answered_at"])[:10]}
                    for row in violations_page(current_user, **filters)],
        all_teams=scoped_teams(current_user),
        total=sum(d.calls for _, days in teams for d in days),
        compliant=sum(d.compliant for _, days in teams for d in days))


def _local(value) -> str:
    """An instant in the organisation's time zone, with its offset (ISO 8601)."""
    return value.astimezone(time_zone(current_app.config["ONEVOICE_TIMEZONE"])).isoformat()


@bp.get("/compliance.csv")
@allow(*AUDITORS)
def compliance_csv():
    """Every violation of the period (the filters of the page) as CSV."""
    filters = _filters()
    rows = violations_page(current_user, **filters, limit=None)
    when, _ = by_day(current_user, **filters)
    return csv_response(
        ([r["call_id"], _local(r["answered_at"]), r["external_id"] or r["uid"], r["name"],
          r["team"] or "", r["code"], r["reason"],
          "; ".join(f"{m['bulletin']} v{m['version']}" for m in r["missing"])]
         for r in rows), CSV_HEADER,
        f"compliance-{when.first_day}-{when.last_day}"
        + (f"-{filters['team']}" if filters["team"] else "") + ".csv")
