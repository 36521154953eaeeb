"""Fixtures: an app on a fresh migrated database, clients, and a small organisation.

The suite runs on SQLite by default. Set ``TEST_DATABASE_URL`` to a PostgreSQL URL
(``postgresql+psycopg://...``) to run the same tests against PostgreSQL; the schema is
migrated once per session and every table is emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db

PASSWORD = "correct horse battery staple"


def _per_worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``<name>_gw0``...).

    Created on first use from the server's maintenance database; the URL is written back to
    ``TEST_DATABASE_URL`` so test modules and the processes they spawn use the same one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if target.database.endswith(f"_{worker}"):  # conftest imported again (tests.conftest)
        return url
    name = f"{target.database}_{worker}"
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    worker_url = target.set(database=name).render_as_string(hide_password=False)
    os.environ["TEST_DATABASE_URL"] = worker_url
    return worker_url


PG_URL = _per_worker_database(os.environ.get("TEST_DATABASE_URL"))
ROOT = Path(__file__).resolve().parent.parent

# The demo's change targets all four centres (in English and Korean); the tests' copy
# targets two of them, so that an agent of another team is not assigned it.
WIFI_BULLETIN = (ROOT / "policy_changes" / "wibro50-wifi-login.md").read_text(
    encoding="utf-8").replace("teams: [wibro_sales, wibro_care, wifi_support, wired_care]",
                              "teams: [wibro_care, wifi_support]")


def new_login(source: str, login: str) -> str:
    """The Wi-Fi bulletin with another login value, on the fact line and in its say= statement
    (a statement must hold its fact's value)."""
    return source.replace("}: WiBro ID and password (was", f"}}: {login} (was").replace(
        "with their WiBro ID and password.\"", f"with their {login}.\"")


# Its Korean translation (front matter ``translation_of: wibro50-wifi-login``), for the same
# two teams.
KOREAN_WIFI_BULLETIN = (ROOT / "policy_changes" / "wibro50-wifi-login-ko.md").read_text(
    encoding="utf-8").replace("teams: [wibro_sales, wibro_care, wifi_support, wired_care]",
                              "teams: [wibro_care, wifi_support]")


def _config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "ONEVOICE_PASSWORD_HASH": "fast-for-tests",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> str:
    """A database migrated once per session: a SQLite file to copy, or the PostgreSQL URL."""
    from flask_migrate import upgrade

    if PG_URL:
        app = create_app(_config(PG_URL, tmp_path_factory.mktemp("instance")))
        with app.app_context():
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            upgrade(revision="heads")
            db.engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app(_config(f"sqlite:///{path}", path.parent))
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return str(path)


def _empty_postgres() -> None:
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(migrated_template, tmp_path, monkeypatch):
    """The app on its own empty, migrated database."""
    monkeypatch.setenv("ONEVOICE_INSTANCE_PATH", str(tmp_path))
    if PG_URL:
        application = create_app(_config(PG_URL, tmp_path))
        with application.app_context():
            _empty_postgres()
    else:
        target = tmp_path / "onevoice.sqlite3"
        shutil.copy(migrated_template, target)
        application = create_app(_config(f"sqlite:///{target}", tmp_path))
    yield application
    with application.app_context():
        db.session.remove()
        assert_documents_exact()
        db.engine.dispose()


def assert_documents_exact() -> None:
    """Every agent's stored eligibility document equals one built from scratch now: the
    upkeep of ``app.derived.eligibility_documents`` kept up with whatever the test did."""
    from sqlalchemy import select

    from app.derived import eligibility_documents as documents
    from app.models import User
    from app.models.eligibility import eligibility_documents

    agents = list(db.session.scalars(select(User.id).where(User.role == "agent")))
    stored = {row.user_id: (row.body, row.etag)
              for row in db.session.execute(select(eligibility_documents))}
    fresh = documents.build(db.session, agents) if agents else {}
    stale = sorted(user_id for user_id in set(stored) | set(fresh)
                   if stored.get(user_id) != fresh.get(user_id))
    db.session.remove()
    assert not stale, f"stored eligibility documents differ from the rows for users {stale}"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield app


@dataclass
class Org:
    """The small organisation every web test starts from."""

    app: object

    def token(self, email: str) -> str:
        from app.services.accounts.accounts import create_token

        with self.app.app_context(), unit_of_work():
            return create_token(email)[1]

    def headers(self, email: str) -> dict:
        return {"Authorization": f"Bearer {self.token(email)}"}


@pytest.fixture
def org(app) -> Org:
    """Skills wibro/wifi/wired, four teams, and one user per role (+ a second agent)."""
    from app.services.accounts.accounts import create_user, ensure_skill, ensure_team

    with app.app_context(), unit_of_work():
        for code in ("wibro", "wifi", "wired", "billing"):
            ensure_skill(code)
        for code in ("wibro_sales", "wibro_care", "wifi_support", "wired_care"):
            ensure_team(code)
        people = [
            ("agent@example.com", "agent", ["wibro_care"], ["wibro", "wifi"], "A1"),
            ("agent2@example.com", "agent", ["wired_care"], ["wired", "wifi"], "A2"),
            ("trainer@example.com", "trainer", [], [], None),
            ("manager@example.com", "manager", ["wibro_care"], [], None),
            ("admin@example.com", "admin", [], [], None),
            ("router@example.com", "integration", [], [], None),
        ]
        for email, role, teams, skills, external in people:
            create_user(email=email, name=email.split("@")[0].title(), role=role, teams=teams,
                        skills=skills, password=PASSWORD, external_id=external)
    return Org(app)


def login(client, email: str, password: str = PASSWORD):
    """Sign in through the real login form."""
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def as_role(client, org):
    """Sign the client in as a role: ``as_role("trainer")``."""

    def sign_in(role: str):
        response = login(client, f"{role}@example.com")
        assert response.status_code == 302, response.data
        return client

    return sign_in


def publish_wifi(org: Org, source: str = WIFI_BULLETIN, change: str = "material") -> dict:
    """Create the Wi-Fi bulletin, approve its items and publish it through the API."""
    client = org.app.test_client()
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": source}, headers=headers)
    if created.status_code == 409 and created.json["error"]["code"] == "bulletin_exists":
        existing = created.json["error"]["details"]["id"]  # a new version, asked for as such
        created = client.post(f"/api/v1/bulletins/{existing}/versions", json={"source": source},
                              headers=headers)
    assert created.status_code == 201, created.json
    slug = created.json["id"]
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{slug}/items/{item['id']}", json={"status": "approved"},
                   headers=headers)
    first = "diff" not in created.json  # a first version is always material
    published = client.post(f"/api/v1/bulletins/{slug}/publish",
                            json={} if first else {"change": change}, headers=headers)
    assert published.status_code == 200, published.json
    return published.json


@contextmanager
def served(application, name: str = "live-server") -> Iterator[str]:
    """Serve ``application`` on a free port of 127.0.0.1 in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def smtp_server(app) -> Iterator:
    """A real SMTP server on loopback (aiosmtpd); the app's mail settings point at it.

    ``smtp_server.mailbox.wait_for(n)`` returns the messages received once ``n`` arrived.
    """
    from tests.mail_server import SmtpServer

    with SmtpServer() as server:
        app.config.update(server.settings())
        yield server
