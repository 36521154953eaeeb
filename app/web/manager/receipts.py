"""Read receipts by name: who acknowledged a bulletin version and who has not yet, per team."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.core.security import allow
from app.queries.receipts import RECEIPT_HEADER, receipt_rows, version_receipts
from app.queries.reports import scoped_teams
from app.web.manager import REPORTERS, bp
from app.web.manager.exports import csv_response, iso


def _report(slug: str):
    return version_receipts(current_user, slug, request.args.get("version"),
                            (request.args.get("team") or "").strip() or None)


@bp.get("/bulletins/<slug>/receipts")
@allow(*REPORTERS)
def receipts(slug: str):
    """One version's read receipts: per team, the agents who acknowledged it and who not yet."""
    report = _report(slug)
    published = [v.number for v in report.version.bulletin.versions if v.status != "draft"]
    return render_template("manager/receipts.html", report=report, versions=published,
                           teams=scoped_teams(current_user))


@bp.get("/bulletins/<slug>/receipts.csv")
@allow(*REPORTERS)
def receipts_csv(slug: str):
    """The same receipts as CSV: one row per assigned agent."""
    report = _report(slug)
    name = f"receipts-{slug}-v{report.version.number}"
    return csv_response(receipt_rows(report, iso), RECEIPT_HEADER,
                        f"{name}-{report.team}.csv" if report.team else f"{name}.csv")
