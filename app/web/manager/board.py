"""The readiness board: teams x bulletins, staffing per skill, agents at risk, trends."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_skeleton
from flask import render_template, request
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.core.i18n import local_date
from app.core.security import allow
from app.domain import charts
from app.domain import readiness as rules
from app.domain.gating import time_zone
from app.errors import ServiceError
from app.models import utcnow
from app.queries import listings
from app.queries.gaps import bulletin_choices
from app.queries.language_split import bilingual_versions, readiness_by_language
from app.queries.reports import at_risk, readiness, scoped_teams, staffing, teams_on_board
from app.queries.trend import OVERALL, trends
from app.web.manager import REMINDERS, REPORTERS, bp
from app.web.manager.exports import csv_response, iso
from app.web.manager.filters import parse_filters, timezone
from app.web.manager.names import team_name

AT_RISK_SHOWN = 50
TEAMS_PER_PAGE = 10  # board rows per page: 10 teams x 300 bulletins render in well under 1 s


@dataclass(frozen=True)
class Page:
    """One page of the board's teams: ``number`` of ``count`` (1-based)."""

    number: int
    count: int


def page_of(teams: list, raw: str | None) -> tuple[list, Page]:
    """The teams of page ``raw`` (``?page=``, default 1); a ServiceError names a bad one."""
    count = max(1, -(-len(teams) // TEAMS_PER_PAGE))
    text = (raw or "1").strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= count):
        raise ServiceError("board_page_invalid", field="page", count=count, value=text[:20])
    number = int(text)
    start = (number - 1) * TEAMS_PER_PAGE
    return teams[start:start + TEAMS_PER_PAGE], Page(number, count)


def countdown_text(gate_at: datetime, at: datetime) -> str:
    """"in 3 days", "gates today", "gated 2 days ago": local calendar days to the gate."""
    left = rules.countdown(gate_at, at, timezone())
    if left.gated:
        return _("gated today") if left.days == 0 else ngettext(
            "gated %(num)d day ago", "gated %(num)d days ago", left.days)
    return _("gates today") if left.days == 0 else ngettext(
        "in %(num)d day", "in %(num)d days", left.days)


@dataclass(frozen=True)
class BoardColumn:
    """A bulletin version as a column of the board, with its countdown."""

    slug: str
    version: int
    title: str
    gate_at: datetime
    countdown: str
    gated: bool


def _columns(cells, at: datetime) -> list[BoardColumn]:
    seen = dict.fromkeys((c.bulletin, c.version, c.title, c.gate_at) for c in cells)
    return [BoardColumn(slug, number, title, gate, countdown_text(gate, at), gate <= at)
            for slug, number, title, gate in seen]


def skill_choices() -> list[tuple[str, str]]:
    """Every skill as (code, name), for the filter form."""
    return listings.skill_choices()


def trend_labels(ends: list[datetime], short: bool = False) -> list[str]:
    """Week ends as the local day each week ends on, for chart axes and table headers, in the
    reader's form (en "Aug 29, 2010", ko "2010. 8. 29."; short: en "Aug 29", ko "8월 29일").

    A range ending on the 29th ends at the first instant of the 30th: labelled the 29th.
    """
    zone = time_zone(timezone())
    days = [(end - timedelta(microseconds=1)).astimezone(zone).date() for end in ends]
    if short:
        return [format_skeleton("MMMd", day, locale=get_locale()) for day in days]
    return [local_date(day) for day in days]


def _sparklines(teams, team_trends, ends) -> dict[str, Markup]:
    labels = trend_labels(ends)
    names = {t.code: team_name(t.code, t.name) for t in teams} | {OVERALL: _("All teams shown")}
    return {row.team: Markup(charts.sparkline(
        row.readiness, labels=labels,
        title=_("%(team)s: share certified, weekly", team=names[row.team])))
        for row in team_trends}


@bp.get("/")
@allow(*REPORTERS)
def home():
    """Teams x bulletins: share of agents certified before each gate, and who is at risk."""
    filters, at = parse_filters(request.args), utcnow()
    scope = scoped_teams(current_user, filters.team)
    teams, page = page_of(teams_on_board(scope, at, skill=filters.skill,
                                         bulletin=filters.bulletin), request.args.get("page"))
    cells = readiness(teams, at, skill=filters.skill, bulletin=filters.bulletin)
    grid = defaultdict(dict)
    for cell in cells:
        grid[cell.team][(cell.bulletin, cell.version)] = cell
    risk, risk_total = at_risk(teams, at, skill=filters.skill, bulletin=filters.bulletin,
                               limit=AT_RISK_SHOWN)
    ends = filters.week_ends
    team_trends = trends(teams, ends, skill=filters.skill, bulletin=filters.bulletin)
    names = {t.code: team_name(t.code, t.name) for t in teams} | {OVERALL: _("All teams shown")}
    languages = bilingual_versions([(c.slug, c.version) for c in _columns(cells, at)])
    return render_template(
        "manager/home.html", teams=teams, columns=_columns(cells, at), grid=grid, names=names,
        all_teams=scoped_teams(current_user),
        staffing=staffing(scope, at, skill=filters.skill), at_risk=risk, page=page,
        at_risk_total=risk_total, trends=team_trends, labels=trend_labels(ends, short=True),
        sparklines=_sparklines(teams, team_trends, ends), filters=filters,
        skills=skill_choices(), bulletins=bulletin_choices(scope, at), now=at,
        bands=range(rules.BANDS), can_remind=current_user.role in REMINDERS,
        languages=languages, splits=readiness_by_language(teams, languages, at))


@bp.get("/readiness.csv")
@allow(*REPORTERS)
def readiness_csv():
    """The board's cells as CSV."""
    filters, at = parse_filters(request.args), utcnow()
    teams = scoped_teams(current_user, filters.team)
    with force_locale("en"):  # CSV files stay English for every reader (docs/reports.md)
        rows = [(c.team, c.bulletin, c.version, c.title, iso(c.gate_at),
                 countdown_text(c.gate_at, at), c.assigned, c.certified, c.share)
                for c in readiness(teams, at, skill=filters.skill, bulletin=filters.bulletin)]
    return csv_response(rows, ["team", "bulletin", "version", "title", "gate_at", "countdown",
                               "assigned", "certified", "share"], "readiness.csv")


@bp.get("/at-risk.csv")
@allow(*REPORTERS)
def at_risk_csv():
    """Every overdue or at-risk agent as CSV (the page shows the first few)."""
    filters, at = parse_filters(request.args), utcnow()
    teams = scoped_teams(current_user, filters.team)
    risk, _total = at_risk(teams, at, skill=filters.skill, bulletin=filters.bulletin)
    rows = [(r.name, r.external_id, r.team, r.bulletin, r.version, r.title, iso(r.due_at),
             "overdue" if r.overdue else "due soon", "; ".join(r.managers)) for r in risk]
    return csv_response(rows, ["agent", "external_id", "team", "bulletin", "version", "title",
                               "due_at", "state", "managers"], "at-risk.csv")


@bp.get("/staffing.csv")
@allow(*REPORTERS)
def staffing_csv():
    """Agents cleared per skill now and at the next gate, as CSV."""
    filters, at = parse_filters(request.args), utcnow()
    teams = scoped_teams(current_user, filters.team)
    rows = [(s.skill, s.holders, s.cleared_now, iso(s.next_gate), s.cleared_at_next_gate,
             s.losing) for s in staffing(teams, at, skill=filters.skill)]
    return csv_response(rows, ["skill", "holders", "cleared_now", "next_gate",
                               "cleared_at_next_gate", "blocked_by_next_gate"], "staffing.csv")


