"""Reminders from the board: pick overdue or at-risk agents, confirm, send an inbox notice and
an e-mail (a real SMTP server) in each agent's language; scope, audit and rate limit."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Bulletin, BulletinVersion, ManagerReminder, Notification, User, utcnow
from tests.conftest import login, publish_wifi
from tests.web.manager_support import add_agent, sit


def _pick(app, email: str, slug: str = "wibro50-wifi-login") -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        version = db.session.scalar(select(BulletinVersion).join(Bulletin).where(
            Bulletin.slug == slug, BulletinVersion.status == "published"))
        return f"{user.id}:{version.id}"


def _reminders(app) -> list[tuple[str, str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ManagerReminder).order_by(ManagerReminder.id)).all()
        return [(db.session.get(User, r.user_id).email, r.version.slug, r.sent_by.email, r.mail)
                for r in rows]


def _notices(app, email: str) -> list[tuple[str, str, object]]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return [(n.kind, n.version.slug, n.read_at) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id,
                                       Notification.kind == "reminder"))]


@pytest.fixture
def korean_agent(app, org):
    add_agent(app, "minji@example.com", "wibro_care", name="김민지", external_id="K1")
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "minji@example.com")).locale = "ko"


def test_board_offers_a_checkbox_per_overdue_agent_and_select_all(as_role, org):
    publish_wifi(org)  # gated in 2010: the wibro_care agent is overdue
    html = as_role("manager").get("/manager/").get_data(as_text=True)
    section = html.split('id="risk-h"')[1].split("</section>")[0]
    assert 'action="/manager/reminders/new"' in section
    assert re.search(r'<input type="checkbox" name="pick" value="\d+:\d+"', section)
    assert 'id="pick-all"' in section and "reminders.js" in section
    assert "Remind the chosen agents" in section


def test_trainers_read_the_board_but_get_no_reminder_form(as_role, org):
    publish_wifi(org)
    html = as_role("trainer").get("/manager/").get_data(as_text=True)
    assert "Overdue" in html and 'name="pick"' not in html


def test_confirm_then_send_stores_notice_and_audit_and_mails(app, as_role, org, smtp_server,
                                                             korean_agent):
    publish_wifi(org)
    client = as_role("manager")
    picks = [_pick(app, "agent@example.com"), _pick(app, "minji@example.com")]
    page = client.get("/manager/reminders/new", query_string={"pick": picks})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 agents chosen" in html and "Send the reminder to 2 agents" in html
    assert "an e-mail, in their own language" in html
    assert _reminders(app) == []  # the confirmation writes nothing
    sent = client.post("/manager/reminders", data={"pick": picks})
    assert sent.status_code == 302 and sent.location.endswith("/manager/#risk-h")
    board = client.get("/manager/").get_data(as_text=True)
    assert "Reminders sent to 2 agents (inbox notices)." in board and "2 e-mails sent." in board
    assert _reminders(app) == [
        ("agent@example.com", "wibro50-wifi-login", "manager@example.com", "sent"),
        ("minji@example.com", "wibro50-wifi-login", "manager@example.com", "sent")]
    assert _notices(app, "agent@example.com") == [("reminder", "wibro50-wifi-login", None)]
    messages = smtp_server.mailbox.wait_for(2)
    (english,) = smtp_server.mailbox.to("agent@example.com")
    assert english["Subject"].startswith("Reminder: pass the quiz on “WiBro 50 GB customers ")
    body = smtp_server.mailbox.body(english)
    assert "Hello Agent," in body and "Manager, your manager, reminds you" in body
    assert "It was due Aug 30, 2010 00:00." in body  # the gate, in Seoul time
    assert "/agent/bulletins/wibro50-wifi-login" in body
    (korean,) = smtp_server.mailbox.to("minji@example.com")
    assert korean["Subject"].startswith("알림: “WiBro 50 GB")
    text = smtp_server.mailbox.body(korean)
    assert "김민지 님, 안녕하세요." in text and "2010. 8. 30. 00:00" in text
    assert "퀴즈" in text and "Reminder" not in text
    assert len(messages) == 2


def test_a_second_reminder_within_the_interval_is_held_with_a_clear_message(app, as_role, org):
    publish_wifi(org)
    client = as_role("manager")
    pick = _pick(app, "agent@example.com")
    client.post("/manager/reminders", data={"pick": pick})
    first = client.get("/manager/").get_data(as_text=True)
    assert "Reminder sent to 1 agent (inbox notice)." in first
    assert "E-mail is not configured: inbox notices only." in first
    page = client.get("/manager/reminders/new", query_string={"pick": pick}).get_data(
        as_text=True)
    assert "not sent: reminded recently; possible from" in page
    assert "Nobody chosen can be reminded now." in page
    client.post("/manager/reminders", data={"pick": pick})
    board = client.get("/manager/").get_data(as_text=True)
    assert "Not sent to Agent about “WiBro 50 GB" in board
    assert "reminded less than 24 hours ago; the next reminder is possible from" in board
    assert len(_reminders(app)) == 1


def test_after_the_interval_a_new_reminder_renews_the_notice(app, as_role, org):
    publish_wifi(org)
    client = as_role("manager")
    pick = _pick(app, "agent@example.com")
    client.post("/manager/reminders", data={"pick": pick})
    with app.app_context(), unit_of_work():  # the first reminder was sent 25 hours ago
        for row in db.session.scalars(select(ManagerReminder)):
            row.sent_at = utcnow() - timedelta(hours=25)
        for note in db.session.scalars(select(Notification).where(Notification.kind == "reminder")):
            note.read_at = utcnow()
    client.post("/manager/reminders", data={"pick": pick})
    assert [r[3] for r in _reminders(app)] == ["off", "off"]  # no mail server configured
    assert _notices(app, "agent@example.com") == [("reminder", "wibro50-wifi-login", None)]


def test_a_mail_server_that_is_down_keeps_the_notice_and_says_so(app, as_role, org):
    publish_wifi(org)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT_SECONDS=2)
    client = as_role("manager")
    client.post("/manager/reminders", data={"pick": _pick(app, "agent@example.com")})
    board = client.get("/manager/").get_data(as_text=True)
    assert "Reminder sent to 1 agent (inbox notice)." in board
    assert "1 e-mail could not be sent; its inbox notice was." in board
    assert [r[3] for r in _reminders(app)] == ["failed"]
    assert _notices(app, "agent@example.com") == [("reminder", "wibro50-wifi-login", None)]
    with app.app_context():
        assert "127.0.0.1:1" in db.session.scalar(select(ManagerReminder.mail_error))
    page = client.get("/manager/agents/A1").get_data(as_text=True)
    assert "could not be sent" in page.split('id="reminders-h"')[1]


def test_the_interval_is_a_setting(app, as_role, org):
    publish_wifi(org)
    app.config["ONEVOICE_REMINDER_INTERVAL_HOURS"] = 2
    client = as_role("manager")
    pick = _pick(app, "agent@example.com")
    client.post("/manager/reminders", data={"pick": pick})
    client.post("/manager/reminders", data={"pick": pick})
    assert "reminded less than 2 hours ago" in client.get("/manager/").get_data(as_text=True)


def test_a_manager_cannot_remind_an_agent_of_another_team(app, client, org):
    publish_wifi(org, source=open_to_all_teams())
    assert login(client, "manager@example.com").status_code == 302
    mine, theirs = _pick(app, "agent@example.com"), _pick(app, "agent2@example.com")
    refused = client.post("/manager/reminders", data={"pick": [mine, theirs]})
    assert refused.status_code == 403
    assert "is not an agent of your teams" in refused.get_data(as_text=True)
    assert _reminders(app) == [] and _notices(app, "agent@example.com") == []  # nothing at all
    assert client.get("/manager/reminders/new",
                      query_string={"pick": theirs}).status_code == 403


def test_an_admin_may_remind_anyone(app, as_role, org):
    publish_wifi(org, source=open_to_all_teams())
    client = as_role("admin")
    client.post("/manager/reminders", data={"pick": _pick(app, "agent2@example.com")})
    assert [(r[0], r[2]) for r in _reminders(app)] == [("agent2@example.com",
                                                        "admin@example.com")]


@pytest.mark.parametrize(("picks", "status", "message"), [
    ([], 400, "choose at least one agent to remind"),
    (["12"], 400, "pick '12' is not an agent and a bulletin from the list"),
    (["x:1"], 400, "pick 'x:1' is not an agent and a bulletin from the list"),
    (["999:999"], 404, "pick '999:999' is not an assignment of a published bulletin"),
])
def test_bad_picks_are_named_and_nothing_is_written(app, as_role, org, picks, status, message):
    publish_wifi(org)
    response = as_role("manager").post("/manager/reminders", data={"pick": picks})
    assert response.status_code == status
    assert message in unescape(response.get_data(as_text=True))
    assert _reminders(app) == []


def test_a_certified_agent_is_not_reminded(app, as_role, org):
    publish_wifi(org)
    sit(app, "agent@example.com", "wibro50-wifi-login", "correct")
    client = as_role("manager")
    client.post("/manager/reminders", data={"pick": _pick(app, "agent@example.com")})
    assert "already certified" in client.get("/manager/").get_data(as_text=True)
    assert _reminders(app) == []


def test_refusals_read_in_korean(app, client, org):
    publish_wifi(org, source=open_to_all_teams())
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "manager@example.com")).locale = "ko"
    assert login(client, "manager@example.com").status_code == 302
    refused = client.post("/manager/reminders",
                          data={"pick": _pick(app, "agent2@example.com")})
    assert refused.status_code == 403
    assert "관리하는 팀의 상담사" in refused.get_data(as_text=True)


def test_the_agent_page_lists_the_reminders_sent(app, as_role, org):
    publish_wifi(org)
    client = as_role("manager")
    client.post("/manager/reminders", data={"pick": _pick(app, "agent@example.com")})
    html = client.get("/manager/agents/A1").get_data(as_text=True)
    section = html.split('id="reminders-h"')[1].split("</section>")[0]
    assert "WiBro 50 GB" in section and "Manager" in section
    pick = _pick(app, "agent@example.com")
    assert f'href="/manager/reminders/new?pick={pick}"' in html


def open_to_all_teams() -> str:
    from tests.web.manager_support import ALL_TEAMS

    return ALL_TEAMS
