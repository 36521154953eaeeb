"""Pages opened from an e-mail: accept an invitation, forgot password, reset password.

Anyone may open them (the link is the credential); the token travels in the path and the
pages are sent with ``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store``.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from app.core.security import allow
from app.errors import ServiceError
from app.services.accounts import invitations
from app.web.auth import bp
from app.web.shared.refusals import refusal_text

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


class PasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(lazy_gettext("New password"), validators=[
        DataRequired(lazy_gettext("Enter a new password.")),
        Length(max=200, message=lazy_gettext("A password has at most 200 characters."))])
    confirm = PasswordField(lazy_gettext("New password again"), validators=[
        DataRequired(lazy_gettext("Enter the new password a second time."))])


class ForgotForm(FlaskForm):
    """The e-mail address of the account whose password is forgotten."""

    email = EmailField(lazy_gettext("Email"), validators=[
        DataRequired(lazy_gettext("Enter your email address.")),
        Length(max=254, message=lazy_gettext("An email address has at most 254 characters."))])


def _password_page(purpose: str, token: str):
    """GET: the form when the link is usable; POST: set the password, then sign in."""
    try:
        user = invitations.check_link(token, purpose)
    except ServiceError as error:
        page = render_template("auth/link_invalid.html", message=refusal_text(error))
        return page, 404, PRIVATE
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            invitations.use_link(token, purpose, form.password.data, form.confirm.data)
        except ServiceError as error:
            field = getattr(form, error.field or "password", form.password)
            field.errors = [*field.errors, refusal_text(error)]
        else:
            flash(_("Your password is set. Sign in with it."), "ok")
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, purpose=purpose, person=user,
                           min_length=invitations.rules.MIN_PASSWORD), status, PRIVATE


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@allow()
def accept_invitation(token: str):
    """Accept an invitation: choose a password."""
    return _password_page("invitation", token)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow()
def reset_password(token: str):
    """Choose a new password from a reset link."""
    return _password_page("reset", token)


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow()
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an
    account."""
    form = ForgotForm()
    if form.validate_on_submit():
        invitations.request_reset(form.email.data)
        flash(_("If %(email)s belongs to an account, a link to reset its password is on its "
                "way. Check your mail.", email=form.email.data.strip()), "ok")
        return redirect(url_for("auth.forgot_password"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form), status
