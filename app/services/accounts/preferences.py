"""A person's own preferences: the interface language."""

from __future__ import annotations

from app.core.database import unit_of_work
from app.core.extensions import db
from app.core.i18n import LOCALES, supported
from app.errors import NotFound, ServiceError
from app.models import User


def set_locale(user_id: int, locale: str | None) -> str:
    """Store the interface language (``en``/``ko``) on the user's profile; returns it."""
    chosen = supported(locale)
    if chosen is None:
        raise ServiceError("lang_unsupported", field="lang", value=repr(locale),
                           choices=LOCALES)
    with unit_of_work():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("no_user", id=user_id)
        user.locale = chosen
    return chosen
