"""Drill-down: a team's agents, one agent's attempts and answers, weekly trends."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.core.security import allow
from app.domain import charts
from app.models import utcnow
from app.queries.drilldown import agent_attempts, agent_in_scope, team_view
from app.queries.eligibility_view import stored_states
from app.queries.gaps import bulletin_choices
from app.queries.reports import scoped_teams
from app.queries.trend import OVERALL, trends
from app.services.certification import reminders, support
from app.web.manager import REMINDERS, REPORTERS, bp
from app.web.manager.board import skill_choices, trend_labels
from app.web.manager.exports import csv_response, iso
from app.web.manager.filters import parse_filters


def trend_chart(row, labels: list[str], name: str) -> Markup:
    """The weekly line chart of one trend row: share certified and share correct."""
    return Markup(charts.line_chart(labels, [
        charts.Series(_("Share certified"), row.readiness),
        charts.Series(_("Share correct on first attempts"), row.share_correct),
    ], title=_("%(scope)s: weekly readiness and share correct", scope=name)))


@bp.get("/teams/<code>")
@allow(*REPORTERS)
def team(code: str):
    """A team's agents with their status on each bulletin, and the team's weekly trend."""
    filters = parse_filters(request.args)
    (chosen,) = scoped_teams(current_user, code)
    at = utcnow()
    columns, agents = team_view(chosen, at, skill=filters.skill, bulletin=filters.bulletin)
    ends = filters.week_ends
    row = trends([chosen], ends, skill=filters.skill, bulletin=filters.bulletin)[0]
    labels = trend_labels(ends)
    return render_template(
        "manager/team.html", team=chosen, columns=columns, agents=agents, filters=filters,
        trend=row, labels=labels,
        chart=trend_chart(row, trend_labels(ends, short=True), chosen.name),
        skills=skill_choices(), bulletins=bulletin_choices([chosen], at), now=at)


@bp.get("/teams/<code>.csv")
@allow(*REPORTERS)
def team_csv(code: str):
    """The team view as CSV: one row per agent and bulletin version."""
    filters = parse_filters(request.args)
    (chosen,) = scoped_teams(current_user, code)
    columns, agents = team_view(chosen, skill=filters.skill, bulletin=filters.bulletin)
    rows = [(agent.name, agent.ref, chosen.code, column.slug, column.version,
             status.state if status else "not assigned", iso(status.due_at) if status else "",
             status.attempts if status else 0, status.best_score if status else None)
            for agent in agents for column in columns
            for status in [agent.statuses.get((column.slug, column.version))]]
    return csv_response(rows, ["agent", "external_id", "team", "bulletin", "version", "state",
                               "due_at", "attempts", "best_score"], f"team-{chosen.code}.csv")


@bp.get("/agents/<external_id>")
@allow(*REPORTERS)
def agent(external_id: str):
    """One agent: eligibility, assignments with their retake limits and the unlock buttons,
    the reminders sent, and every attempt with its answers (the support page's old address
    redirects here)."""
    filters = parse_filters(request.args)
    person = agent_in_scope(current_user, external_id)
    lines = [line for line in support.overview(person).assignments
             if not filters.bulletin or line.status.assignment.version.slug == filters.bulletin]
    return render_template(
        "manager/agent.html", agent=person, ref=external_id, filters=filters,
        lines=lines, eligibility=stored_states(person), reminders=reminders.history(person),
        can_support=current_user.role in REMINDERS,
        attempts=agent_attempts(person, bulletin=filters.bulletin, start=filters.start_at,
                                end=filters.end_at))


@bp.get("/agents/<external_id>.csv")
@allow(*REPORTERS)
def agent_csv(external_id: str):
    """The agent's attempts and answers as CSV: one row per answer."""
    filters = parse_filters(request.args)
    person = agent_in_scope(current_user, external_id)
    attempts = agent_attempts(person, bulletin=filters.bulletin, start=filters.start_at,
                              end=filters.end_at)
    rows = [(a.id, a.slug, a.version, iso(a.started_at), iso(a.submitted_at), a.status,
             a.score, a.passed, answer.position + 1, answer.fact, answer.stem, answer.chosen,
             answer.source, answer.correct, answer.key)
            for a in attempts for answer in a.answers]
    return csv_response(rows, ["attempt", "bulletin", "version", "started_at", "submitted_at",
                               "status", "score", "passed", "question", "fact", "stem",
                               "chosen", "chosen_source", "correct", "key"],
                        f"agent-{external_id}.csv")


@bp.get("/trend")
@allow(*REPORTERS)
def trend():
    """Weekly readiness and first-attempt share correct, per team and overall."""
    filters = parse_filters(request.args)
    teams = scoped_teams(current_user, filters.team)
    ends = filters.week_ends
    rows = trends(teams, ends, skill=filters.skill, bulletin=filters.bulletin)
    labels = trend_labels(ends)
    names = {t.code: t.name for t in teams} | {OVERALL: _("All teams shown")}
    return render_template(
        "manager/trend.html", rows=rows, names=names, labels=labels, filters=filters,
        short_labels=trend_labels(ends, short=True),
        chart=trend_chart(rows[-1], trend_labels(ends, short=True), names[OVERALL]),
        skills=skill_choices(),
        bulletins=bulletin_choices(teams), teams=scoped_teams(current_user))


@bp.get("/trend.csv")
@allow(*REPORTERS)
def trend_csv():
    """The weekly trend as CSV: one row per team and week."""
    filters = parse_filters(request.args)
    teams = scoped_teams(current_user, filters.team)
    ends = filters.week_ends
    rows = [(row.team or "all", iso(end), row.assigned[n], row.certified[n],
             row.readiness[n], row.answered[n], row.correct[n], row.share_correct[n])
            for row in trends(teams, ends, skill=filters.skill, bulletin=filters.bulletin)
            for n, end in enumerate(ends)]
    return csv_response(rows, ["team", "week_end", "assigned", "certified", "share_certified",
                               "answered", "correct", "share_correct"], "trend.csv")
