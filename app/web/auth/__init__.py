"""Signing in and out."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from app.core.extensions import login_manager
from app.core.i18n import local_time
from app.core.security import allow
from app.errors import Problem
from app.models import User, utcnow
from app.services.accounts import session_commands, sessions
from app.services.accounts.sign_in import sign_in
from app.services.accounts.throttle import Throttled
from app.web.shared.refusals import refusal_text
from app.web.shared.urls import safe_next

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    """The signed-in user while the cookie's server-side session is live (else anonymous)."""
    user = sessions.live_user(user_id, session.get("sid"))
    if user is None:
        session.clear()  # an ended or timed-out session: its cookie is worth nothing now
        if request.endpoint != "auth.login":
            flash(_("Your session has ended. Sign in again."), "error")
    return user


class LoginForm(FlaskForm):
    # No Email() validator: it needs the email_validator package, which is not a dependency;
    # an address that is not an account's fails the lookup like a wrong password.
    email = EmailField(lazy_gettext("Email"), validators=[
        DataRequired(lazy_gettext("Enter your email address.")),
        Length(max=254, message=lazy_gettext("An email address has at most 254 characters."))])
    password = PasswordField(lazy_gettext("Password"), validators=[
        DataRequired(lazy_gettext("Enter your password.")),
        Length(max=200, message=lazy_gettext("A password has at most 200 characters."))])


def start_session(user: User, sid: str | None = None) -> None:
    """Begin the signed-in session of ``user``: the one path for every way of signing in
    (password, single sign-on), so each gets a server-side session record (``sid``, made
    here when the sign-in did not make it already)."""
    if sid is None:
        sid = session_commands.open_session(user, user_agent=request.user_agent.string,
                                            address=request.remote_addr)
    session.clear()  # no session fixation: a fresh session for the signed-in user
    login_user(user)
    session["sid"] = sid  # the server-side session (app/services/accounts/sessions.py)


def password_login_enabled() -> bool:
    """Whether the password form is offered and accepted (setting PASSWORD_LOGIN)."""
    return bool(current_app.config.get("PASSWORD_LOGIN", True))


def render_login(status: int, form: LoginForm | None = None, error: str | None = None):
    """The sign-in page: the password form when enabled, the single sign-on button when
    configured, and ``error`` (already translated) above them."""
    config = sso.settings()  # sso is imported at the bottom: it registers on bp
    label = config.label if config else ""
    return render_template("auth/login.html", form=form or LoginForm(), error=error,
                           password_login=password_login_enabled(), sso=config is not None,
                           sso_label=label, next=safe_next(request.args.get("next"))), status


@bp.route("/login", methods=["GET", "POST"])
@allow()
def login():
    """Sign in with email and password (refused when PASSWORD_LOGIN is off)."""
    if request.method == "POST" and not password_login_enabled():
        return render_login(403, error=refusal_text(Problem.of("password_login_off")))
    form = LoginForm()
    status = 200 if request.method == "GET" else 400
    if form.validate_on_submit():
        try:
            signed_in = sign_in(form.email.data, form.password.data,
                                address=request.remote_addr, user_agent=request.user_agent.string)
        except Throttled as refused:
            flash(wait_message(refused.retry_at), "error")
            return render_login(429, form)
        if signed_in is not None:
            user, sid = signed_in
            start_session(user, sid)
            return redirect(safe_next(request.args.get("next")) or url_for("web.index"))
        flash(_("Wrong email or password."), "error")
    return render_login(status, form)


def wait_message(retry_at) -> str:
    """When to try again, in the reader's language and time zone."""
    seconds = max(1, int((retry_at - utcnow()).total_seconds() + 0.999))
    if seconds < 120:
        return ngettext("Too many failed sign-ins. Try again in %(num)s second.",
                        "Too many failed sign-ins. Try again in %(num)s seconds.", seconds)
    return _("Too many failed sign-ins. Try again after %(time)s.", time=local_time(retry_at))


@bp.post("/logout")
@allow("agent", "trainer", "manager", "admin", "integration")  # whoever can sign in
def logout():
    """Sign out: the server-side session ends, so no copy of the cookie works any more."""
    sessions.end_session(session.get("sid"), current_user.id, request.remote_addr)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


from app.web.auth import (  # noqa: E402  (routes register on bp, defined above)
    links,  # noqa: F401  (invitation, forgot and reset pages on bp)
    sso,  # noqa: F401  (single sign-on routes; imports this module's names)
)
