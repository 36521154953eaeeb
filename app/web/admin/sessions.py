"""Who is signed in, the security audit log, and an admin's "sign out everywhere"."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user

from app.core.security import allow
from app.models import utcnow
from app.services.accounts import security_log, sessions
from app.web.admin import bp

EVENT_NAMES = {
    "sign_in": lazy_gettext("signed in"),
    "sign_in_failed": lazy_gettext("sign-in failed"),
    "sign_in_refused": lazy_gettext("sign-in refused: too many failures"),
    "lock_started": lazy_gettext("sign-in locked"),
    "sign_out": lazy_gettext("signed out"),
    "sessions_ended": lazy_gettext("sessions ended"),
    "tokens_revoked": lazy_gettext("API tokens revoked"),
    "password_changed": lazy_gettext("password changed"),
    "password_rehashed": lazy_gettext("password hash upgraded"),
    "token_lock_started": lazy_gettext("bad API tokens: address held back"),
}


@bp.get("/sessions")
@allow("admin")
def sessions_page():
    """Live sessions (person, started, last seen, address, browser) and the audit log."""
    return render_template("admin/sessions.html", sessions=sessions.open_sessions(),
                           events=security_log.recent(100), names=EVENT_NAMES, now=utcnow())


@bp.post("/sessions/<int:user_id>/end")
@allow("admin")
def end_user_sessions(user_id: int):
    """Sign a person out everywhere: every copy of every session of theirs stops working."""
    user, ended = sessions.sign_out_everywhere(user_id, current_user)
    flash(_("%(name)s is signed out everywhere (%(count)s sessions ended).",
            name=user.name, count=ended), "ok")
    return redirect(url_for("admin.sessions_page"))
