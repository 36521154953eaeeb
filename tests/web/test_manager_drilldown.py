"""Drill-down: team -> agents -> an agent's attempts and answers; weekly trends; filters."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from sqlalchemy import select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Assignment, BulletinVersion, Certification, Team, utcnow
from app.queries.trend import readiness_trend
from tests.web.manager_support import (
    SLUG,
    add_agent,
    future_source,
    publish_choice_items,
    read_csv,
    sit,
)

OLD_LOGIN = "a separate Wi-Fi bundle ID"


def _text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_team_page_lists_agents_with_status_per_bulletin(app, as_role, org):
    publish_choice_items(org)
    add_agent(app, "agent3@example.com", "wibro_care", external_id="A3", name="Third Agent")
    sit(app, "agent@example.com", SLUG, "old")
    manager = as_role("manager")
    html = _text(manager.get("/manager/teams/wibro_care"))
    rows = {m.group(1): m.group(0) for m in re.finditer(
        r'<tr><th scope="row"><a href="/manager/agents/(A\d)">.*?</tr>', html, re.DOTALL)}
    assert set(rows) == {"A1", "A3"}
    assert "Overdue" in rows["A1"] and "1 attempt" in rows["A1"] and "best 0%" in rows["A1"]
    assert "0 attempts" in rows["A3"]
    assert "wifi: blocked" in rows["A1"]

    sit(app, "agent@example.com", SLUG, "correct", at=utcnow() + timedelta(hours=1))
    html = _text(manager.get("/manager/teams/wibro_care"))
    row = re.search(r'agents/A1">.*?</tr>', html, re.DOTALL).group(0)
    assert "Certified" in row and "2 attempts" in row and "best 100%" in row


def test_team_page_filters_by_skill(app, as_role, org):
    publish_choice_items(org)
    add_agent(app, "wired@example.com", "wibro_care", ("wired",), "W1", name="Wired Only")
    html = _text(as_role("manager").get("/manager/teams/wibro_care?skill=wibro"))
    assert "Wired Only" not in html and "agents/A1" in html


def test_agent_page_shows_attempts_and_answers(app, as_role, org):
    publish_choice_items(org)
    sit(app, "agent@example.com", SLUG, "old")
    html = _text(as_role("manager").get("/manager/agents/A1"))
    assert "Attempts and answers" in html and "not passed" in html
    assert OLD_LOGIN in html and "old answer" in html
    assert "WiBro ID and password" in html  # the key, for the manager's coaching
    assert "wifi: blocked" in html and "Overdue" in html


def test_agent_page_filters_by_bulletin_and_dates(app, as_role, org):
    publish_choice_items(org)
    publish_choice_items(org, future_source(3))
    sit(app, "agent@example.com", SLUG, "old")
    manager = as_role("manager")
    html = _text(manager.get("/manager/agents/A1?bulletin=future-wifi"))
    assert "No attempt matches the filters." in html
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    html = _text(manager.get(f"/manager/agents/A1?from={tomorrow}"))
    assert "No attempt matches the filters." in html
    assert OLD_LOGIN in _text(manager.get(f"/manager/agents/A1?to={tomorrow}"))


def test_agent_export_has_one_row_per_answer(app, as_role, org):
    publish_choice_items(org)
    sit(app, "agent@example.com", SLUG, "old")
    rows = read_csv(as_role("manager").get("/manager/agents/A1.csv"))
    assert len(rows) == 6 and {r["bulletin"] for r in rows} == {SLUG}
    login = next(r for r in rows if r["fact"] == "f-login")
    assert (login["chosen"], login["chosen_source"], login["correct"]) == (OLD_LOGIN, "old",
                                                                          "false")


def test_trend_page_has_a_line_chart_and_its_table(app, as_role, org):
    publish_choice_items(org)
    sit(app, "agent@example.com", SLUG, "correct")
    html = _text(as_role("manager").get("/manager/trend"))
    figure = html.split('id="overall-h"')[1].split("</section>")[0]
    root = ET.fromstring(re.search(r"<svg.*?</svg>", figure, re.DOTALL).group(0))
    assert root.get("role") == "img" and "weekly readiness" in root.get("aria-label")
    assert '<table class="fallback">' in figure
    assert figure.count("<tr><th scope=\"row\">") == 8
    assert "100% <small>(1/1)</small>" in figure  # this week: certified
    rows = read_csv(as_role("manager").get("/manager/trend.csv"))
    assert {r["team"] for r in rows} == {"wibro_care", "all"} and len(rows) == 16


def test_readiness_trend_is_rebuilt_from_history(app, org):
    """Assigned 3 weeks ago, certified 10 days ago: 0 of 1 before, 1 of 1 after."""
    publish_choice_items(org)
    sit(app, "agent@example.com", SLUG, "correct")
    now = utcnow()
    with app.app_context(), unit_of_work():
        db.session.execute(update(Assignment).values(created_at=now - timedelta(weeks=3)))
        db.session.execute(update(BulletinVersion).values(published_at=now - timedelta(weeks=3)))
        db.session.execute(update(Certification).values(passed_at=now - timedelta(days=10)))
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.code == "wibro_care"))
        ends = [now - timedelta(weeks=n) for n in (4, 2, 1, 0)]
        assigned, certified = readiness_trend([team], ends)["wibro_care"]
        assert (assigned, certified) == ([0, 1, 1, 1], [0, 0, 1, 1])


def test_trend_date_range_and_bad_filters(as_role, org):
    manager = as_role("manager")
    html = _text(manager.get("/manager/trend?from=2010-08-01&to=2010-08-29"))
    figure = html.split('id="overall-h"')[1].split("</section>")[0]
    assert figure.count("<tr><th scope=\"row\">") == 5  # 4 weeks back from the 29th
    assert "Aug 29" in figure and "Aug 29, 2010" in figure  # axis day, table's week end
    bad = manager.get("/manager/trend?from=2010-13-01")
    assert "from: &#39;2010-13-01&#39; is not a date (YYYY-MM-DD)" in _text(bad, 400)
    reversed_range = manager.get("/manager/trend?from=2010-09-01&to=2010-08-01")
    assert "from: 2010-09-01 is after to: 2010-08-01" in _text(reversed_range, 400)
    too_long = manager.get("/manager/trend?from=2000-01-01&to=2010-08-01")
    assert "at most 52" in _text(too_long, 400)
    assert "unknown bulletin" in _text(manager.get("/manager/trend?bulletin=nope"), 400)
