"""Invitations and password resets end to end against a real SMTP server (aiosmtpd on
loopback): read the mail it received, follow its link with the test client, set a password,
sign in. Links are single-use, expiring and stored only as hashes; "forgot password" answers
the same for every address and mails only real accounts."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from app.core.extensions import db
from app.models import PersonLink, User, utcnow
from tests.conftest import login

LINK = re.compile(r"https?://\S+/(invitation|password/reset)/(\S+)")
NEW_PASSWORD = "a long new pass phrase"


def link_in(smtp_server, count: int = 1, to: str | None = None) -> str:
    """The path of the link in the ``count``-th mail (to ``to`` when given)."""
    messages = smtp_server.mailbox.wait_for(count)
    message = [m for m in messages if to is None or to in str(m["To"])][-1]
    match = LINK.search(smtp_server.mailbox.body(message))
    assert match, smtp_server.mailbox.body(message)
    return urlsplit(match.group(0)).path


def invite_trainer(client, email="tess@example.com", locale=""):
    assert login(client, "admin@example.com").status_code == 302
    response = client.post("/admin/people/new", data={
        "role": "trainer", "name": "Tess", "email": email, "locale": locale, "invite": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/logout")


def set_password(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def test_invitation_to_sign_in(app, org, client, smtp_server):
    invite_trainer(client)
    (message,) = smtp_server.mailbox.wait_for(1)
    assert message["To"] == "tess@example.com"
    assert message["Subject"] == "You are invited to OneVoice"
    body = smtp_server.mailbox.body(message)
    assert "Hello Tess" in body and "expires in 7 days" in body
    assert body.count("http://127.0.0.1:5000/invitation/") == 1  # ONEVOICE_BASE_URL
    path = link_in(smtp_server)
    page = client.get(path)
    assert page.status_code == 200 and "Choose your password" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert login(client, "tess@example.com", NEW_PASSWORD).status_code != 302
    done = set_password(client, path)
    assert done.status_code == 302 and done.location == "/login"
    assert login(client, "tess@example.com", NEW_PASSWORD).status_code == 302
    assert client.get("/trainer/").status_code == 200
    reuse = client.get(path)  # single use
    assert reuse.status_code == 404 and "Link not valid" in reuse.get_data(as_text=True)
    assert set_password(client, path, "another long pass phrase").status_code == 404
    assert login(app.test_client(), "tess@example.com", NEW_PASSWORD).status_code == 302


def test_only_a_hash_of_the_link_is_stored(app, org, client, smtp_server):
    invite_trainer(client)
    token = link_in(smtp_server).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PersonLink.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


def test_korean_invitation(app, org, client, smtp_server):
    invite_trainer(client, locale="ko")
    (message,) = smtp_server.mailbox.wait_for(1)
    assert message["Subject"] == "OneVoice 초대"
    body = smtp_server.mailbox.body(message)
    assert "Tess 님, 안녕하세요." in body and "7일" in body


@pytest.mark.parametrize("damage", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
    lambda t: t[:-4],                                     # cut short
    lambda t: t + "x",
])
def test_tampered_links_are_refused(app, org, client, smtp_server, damage):
    invite_trainer(client)
    path = link_in(smtp_server)
    prefix, token = path.rsplit("/", 1)
    bad = f"{prefix}/{damage(token)}"
    assert client.get(bad).status_code == 404
    assert set_password(client, bad).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(
            User.email == "tess@example.com")) is None


def test_expired_link_is_refused(app, org, client, smtp_server):
    invite_trainer(client)
    path = link_in(smtp_server)
    with app.app_context():
        db.session.execute(update(PersonLink).values(
            expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = set_password(client, path)
    assert response.status_code == 404
    assert "it has expired" in response.get_data(as_text=True)


def test_a_new_invitation_replaces_the_old_one(app, org, client, smtp_server):
    invite_trainer(client)
    first = link_in(smtp_server)
    assert login(client, "admin@example.com").status_code == 302
    with app.app_context():
        tess = db.session.scalar(select(User.id).where(User.email == "tess@example.com"))
    sent = client.post(f"/admin/people/{tess}/invitation", follow_redirects=True)
    assert "Invitation sent to tess@example.com." in sent.get_data(as_text=True)
    second = link_in(smtp_server, 2)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


@pytest.mark.parametrize(("password", "confirm", "words"), [
    ("short", "short", "New password: the password needs at least 12 characters"),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "New password again: the two passwords differ"),
    ("tess@example.com", "tess@example.com", "may not be your e-mail address"),
    ("", "", "Enter a new password."),
])
def test_weak_or_mistyped_passwords_keep_the_link(app, org, client, smtp_server, password,
                                                  confirm, words):
    invite_trainer(client)
    path = link_in(smtp_server)
    refused = set_password(client, path, password, confirm)
    assert refused.status_code == 400 and words in refused.get_data(as_text=True)
    assert set_password(client, path).status_code == 302  # the link still works once


def test_forgot_password_mails_a_reset_link(app, org, client, smtp_server):
    response = client.post("/password/forgot", data={"email": "Agent@Example.com"},
                           follow_redirects=True)
    assert "If Agent@Example.com belongs to an account" in response.get_data(as_text=True)
    (message,) = smtp_server.mailbox.wait_for(1)
    assert message["To"] == "agent@example.com"
    assert message["Subject"] == "Reset your OneVoice password"
    assert "expires in 60 minutes" in smtp_server.mailbox.body(message)
    path = link_in(smtp_server)
    assert path.startswith("/password/reset/")
    assert set_password(client, path).status_code == 302
    assert login(client, "agent@example.com").status_code != 302  # the old one is gone
    assert login(client, "agent@example.com", NEW_PASSWORD).status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_forgot_password_does_not_tell_who_has_an_account(app, org, client, smtp_server):
    def ask(email):
        answer = client.post("/password/forgot", data={"email": email})
        client.get("/password/forgot")  # the flash is read here
        return answer

    known = ask("agent@example.com")
    unknown = ask("nobody@example.com")
    smtp_server.mailbox.wait_for(1)
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    flashes = []
    for email in ("agent@example.com", "nobody@example.com"):
        client.post("/password/forgot", data={"email": email})
        flashes.append(client.get("/password/forgot").get_data(as_text=True)
                       .replace(email, "EMAIL"))
    assert flashes[0] == flashes[1]
    time.sleep(0.5)  # a mail to the unknown address would have arrived by now
    addressed = [str(m["To"]) for m in smtp_server.mailbox.messages]
    assert "nobody@example.com" not in " ".join(addressed)
    assert len(addressed) == 1  # one for agent@ (a second within a minute is not sent)
    # The mail leaves after the answer (a background thread), so the known address is not
    # slower by a mail's time; that is by design, not timed here (machines are too noisy).


def test_deactivated_people_get_no_reset_and_their_links_stop(app, org, client, smtp_server):
    client.post("/password/forgot", data={"email": "agent@example.com"})
    path = link_in(smtp_server)
    with app.app_context():
        db.session.execute(update(User).where(User.email == "agent@example.com")
                           .values(active=False))
        db.session.commit()
    assert client.get(path).status_code == 404
    client.post("/password/forgot", data={"email": "agent@example.com"})
    time.sleep(0.5)
    assert len(smtp_server.mailbox.messages) == 1


def test_invitation_without_a_mail_server_says_so(app, org, client):
    app.config["MAIL_SERVER"] = None
    assert login(client, "admin@example.com").status_code == 302
    page = client.post("/admin/people/new", data={
        "role": "trainer", "name": "Tess", "email": "tess@example.com", "locale": "",
        "invite": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "Created Tess" in page and "No invitation was sent: mail is not configured" in page


def test_forms_need_the_csrf_token(app, org, client, smtp_server):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/password/forgot", data={"email": "agent@example.com"}).status_code == 400
    time.sleep(0.3)
    assert smtp_server.mailbox.messages == []


NEW_AGENT = {"external_id": "A9", "name": "Nina", "email": "nina@example.com",
             "team": "wired_care", "skills": ["wired"], "active": True}


def test_directory_sync_invites_new_agents_who_then_sign_in(app, org, client, smtp_server):
    existing = {"external_id": "A1", "name": "Agent", "email": "agent@example.com",
                "team": "wibro_care", "skills": ["wibro", "wifi"], "active": True}
    response = client.put("/api/v1/agents?invite=true", json=[existing, NEW_AGENT],
                          headers=org.headers("admin@example.com"))
    assert response.status_code == 200, response.json
    assert response.json["created"] == 1 and response.json["invited"] == 1
    assert response.json["invitations_failed"] == []
    (message,) = smtp_server.mailbox.wait_for(1)
    assert message["To"] == "nina@example.com"  # only the new agent
    assert set_password(client, link_in(smtp_server)).status_code == 302
    assert login(client, "nina@example.com", NEW_PASSWORD).status_code == 302
    assert client.get("/agent/").status_code == 200


def test_directory_sync_without_invite_sends_nothing(app, org, client, smtp_server):
    response = client.put("/api/v1/agents", json=[NEW_AGENT],
                          headers=org.headers("admin@example.com"))
    assert response.json == {"created": 1, "updated": 0, "unchanged": 0,
                             "eligibility_changes": 1}
    time.sleep(0.3)
    assert smtp_server.mailbox.messages == []


@pytest.mark.parametrize(("query", "status", "code"), [
    ("invite=maybe", 400, "invalid_parameter"), ("invite=true", 409, "mail_not_configured")])
def test_directory_sync_invite_refusals_write_nothing(app, org, client, query, status, code):
    app.config["MAIL_SERVER"] = None
    response = client.put(f"/api/v1/agents?{query}", json=[NEW_AGENT],
                          headers=org.headers("admin@example.com"))
    assert response.status_code == status and response.json["error"]["code"] == code
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "nina@example.com")) is None


def test_directory_csv_page_and_command_invite(app, org, client, runner, smtp_server, tmp_path):
    import io

    assert login(client, "admin@example.com").status_code == 302
    csv = "external_id,name,email,team,skills\nA9,Nina,nina@example.com,wired_care,wired\n"
    page = client.post("/admin/directory", data={
        "file": (io.BytesIO(csv.encode()), "agents.csv"), "invite": "y"},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "<li>Invitations sent: 1</li>" in page
    assert smtp_server.mailbox.wait_for(1)[0]["To"] == "nina@example.com"
    path = tmp_path / "agents.csv"
    path.write_text(csv.replace("A9,Nina,nina", "A10,Noor,noor"), encoding="utf-8")
    result = runner.invoke(args=["directory", "import", str(path), "--invite"])
    assert result.exit_code == 0, result.output
    assert "created: 1" in result.output and "invited: 1" in result.output
    assert smtp_server.mailbox.wait_for(2)[1]["To"] == "noor@example.com"


def test_korean_reset_mail(app, org, client, smtp_server):
    with app.app_context():
        db.session.execute(update(User).where(User.email == "agent@example.com")
                           .values(locale="ko"))
        db.session.commit()
    client.post("/password/forgot", data={"email": "agent@example.com"})
    (message,) = smtp_server.mailbox.wait_for(1)
    assert message["Subject"] == "OneVoice 비밀번호 재설정"
    body = smtp_server.mailbox.body(message)
    assert "Agent 님, 안녕하세요." in body and "60분 후에 만료됩니다" in body
    assert set_password(client, link_in(smtp_server)).status_code == 302


def test_a_forged_host_header_does_not_change_the_link(app, org, client, smtp_server):
    app.config["ONEVOICE_BASE_URL"] = "https://onevoice.example.com/"
    client.post("/password/forgot", data={"email": "agent@example.com"},
                headers={"Host": "evil.example"})
    (message,) = smtp_server.mailbox.wait_for(1)
    body = smtp_server.mailbox.body(message)
    assert "https://onevoice.example.com/password/reset/" in body and "evil" not in body


def test_asking_again_within_a_minute_sends_no_second_mail(app, org, client, smtp_server):
    for _ in range(3):
        answer = client.post("/password/forgot", data={"email": "agent@example.com"})
        assert answer.status_code == 302
    smtp_server.mailbox.wait_for(1)
    time.sleep(0.5)
    assert len(smtp_server.mailbox.messages) == 1
    with app.app_context():
        db.session.execute(update(PersonLink).values(
            created_at=utcnow() - timedelta(minutes=2)))
        db.session.commit()
    client.post("/password/forgot", data={"email": "agent@example.com"})
    smtp_server.mailbox.wait_for(2)


def test_integration_accounts_get_no_invitation(app, org, client, smtp_server):
    assert login(client, "admin@example.com").status_code == 302
    page = client.post("/admin/people/new", data={
        "role": "integration", "name": "Genesys", "email": "genesys@example.com",
        "locale": "", "invite": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "Created Genesys" in page and "Send the invitation again" not in page
    time.sleep(0.3)
    assert smtp_server.mailbox.messages == []
