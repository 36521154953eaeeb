"""Several processes on one database (docs/deploy.md, "What is shared, what is per process").

Two ``create_app()`` objects on the same database stand for two gunicorn workers or hosts:
each has its own engine, connection pool and ``app.extensions`` (where the lifecycle caches
live). The generated SECRET_KEY is checked with racers started together. The worker
run twice at once is in tests/web/test_webhook_delivery.py (two apps, every event once).
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest

from app import create_app
from app.core.extensions import db
from app.models import utcnow
from app.queries import point_in_time
from app.queries.search import search
from app.services.content.lifecycle import live_versions, timeline
from tests.conftest import WIFI_BULLETIN, login, publish_wifi

SHARED = ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "ONEVOICE_PASSWORD_HASH",
          "WTF_CSRF_ENABLED", "SERVER_NAME")


def twin(app, **overrides):
    """Another app on ``app``'s database: a second process, as far as the app can tell."""
    return create_app({**{name: app.config[name] for name in SHARED}, **overrides})


def close(*apps) -> None:
    for other in apps:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# --- sessions and CSRF: one secret for every process ----------------------------------------


def test_processes_starting_together_generate_one_secret(tmp_path):
    """gunicorn's workers start at once, each generating the key if the file is missing.
    (Threads race for the file as processes would: the contest is in the file system.)"""
    from app.core.config import _secret_key

    for attempt in range(5):
        folder = tmp_path / str(attempt)
        start, found = threading.Barrier(8), []

        def generate(folder=folder, start=start, found=found):
            start.wait(timeout=30)
            found.append(_secret_key(folder))

        racers = [threading.Thread(target=generate) for _ in range(8)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=60)
        assert len(found) == 8 and len(set(found)) == 1 and len(found[0]) == 64
        assert (folder / "secret_key").read_text() == found[0]
        assert sorted(p.name for p in folder.iterdir()) == ["secret_key"]  # no leftovers


def test_an_empty_secret_file_is_refused_by_name(tmp_path):
    from app.core.config import _secret_key

    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ValueError, match="secret_key is empty"):
        _secret_key(tmp_path)


def test_a_session_and_csrf_token_from_one_process_work_in_another(app, org, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)  # both generate, into the same instance/
    first, second = (twin(app, SECRET_KEY=None, WTF_CSRF_ENABLED=True) for _ in range(2))
    try:
        assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] != app.config[
            "SECRET_KEY"]
        one, other = first.test_client(), second.test_client()
        page = one.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          page.get_data(as_text=True)).group(1)
        other.set_cookie("session", one.get_cookie("session").value)
        signed_in = login_with(other, token)
        assert signed_in.status_code == 302, signed_in.data  # the CSRF token verified
        one.set_cookie("session", other.get_cookie("session").value)
        assert one.get("/agent/").status_code == 200  # the session too
    finally:
        close(first, second)


def login_with(client, token: str):
    response = login(client, "agent@example.com")  # without the token: refused
    assert response.status_code == 400
    from tests.conftest import PASSWORD

    return client.post("/login", data={"email": "agent@example.com", "password": PASSWORD,
                                       "csrf_token": token})


# --- the lifecycle caches: validated against the database on every use -----------------------


def test_a_publication_in_one_process_is_seen_at_once_by_another(app, org):
    other = twin(app)
    try:
        with other.test_request_context():
            before = timeline()
            assert before.versions == () and live_versions() == {}
            assert search("Wi-Fi")[1] == []
        publish_wifi(org)  # through the first app
        with other.test_request_context():
            known = timeline()
            assert [v.slug for v in known.versions] == ["wibro50-wifi-login"]
            assert list(live_versions()) == [("wibro50-wifi-login", 1)]
            assert [r.slug for r in search("Wi-Fi")[1]][:1] == ["wibro50-wifi-login"]
            day = (utcnow() + timedelta(days=400)).date().isoformat()
            assert [v.info.slug for v in point_in_time.in_force("wifi", day).versions] == [
                "wibro50-wifi-login"]
            assert timeline() is known  # unchanged since: served from the cache
    finally:
        close(other)


def test_a_backdated_publication_still_invalidates_the_other_process(app, org):
    """Publishing with a past ``at`` leaves the latest publication time as it was; the count
    of published versions still moves, so the other process reloads."""
    from app.core.database import unit_of_work
    from app.services.content.bulletins import create_draft, latest_version, publish

    publish_wifi(org)
    other = twin(app)
    try:
        with other.app_context():
            assert len(timeline().versions) == 1
        source = WIFI_BULLETIN.replace("id: wibro50-wifi-login", "id: wifi-copy", 1)
        with app.app_context():
            create_draft(source)
            with unit_of_work():
                draft = latest_version("wifi-copy")
                for item in draft.items:
                    item.status = "approved"
                publish(draft, at=utcnow() - timedelta(days=30))
        with other.app_context():
            assert sorted(v.slug for v in timeline().versions) == ["wibro50-wifi-login",
                                                                   "wifi-copy"]
    finally:
        close(other)


# --- the scheduler: two workers reaching the same gate record each change once ---------------


def test_two_workers_record_a_gate_reached_once(app, org):
    from sqlalchemy import func, select

    from app.core.database import unit_of_work
    from app.models import EligibilityEvent, User
    from app.services.accounts.accounts import create_user
    from app.services.certification.eligibility import run_time_checks
    from tests.web.manager_support import future_source

    with app.app_context(), unit_of_work():
        for n in range(20):
            create_user(email=f"crowd{n}@example.com", name=f"Crowd {n}", role="agent",
                        teams=["wifi_support"], skills=["wifi"], external_id=f"C{n}")
    publish_wifi(org, future_source(3, teams="[wifi_support, wibro_care]"))
    with app.app_context():
        due = db.session.scalar(select(func.min(User.eligibility_check_at)))
        before = db.session.scalar(select(func.count(EligibilityEvent.seq)))
    assert due is not None
    at = due + timedelta(seconds=1)
    apps, start, counted, errors = [twin(app), twin(app)], threading.Barrier(2), [], []

    def check(mine):
        try:
            with mine.app_context():
                start.wait(timeout=30)
                counted.append(run_time_checks(at))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    racers = [threading.Thread(target=check, args=(mine,)) for mine in apps]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    close(*apps)
    assert errors == []
    with app.app_context():
        events = db.session.execute(select(EligibilityEvent.user_id, EligibilityEvent.skill)
                                    .where(EligibilityEvent.seq > before)).all()
        assert events and len(events) == len(set(events)) == sum(counted)
        assert run_time_checks(at) == 0
