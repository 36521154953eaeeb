"""The agent's inbox on the home page: reminders and "new bulletin published" notices."""

from flask import flash, redirect, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..database import unit_of_work
from ..security import allow
from ..services import inbox, practice
from . import bp


@bp.context_processor
def _engagement():
    """Lazy helpers for the home page: nothing is queried unless a template calls them."""
    return {
        "agent_inbox": lambda: inbox.inbox(current_user),
        "practice_due": lambda: len(practice.today(current_user)),
    }


@bp.post("/inbox/<int:notification_id>/read")
@allow("agent")
def mark_notification_read(notification_id: int):
    """Mark one notice read."""
    with unit_of_work():
        inbox.mark_read(current_user, notification_id)
    return redirect(url_for("agent.home") + "#inbox-h")


@bp.post("/inbox/read")
@allow("agent")
def mark_inbox_read():
    """Mark every notice read."""
    with unit_of_work():
        count = inbox.mark_all_read(current_user)
    flash(ngettext("%(num)d notice marked as read.", "%(num)d notices marked as read.", count),
          "ok")
    return redirect(url_for("agent.home"))
