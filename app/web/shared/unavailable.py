"""503 ``database_unavailable``: a locked, read-only or unreachable database, named.

The failing request's transaction has rolled back already (``unit_of_work``); here the
answer says so: the API's error shape (or SCIM's), or a short translated page, both with
``Retry-After``. Anything the classifier (app/core/db_unavailable.py) does not recognise stays a
500 with its traceback: that is a bug, not an outage.
"""

from __future__ import annotations

import logging

from flask import current_app, g, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError

from app.api.errors import api_error
from app.core.db_unavailable import note_unavailable
from app.core.i18n import COOKIE, DEFAULT_LOCALE, LOCALES, supported
from app.scim.errors import scim_error
from app.web.shared import bp

log = logging.getLogger("onevoice.database")

MESSAGE = ("the database is unavailable for a moment ({cause}); nothing was changed: "
           "try again in {seconds} seconds")


@bp.app_errorhandler(DBAPIError)
def database_unavailable(error: DBAPIError):
    """503 with Retry-After for an outage; re-raise anything else (a 500, as before)."""
    cause = note_unavailable(error, f"{request.method} {request.path}", log)
    if cause is None:
        raise error
    seconds = int(current_app.config.get("ONEVOICE_DB_RETRY_AFTER_SECONDS") or 5)
    message = MESSAGE.format(cause=cause.replace("_", "-"), seconds=seconds)
    if request.path.startswith("/api/"):
        response = api_error(503, "database_unavailable", message,
                             {"cause": cause, "retry_after": seconds})
    elif request.path.startswith("/scim/"):
        response = scim_error(503, message)
    else:
        with force_locale(_page_locale()):
            response = current_app.response_class(render_template(
                "errors/unavailable.html", seconds=seconds, message=_(
                    "OneVoice cannot use its database for a moment. Nothing you sent was "
                    "saved. Please try again in %(seconds)s seconds.", seconds=seconds)),
                503)
    response.headers["Retry-After"] = str(seconds)
    return response


def _page_locale() -> str:
    """The reader's language without asking the database: the signed-in user's choice when
    already loaded, else the language cookie, else Accept-Language."""
    user = g.get("_login_user")
    try:
        chosen = supported(getattr(user, "locale", None)) if user is not None else None
    except Exception:  # the user's row cannot be refreshed while the database is down
        chosen = None
    return (chosen or supported(request.cookies.get(COOKIE))
            or request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE)
