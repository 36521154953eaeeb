"""Single sign-on against a real OpenID provider (oidc-provider, tests/oidc/provider.mjs) on
loopback, with the app on a live server and ``requests`` as the browser."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urljoin

import pytest
import requests
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import User
from app.models.sso import SsoEvent
from tests.conftest import PASSWORD, served
from tests.oidc.harness import authorize, query, start, start_provider, stop_provider, with_query

ROLE_MAP = {"cc-agents": "agent", "staff": "trainer", "cc-managers": "manager",
            "it-admins": "admin"}


@pytest.fixture
def live(app, org):
    """The app with the small organisation, served on a free loopback port."""
    with served(app, "sso-live") as base:
        yield base


@pytest.fixture
def provider(app, live):
    """The OpenID provider, its client redirecting to the live app; the app points at it."""
    running = start_provider(live)
    app.config.update(running.settings())
    try:
        yield running
    finally:
        stop_provider(running)


def sign_in(live: str, login: str, **tamper) -> tuple[requests.Session, requests.Response]:
    """The whole flow as ``login``; ``tamper`` changes the callback's query first."""
    http = requests.Session()
    callback = authorize(http, start(http, live), login, live)
    if tamper:
        callback = with_query(callback, **tamper)
    return http, http.get(callback, allow_redirects=False)


def events(app) -> list[tuple[str | None, str, dict | None]]:
    with app.app_context():
        rows = db.session.scalars(select(SsoEvent).order_by(SsoEvent.id)).all()
        return [(r.email, r.outcome, json.loads(r.changes) if r.changes else None)
                for r in rows]


def signed_in(http: requests.Session, live: str) -> bool:
    response = http.get(live + "/agent/", allow_redirects=False)
    return response.status_code == 200


def test_code_flow_with_pkce_state_and_nonce_signs_the_agent_in(app, live, provider):
    http = requests.Session()
    url = start(http, live)
    params = query(url)
    assert url.startswith(provider.issuer + "/auth?")
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43  # base64url SHA-256 of the verifier
    assert len(params["state"]) >= 20 and len(params["nonce"]) >= 20
    assert params["client_id"] == "onevoice"
    assert params["redirect_uri"] == live + "/login/sso/callback"
    assert set(params["scope"].split()) == {"openid", "email", "profile", "onevoice"}
    callback = authorize(http, url, "agent", live)
    assert query(callback)["state"] == params["state"] and "code" in query(callback)
    response = http.get(callback, allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = http.get(live + "/agent/")
    assert home.status_code == 200 and "Sign out" in home.text
    assert events(app) == [("agent@example.com", "signed_in", None)]


def test_next_page_is_kept_through_the_provider(live, provider):
    http = requests.Session()
    pressed = http.post(live + "/login/sso?next=/agent/search", allow_redirects=False)
    callback = authorize(http, pressed.headers["Location"], "agent", live)
    assert http.get(callback, allow_redirects=False).headers["Location"] == "/agent/search"


def test_sso_session_is_the_password_session(app, live, provider):
    """The same login path: the session cookie carries the same user key either way."""
    http, response = sign_in(live, "agent")
    assert response.status_code == 302
    password = requests.Session()
    password.post(live + "/login", data={"email": "agent@example.com", "password": PASSWORD},
                  allow_redirects=False)
    with app.test_request_context():
        decode = app.session_interface.get_signing_serializer(app).loads
        by_sso, by_password = (decode(s.cookies["session"]) for s in (http, password))
    assert by_sso.get("_user_id") == by_password.get("_user_id") == "1"
    assert not any(key.startswith("_state_") for key in by_sso)  # state used up


def test_tampered_state_is_refused(live, provider):
    http, response = sign_in(live, "agent", state="forged-state-value-000000")
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert not signed_in(http, live)


def test_replayed_callback_is_refused(live, provider):
    http = requests.Session()
    callback = authorize(http, start(http, live), "agent", live)
    assert http.get(callback, allow_redirects=False).status_code == 302
    http.post(live + "/logout")
    assert http.get(callback, allow_redirects=False).status_code == 400


def test_discovery_naming_another_issuer_is_refused(app, live, provider):
    app.config["OIDC_ISSUER"] = provider.issuer.replace("127.0.0.1", "localhost")
    response = requests.post(live + "/login/sso", allow_redirects=False)
    assert response.status_code == 502
    assert "misconfigured" in response.text


def test_id_token_from_another_issuer_is_refused(app, live, provider, caplog):
    """Discovery names the configured issuer, the ID token another: refused on ``iss``."""
    app.config["OIDC_ISSUER"] = provider.issuer + "/other-tenant"
    http, response = sign_in(live, "agent")  # the provider's RFC 9207 iss parameter
    assert response.status_code == 400 and not signed_in(http, live)
    http, response = sign_in(live, "agent", iss=None)  # without it: the ID token check
    assert response.status_code == 400 and "could not be verified" in response.text
    assert "InvalidClaimError" in caplog.text and "iss" in caplog.text
    assert not signed_in(http, live)


def test_expired_id_token_is_refused(app, live, provider, caplog):
    """Client onevoice-slow: ID tokens live 1 s and arrive 2.5 s late."""
    app.config.update(OIDC_CLIENT_ID="onevoice-slow", OIDC_CLOCK_SKEW_SECONDS="0")
    http, response = sign_in(live, "agent")
    assert response.status_code == 400 and not signed_in(http, live)
    assert "ExpiredTokenError" in caplog.text
    app.config["OIDC_CLOCK_SKEW_SECONDS"] = "60"  # the same late token within the allowed skew
    http, response = sign_in(live, "agent")
    assert response.status_code == 302 and signed_in(http, live)


def test_unknown_user_is_refused_with_a_clear_message(app, live, provider):
    http, response = sign_in(live, "stranger")
    assert response.status_code == 403
    assert "There is no OneVoice account for stranger@example.com" in response.text
    assert not signed_in(http, live)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "stranger@example.com")) \
            is None
    assert events(app) == [("stranger@example.com", "unknown_user",
                            {"email": "stranger@example.com"})]


def test_unknown_user_is_refused_in_korean(live, provider):
    http = requests.Session()
    http.cookies.set("lang", "ko")
    callback = authorize(http, start(http, live), "stranger", live)
    response = http.get(callback, allow_redirects=False)
    assert response.status_code == 403
    assert "stranger@example.com 주소의 OneVoice 계정이 없습니다" in response.text


def test_deactivated_user_is_refused(app, live, provider):
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "agent@example.com")).active = False
    http, response = sign_in(live, "agent")
    assert response.status_code == 403 and "deactivated" in response.text
    assert not signed_in(http, live)
    assert [e[1] for e in events(app)] == ["deactivated"]


def test_unverified_email_is_refused(app, live, provider):
    _http, response = sign_in(live, "unverified")
    assert response.status_code == 403 and "not verified your email" in response.text
    assert [e[1] for e in events(app)] == ["email_unverified"]


def test_domain_outside_the_allowed_ones_is_refused(app, live, provider):
    app.config["OIDC_ALLOWED_DOMAINS"] = "example.com"
    _http, response = sign_in(live, "outsider")
    assert response.status_code == 403
    assert "Email addresses at elsewhere.example may not sign in here" in response.text
    _http, response = sign_in(live, "agent")
    assert response.status_code == 302


def _mapping(app) -> None:
    app.config.update(OIDC_ROLE_CLAIM="onevoice_role", OIDC_ROLE_MAP=json.dumps(ROLE_MAP),
                      OIDC_TEAM_CLAIM="onevoice_team")


def test_role_and_managed_teams_from_claims_are_applied_and_audited(app, live, provider):
    _mapping(app)
    http, response = sign_in(live, "trainer")  # cc-managers + staff: the manager role wins
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "trainer@example.com"))
        assert user.role == "manager"
        assert [t.code for t in user.managed] == ["wibro_care", "wifi_support"]
    assert http.get(live + "/manager/").status_code == 200
    assert events(app) == [("trainer@example.com", "signed_in", {
        "role": ["trainer", "manager"],
        "managed_teams": [[], ["wibro_care", "wifi_support"]]})]
    http, response = sign_in(live, "trainer")  # the same claims again: nothing changes
    assert events(app)[-1] == ("trainer@example.com", "signed_in", None)


def test_agent_team_from_claims_moves_the_agent(app, live, provider):
    _mapping(app)
    _http, response = sign_in(live, "agent")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        assert (user.role, user.team.code) == ("agent", "wired_care")
    assert events(app)[-1][2] == {"team": ["wibro_care", "wired_care"]}


def test_claims_without_a_mapped_role_are_refused(app, live, provider):
    _mapping(app)
    _http, response = sign_in(live, "nogroup")
    assert response.status_code == 403 and "no OneVoice role" in response.text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "manager@example.com"))
        assert user.role == "manager"


def test_claims_that_would_make_an_agent_staff_are_refused(app, live, provider):
    _mapping(app)
    app.config["OIDC_ROLE_MAP"] = json.dumps({**ROLE_MAP, "cc-agents": "trainer"})
    _http, response = sign_in(live, "agent")
    assert response.status_code == 403
    assert "gives you the role trainer, which differs from your OneVoice role: an " \
        "administrator must change it" in response.text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        assert (user.role, user.team.code) == ("agent", "wibro_care")  # nothing half-written
    assert events(app) == [("agent@example.com", "role_needs_admin", {"role": "trainer"})]
    http = requests.Session()
    http.cookies.set("lang", "ko")
    response = http.get(authorize(http, start(http, live), "agent", live), allow_redirects=False)
    assert response.status_code == 403
    assert "로그인 서비스에 지정된 역할(트레이너)이 OneVoice의 역할과 다릅니다" in response.text


def test_claims_naming_an_unknown_team_are_refused(app, live, provider):
    _mapping(app)
    app.config["OIDC_TEAM_CLAIM"] = "onevoice_role"  # group names are no team codes
    _http, response = sign_in(live, "agent")
    assert response.status_code == 403
    assert "puts you in the team cc-agents, which OneVoice does not have" in response.text
    assert [e[1:] for e in events(app)] == [("sso_unknown_team", {"team": "cc-agents"})]


def test_password_login_off_removes_the_form_and_refuses_passwords(app, live, provider):
    app.config["PASSWORD_LOGIN"] = False
    page = requests.get(live + "/login")
    assert 'type="password"' not in page.text
    assert "Sign in with Example ID" in page.text
    tried = requests.Session()
    refused = tried.post(live + "/login", allow_redirects=False,
                         data={"email": "admin@example.com", "password": PASSWORD})
    assert refused.status_code == 403 and "Password sign-in is turned off" in refused.text
    assert tried.get(live + "/admin/", allow_redirects=False).status_code == 302  # to /login
    http, response = sign_in(live, "admin")
    assert response.status_code == 302 and http.get(live + "/admin/").status_code == 200


def test_provider_down_is_a_clear_message(app, live, provider):
    stop_provider(provider)
    started = time.monotonic()
    response = requests.post(live + "/login/sso", allow_redirects=False)
    assert response.status_code == 502 and "could not be reached" in response.text
    assert time.monotonic() - started < 10


def test_sso_button_is_a_csrf_protected_form_without_scripts(app, live, provider):
    app.config["WTF_CSRF_ENABLED"] = True
    assert requests.post(live + "/login/sso", allow_redirects=False).status_code == 400
    http = requests.Session()
    page = http.get(live + "/login").text
    assert "<script" not in page and " on" + "click=" not in page
    form = re.search(r'<form method="post" action="/login/sso">\s*<input type="hidden" '
                     r'name="csrf_token" value="([^"]+)">', page)
    pressed = http.post(live + "/login/sso", data={"csrf_token": form.group(1)},
                        allow_redirects=False)
    assert pressed.status_code == 302 and pressed.headers["Location"].startswith(provider.issuer)


def test_sign_in_page_in_korean_names_the_provider(live, provider):
    page = requests.get(live + "/login", headers={"Accept-Language": "ko"}).text
    assert "Example ID 계정으로 로그인" in page


def test_sso_routes_are_absent_when_not_configured(client, org):
    assert b"/login/sso" not in client.get("/login").data
    assert client.post("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=x&state=y").status_code == 404


def test_wrong_settings_stop_the_app_from_starting(app):
    from app import create_app
    from app.domain.sso import SettingError

    with pytest.raises(SettingError, match="PASSWORD_LOGIN=false needs single sign-on"):
        create_app({**app.config, "PASSWORD_LOGIN": False, "OIDC_ISSUER": None})
    with pytest.raises(SettingError, match="OIDC_CLIENT_SECRET"):
        create_app({**app.config, "OIDC_ISSUER": "https://id.example.com"})


def test_rescue_process_turns_password_login_back_on(tmp_path, monkeypatch):
    """instance/config.py turns passwords off; PASSWORD_LOGIN=true in the environment of one
    process (docs/sso.md, rescue) turns them back on for it."""
    from app import create_app

    (tmp_path / "config.py").write_text(
        "PASSWORD_LOGIN = False\nOIDC_ISSUER = 'https://id.example.com'\n"
        "OIDC_CLIENT_ID = 'onevoice'\nOIDC_CLIENT_SECRET = 's'\n")
    monkeypatch.setenv("ONEVOICE_INSTANCE_PATH", str(tmp_path))
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}
    assert create_app(config).config["PASSWORD_LOGIN"] is False
    monkeypatch.setenv("PASSWORD_LOGIN", "true")
    assert create_app(config).config["PASSWORD_LOGIN"] is True


def test_cancelling_at_the_provider_is_a_clear_message(live, provider):
    http = requests.Session()
    page = http.get(start(http, live))  # the provider's sign-in page
    cancel = re.search(r'href="([^"]+/abort)"', page.text).group(1)
    resumed = http.get(urljoin(page.url, cancel), allow_redirects=False)
    callback = http.get(urljoin(page.url, resumed.headers["Location"]),
                        allow_redirects=False).headers["Location"]
    assert callback.startswith(live + "/login/sso/callback")
    assert query(callback)["error"] == "access_denied"
    refused = http.get(callback, allow_redirects=False)
    assert refused.status_code == 400 and "cancelled" in refused.text
    assert not signed_in(http, live)


def test_only_the_latest_attempt_is_kept(live, provider):
    """Pressing the button again replaces the pending state: the session stays small."""
    http = requests.Session()
    first = start(http, live)
    second = start(http, live)
    callback = authorize(http, first, "agent", live)
    assert http.get(callback, allow_redirects=False).status_code == 400  # superseded
    callback = authorize(http, second, "agent", live)
    assert http.get(callback, allow_redirects=False).status_code == 302


def test_id_token_whose_signature_does_not_verify_is_refused(app, live, provider, caplog):
    """Discovery publishes a key (same key id) that did not sign the ID token."""
    app.config["OIDC_ISSUER"] = provider.issuer + "/forged-keys"
    http, response = sign_in(live, "agent", iss=None)
    assert response.status_code == 400 and "could not be verified" in response.text
    assert "BadSignatureError" in caplog.text
    assert not signed_in(http, live)
