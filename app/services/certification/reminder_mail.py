"""The e-mail of a manager's reminder, written in the agent's language (``users.locale``)."""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.i18n import DEFAULT_LOCALE, local_datetime, supported
from app.models import BulletinVersion, User, utcnow
from app.services.content.translations import reading_versions


def reminder_message(agent: User, version: BulletinVersion, due_at: datetime,
                     sender: User | None, at: datetime | None = None) -> tuple[str, str]:
    """(subject, plain text) reminding ``agent`` to pass ``version`` by ``due_at``; the due
    time in the organisation's time zone, the words in the agent's language."""
    at = at or utcnow()
    version = reading_versions(agent.locale, [version])[version.id]  # the agent's language
    with force_locale(supported(agent.locale) or DEFAULT_LOCALE):
        due = local_datetime(due_at)
        subject = _("Reminder: pass the quiz on “%(title)s”", title=version.title)
        lines = [_("Hello %(name)s,", name=agent.name), ""]
        if sender is not None:
            lines.append(_("%(manager)s, your manager, reminds you to pass the quiz on "
                           "“%(title)s”.", manager=sender.name, title=version.title))
        else:
            lines.append(_("Your manager reminds you to pass the quiz on “%(title)s”.",
                           title=version.title))
        lines.append(_("It was due %(due)s.", due=due) if due_at <= at
                     else _("It is due %(due)s.", due=due))
        lines.append(_("From its due time, the calls this bulletin concerns go only to agents "
                       "who passed its quiz."))
        if has_request_context():
            lines += ["", _("Read the bulletin and take the quiz: %(link)s",
                            link=url_for("agent.bulletin", slug=version.slug, _external=True))]
        lines += ["", "OneVoice"]
    return subject, "\n".join(lines) + "\n"
