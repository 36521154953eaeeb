"""Invitations and password resets by e-mail: single-use, expiring links; only a hash kept.

A link carries 256 random bits; the database keeps its SHA-256 (``person_links``), so a copy
of the database opens no account. A link works once, until it expires (settings
``ONEVOICE_INVITATION_DAYS``, ``ONEVOICE_RESET_MINUTES``), and a newer link of the same kind
for the same person replaces the older one. Links point at ``ONEVOICE_BASE_URL``, never at
the Host a request came with (a forged Host header cannot send someone's reset link to
another site). Mail goes through app/services/mail.py, in the person's language.

"Forgot password" answers the same for every address and sends the mail after the response
is decided (a background thread), so neither the page nor its timing tells whether an
address has an account.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.core.security import hash_password, hash_token
from app.domain import people as rules
from app.errors import ServiceError
from app.models import PersonLink, User, utcnow
from app.services.accounts.audit_log import record
from app.services.accounts.sessions import end_sessions
from app.services.mail import MailError, mail_enabled, send_mail

log = logging.getLogger("onevoice.mail")
ENDPOINTS = {"invitation": "auth.accept_invitation", "reset": "auth.reset_password"}
RESEND_SECONDS = 60  # at most one reset mail a minute per account


class MailNotConfigured(ServiceError):
    """Invitations and resets need a mail server (MAIL_SERVER)."""

    status = 409

    def __init__(self):
        super().__init__("mail_not_configured")


def lifetime(purpose: str) -> timedelta:
    """How long a new link of ``purpose`` stays valid (settings)."""
    config = current_app.config
    if purpose == "invitation":
        return timedelta(days=int(config.get("ONEVOICE_INVITATION_DAYS") or 7))
    return timedelta(minutes=int(config.get("ONEVOICE_RESET_MINUTES") or 60))


def link_url(purpose: str, token: str) -> str:
    """The address in the mail: ``ONEVOICE_BASE_URL`` and the page's path."""
    base = (current_app.config.get("ONEVOICE_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    path = current_app.url_map.bind("localhost").build(ENDPOINTS[purpose], {"token": token})
    return base + path


def new_link(user: User, purpose: str, *, actor: User | None = None,
             at: datetime | None = None) -> str:
    """A fresh link for ``user`` in the current unit of work; older open ones stop working.

    Returns the token text (shown only in the mail).
    """
    at = at or utcnow()
    db.session.execute(update(PersonLink).where(
        PersonLink.user_id == user.id, PersonLink.purpose == purpose,
        PersonLink.used_at.is_(None)).values(used_at=at))
    token = secrets.token_urlsafe(32)
    db.session.add(PersonLink(user_id=user.id, purpose=purpose, token_hash=hash_token(token),
                              created_at=at, expires_at=at + lifetime(purpose),
                              created_by_id=actor.id if actor else None))
    return token


def _mail_text(user: User, purpose: str, token: str) -> tuple[str, str]:
    """Subject and body in the person's language (Korean or English)."""
    url, days = link_url(purpose, token), lifetime(purpose).days
    minutes = int(lifetime(purpose).total_seconds() // 60)
    with force_locale(user.locale or "en"):
        if purpose == "invitation":
            subject = _("You are invited to OneVoice")
            body = _("Hello %(name)s,\n\nAn administrator created a OneVoice account for you "
                     "(%(email)s). Open this link to choose your password and sign in:\n\n"
                     "%(url)s\n\nThe link works once and expires in %(days)d days.",
                     name=user.name, email=user.email, url=url, days=days)
        else:
            subject = _("Reset your OneVoice password")
            body = _("Hello %(name)s,\n\nSomeone asked to reset the password of your OneVoice "
                     "account (%(email)s). Open this link to choose a new password:\n\n%(url)s"
                     "\n\nThe link works once and expires in %(minutes)d minutes. If you did "
                     "not ask, ignore this mail: your password stays as it is.",
                     name=user.name, email=user.email, url=url, minutes=minutes)
    return str(subject), str(body)


def invite(user_ids: Iterable[int], actor: User | None = None) -> tuple[int, list[str]]:
    """Send (or send again) invitations; returns how many were sent and what failed.

    The links are saved first, in one transaction, then mailed one by one; a failed mail
    is reported by address (an admin can send it again from the person's page).
    """
    if not mail_enabled():
        raise MailNotConfigured()
    with unit_of_work():
        users = list(db.session.scalars(select(User).where(User.id.in_(list(user_ids)))))
        letters = []
        for user in users:
            if not user.active:
                raise ServiceError("person_deactivated", field="active", email=user.email)
            letters.append((user.email, *_mail_text(user, "invitation",
                                                   new_link(user, "invitation", actor=actor))))
            record("invitation_sent", actor=actor, subject=user)
    failed = []
    for to, subject, body in letters:
        try:
            send_mail(to, subject, body)
        except MailError as error:
            log.warning("invitation not sent: %s", error)
            failed.append(to)
    return len(letters) - len(failed), failed


def request_reset(email: str) -> None:
    """"Forgot password": mail a reset link if ``email`` is an active account's.

    Answers the same way, in the same steps, for every address: a token is made and hashed
    either way, and the mail leaves in a background thread after the answer is decided.
    """
    email = (email or "").strip().lower()
    token = secrets.token_urlsafe(32)
    hash_token(token)  # the same work for an unknown address
    with unit_of_work():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None or not user.active or not mail_enabled() or _asked_lately(user):
            return
        letter = _mail_text(user, "reset", new_link(user, "reset"))
        record("password_reset_requested", subject=user)
    app = current_app._get_current_object()
    threading.Thread(target=_deliver, args=(app, email, *letter), daemon=True,
                     name="reset-mail").start()


def _asked_lately(user: User) -> bool:
    """Whether a reset link was mailed to ``user`` in the last RESEND_SECONDS: asking again
    and again must not flood a mailbox (the page answers the same either way)."""
    since = utcnow() - timedelta(seconds=RESEND_SECONDS)
    return db.session.scalar(select(PersonLink.id).where(
        PersonLink.user_id == user.id, PersonLink.purpose == "reset",
        PersonLink.created_at > since).limit(1)) is not None


def _deliver(app, to: str, subject: str, body: str) -> None:
    with app.app_context():
        try:
            send_mail(to, subject, body)
        except MailError as error:
            log.warning("password reset mail not sent: %s", error)


def _open_link(token: str, purpose: str, at: datetime) -> PersonLink:
    link = db.session.scalar(select(PersonLink).where(
        PersonLink.token_hash == hash_token(token or ""), PersonLink.purpose == purpose))
    if link is None or not link.user.active or \
            rules.link_state(link.expires_at, link.used_at, at) != rules.USABLE:
        raise ServiceError("invalid_link", field="token")
    return link


def check_link(token: str, purpose: str, at: datetime | None = None) -> User:
    """The person a usable link is for; ServiceError ``invalid_link`` otherwise."""
    return _open_link(token, purpose, at or utcnow()).user


def use_link(token: str, purpose: str, password: str, confirm: str,
             at: datetime | None = None) -> User:
    """Set the person's password from a usable link; the link (and any other open one of
    theirs) is used up in the same transaction."""
    at = at or utcnow()
    with unit_of_work():
        link = _open_link(token, purpose, at)
        user = link.user
        problem = rules.password_problem(password or "", confirm or "", user.email)
        if problem:
            raise ServiceError(problem.code, field=problem.field, **problem.params)
        claimed = db.session.execute(update(PersonLink).where(
            PersonLink.id == link.id, PersonLink.used_at.is_(None)).values(used_at=at))
        if claimed.rowcount != 1:  # used by a request that committed while this one ran
            raise ServiceError("invalid_link", field="token")
        db.session.execute(update(PersonLink).where(
            PersonLink.user_id == user.id, PersonLink.used_at.is_(None)).values(used_at=at))
        user.password_hash = hash_password(password)
        end_sessions(user, "password_changed")  # a reset ends every session of theirs
        record("invitation_accepted" if purpose == "invitation" else "password_reset",
               subject=user, at=at)
    return user
