"""The refusals an agent reads on the pages (quiz, practice, search, inbox, the in-force page),
in the reader's language (see app/web/page_messages.py). The services, the domain, the API and the
CLI keep answering in English; each row below names one of their messages."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from app.core.i18n import local_datetime
from app.errors import ServiceError
from app.web.page_messages import message_table, translate

_ = lazy_gettext

AGENT = message_table(
    # quizzes and attempts (app/services/certification/attempts.py, app/domain/draw.py)
    _("you are already certified on '%(slug)s' until %(day)s"),
    _("you are already certified on '%(slug)s'"),
    _("'%(slug)s' has no approved items to ask yet"),
    _("critical fact has no item to draw: %(facts)s"),
    _("an attempt on this bulletin is already in progress"),
    _("attempt %(id)s's time ran out; your saved answers were submitted"),
    _("attempt %(id)s is already %(status)s; answers are final"),
    _("item %(item)s is not part of attempt %(attempt)s"),
    _("option %(option)s is not an option of item %(item)s"),
    _("no attempt %(id)s"),
    _("%(field)s must be a whole number, not %(value)s"),
    # bulletins and read receipts (app/services/content/bulletins.py, assignments.py)
    _("no published version '%(slug)s'"),
    _("no bulletin '%(slug)s'"),
    _("version %(n)s of '%(slug)s' is not assigned to you"),
    # practice (app/services/certification/practice.py)
    _("item is required: answer a question served on the practice page"),
    _("choose an option before checking your answer"),
    _("no practice card %(id)s"),
    _("this practice question is no longer open (answered already, or not due today); "
      "reload the practice page"),
    _("no practice answer %(id)s"),
    # search (app/domain/search_text.py) and the inbox (app/queries/inbox.py)
    _("type at least one word to search for"),
    _("the search is %(n)s characters long; at most %(limit)s are allowed"),
    _("the search has %(n)s words; at most %(limit)s are allowed"),
    _("no notice %(id)s in your inbox"),
    _("no unread notice on version %(id)s in your inbox"),
    # what was in force on a day (app/queries/point_in_time.py)
    _("'date' is required (YYYY-MM-DD)"),
    _("'date' must be a day as YYYY-MM-DD, not %(value)s"),
    _("'skill' is required (a call type code)"),
    _("unknown skill '%(code)s'"),
)


def retake_text(error: ServiceError) -> str | None:
    """A retake refusal (cooldown or daily cap) with its time in the reader's form, else None."""
    details = error.details if isinstance(error.details, dict) else {}
    if error.code != "retake_not_allowed_yet" or "retry_at" not in details:
        return None
    when = local_datetime(details["retry_at"])
    if details.get("reason") == "cooldown":
        return gettext("After a failed attempt there is a short pause: you can try again at "
                       "%(when)s.", when=when)
    return gettext("Today's attempts are used up: you can try again at %(when)s.", when=when)


def refusal_text(error: ServiceError) -> str:
    """A service refusal shown on an agent-facing page, in the reader's language."""
    return retake_text(error) or translate(error.message, AGENT)
