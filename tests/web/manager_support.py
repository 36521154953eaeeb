"""Helpers for the manager-dashboard tests: agents, quiz sittings, bulletins, SQL counting."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Item, User, utcnow
from tests.conftest import WIFI_BULLETIN

SLUG = "wibro50-wifi-login"
ALL_TEAMS = WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]",
                                  "teams: [wibro_care, wifi_support, wired_care]")
WIRED_ONLY = (WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]", "teams: [wired_care]")
              .replace("id: wibro50-wifi-login", "id: wired-wifi-login"))
SEOUL = ZoneInfo("Asia/Seoul")


def local_today() -> date:
    """Today in the organisation's (default) time zone."""
    return utcnow().astimezone(SEOUL).date()


def future_source(gate_in_days: int, slug: str = "future-wifi", teams: str = "[wibro_care]",
                  skills: str = "[wifi]") -> str:
    """The Wi-Fi bulletin as a new slug gating ``gate_in_days`` local days from today."""
    deadline = local_today() + timedelta(days=gate_in_days)
    effective = deadline + timedelta(days=2)
    return (WIFI_BULLETIN.replace("id: wibro50-wifi-login", f"id: {slug}")
            .replace("effective: 2010-09-01", f"effective: {effective.isoformat()}")
            .replace("deadline: 2010-08-30", f"deadline: {deadline.isoformat()}")
            .replace("teams: [wibro_care, wifi_support]", f"teams: {teams}")
            .replace("skills: [wibro, wifi]", f"skills: {skills}"))


def publish_choice_items(org, source: str = WIFI_BULLETIN) -> str:
    """Publish a bulletin with only its first choice item per fact approved (slot 1).

    Slot 1 always offers the old (``was:``) value when the fact has one, so a test knows
    which item an agent draws and which wrong options it offers.
    """
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
        if item["id"].endswith("-1"):
            client.put(f"/api/v1/bulletins/{slug}/items/{item['id']}",
                       json={"status": "approved"}, headers=headers)
    published = client.post(f"/api/v1/bulletins/{slug}/publish", json={"change": "material"},
                            headers=headers)
    assert published.status_code == 200, published.json
    return slug


def add_agent(app, email: str, team: str, skills=("wibro", "wifi"), external_id=None,
              name: str | None = None) -> None:
    """Create an agent (assignments and eligibility follow, as in production)."""
    from app.services.accounts.accounts import create_user

    with app.app_context(), unit_of_work():
        create_user(email=email, name=name or email.split("@")[0].title(), role="agent",
                    teams=[team], skills=list(skills), password="pw-for-tests",
                    external_id=external_id)


def _choice(item: Item, how: str) -> int | None:
    if how == "correct":
        return next(o.id for o in item.options if o.correct)
    if how == "blank":
        return None
    wrong = [o for o in item.options if not o.correct]
    stale = [o for o in wrong if o.source == "old"]
    return (stale or wrong)[0].id if how == "old" else wrong[-1].id


def sit(app, email: str, slug: str, how: str = "correct", at: datetime | None = None) -> dict:
    """Sit one attempt as the agent through the real service: every answer ``how``.

    ``how``: correct | old (the old value where offered) | blank | wrong (another wrong one).
    """
    from app.services.certification import attempts

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        attempt = attempts.start(user, slug, at=at)
        for entry in attempt.items:
            item = db.session.get(Item, entry.item_id)
            option = _choice(item, how)
            if option is not None:
                attempts.save_answer(user, attempt.id, item.id, option, at=at)
        return attempts.submit(user, attempt.id, at=at)


@contextmanager
def counting_statements(app):
    """Count the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def read_csv(response) -> list[dict]:
    """The rows of a CSV download (its UTF-8 BOM removed)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))
