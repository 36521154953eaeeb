"""The agent's inbox on the home page: reminders and "new bulletin published" notices."""

from flask import flash, g, redirect, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.core.i18n import current_locale
from app.core.security import allow
from app.domain.inbox_lines import Notice, merge_notices
from app.queries import inbox
from app.services.certification import agent_commands, practice
from app.services.content import labels, translations
from app.web.agent import bp


@bp.context_processor
def _engagement():
    """Lazy helpers for the home page: nothing is queried unless a template calls them."""
    return {
        "agent_inbox": lambda: inbox.inbox(current_user),
        "agent_inbox_lines": _inbox_lines,
        "practice_due": lambda: len(practice.today(current_user)),
        "skill_name": _skill_name,
    }


def _skill_name(code: str) -> str:
    """A call type's name in the reader's language (looked up once per request)."""
    if "skill_names" not in g:
        g.skill_names = labels.skill_names(current_locale())
    return g.skill_names.get(code, code)


@bp.post("/inbox/<int:notification_id>/read")
@allow("agent")
def mark_notification_read(notification_id: int):
    """Mark one notice read."""
    agent_commands.mark_notification_read(current_user, notification_id)
    return redirect(url_for("agent.home") + "#inbox-h")


@bp.post("/inbox/versions/<int:version_id>/read")
@allow("agent")
def mark_bulletin_read(version_id: int):
    """Mark one inbox line read: every notice on that bulletin version."""
    agent_commands.mark_version_read(current_user, version_id)
    return redirect(url_for("agent.home") + "#inbox-h")


def _inbox_lines():
    """The unread count and the unread notices merged per bulletin: [(line, version)]."""
    unread, notices = inbox.inbox(current_user)
    versions = {n.version_id: n.version for n in notices}
    versions = translations.reading_versions(current_user.locale, versions.values())  # my language
    lines = merge_notices(Notice(n.id, n.version_id, n.kind, n.created_at) for n in notices)
    return unread, [(line, versions[line.version_id]) for line in lines]


@bp.post("/inbox/read")
@allow("agent")
def mark_inbox_read():
    """Mark every notice read."""
    count = agent_commands.mark_all_read(current_user)
    flash(ngettext("%(num)d notice marked as read.", "%(num)d notices marked as read.", count),
          "ok")
    return redirect(url_for("agent.home"))
