"""Security headers on every response of every page for every role (the policy matrix's
routes), no inline script or style anywhere, HSTS behind HTTPS, request size limits, integers
in URLs past what a column holds, and Argon2id password hashing at OWASP's parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.core.security import MAX_URL_INT
from app.models import User
from app.models.security import SecurityEvent
from tests.conftest import PASSWORD, login, publish_wifi
from tests.web.test_policy_matrix import EMAILS, ROLES, WEB, _request

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
EXPECTED = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|javascript:",
                    re.IGNORECASE)
APP = Path(__file__).resolve().parents[2] / "app"
LAST = ("auth.logout", "admin.end_user_sessions")  # they end sessions: called after the rest


def _clients(app) -> dict:
    clients = {"anonymous": app.test_client()}
    for role, email in EMAILS.items():
        clients[role] = app.test_client()
        assert login(clients[role], email).status_code == 302, role
    return clients


# Pages that carry a secret in their URL (invitation and reset links) send no referrer at all.
STRICTER = {"Referrer-Policy": "no-referrer"}


def _problems(label: str, response) -> list[str]:
    found = [f"{label}: {name} is {response.headers.get(name)!r}"
             for name, value in EXPECTED.items()
             if response.headers.get(name) not in (value, STRICTER.get(name))]
    if "Strict-Transport-Security" in response.headers:
        found.append(f"{label}: HSTS without SESSION_COOKIE_SECURE")
    if response.mimetype == "text/html":
        inline = INLINE.search(response.get_data(as_text=True))
        if inline:
            found.append(f"{label}: inline script or style {inline.group(0)!r}")
    return found


def test_every_response_of_every_page_for_every_role_carries_the_headers(app, org):
    publish_wifi(org)
    clients = _clients(app)
    endpoints = sorted(WEB, key=lambda e: (e in LAST, e))
    problems, html = [], 0
    for endpoint in endpoints:
        method, url = _request(app, endpoint)
        for role in ROLES:
            response = clients[role].open(url, method=method)
            html += response.mimetype == "text/html"
            problems += _problems(f"{role} {method} {url} {response.status_code}", response)
    for url in ("/no/such/page", "/login?next=/agent/", "/static/onevoice.css",
                "/static/quiz.js", "/api/v1/openapi.json", "/healthz"):
        problems += _problems(url, clients["anonymous"].get(url))
    assert problems == []
    assert html > 300  # the pages really were HTML (CSV exports and JSON answers are not)


def test_templates_and_static_files_hold_no_inline_script_or_style():
    files = [*APP.joinpath("templates").rglob("*.html"), *APP.joinpath("static").glob("*")]
    found = [f"{path.relative_to(APP)}: {match.group(0)}" for path in files
             if path.suffix in (".html", ".svg")
             for match in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert len(files) > 30 and found == []


def test_hsts_only_when_the_session_cookie_is_secure(app, org):
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    assert client.get("/api/v1/openapi.json").headers["Strict-Transport-Security"]


def test_extra_form_targets_are_added_to_the_policy(app):
    app.config["ONEVOICE_CSP_FORM_ACTION"] = "https://id.example.com"
    policy = app.test_client().get("/login").headers["Content-Security-Policy"]
    assert "form-action 'self' https://id.example.com;" in policy


# --- size limits ------------------------------------------------------------------------------


def test_an_oversized_sign_in_body_gets_a_clear_413_page(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = app.test_client().post("/login", data={"email": "x@example.com",
                                                      "password": "p" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "this site accepts at most 1 MB at once" in text and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == CSP


def test_an_oversized_api_body_gets_413_in_the_error_shape(app, org):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    rows = [{"external_id": f"X{n}", "name": "N" * 50, "email": f"x{n}@example.com",
             "team": "wired_care", "skills": ["wired"], "active": True} for n in range(2000)]
    response = app.test_client().put("/api/v1/agents", json=rows,
                                     headers=org.headers("admin@example.com"))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert response.json["error"]["details"] == {"max_bytes": 64 * 1024}


def test_the_413_page_is_in_korean(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    client = app.test_client()
    client.set_cookie("lang", "ko")
    response = client.post("/login", data={"password": "p" * (2 * 1024 * 1024)})
    assert "한 번에 최대 1 MB까지 받습니다" in response.get_data(as_text=True)


# --- integers in URLs -------------------------------------------------------------------------


ROLE_OF = {"agent": "agent", "trainer": "trainer", "admin": "admin", "webhooks_admin": "admin"}


@pytest.mark.parametrize("number", [MAX_URL_INT + 1, 2**63, 99999999999999999999999])
def test_integers_past_a_column_in_any_url_are_404(app, org, number):
    """Every ``<int:...>`` route, with its own methods: 404, on SQLite and PostgreSQL alike.
    (Another method on the same path may be a 405: werkzeug lists the path's methods.)"""
    clients = _clients(app)
    checked = []
    for rule in app.url_map.iter_rules():
        names = [n for n, c in rule._converters.items()
                 if type(c).__name__ == "BoundedIntConverter"]
        if not names:
            continue
        url = rule.rule
        for name in rule.arguments:
            value = str(number) if name in names else "wibro50-wifi-login"
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", value, url)
        client = clients[ROLE_OF[rule.endpoint.split(".")[0]]]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
            checked.append(rule.endpoint)
        for method in ("GET", "POST", "PUT", "DELETE"):
            assert client.open(url, method=method).status_code < 500, (method, url)
    assert len(checked) >= 14


def test_the_largest_id_a_column_holds_is_looked_up_and_not_found(app, org, as_role):
    admin = as_role("admin")
    assert admin.get(f"/admin/webhooks/{MAX_URL_INT}").status_code == 404
    assert admin.post(f"/admin/tokens/{MAX_URL_INT}/revoke").status_code in (302, 404)


# --- password hashing -------------------------------------------------------------------------


def _hash_of(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.email == email))


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters(app):
    from app.core.security import hash_password

    app.config["ONEVOICE_PASSWORD_HASH"] = "argon2id"
    with app.app_context():
        assert hash_password("x").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_unknown_hash_setting_is_refused_by_name(app):
    from app.core.security import hash_password

    app.config["ONEVOICE_PASSWORD_HASH"] = "md5"
    with app.app_context(), pytest.raises(ValueError, match="ONEVOICE_PASSWORD_HASH='md5'"):
        hash_password("x")


def test_an_outdated_hash_is_replaced_on_sign_in(app, org):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "agent@example.com")) \
            .password_hash = old
    app.config["ONEVOICE_PASSWORD_HASH"] = "argon2id"
    assert login(app.test_client(), "agent@example.com").status_code == 302
    new = _hash_of(app, "agent@example.com")
    assert new != old and new.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert login(app.test_client(), "agent@example.com").status_code == 302
    assert _hash_of(app, "agent@example.com") == new  # current: left alone
    with app.app_context():
        rehashed = db.session.scalars(select(SecurityEvent).where(
            SecurityEvent.event == "password_rehashed")).all()
    assert len(rehashed) == 1


def test_a_wrong_password_never_rehashes(app, org):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash(PASSWORD)
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "agent@example.com")) \
            .password_hash = old
    assert login(app.test_client(), "agent@example.com", "wrong").status_code == 400
    assert _hash_of(app, "agent@example.com") == old


@pytest.mark.parametrize("limit", [0, 7, 9, 10, 99, 100, 1999, 2000, 40960, MAX_URL_INT])
def test_the_url_integer_pattern_matches_exactly_zero_to_the_limit(limit):
    from app.core.security import digits_up_to

    pattern = re.compile(f"(?:{digits_up_to(limit)})")
    near = {*range(min(limit, 3000) + 30), limit - 1, limit, limit + 1, limit * 10, limit + 10}
    wrong = [n for n in near if n >= 0 and bool(pattern.fullmatch(str(n))) != (n <= limit)]
    assert wrong == [] and not pattern.fullmatch("007")
