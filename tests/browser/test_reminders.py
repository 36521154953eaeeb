"""A manager reminds overdue agents from the board in a real browser: tick "All", press
"Remind the chosen agents", press "Send" (two clicks after choosing); the e-mails reach a real
SMTP server (aiosmtpd on loopback), the Korean agent's in Korean."""

from __future__ import annotations

import re

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ManagerReminder, Notification, User
from tests.conftest import publish_wifi
from tests.web.manager_support import add_agent

from .conftest import MOBILE


def _korean_agent(app) -> None:
    add_agent(app, "minji@example.com", "wibro_care", name="김민지", external_id="K1")
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == "minji@example.com")).locale = "ko"


def _remind_everyone_listed(page) -> None:
    page.goto("/manager/")
    everyone = page.locator("#pick-all")
    expect(everyone).to_be_visible()  # reminders.js shows the "All" box
    everyone.check()  # choosing
    boxes = page.locator("input[name=pick]")
    assert boxes.count() == 2 and all(boxes.nth(n).is_checked() for n in range(2))
    page.get_by_role("button", name="Remind the chosen agents").click()  # click 1
    expect(page).to_have_url(re.compile(r"/manager/reminders/new\?pick="))
    expect(page.get_by_role("heading", name="2 agents chosen")).to_be_visible()
    page.get_by_role("button", name="Send the reminder to 2 agents").click()  # click 2
    expect(page).to_have_url(re.compile(r"/manager/#risk-h$"))


def test_board_to_sent_reminder_in_two_clicks(app, org, visit, smtp_server):
    publish_wifi(org)  # gated in 2010: both wibro_care agents are overdue
    _korean_agent(app)
    manager = visit("manager@example.com")
    _remind_everyone_listed(manager.page)
    page = manager.page
    expect(page.get_by_text("Reminders sent to 2 agents (inbox notices).")).to_be_visible()
    expect(page.get_by_text("2 e-mails sent.")).to_be_visible()
    smtp_server.mailbox.wait_for(2)
    (korean,) = smtp_server.mailbox.to("minji@example.com")
    body = smtp_server.mailbox.body(korean)
    assert korean["Subject"].startswith("알림: “") and "김민지 님, 안녕하세요." in body
    assert "마감 시각: 2010. 8. 30. 00:00" in body
    (english,) = smtp_server.mailbox.to("agent@example.com")
    assert "Manager, your manager, reminds you to pass the quiz" in \
        smtp_server.mailbox.body(english)
    with app.app_context():
        assert len(db.session.scalars(select(ManagerReminder)).all()) == 2
        assert len(db.session.scalars(select(Notification).where(
            Notification.kind == "reminder")).all()) == 2
    assert manager.problems() == []


def test_the_same_reminder_again_is_held_with_the_time_it_becomes_possible(app, org, visit):
    publish_wifi(org)
    _korean_agent(app)
    manager = visit("manager@example.com", viewport=MOBILE)  # a phone works the same
    _remind_everyone_listed(manager.page)
    page = manager.page
    expect(page.get_by_text("E-mail is not configured: inbox notices only.")).to_be_visible()
    page.goto("/manager/")
    page.locator("#pick-all").check()
    page.get_by_role("button", name="Remind the chosen agents").click()
    expect(page.get_by_text("Nobody chosen can be reminded now.")).to_be_visible()
    expect(page.get_by_text(re.compile("not sent: reminded recently; possible from"))
           ).to_have_count(2)
    assert manager.problems() == []
