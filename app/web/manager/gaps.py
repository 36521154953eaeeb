"""Knowledge gaps: which facts each team gets wrong on first attempts, and the old answers."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.core.security import allow
from app.domain import charts
from app.domain.gaps import fact_shares, worst_fact, worst_first
from app.queries.gaps import GapsReport, knowledge_gaps
from app.queries.reports import scoped_teams
from app.web.manager import REPORTERS, bp
from app.web.manager.exports import csv_response
from app.web.manager.filters import parse_filters
from app.web.manager.names import team_name


def _selected_fact(report: GapsReport, wanted: str | None) -> str | None:
    """The fact asked for, else the one answered worst (the chart leads with the gap)."""
    keys = [f.key for f in report.facts]
    if wanted in keys:
        return wanted
    return worst_fact(report.facts, report.teams) or (keys[0] if keys else None)


def fact_chart(report: GapsReport, fact: str | None) -> tuple[Markup | None, list]:
    """The bar chart of share correct per team on one fact, worst team first, and its rows
    (the table beside it, in the same order)."""
    if fact is None:
        return None, []
    label = next(f.label for f in report.facts if f.key == fact)
    answering = [team for team in report.teams if team.answered]
    if not answering:
        return None, []
    rows = worst_first([(team_name(team, report.team_names.get(team)), value, answered)
                        for team, value, answered in fact_shares(fact, answering)])
    svg = charts.bar_chart([(name, value) for name, value, _n in rows],
                           title=_("Share correct on first attempts: %(fact)s", fact=label))
    return Markup(svg), rows


@bp.get("/gaps")
@allow(*REPORTERS)
def gaps():
    """Team x fact: share correct on first attempts, the most chosen wrong answer, stale rate."""
    filters = parse_filters(request.args)
    teams = scoped_teams(current_user, filters.team)
    report = knowledge_gaps(teams, filters.bulletin)
    fact = _selected_fact(report, request.args.get("fact"))
    chart, chart_rows = fact_chart(report, fact)
    return render_template("manager/gaps.html", report=report, filters=filters, fact=fact,
                           chart=chart, chart_rows=chart_rows, teams=teams)


@bp.get("/gaps.csv")
@allow(*REPORTERS)
def gaps_csv():
    """The gaps view as CSV: one row per team and fact."""
    filters = parse_filters(request.args)
    report = knowledge_gaps(scoped_teams(current_user, filters.team), filters.bulletin)
    rows = []
    for team in report.teams:
        for cell in team.facts:
            wrong = cell.top_wrong
            rows.append((report.bulletin, report.version, team.team, cell.fact, cell.label,
                         cell.answered, cell.correct, cell.share, wrong and wrong.text,
                         wrong and wrong.source, wrong and wrong.share, team.stale_rate))
    return csv_response(rows, ["bulletin", "version", "team", "fact", "label", "answered",
                               "correct", "share", "top_wrong", "top_wrong_source",
                               "top_wrong_share", "team_stale_rate"],
                        f"gaps-{report.bulletin or 'none'}.csv")
