"""Signing in and out, redirects after sign-in, CSRF, and how secrets are stored."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ApiToken, Attempt, Bulletin, User
from tests.conftest import PASSWORD, WIFI_BULLETIN, _config, login, publish_wifi

HOMES = [("agent", "/agent/"), ("trainer", "/trainer/"), ("manager", "/manager/"),
         ("admin", "/admin/")]
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def csrf_app(app, org, tmp_path):
    """A second app on the same migrated database as ``app``, with CSRF protection on."""
    config = _config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    application = create_app({**config, "WTF_CSRF_ENABLED": True})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _csrf_token(client, url: str = "/login") -> str:
    page = client.get(url)
    match = CSRF_INPUT.search(page.get_data(as_text=True))
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def _csrf_login(client, email: str) -> None:
    token = _csrf_token(client)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.data


def _refused_for_csrf(response) -> bool:
    return response.status_code == 400 and b"CSRF token is missing" in response.data


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.mark.parametrize(("role", "home"), HOMES)
def test_login_sends_each_role_home(client, org, role, home):
    response = login(client, f"{role}@example.com")
    assert response.status_code == 302
    page = client.get(response.location, follow_redirects=True)
    assert page.status_code == 200
    assert page.request.path == home


@pytest.mark.parametrize(("email", "password"), [
    ("agent@example.com", "wrong password"),
    ("nobody@example.com", PASSWORD),
    ("AGENT@example.com", "correct horse"),
])
def test_wrong_credentials_are_refused_without_a_session(client, org, email, password):
    response = login(client, email, password)
    assert response.status_code == 400
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert not _signed_in(client)
    assert client.get("/agent/").status_code == 302


def test_email_is_matched_without_regard_to_case(client, org):
    assert login(client, "  Agent@Example.COM ").status_code == 302
    assert _signed_in(client)


def test_deactivated_user_cannot_log_in(client, org):
    with org.app.app_context(), unit_of_work() as session:
        session.scalar(select(User).where(User.email == "agent@example.com")).active = False
    response = login(client, "agent@example.com")
    assert response.status_code == 400
    assert not _signed_in(client)


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil",
                                    "javascript:alert(1)", "http:/evil.example",
                                    "///evil.example", "evil.example"])
def test_next_never_leaves_the_site(client, org, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": "agent@example.com", "password": PASSWORD})
    assert response.status_code == 302
    parts = urlsplit(response.location)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", "/")


def test_safe_local_next_is_honoured(client, org):
    response = client.post("/login", query_string={"next": "/agent/"},
                           data={"email": "agent@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/agent/"


def test_policy_redirect_brings_the_user_back(client, org):
    bounced = client.get("/trainer/bulletins/new")
    assert bounced.status_code == 302
    response = client.post(bounced.location, data={"email": "trainer@example.com",
                                                    "password": PASSWORD})
    assert response.location == "/trainer/bulletins/new"


def test_session_is_cleared_before_login(client, org):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    assert login(client, "agent@example.com").status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_logout_is_post_only(client, org):
    login(client, "agent@example.com")
    assert client.get("/logout").status_code == 405
    assert _signed_in(client)
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"
    assert not _signed_in(client)
    assert client.get("/agent/").status_code == 302


def test_csrf_token_lets_forms_through(csrf_app):
    client = csrf_app.test_client()
    _csrf_login(client, "agent@example.com")
    assert client.get("/agent/").status_code == 200
    token = _csrf_token(client, "/agent/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not _signed_in(client)


def test_login_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "agent@example.com", "password": PASSWORD})
    assert _refused_for_csrf(response)
    assert not _signed_in(client)


def test_logout_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    _csrf_login(client, "agent@example.com")
    assert _refused_for_csrf(client.post("/logout"))
    assert _signed_in(client)
    assert client.get("/agent/").status_code == 200


def test_new_bulletin_without_csrf_token_writes_nothing(csrf_app):
    client = csrf_app.test_client()
    _csrf_login(client, "trainer@example.com")
    response = client.post("/trainer/bulletins/new",
                           data={"source": WIFI_BULLETIN, "action": "save"})
    assert _refused_for_csrf(response)
    assert _count(csrf_app, Bulletin) == 0


def test_quiz_start_without_csrf_token_writes_nothing(csrf_app, org):
    publish_wifi(org)
    client = csrf_app.test_client()
    _csrf_login(client, "agent@example.com")
    response = client.post("/agent/bulletins/wibro50-wifi-login/quiz")
    assert _refused_for_csrf(response)
    assert _count(csrf_app, Attempt) == 0
    token = _csrf_token(client, "/agent/")
    started = client.post("/agent/bulletins/wibro50-wifi-login/quiz", data={"csrf_token": token})
    assert started.status_code == 302 and _count(csrf_app, Attempt) == 1


def test_passwords_are_stored_as_argon2id(ctx, org):
    hashes = db.session.scalars(select(User.password_hash)).all()
    assert len(hashes) == 6
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_api_tokens_are_stored_hashed(org):
    token = org.token("router@example.com")
    assert token.startswith("ov_") and len(token) - len("ov_") >= 43
    with org.app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert stored.token_hash != token
        assert token not in (stored.token_hash, stored.prefix, stored.name)
        assert len(stored.token_hash) == 64


def test_two_tokens_differ(org):
    assert org.token("router@example.com") != org.token("router@example.com")
