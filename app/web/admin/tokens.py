"""API tokens: create (shown once), see when each was last used, revoke."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.security import allow
from app.errors import ServiceError
from app.models import utcnow
from app.queries import listings
from app.services.accounts import tokens as token_service
from app.web.admin import bp
from app.web.admin.forms import TokenForm
from app.web.shared.refusals import refusal_text
from app.web.shared.urls import safe_next


def _page(form: TokenForm, created=None, secret: str | None = None, status: int = 200):
    accounts = listings.staff_emails()
    return render_template("admin/tokens.html", form=form, tokens=token_service.list_tokens(),
                           state=token_service.token_state, now=utcnow(), accounts=accounts,
                           created=created, secret=secret), status


@bp.get("/tokens")
@allow("admin")
def tokens():
    """Every API token with its user, last use, expiry and state."""
    return _page(TokenForm())


@bp.post("/tokens")
@allow("admin")
def create_token():
    """Create a token; its text is shown on this response only, never again."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        record, secret = token_service.issue_token(
            form.email.data, form.name.data, form.expires_on.data,
            confirm_admin=form.confirm_admin.data, actor=current_user)
    except ServiceError as error:
        getattr(form, error.field, form.email).errors.append(refusal_text(error))
        return _page(form, status=400)
    page, status = _page(TokenForm(formdata=None), created=record, secret=secret)
    return page, status, {"Cache-Control": "no-store"}  # the token text must not be cached


@bp.post("/tokens/<int:token_id>/revoke")
@allow("admin")
def revoke_token(token_id: int):
    """Revoke a token: the API refuses it from now on."""
    token, now = token_service.revoke_token(token_id, actor=current_user)
    if now:
        flash(_("Token %(name)s revoked.", name=token.name), "ok")
    else:
        flash(_("Token %(name)s was revoked already.", name=token.name), "ok")
    return redirect(safe_next(request.form.get("next")) or url_for("admin.tokens"))
