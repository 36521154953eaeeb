"""Server-side sessions: logout, deactivation, a password change and an admin's "sign out
everywhere" end every copy of a session at once; idle and absolute timeouts; last-seen
written at most once a minute; bearer-token requests never read sessions."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ApiToken, User, utcnow
from app.models.security import SecurityEvent, UserSession
from tests.conftest import PASSWORD, login

HOME = "/agent/"


def signed_in(app, email="agent@example.com", password=PASSWORD):
    client = app.test_client()
    assert login(client, email, password).status_code == 302
    return client


def replay(app, cookie: str, url: str = HOME):
    """The cookie's value on a fresh client, as an attacker who copied it would send it."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(url)


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def refused(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/login")


def events(app, name: str) -> list[SecurityEvent]:
    with app.app_context():
        return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == name)
                                       .order_by(SecurityEvent.id)))


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_a_cookie_copied_before_logout_is_refused_after_it(app, org):
    client = signed_in(app)
    copied = cookie_of(client)
    assert replay(app, copied).status_code == 200  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    response = replay(app, copied)
    assert refused(response), response.status_code
    assert client.get(HOME).status_code == 302
    page = app.test_client()
    page.set_cookie("session", copied)
    followed = page.get(HOME, follow_redirects=True)
    assert "Your session has ended. Sign in again." in followed.get_data(as_text=True)
    assert [e.event for e in events(app, "sign_out")] == ["sign_out"]


def test_logout_ends_only_that_session(app, org):
    laptop, phone = signed_in(app), signed_in(app)
    laptop.post("/logout")
    assert phone.get(HOME).status_code == 200


def test_deactivation_through_the_directory_api_ends_sessions_and_revokes_tokens(app, org):
    laptop, phone = signed_in(app), signed_in(app)
    copied = cookie_of(laptop)
    agent_token = org.headers("agent@example.com")
    assert app.test_client().get("/api/v1/me/assignments", headers=agent_token).status_code == 200
    row = {"external_id": "A1", "name": "Agent", "email": "agent@example.com",
           "team": "wibro_care", "skills": ["wibro", "wifi"], "active": False}
    response = app.test_client().put("/api/v1/agents", json=[row],
                                     headers=org.headers("admin@example.com"))
    assert response.status_code == 200, response.json
    assert refused(laptop.get(HOME)) and refused(phone.get(HOME)) and refused(replay(app, copied))
    assert app.test_client().get("/api/v1/me/assignments", headers=agent_token).status_code == 401
    with app.app_context():
        tokens = db.session.scalars(select(ApiToken).join(User).where(
            User.email == "agent@example.com")).all()
        assert tokens and all(t.revoked_at is not None for t in tokens)
        rows = db.session.scalars(select(UserSession).where(
            UserSession.user_id == user_id(app, "agent@example.com"))).all()
        assert {r.end_reason for r in rows} == {"deactivated"}
    [ended] = events(app, "sessions_ended")
    assert ended.details == {"reason": "deactivated", "sessions": 2, "tokens_revoked": 1}


def test_deactivation_by_a_directory_file_ends_sessions(app, org, as_role):
    agent = signed_in(app)
    admin = as_role("admin")
    csv = ("external_id,name,email,team,skills,active\n"
           "A1,Agent,agent@example.com,wibro_care,wibro;wifi,false\n")
    response = admin.post("/admin/directory", data={
        "file": (io.BytesIO(csv.encode()), "directory.csv")}, content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.email == "agent@example.com")) \
            is False
    assert refused(agent.get(HOME))


def test_deactivation_by_any_other_path_ends_sessions(app, org):
    """Whatever sets ``active`` to false (an admin page, SCIM, the shell) ends the sessions."""
    agent = signed_in(app, "trainer@example.com")
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "trainer@example.com")).active = False
    assert refused(agent.get("/trainer/"))
    [ended] = events(app, "sessions_ended")
    assert ended.details["reason"] == "deactivated" and ended.details["sessions"] == 1


def test_a_password_change_ends_every_session(app, org):
    from app.services.accounts.sign_in import set_password

    laptop = signed_in(app)
    copied = cookie_of(laptop)
    with app.app_context(), unit_of_work():
        user = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        assert set_password(user, "a brand new passphrase") == 1
    assert refused(laptop.get(HOME)) and refused(replay(app, copied))
    assert login(app.test_client(), "agent@example.com").status_code == 400  # the old one
    assert signed_in(app, password="a brand new passphrase").get(HOME).status_code == 200
    assert [e.details["reason"] for e in events(app, "sessions_ended")] == ["password_changed"]


def test_an_admin_signs_a_person_out_everywhere(app, org, as_role):
    laptop, phone = signed_in(app), signed_in(app)
    admin = as_role("admin")
    page = admin.get("/admin/sessions").get_data(as_text=True)
    assert "agent@example.com" in page and "Sign out everywhere: Agent" in page
    agent_id = user_id(app, "agent@example.com")
    response = admin.post(f"/admin/sessions/{agent_id}/end", follow_redirects=True)
    assert "Agent is signed out everywhere (2 sessions ended)." in response.get_data(as_text=True)
    assert refused(laptop.get(HOME)) and refused(phone.get(HOME))
    assert admin.get("/admin/").status_code == 200  # the admin's own session goes on
    [ended] = events(app, "sessions_ended")
    assert ended.actor_id == user_id(app, "admin@example.com") and ended.user_id == agent_id
    assert admin.post("/admin/sessions/999999/end").status_code in (302, 404)


def _backdate(app, **columns: timedelta) -> None:
    with app.app_context(), unit_of_work():
        for row in db.session.scalars(select(UserSession)):
            for column, by in columns.items():
                setattr(row, column, getattr(row, column) - by)


def test_an_idle_session_ends_after_the_idle_timeout(app, org):
    app.config["ONEVOICE_SESSION_IDLE_MINUTES"] = 30
    client = signed_in(app)
    _backdate(app, last_seen_at=timedelta(minutes=29))
    assert client.get(HOME).status_code == 200  # and last-seen moves to now
    _backdate(app, last_seen_at=timedelta(minutes=29))
    assert client.get(HOME).status_code == 200
    _backdate(app, last_seen_at=timedelta(minutes=31))
    assert refused(client.get(HOME))


def test_a_session_ends_after_the_absolute_timeout_however_busy(app, org):
    app.config["ONEVOICE_SESSION_MAX_HOURS"] = 8
    client = signed_in(app)
    _backdate(app, created_at=timedelta(hours=7, minutes=59))
    assert client.get(HOME).status_code == 200
    _backdate(app, created_at=timedelta(minutes=2))
    assert refused(client.get(HOME))


@contextmanager
def statements_on(app, table: str):
    """The SQL statements naming ``table`` run while the block runs."""
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_args):
        if table in statement:
            seen.append(statement.split()[0].upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", spy)


def test_last_seen_is_written_at_most_once_a_minute(app, org):
    client = signed_in(app)
    with statements_on(app, "user_sessions") as seen:
        for _ in range(5):
            assert client.get(HOME).status_code == 200
    assert seen.count("SELECT") == 5 and "UPDATE" not in seen
    _backdate(app, last_seen_at=timedelta(seconds=61))
    with statements_on(app, "user_sessions") as seen:
        client.get(HOME)
        client.get(HOME)
    assert seen.count("UPDATE") == 1
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        assert utcnow() - row.last_seen_at < timedelta(seconds=5)


def test_bearer_requests_never_read_sessions_or_throttles(app, org):
    """The routing system's lookups pay nothing for sessions or throttling."""
    headers = org.headers("router@example.com")
    client = app.test_client()
    client.get("/api/v1/agents/A1/eligibility", headers=headers)  # warm: last-used written
    with statements_on(app, "user_sessions") as sessions, \
            statements_on(app, "sign_in_throttles") as throttles:
        for _ in range(3):
            assert client.get("/api/v1/agents/A1/eligibility", headers=headers).status_code == 200
    assert sessions == [] and throttles == []


def test_sign_in_records_the_browser_and_address_and_prunes_ended_sessions(app, org):
    client = app.test_client()
    client.post("/login", data={"email": "agent@example.com", "password": PASSWORD},
                headers={"User-Agent": "Firefox/140"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    client.post("/logout")
    signed_in(app)
    with app.app_context():
        rows = db.session.scalars(select(UserSession)).all()
    assert len(rows) == 1 and rows[0].ended_at is None  # the ended one was pruned
    [first] = events(app, "sign_in")[:1]
    assert (first.address, first.email) == ("10.1.2.3", "agent@example.com")


def test_the_worker_prunes_finished_sessions_spent_throttles_and_old_log_rows(app, org):
    from app.models.security import SignInThrottle
    from app.services.accounts.security_upkeep import prune_security

    live, gone = signed_in(app), signed_in(app)
    gone.post("/logout")
    login(app.test_client(), "agent@example.com", "wrong")
    with app.app_context():
        now = utcnow()
        assert prune_security(now) == {"sessions": 1, "throttles": 0, "events": 0}
        later = now + timedelta(minutes=61)
        result = prune_security(later + timedelta(days=365))
        assert result["throttles"] == 2 and result["events"] >= 4
        assert db.session.scalar(select(SignInThrottle.id)) is None
    assert live.get(HOME).status_code == 302  # a year later that session timed out too


def test_the_command_line_sets_a_password_or_signs_a_person_out(app, org, runner):
    laptop = signed_in(app)
    result = runner.invoke(args=["users", "sign-out", "agent@example.com"])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output
    assert refused(laptop.get(HOME))
    laptop = signed_in(app)
    result = runner.invoke(args=["users", "password", "Agent@example.com", "--password",
                                 "another long passphrase"])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output, result.output
    assert refused(laptop.get(HOME))
    assert signed_in(app, password="another long passphrase").get(HOME).status_code == 200
    result = runner.invoke(args=["users", "sign-out", "nobody@example.com"])
    assert result.exit_code == 1 and "no user with email 'nobody@example.com'" in result.output
