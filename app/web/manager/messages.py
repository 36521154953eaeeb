"""The refusals a manager reads on the report pages and the agent-support pages, in the
reader's language (see app/web/page_messages.py). The services, the domain, the API and the CLI
keep answering in English; each row below names one of their messages."""

from __future__ import annotations

from flask_babel import lazy_gettext

from app.web.page_messages import message_table, translate

_ = lazy_gettext

REPORTS = message_table(
    # scope (app/queries/reports.py, drilldown.py, support.py)
    _("no team '%(team)s'"),
    _("team '%(team)s' is not one of your teams (or does not exist)"),
    _("no agent '%(ref)s' in your teams"),
    _("no agent with external_id '%(ref)s'"),
    # the trend's date range (app/domain/readiness.py)
    _("from: %(start)s is after the end of the range"),
    _("from: the range covers %(weeks)s weeks; at most %(most)s are shown"),
    # unlocking retakes (app/services/certification/support.py, bulletins.py)
    _("agent '%(ref)s' has no assignment on version %(n)s of '%(slug)s'"),
    _("no published version '%(slug)s'"),
    # the eligibility audit (app/queries/audit.py)
    _("'time' is required: an ISO 8601 instant such as 2030-01-10T09:00:00+09:00"),
    _("'time' must be an ISO 8601 date and time, not %(value)s"),
    _("'time' must not be in the future (%(value)s): an audit reads what happened"),
    _("unknown skill '%(code)s'"),
    # reminders from the board (app/services/certification/reminders.py)
    _("choose at least one agent to remind"),
    _("pick '%(value)s' is not an agent and a bulletin from the list"),
    _("at most %(n)s reminders at once"),
    _("pick '%(value)s' is not an agent of your teams: you may remind only the agents of the "
      "teams you manage"),
    _("pick '%(value)s' is not an assignment of a published bulletin"),
)


def report_text(message: str | None) -> str:
    """A refusal shown on a manager or support page, in the reader's language."""
    return translate(message, REPORTS) if message else ""
