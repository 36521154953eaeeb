"""Single sign-on with OpenID Connect, Authlib as the client (docs/sso.md).

Authorization code flow with PKCE (S256), ``state`` and ``nonce``; the provider's metadata
comes from ``<OIDC_ISSUER>/.well-known/openid-configuration`` and must name that issuer; the
ID token's signature, issuer, audience, expiry and nonce are checked by Authlib (with the
issuer given explicitly). The person is then found by verified e-mail among existing users
(app/services/accounts/sso.py) and signed in through the same path as a password sign-in.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, redirect, request, session, url_for
from joserfc.errors import JoseError

from app.core.security import allow
from app.domain import sso as rules
from app.services.accounts import sso as service
from app.web.auth import bp, render_login, start_session
from app.web.shared.refusals import refusal_text
from app.web.shared.urls import safe_next

log = logging.getLogger("onevoice.sso")
NEXT_KEY = "sso_next"
STATE_PREFIX = "_state_onevoice_sso_"  # where Authlib keeps state, nonce and PKCE verifier
PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError,
                   TypeError)


class ProviderProblem(Exception):
    """The flow failed before the provider vouched for anyone: ``code`` (a sign-in refusal of
    the catalogue, app/domain/refusals/sign_in.py) names the kind, ``detail`` is for the log."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.params = {}  # the kinds name nothing: the page says what to do, the log says why


def settings() -> rules.SsoSettings | None:
    """The single sign-on settings in force (``None``: not configured)."""
    return rules.check_sign_in(current_app.config)


def _client(config: rules.SsoSettings):
    """Authlib's client for these settings, made once per settings and kept on the app."""
    cached = current_app.extensions.get("onevoice_sso")
    if cached and cached[0] == config:
        return cached[1]
    oauth = OAuth(current_app._get_current_object())
    client = oauth.register(  # a name no OIDC_* setting is read for by Authlib
        "onevoice_sso", client_id=config.client_id, client_secret=config.client_secret,
        server_metadata_url=config.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": config.scopes, "code_challenge_method": "S256",
                       "token_endpoint_auth_method": "client_secret_basic",
                       "default_timeout": config.timeout_seconds})
    current_app.extensions["onevoice_sso"] = (config, client)
    return client


def _metadata(client, config: rules.SsoSettings) -> dict:
    """The provider's discovery document, refused unless it names the configured issuer."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderProblem("provider_unreachable", f"discovery failed: {error}") from None
    if metadata.get("issuer") != config.issuer:
        client.server_metadata.clear()  # ask again next time
        raise ProviderProblem("provider_mismatch", f"discovery names issuer "
                              f"{metadata.get('issuer')!r}, not OIDC_ISSUER={config.issuer!r}")
    return metadata


def _problem_page(problem: ProviderProblem):
    log.warning("sso: %s: %s", problem.code, problem)
    status = 502 if problem.code in ("provider_unreachable", "provider_mismatch") else 400
    return render_login(status, error=refusal_text(problem))


@bp.post("/login/sso")
@allow()
def sso_start():
    """Send the visitor to the identity provider (a form button: CSRF-protected)."""
    config = settings()
    if config is None:
        abort(404)
    client = _client(config)
    try:
        _metadata(client, config)
    except ProviderProblem as problem:
        return _problem_page(problem)
    for key in [k for k in session if k.startswith(STATE_PREFIX)]:
        session.pop(key)  # only the latest attempt counts: the session stays small
    session[NEXT_KEY] = safe_next(request.args.get("next") or request.form.get("next"))
    redirect_uri = current_app.config.get("OIDC_REDIRECT_URI") or url_for(
        "auth.sso_callback", _external=True)
    return client.authorize_redirect(redirect_uri)


@bp.get("/login/sso/callback")
@allow()
def sso_callback():
    """Back from the identity provider: check everything, then sign the person in."""
    config = settings()
    if config is None:
        abort(404)
    try:
        claims = _verified_claims(_client(config), config)
    except ProviderProblem as problem:
        return _problem_page(problem)
    try:
        user = service.sign_in(claims, config)
    except rules.SignInRefused as refusal:
        return render_login(403, error=refusal_text(refusal))
    target = session.get(NEXT_KEY)
    start_session(user)
    return redirect(target or url_for("web.index"))


def id_token_options(config: rules.SsoSettings) -> dict:
    """What the ID token's claims must be, beyond Authlib's own checks (signature, nonce,
    azp, at_hash): issued by OIDC_ISSUER exactly, for our client among its audiences, with
    an expiry. (Without ``aud`` here, Authlib would accept another audience with our azp.)"""
    return {"iss": {"essential": True, "value": config.issuer},
            "aud": {"essential": True, "values": [config.client_id]},
            "exp": {"essential": True}}


def _verified_claims(client, config: rules.SsoSettings) -> dict:
    """The ID token's claims (merged with the UserInfo answer) once every check passed."""
    metadata = _metadata(client, config)
    if request.args.get("error"):
        raise ProviderProblem("cancelled", f"provider answered {request.args.get('error')}: "
                              f"{request.args.get('error_description')}")
    if "iss" in request.args and request.args["iss"] != config.issuer:  # RFC 9207 mix-up
        raise ProviderProblem("invalid_response", f"response from {request.args['iss']!r}")
    try:
        token = client.authorize_access_token(claims_options=id_token_options(config),
                                              leeway=config.clock_skew_seconds)
        claims = dict(token.get("userinfo") or {})
        if "id_token" not in token or not claims.get("sub"):
            raise ValueError("the token response carries no validated ID token")
        if metadata.get("userinfo_endpoint"):
            extra = client.userinfo(token=token)
            if extra.get("sub") != claims["sub"]:
                raise ValueError("UserInfo answered for another subject")
            claims = {**extra, **claims}
    except PROTOCOL_ERRORS as error:
        raise ProviderProblem("invalid_response", f"{type(error).__name__}: {error}") from None
    return claims
