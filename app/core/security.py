"""Who may call what: one declared policy per view, enforced in one place (deny by default).

Web pages authenticate with the session cookie only; the API with a bearer token only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from app.core.database import unit_of_work
from app.domain.throttle import retry_after_seconds
from app.models import ApiToken, User, utcnow

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
    header = request.headers.get("Authorization", "")
    user = authenticate_bearer(header)
    if user is None:
        return _refuse_token(header, refuse)
    g.api_user = user
    if policy.roles and user.role not in policy.roles:
        return refuse(403, "forbidden", f"the role '{user.role}' may not call this endpoint")
    return None


# Bearer-token blueprints answer refusals in their own error shape; each registers its
# responder ``respond(status, code, message, details=None)`` (the API's in app/api, SCIM's
# in app/scim), so this core module needs neither of them.
BEARER_REFUSALS: dict[str, Callable] = {}
DEFAULT_SHAPE = "api"


def bearer_refusal(blueprint: str, respond: Callable) -> None:
    """Register how the bearer-token ``blueprint`` answers a refused request."""
    BEARER_REFUSALS[blueprint] = respond


def _refusal():
    """The error shape of the blueprint called (the API's unless it registered its own)."""
    return BEARER_REFUSALS.get(request.blueprint) or BEARER_REFUSALS[DEFAULT_SHAPE]


def _refuse_token(header: str, api_error):
    """401 for a missing or bad token; 429 once an address sent too many bad ones."""
    if not header.strip():
        return api_error(401, "unauthorized", "a valid bearer token is required")
    until = current_app.extensions["onevoice_token_failed"](request.remote_addr)
    if until is None:
        return api_error(401, "unauthorized", "a valid bearer token is required")
    details = {"retry_at": until.isoformat(timespec="seconds")}
    response = api_error(429, "too_many_bad_tokens", "too many requests with a bad bearer "
                         f"token from this address; try again after {details['retry_at']}",
                         details)
    response.headers["Retry-After"] = str(retry_after_seconds(details, utcnow()))
    return response


# --- passwords -------------------------------------------------------------------------

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1 (its first configuration).
HASHERS = {
    "argon2id": {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1},
    "fast-for-tests": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},  # tests only
}


def _hasher() -> PasswordHasher:
    name = current_app.config.get("ONEVOICE_PASSWORD_HASH") or "argon2id"
    if name not in HASHERS:
        raise ValueError(f"setting ONEVOICE_PASSWORD_HASH={name!r} must be one of "
                         f"{', '.join(HASHERS)}")
    return PasswordHasher(**HASHERS[name], hash_len=32, salt_len=16, type=Type.ID)


def needs_rehash(password_hash: str | None) -> bool:
    """Whether a stored hash was made with other parameters than the current ones."""
    if not password_hash:
        return False
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


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
    with unit_of_work() as session:
        session.get(ApiToken, token_id).last_used_at = now


# --- headers, limits, URL integers -----------------------------------------------------

# No inline script or style anywhere (templates and app/static): keep it so.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; form-action 'self'{form}; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def content_security_policy(app: Flask) -> str:
    """The policy, with any extra form targets (``ONEVOICE_CSP_FORM_ACTION``: origins a form
    may post to or be redirected to). The single sign-on provider's origin (``OIDC_ISSUER``)
    is always one: the sign-in button's POST is redirected there."""
    extra = app.config.get("ONEVOICE_CSP_FORM_ACTION") or ()
    if isinstance(extra, str):
        extra = extra.split()
    issuer = urlsplit(app.config.get("OIDC_ISSUER") or "")
    if issuer.scheme and issuer.netloc:
        extra = [*extra, f"{issuer.scheme}://{issuer.netloc}"]
    return CSP.format(form="".join(f" {origin}" for origin in dict.fromkeys(extra)))


def _header_list(app: Flask) -> list[tuple[str, str]]:
    """The headers every response gets, built once per setting values (cheap per request)."""
    key = (str(app.config.get("ONEVOICE_CSP_FORM_ACTION") or ""),
           bool(app.config.get("SESSION_COOKIE_SECURE")), app.config.get("OIDC_ISSUER"))
    cached = app.extensions.get("onevoice_security_headers")
    if cached is None or cached[0] != key:
        headers = [("Content-Security-Policy", content_security_policy(app)), *HEADERS.items()]
        if key[1]:
            headers.append(("Strict-Transport-Security", HSTS))
        cached = app.extensions["onevoice_security_headers"] = (key, headers)
    return cached[1]


def secure_headers(response):
    """after_request: the security headers on every response (HSTS behind HTTPS only)."""
    if "Content-Security-Policy" not in response.headers:
        response.headers.extend(_header_list(current_app))
    return response


# Row ids and numbers are integer columns (32-bit on PostgreSQL), like the API's ``<id:...>``
# (app/api/body.py MAX_ID): a larger number in a URL is simply not found, and never reaches a
# query (SQLite refuses integers past 64 bits with an error).
MAX_URL_INT = 2**31 - 1


def digits_up_to(limit: int) -> str:
    """A regular expression for the whole numbers 0 to ``limit`` (no leading zeros)."""
    text = str(limit)
    shorter = [f"[1-9]\\d{{0,{len(text) - 2}}}"] if len(text) > 1 else []
    same_length = []
    for i, digit in enumerate(text):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            same_length.append(f"{text[:i]}[{low}-{int(digit) - 1}]\\d{{{len(text) - i - 1}}}")
    return "|".join(["0", *shorter, *same_length, text])


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` from 0 to ``MAX_URL_INT``: a larger number matches no route at all, so
    every method answers 404 (a failed conversion would let werkzeug answer 405 for a path
    that has routes with other methods)."""

    regex = f"(?:{digits_up_to(MAX_URL_INT)})"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_URL_INT)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask, *, token_failed: Callable) -> None:
    """Install the policy check, the security headers and the bounded integer converter.

    ``token_failed(address)`` counts a bad bearer token from ``address`` and returns until
    when that address is refused (None: not yet); the accounts service provides it.
    """
    app.extensions["onevoice_token_failed"] = token_failed
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(enforce_policy)
    app.after_request(secure_headers)
