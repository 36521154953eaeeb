"""``flask users password`` and ``flask users sign-out``: a new password, or every session
ended, from the command line (both end the person's sessions, audited)."""

from __future__ import annotations

import click
from sqlalchemy import select

from app.cli import _fail, users_group
from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import ServiceError
from app.models import User
from app.services.accounts.sessions import end_sessions
from app.services.accounts.sign_in import set_password


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        _fail(f"no user with email {email!r}")
    return user


@users_group.command("password")
@click.argument("email")
@click.password_option("--password", prompt="New password",
                       help="Asked for (twice, hidden) when omitted.")
def users_password(email, password):
    """Set a person's password; every session of theirs ends."""
    try:
        with unit_of_work():
            ended = set_password(_user(email), password)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"password set for {email}; {ended} session(s) ended")


@users_group.command("sign-out")
@click.argument("email")
def users_sign_out(email):
    """End every session of a person at once (sign out everywhere)."""
    with unit_of_work():
        ended = end_sessions(_user(email), "signed_out_everywhere")
    click.echo(f"{email} signed out everywhere; {ended} session(s) ended")
