"""The language switcher in the page header (docs/translating.md)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import COOKIE, LOCALES, supported
from app.core.security import allow
from app.services.accounts.preferences import set_locale
from app.web.shared import bp
from app.web.shared.urls import safe_next

ONE_YEAR = 365 * 24 * 3600


@bp.post("/language")
@allow()
def set_language():
    """Switch the interface language: stored on the profile when signed in, else in a cookie."""
    back = safe_next(request.form.get("next")) or url_for("web.index")
    lang = supported(request.form.get("lang"))
    if lang is None:
        flash(_("Choose one of the offered languages (%(langs)s).", langs=", ".join(LOCALES)),
              "error")
        return redirect(back, 303)
    if current_user.is_authenticated:
        set_locale(current_user.id, lang)
    response = redirect(back, 303)
    response.set_cookie(COOKIE, lang, max_age=ONE_YEAR, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response
