"""Managers (and trainers, admins): readiness, knowledge gaps, drill-down and exports.

Every view starts from the caller's scope (``services.reports.scoped_teams``): a manager sees
only the teams they manage, in pages, CSV files and the API alike. Nothing is cached; every
response says so, so no shared cache can hand one manager's view to another.
"""

from flask import Blueprint, render_template

from app.errors import ServiceError

bp = Blueprint("manager", __name__, url_prefix="/manager")
REPORTERS = ("manager", "trainer", "admin")
REMINDERS = ("manager", "admin")  # who may remind agents; trainers only read the reports


@bp.errorhandler(ServiceError)
def refused(error: ServiceError):
    """A refused report (a team outside scope, a bad filter): its status and message."""
    from app.web.shared.refusals import refusal_text

    return render_template("errors/status.html", status=error.status,
                           message=refusal_text(error)), error.status


@bp.after_request
def never_shared(response):
    """Reports are per person: no shared cache may keep or reuse them."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Vary"] = "Cookie"
    return response


from app.web.manager import (  # noqa: E402, F401  (routes register on bp)
    board,
    compliance,  # noqa: F401  (the compliance audit of answered calls)
    drilldown,
    gaps,
    receipts,  # noqa: F401  (read receipts by name)
    reminders,  # noqa: F401  (reminders from the board)
)
