"""The messages an admin reads on the pages, from the directory check and the services, in the
reader's language (see app/web/page_messages.py). The services, the domain and the CLI keep
answering in English; each row below names one of their messages."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext

from app.errors import ServiceError
from app.web.page_messages import message_table, translate

_ = lazy_gettext

DIRECTORY = message_table(  # app/domain/directory.py: one problem of a directory CSV row
    _("unknown column %(column)s; expected %(fields)s"),
    _("column %(column)s appears twice"),
    _("column %(column)s is missing"),
    _("expected %(expected)s cells, found %(found)s"),
    _("%(value)s is not one of true/false, yes/no, 1/0 (empty means active)"),
    _("the file is empty; row 1 must be the header %(header)s"),
    _("not a readable CSV header: %(problem)s"),
    _("not readable as CSV: %(problem)s"),
    _("'skills' is required (an empty list for none)"),
    _("'skills' must be a list of skill codes"),
    _("'active' must be true or false"),
    _("'%(field)s' is required"),
    _("'%(field)s' must be a string"),
    _("'%(field)s' is longer than %(limit)s characters"),
    _("unknown skill %(code)s (separate skills with ';' or spaces)"),
    _("unknown skill %(code)s"),
    _("unknown team %(code)s"),
    _("unknown field %(field)s; expected %(fields)s"),
    _("%(value)s may not contain '/' or control characters"),
    _("%(value)s is not an e-mail address"),
    (_("%(value)s belongs to a %(role)s account, not an agent"), ("role",)),
    _("%(email)s belongs to another user (external_id %(id)s)"),
    _("%(email)s belongs to another user"),
    _("%(value)s appears again (first on row %(row)s)"),
    _("each row must be an object"),
    # roles, nested in the rows above
    _("trainer"), _("manager"), _("admin"), _("integration"), _("agent"),
)

SERVICES = message_table(
    # teams and skills (app/services/accounts/directory.py, accounts.check_code)
    _("team code %(code)s must match ^[a-z][a-z0-9_]{0,63}$ (lower-case letter, then letters, "
      "digits or _)"),
    _("skill code %(code)s must match ^[a-z][a-z0-9_]{0,63}$ (lower-case letter, then "
      "letters, digits or _)"),
    _("the team needs a name"),
    _("the skill needs a name"),
    _("the team name is longer than 200 characters"),
    _("the skill name is longer than 200 characters"),
    _("team '%(code)s' exists already"),
    _("skill '%(code)s' exists already"),
    # API tokens (app/services/accounts/tokens.py, accounts.create_token)
    _("the expiry date %(day)s is in the past"),
    _("no user with email %(email)s"),
    _("no API token with id %(id)s"),
    # people (app/domain/people.py, app/services/accounts/people.py, invitations.py, tokens.py)
    _("role %(role)s must be one of %(roles)s"),
    _("the name is required"),
    _("the name is longer than 200 characters"),
    _("%(value)s is not an e-mail address"),
    _("language %(value)s must be one of %(locales)s"),
    _("the external id may not contain '/' or control characters (at most 128 characters)"),
    _("an agent needs an external id (the routing system's id for them)"),
    _("an agent needs a team"),
    _("an agent's role cannot be changed: their certifications and eligibility history stay "
      "with the agent; deactivate the agent and create a new account for the other role"),
    _("you cannot take away your own admin role"),
    _("this is the last active admin; make someone else admin first"),
    _("you cannot deactivate your own account"),
    _("another account has the e-mail %(email)s"),
    _("another account has the external id %(id)s"),
    _("unknown team '%(code)s'"),
    _("unknown skill '%(code)s'"),
    _("no person with id %(id)s"),
    _("%(email)s is an admin: a token acting as them can do everything an admin can; tick the "
      "confirmation to issue it"),
    _("mail is not configured: set MAIL_SERVER to send invitations"),
    _("%(email)s is deactivated; reactivate them first"),
    # webhook endpoints (app/domain/webhooks.py, app/services/integration/webhook_endpoints.py)
    _("'url' is empty"),
    _("'url' must be a string"),
    _("'url' is longer than %(limit)s characters"),
    _("'url' %(url)s contains spaces or control characters"),
    _("'url' %(url)s must start with http:// or https://"),
    _("'url' %(url)s has an invalid port"),
    _("'url' %(url)s has no host"),
    _("'url' %(url)s must not carry a user name or password"),
    _("'url' %(url)s must not have a #fragment"),
    _("'events' must list at least one event type: %(types)s"),
    _("'events' must hold strings, not %(event)s"),
    _("'events' must be an array of event types"),
    _("unknown event type %(event)s in 'events'; expected one of: %(types)s"),
    _("no webhook endpoint %(id)s"),
    _("no delivery %(id)s for webhook endpoint %(endpoint)s"),
    _("delivery %(id)s is being sent right now; try again in a minute"),
    # why an endpoint was disabled and why a delivery failed (stored, shown on the pages)
    _("disabled by an admin"),
    _("the receiver answered 410 Gone on %(when)s"),
    _("gave up after %(n)s attempts (%(error)s)"),
)


def row_problem(error):
    """A directory row problem with its message in the reader's language."""
    return replace(error, message=translate(error.message, DIRECTORY))


def service_text(message: str | None) -> str:
    """A service's refusal or a stored reason (webhooks, tokens, teams) in the reader's
    language; None stays empty."""
    return translate(message, SERVICES) if message else ""


def person_text(message: str | None) -> str:
    """A refusal about a person (the people service, or the directory row it went through)
    in the reader's language."""
    return translate(message, SERVICES + DIRECTORY) if message else ""


def refused(error: ServiceError):
    """A refused admin action: say why, translated, on the page the admin came from."""
    flash(service_text(error.message), "error")
    return redirect(request.referrer or url_for("admin.home"))
