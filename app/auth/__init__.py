"""Signing in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..extensions import db, login_manager
from ..models import User
from ..security import allow, verify_password

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


class LoginForm(FlaskForm):
    # No Email() validator: it needs the email_validator package, which is not a dependency;
    # an address that is not an account's fails the lookup like a wrong password.
    email = EmailField(lazy_gettext("Email"), validators=[
        DataRequired(lazy_gettext("Enter your email address.")),
        Length(max=254, message=lazy_gettext("An email address has at most 254 characters."))])
    password = PasswordField(lazy_gettext("Password"), validators=[
        DataRequired(lazy_gettext("Enter your password.")),
        Length(max=200, message=lazy_gettext("A password has at most 200 characters."))])


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative //."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@allow()
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        if verify_password(user, form.password.data) and user.active:
            session.clear()  # no session fixation: a fresh session for the signed-in user
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("web.index"))
        flash(_("Wrong email or password."), "error")
    status = 200 if request.method == "GET" else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@allow("agent", "trainer", "manager", "admin", "integration")  # whoever can sign in
def logout():
    """Sign out."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


from . import links  # noqa: F401  (invitation, forgot and reset pages on bp)
