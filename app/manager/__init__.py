"""Managers: readiness of their teams."""

from collections import defaultdict

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..security import allow
from ..services.reports import readiness, scoped_teams

bp = Blueprint("manager", __name__, url_prefix="/manager")


@bp.get("/")
@allow("manager", "trainer", "admin")
def home():
    """Teams x bulletins: share of agents certified, before each gate."""
    teams = scoped_teams(current_user, request.args.get("team") or None)
    cells = readiness(teams)
    columns = list(dict.fromkeys((c.bulletin, c.version, c.title, c.gate_at) for c in cells))
    grid = defaultdict(dict)
    for cell in cells:
        grid[cell.team][(cell.bulletin, cell.version)] = cell
    return render_template("manager/home.html", teams=teams, columns=columns, grid=grid)
