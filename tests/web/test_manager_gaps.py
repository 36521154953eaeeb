"""Knowledge gaps: first attempts only, top wrong answers, stale rate, one voice, API and page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.core.extensions import db
from app.models import Team
from app.queries.gaps import knowledge_gaps
from tests.conftest import publish_wifi
from tests.web.manager_support import ALL_TEAMS, SLUG, add_agent, publish_choice_items, sit

OLD_LOGIN = "a separate Wi-Fi bundle ID"


def _teams(codes):
    return list(db.session.query(Team).filter(Team.code.in_(codes)).order_by(Team.code))


def _setup(app, org):
    """wibro_care: A1 and A3 answer correctly; wired_care: A2 gives the old answers."""
    publish_choice_items(org, ALL_TEAMS)
    add_agent(app, "agent3@example.com", "wibro_care", external_id="A3")
    sit(app, "agent@example.com", SLUG, "correct")
    sit(app, "agent3@example.com", SLUG, "correct")
    sit(app, "agent2@example.com", SLUG, "old")


def _by_team(report):
    return {team.team: team for team in report.teams}


def test_gaps_per_team_and_fact_with_the_old_answer_on_top(app, org):
    _setup(app, org)
    with app.app_context():
        report = knowledge_gaps(_teams(["wibro_care", "wired_care"]), SLUG)
        assert (report.bulletin, report.version) == (SLUG, 1)
        teams = _by_team(report)
        care, wired = teams["wibro_care"], teams["wired_care"]
        assert [c.share for c in care.facts if c.answered] and all(
            c.share == 1.0 for c in care.facts if c.answered)
        login = next(c for c in wired.facts if c.fact == "f-login")
        assert (login.answered, login.correct, login.share) == (1, 0, 0.0)
        assert (login.top_wrong.text, login.top_wrong.source, login.top_wrong.share) == (
            OLD_LOGIN, "old", 1.0)
        assert wired.stale_rate is not None and wired.stale_rate > 0.5
        assert care.stale_rate == 0.0
        assert report.one_voice and report.one_voice[0].spread == 1.0
        assert {(r.best.team, r.worst.team) for r in report.one_voice} == {
            ("wibro_care", "wired_care")}


def test_only_the_first_attempt_counts(app, org):
    publish_choice_items(org, ALL_TEAMS)
    sit(app, "agent2@example.com", SLUG, "old")
    with app.app_context():
        from app.models import utcnow
        later = utcnow().replace(microsecond=0)
    from datetime import timedelta

    sit(app, "agent2@example.com", SLUG, "correct", at=later + timedelta(hours=1))  # a pass
    with app.app_context():
        wired = _by_team(knowledge_gaps(_teams(["wired_care"]), SLUG))["wired_care"]
        assert all(c.correct == 0 for c in wired.facts)  # the retake is not counted


def test_blank_answers_count_as_wrong(app, org):
    publish_wifi(org)
    sit(app, "agent@example.com", SLUG, "blank")
    with app.app_context():
        care = _by_team(knowledge_gaps(_teams(["wibro_care"]), SLUG))["wibro_care"]
        answered = [c for c in care.facts if c.answered]
        assert answered and all(c.correct == 0 and c.top_wrong is None for c in answered)


def test_api_gaps_document(app, client, org):
    _setup(app, org)
    response = client.get(f"/api/v1/reports/gaps?bulletin={SLUG}",
                          headers=org.headers("admin@example.com"))
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) >= {"bulletin", "version", "teams", "one_voice"}
    assert (body["bulletin"], body["version"]) == (SLUG, 1)
    assert [t["team"] for t in body["teams"]] == ["wibro_care", "wibro_sales", "wifi_support",
                                                  "wired_care"]
    wired = body["teams"][-1]
    assert set(wired) >= {"team", "facts", "stale_rate"}
    login = next(f for f in wired["facts"] if f["fact"] == "f-login")
    assert set(login) >= {"fact", "label", "answered", "correct", "share", "top_wrong"}
    assert login["top_wrong"] == {"text": OLD_LOGIN, "source": "old", "share": 1.0}
    voice = body["one_voice"][0]
    assert set(voice) >= {"fact", "label", "best", "worst", "spread"}
    assert (voice["best"]["team"], voice["worst"]["team"], voice["spread"]) == (
        "wibro_care", "wired_care", 1.0)
    assert voice["worst"]["low_sample"] is True  # one agent's answer
    assert response.headers["Cache-Control"] == "private, no-store"


def test_api_gaps_defaults_to_the_latest_gate_and_filters_a_team(app, client, org):
    _setup(app, org)
    headers = org.headers("trainer@example.com")
    body = client.get("/api/v1/reports/gaps?team=wired_care", headers=headers).json
    assert body["bulletin"] == SLUG and [t["team"] for t in body["teams"]] == ["wired_care"]
    missing = client.get("/api/v1/reports/gaps?bulletin=no-such-thing", headers=headers)
    assert missing.status_code == 404
    assert "no-such-thing" in missing.json["error"]["message"]
    unknown_team = client.get("/api/v1/reports/gaps?team=nope", headers=headers)
    assert unknown_team.status_code == 404 and "nope" in unknown_team.json["error"]["message"]


def test_api_gaps_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/reports/gaps"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"team", "bulletin"}


def test_gaps_page_table_one_voice_and_bar_chart(app, as_role, org):
    _setup(app, org)
    html = as_role("admin").get(f"/manager/gaps?bulletin={SLUG}&fact=f-bundle")
    assert html.status_code == 200
    page = html.get_data(as_text=True)
    assert "Stale-knowledge rate" in page and "old answer" in page
    assert f"“{OLD_LOGIN}”" in page
    assert "One voice" in page and "few answers" in page
    chart = page.split('id="fact-h"')[1].split("</section>")[0]
    assert "Separate Wi-Fi bundle needed" in chart
    root = ET.fromstring(re.search(r"<svg.*?</svg>", chart, re.DOTALL).group(0))
    assert root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}desc") is not None
    assert '<table class="fallback">' in chart and "Wired Care" in chart


def test_gaps_page_without_any_bulletin(as_role, org):
    response = as_role("manager").get("/manager/gaps")
    assert response.status_code == 200
    assert "No published bulletin targets your teams yet." in response.get_data(as_text=True)
