"""The agent's inbox: reminders and publication notices from the worker, read on the home page.

The service tests run on a frozen 2035 timeline (every call gets its ``at``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import User, utcnow
from app.models.engagement import Notification
from app.queries import inbox
from app.worker import run_once
from tests.conftest import login, publish_wifi
from tests.web.test_eligibility_service import (
    EFFECTIVE_GATE,
    PUBLISH,
    agent,
    bulletin,
    pass_quiz,
    publish,
)

A1, A2 = "agent@example.com", "agent2@example.com"
DAY = timedelta(days=1)


@pytest.fixture
def world(ctx, org):
    return ctx


def notices(email: str) -> dict[str, bool]:
    """kind -> read? of the agent's notices."""
    rows = db.session.execute(
        select(Notification.kind, Notification.read_at).join(User, User.id == Notification.user_id)
        .where(User.email == email)
    ).all()
    return {kind: read_at is not None for kind, read_at in rows}


def test_the_timeline_of_one_bulletin(world):
    publish(bulletin(front=""), PUBLISH)  # gated at the effective date, 17 days later
    assert inbox.generate(PUBLISH) == 2
    assert notices(A1) == notices(A2) == {"published": False}

    assert inbox.generate(EFFECTIVE_GATE - 4 * DAY) == 0  # not within three days yet
    assert inbox.generate(EFFECTIVE_GATE - 2 * DAY) == 2
    assert notices(A1) == {"published": False, "due_soon": False}

    pass_quiz(agent(A1), "roaming-fees", EFFECTIVE_GATE - DAY)
    assert inbox.generate(EFFECTIVE_GATE - DAY) == 0
    assert notices(A1) == {"published": False, "due_soon": True}  # certified: resolved

    assert inbox.generate(EFFECTIVE_GATE + timedelta(hours=1)) == 1
    assert notices(A1) == {"published": False, "due_soon": True}
    assert notices(A2) == {"published": False, "due_soon": True, "overdue": False}


def test_generation_is_idempotent(world):
    publish(bulletin(), PUBLISH)  # gate: immediate, so overdue at once
    assert inbox.generate(PUBLISH + timedelta(minutes=1)) == 4
    for later in (2, 3):
        assert inbox.generate(PUBLISH + later * timedelta(minutes=1)) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 4
    assert notices(A1) == {"published": False, "overdue": False}


def test_news_is_only_for_recent_assignments(world):
    publish(bulletin(front=""), PUBLISH)
    assert inbox.generate(PUBLISH + 8 * DAY) == 0  # assigned over a week ago: no news
    assert notices(A1) == {}


def test_inactive_agents_get_nothing(world):
    with unit_of_work():
        agent(A2).active = False
    publish(bulletin(), PUBLISH)
    inbox.generate(PUBLISH + timedelta(minutes=1))
    assert notices(A2) == {} and notices(A1) == {"published": False, "overdue": False}


def test_a_retired_requirement_resolves_its_reminders(world):
    publish(bulletin(), PUBLISH)
    inbox.generate(PUBLISH + timedelta(minutes=1))
    publish(bulletin(fee="40,000 won"), PUBLISH + DAY)  # v2 retires v1's requirements
    inbox.generate(PUBLISH + DAY + timedelta(minutes=1))
    rows = db.session.execute(
        select(Notification.kind, Notification.read_at, Notification.version_id)
        .join(User, User.id == Notification.user_id).where(User.email == A1)
        .order_by(Notification.version_id, Notification.kind)
    ).all()
    v1, v2 = sorted({r.version_id for r in rows})
    assert [(r.kind, r.version_id, r.read_at is not None) for r in rows] == [
        ("overdue", v1, True), ("published", v1, False),
        ("overdue", v2, False), ("published", v2, False)]


def test_the_worker_pass_generates_and_is_throttled(app, org):
    publish_wifi(org)  # published now; its gate (2010) is long past
    run_once(app)
    with app.app_context():
        assert notices(A1) == {"published": False, "overdue": False}
        assert inbox.worker_job(utcnow()) == 0  # within five minutes of the last pass
        db.session.execute(Notification.__table__.delete())
        db.session.commit()
        assert inbox.worker_job(utcnow() + timedelta(minutes=6)) == 2


# --- the home page -------------------------------------------------------------------------


def home(client) -> str:
    response = client.get("/agent/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def unread(html: str) -> int:
    return int(re.search(r"(\d+) unread", html).group(1))


@pytest.fixture
def notified(app, org):
    publish_wifi(org)
    with app.app_context():
        inbox.generate()


def test_home_merges_a_bulletins_notices_into_one_line(as_role, notified, app):
    """New and overdue on one bulletin read as one line led by "Overdue", not two lines."""
    client = as_role("agent")
    html = home(client)
    assert unread(html) == 2
    assert html.count('class="notice notice-') == 1
    assert 'class="notice notice-overdue"' in html and "New bulletin" not in html
    assert "WiBro 50 GB customers log into olleh Wi-Fi hotspots" in html
    lines = re.findall(r"/agent/inbox/versions/(\d+)/read", html)
    assert len(lines) == 1
    response = client.post(f"/agent/inbox/versions/{lines[0]}/read")
    assert response.status_code == 302
    after = home(client)
    assert unread(after) == 0 and "Nothing new." in after
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))
                                 .where(Notification.read_at.is_(None),
                                        Notification.user_id == User.id, User.email == A1)) == 0
    again = client.post(f"/agent/inbox/versions/{lines[0]}/read", follow_redirects=True)
    assert f"no unread notice on version {lines[0]} in your inbox" in again.get_data(as_text=True)


def test_one_notice_and_every_notice_can_still_be_marked_read(as_role, notified, app):
    client = as_role("agent")
    with app.app_context():
        ids = list(db.session.scalars(select(Notification.id).join(User)
                                      .where(User.email == A1).order_by(Notification.id)))
    assert len(ids) == 2
    assert client.post(f"/agent/inbox/{ids[0]}/read").status_code == 302
    assert unread(home(client)) == 1
    response = client.post("/agent/inbox/read", follow_redirects=True)
    assert "1 notice marked as read." in response.get_data(as_text=True)
    final = home(client)
    assert unread(final) == 0 and "Nothing new." in final


def test_another_agents_line_cannot_be_marked(notified, app, client):
    with app.app_context():
        version = db.session.scalar(select(Notification.version_id).join(User)
                                    .where(User.email == A1).limit(1))
    assert login(client, A2).status_code == 302
    response = client.post(f"/agent/inbox/versions/{version}/read", follow_redirects=True)
    assert f"no unread notice on version {version}" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id)).join(User).where(
            User.email == A1, Notification.read_at.is_(None))) == 2


def test_another_agents_notice_cannot_be_marked(notified, app, client):
    with app.app_context():
        theirs = db.session.scalar(select(Notification.id).join(User)
                                   .where(User.email == A1).limit(1))
    assert login(client, A2).status_code == 302
    response = client.post(f"/agent/inbox/{theirs}/read", headers={"Referer": "/agent/"},
                           follow_redirects=True)
    assert f"no notice {theirs} in your inbox" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Notification, theirs).read_at is None
