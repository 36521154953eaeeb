"""Who may call what: one declared policy per view, enforced in one place (deny by default).

Web pages authenticate with the session cookie only; the API with a bearer token only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from .models import ApiToken, User, utcnow

PUBLIC_ENDPOINTS = frozenset({"static"})
TOKEN_PREFIX = "ov_"


@dataclass(frozen=True)
class Policy:
    """The roles allowed on a view, and whether it is a web page or an API endpoint."""

    roles: frozenset[str]  # empty = anyone, signed in or not
    api: bool = False


def allow(*roles: str, api: bool = False):
    """Declare who may call a view: ``@allow("trainer", "admin")``; ``@allow()`` is public."""

    def decorate(view):
        view.policy = Policy(frozenset(roles), api)
        return view

    return decorate


def policy_of(view) -> Policy | None:
    """The declared policy of a view function, if any."""
    return getattr(view, "policy", None)


def enforce_policy():
    """before_request: authenticate and authorise by the view's declared policy."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(request.endpoint)
    policy = policy_of(view)
    if policy is None:
        abort(403)  # a route nobody declared a policy for is closed
    if policy.api:
        return _enforce_api(policy)
    if not policy.roles:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.role not in policy.roles:
        abort(403)
    return None


def _enforce_api(policy: Policy):
    refuse = _refusal()
    user = authenticate_bearer(request.headers.get("Authorization", ""))
    if user is None:
        return refuse(401, "unauthorized", "a valid bearer token is required")
    g.api_user = user
    if policy.roles and user.role not in policy.roles:
        return refuse(403, "forbidden", f"the role '{user.role}' may not call this endpoint")
    return None


def _refusal():
    """The error shape of the blueprint called: SCIM's under /scim/v2, else the API's."""
    if request.blueprint == "scim":
        from .scim.errors import scim_error

        return lambda status, _code, message: scim_error(status, message)
    from .api.errors import api_error  # the API owns its error shape

    return api_error


# --- passwords -------------------------------------------------------------------------


def _hasher() -> PasswordHasher:
    if current_app.config.get("ONEVOICE_PASSWORD_HASH") == "fast-for-tests":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()  # Argon2id, RFC 9106 low-memory profile


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether the password matches; runs a dummy hash when the user has none."""
    if not user or not user.password_hash:
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password for accounts created without one."""
    return secrets.token_urlsafe(12)


# --- API tokens ------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """SHA-256 of a token: tokens are 256-bit random, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh 256-bit token, shown to its owner once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def authenticate_bearer(header: str) -> User | None:
    """The active user behind an ``Authorization: Bearer`` header, or None."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return None
    digest = hash_token(token.strip())
    record = ApiToken.query.filter_by(token_hash=digest).one_or_none()
    now = utcnow()
    if record is None or not hmac.compare_digest(record.token_hash, digest):
        return None
    if record.revoked_at or (record.expires_at and record.expires_at <= now):
        return None
    if not record.user.active:
        return None
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        _touch_token(record.id, now)
    return record.user


def _touch_token(token_id: int, now) -> None:
    """Record last use, at most every few minutes so reads stay reads."""
    from .database import unit_of_work

    with unit_of_work() as session:
        session.get(ApiToken, token_id).last_used_at = now


def init_app(app: Flask) -> None:
    """Install the policy check."""
    app.before_request(enforce_policy)
