"""Read receipts by name: who acknowledged each bulletin version and who not yet, per team.

manager@example.com manages wibro_care (agent A1 "Agent"); wired_care's agent is A2 "Agent2".
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Assignment, BulletinVersion, User
from tests.conftest import login, publish_wifi
from tests.web.manager_support import (
    ALL_TEAMS,
    WIRED_ONLY,
    add_agent,
    counting_statements,
    read_csv,
)

SLUG = "wibro50-wifi-login"
OTHER_SLUG = "wired-wifi-login"
LEAKS = ("wired_care", "Wired Care", "Agent2", "agents/A2", ">A2<", '"A2"', "'A2'")


@pytest.fixture
def receipts_org(app, org):
    """The Wi-Fi bulletin for every team, plus Carol (A3, wibro_care) and Dana (A4,
    wifi_support)."""
    add_agent(app, "carol@example.com", "wibro_care", external_id="A3", name="Carol")
    add_agent(app, "dana@example.com", "wifi_support", external_id="A4", name="Dana")
    publish_wifi(org, ALL_TEAMS)
    return org


def acknowledge(app, email: str, version: int | None = None):
    """Press "I have read version N" as the agent, through the real form."""
    client = app.test_client()
    assert login(client, email).status_code == 302
    data = {} if version is None else {"version": str(version)}
    response = client.post(f"/agent/bulletins/{SLUG}/acknowledge", data=data)
    assert response.status_code == 302
    return client


def api(org, email: str, query: str = "", slug: str = SLUG):
    """GET the receipts API as ``email``."""
    return org.app.test_client().get(f"/api/v1/bulletins/{slug}/receipts{query}",
                                     headers=org.headers(email))


def names(body: dict, team: str, which: str) -> list[str]:
    """The agent refs in one team's ``acknowledged`` or ``not_acknowledged`` list."""
    found = next(t for t in body["teams"] if t["team"] == team)
    return [r["agent"] for r in found[which]]


def acknowledged_at(app, ref: str, number: int):
    with app.app_context():
        return db.session.scalar(
            select(Assignment.acknowledged_at).join(User, User.id == Assignment.user_id)
            .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
            .where(User.external_id == ref, BulletinVersion.number == number))


def publish_v2(org, change: str = "material") -> None:
    """Publish a second version of the Wi-Fi bulletin (new wording)."""
    publish_wifi(org, ALL_TEAMS.replace("title: ", "title: (v2) ", 1), change=change)


# --- who has and has not ---------------------------------------------------------------------


def test_api_lists_names_per_team_split_by_acknowledged(receipts_org, app):
    acknowledge(app, "agent@example.com")
    body = api(receipts_org, "trainer@example.com").json
    assert body["bulletin"] == SLUG and body["version"] == 1 and body["status"] == "published"
    assert [t["team"] for t in body["teams"]] == ["wibro_care", "wifi_support", "wired_care"]
    assert names(body, "wibro_care", "acknowledged") == ["A1"]
    assert names(body, "wibro_care", "not_acknowledged") == ["A3"]
    assert names(body, "wifi_support", "acknowledged") == []
    assert names(body, "wifi_support", "not_acknowledged") == ["A4"]
    assert names(body, "wired_care", "not_acknowledged") == ["A2"]
    wibro = body["teams"][0]
    assert wibro["assigned"] == 2 and wibro["acknowledged"][0]["name"] == "Agent"
    assert wibro["acknowledged"][0]["acknowledged_at"] == acknowledged_at(app, "A1", 1).isoformat()
    assert wibro["not_acknowledged"][0] == {"agent": "A3", "name": "Carol",
                                            "due_at": wibro["not_acknowledged"][0]["due_at"]}


def _section(page: str, team_name: str) -> tuple[str, str]:
    """A team's section of the page: (acknowledged part, not-yet part)."""
    match = re.search(rf'<h2 id="team-\w+-h">{team_name} .*?</section>', page, re.DOTALL)
    assert match, f"no section for {team_name}"
    read, _, unread = match.group(0).partition("Not yet acknowledged")
    return read, unread


def test_page_shows_names_and_local_times(receipts_org, app, as_role):
    acknowledge(app, "agent@example.com")
    page = as_role("trainer").get(f"/manager/bulletins/{SLUG}/receipts?version=1")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    read, unread = _section(text, "Wibro Care")
    with app.test_request_context():  # shown through |local, in the organisation's zone
        local = app.jinja_env.filters["local"](acknowledged_at(app, "A1", 1), "%Y-%m-%d %H:%M")
    assert ">Agent</a>" in read and local and local in read
    assert "Carol" in unread and "Carol" not in read and ">Agent</a>" not in unread
    assert "1 of 2 acknowledged" in text
    read, unread = _section(text, "Wired Care")
    assert "Agent2" in unread and "Nobody in this team has acknowledged" in read


def test_inactive_agents_are_not_listed_or_counted(receipts_org, app, as_role):
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.external_id == "A3")).active = False
    body = api(receipts_org, "admin@example.com", "?team=wibro_care").json
    assert names(body, "wibro_care", "not_acknowledged") == ["A1"]
    page = as_role("trainer").get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "0/1" in page  # the counts match the names


def test_trainer_bulletin_page_links_to_the_names(receipts_org, app, as_role):
    acknowledge(app, "agent@example.com")
    page = as_role("trainer").get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert f"/manager/bulletins/{SLUG}/receipts?version=1&amp;team=wibro_care" in page
    assert f'href="/manager/bulletins/{SLUG}/receipts?version=1"' in page
    assert "1/2" in page  # counts per team stay on the bulletin page


def test_manager_board_and_team_page_link_to_receipts(receipts_org, as_role):
    manager = as_role("manager")
    board = manager.get("/manager/").get_data(as_text=True)
    assert f"/manager/bulletins/{SLUG}/receipts?version=1" in board
    team = manager.get("/manager/teams/wibro_care").get_data(as_text=True)
    assert f"/manager/bulletins/{SLUG}/receipts?version=1&amp;team=wibro_care" in team


# --- per version ------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["material", "minor"])
def test_a_receipt_counts_for_its_own_version_only(receipts_org, app, change):
    acknowledge(app, "agent@example.com", version=1)
    publish_v2(receipts_org, change)
    latest = api(receipts_org, "trainer@example.com").json
    assert latest["version"] == 2
    assert names(latest, "wibro_care", "acknowledged") == []
    assert names(latest, "wibro_care", "not_acknowledged") == ["A1", "A3"]
    first = api(receipts_org, "trainer@example.com", "?version=1").json
    assert names(first, "wibro_care", "acknowledged") == ["A1"]
    before = acknowledged_at(app, "A1", 1)
    acknowledge(app, "agent@example.com", version=2)
    latest = api(receipts_org, "trainer@example.com", "?version=2").json
    assert names(latest, "wibro_care", "acknowledged") == ["A1"]
    assert acknowledged_at(app, "A1", 1) == before  # version 1's receipt is untouched


def test_a_stale_page_does_not_acknowledge_the_newer_version(receipts_org, app):
    publish_v2(receipts_org)
    client = acknowledge(app, "agent@example.com", version=1)  # the form read before v2
    assert acknowledged_at(app, "A1", 2) is None and acknowledged_at(app, "A1", 1) is None
    page = client.get(f"/agent/bulletins/{SLUG}").get_data(as_text=True)
    assert "Version 2 was published since you opened this page" in page


def test_trainer_page_of_a_draft_shows_the_published_versions_receipts(receipts_org, app,
                                                                       as_role):
    acknowledge(app, "agent@example.com")
    client = app.test_client()
    created = client.post(f"/api/v1/bulletins/{SLUG}/versions", headers=receipts_org.headers(
        "trainer@example.com"), json={"source": ALL_TEAMS.replace("title: ", "title: D ", 1)})
    assert created.status_code == 201 and created.json["version"] == 2
    page = as_role("trainer").get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "1/2" in page and "receipts?version=1" in page


# --- scope ------------------------------------------------------------------------------------


@pytest.fixture
def other_team(receipts_org):
    """A bulletin for wired_care alone, next to the all-teams one."""
    publish_wifi(receipts_org, WIRED_ONLY)
    return receipts_org


FOREIGN = ["?team=wired_care", "?version=1&team=wired_care", "?team=no_such_team"]


@pytest.mark.parametrize("query", FOREIGN)
@pytest.mark.parametrize("path", [f"/manager/bulletins/{SLUG}/receipts",
                                  f"/manager/bulletins/{SLUG}/receipts.csv",
                                  f"/manager/bulletins/{OTHER_SLUG}/receipts"])
def test_manager_asking_for_another_team_is_forbidden(other_team, as_role, path, query):
    response = as_role("manager").get(path + query)
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "is not one of your teams" in text and "Agent2" not in text


@pytest.mark.parametrize("query", FOREIGN)
@pytest.mark.parametrize("slug", [SLUG, OTHER_SLUG])
def test_api_manager_asking_for_another_team_is_forbidden(other_team, slug, query):
    response = api(other_team, "manager@example.com", query, slug=slug)
    assert response.status_code == 403
    error = response.json["error"]
    assert error["code"] == "forbidden" and error["details"] == {"field": "team"}
    assert "Agent2" not in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?version=1", "?team=wibro_care"])
def test_manager_sees_only_own_team_of_a_shared_bulletin(other_team, as_role, query):
    body = api(other_team, "manager@example.com", query).json
    assert [t["team"] for t in body["teams"]] == ["wibro_care"]
    assert names(body, "wibro_care", "not_acknowledged") == ["A1", "A3"]
    page = as_role("manager").get(f"/manager/bulletins/{SLUG}/receipts{query}")
    rows = read_csv(as_role("manager").get(f"/manager/bulletins/{SLUG}/receipts.csv{query}"))
    assert {r["team"] for r in rows} == {"wibro_care"} and len(rows) == 2
    for text in (page.get_data(as_text=True), repr(rows), repr(body)):
        assert not [word for word in LEAKS if word in text]


@pytest.mark.parametrize("query", ["", "?version=1"])
def test_manager_sees_nothing_of_another_teams_bulletin(other_team, as_role, query):
    body = api(other_team, "manager@example.com", query, slug=OTHER_SLUG).json
    assert body["teams"] == []
    page = as_role("manager").get(f"/manager/bulletins/{OTHER_SLUG}/receipts{query}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "No active agent of your teams" in text
    assert not [word for word in LEAKS if word in text]
    assert read_csv(as_role("manager").get(
        f"/manager/bulletins/{OTHER_SLUG}/receipts.csv{query}")) == []


def test_trainer_and_admin_see_every_team(other_team):
    for email in ("trainer@example.com", "admin@example.com"):
        body = api(other_team, email, slug=OTHER_SLUG).json
        assert [t["team"] for t in body["teams"]] == ["wired_care"]
        assert names(body, "wired_care", "not_acknowledged") == ["A2"]


@pytest.mark.parametrize("query,status,words", [
    ("?version=abc", 400, "version must be a version number"),
    ("?version=0", 400, "version must be a version number"),
    ("?version=9", 404, "has no version 9"),
    ("?team=no_such_team", 404, "no team 'no_such_team'"),
])
def test_bad_parameters_are_named(receipts_org, query, status, words):
    response = api(receipts_org, "trainer@example.com", query)
    assert response.status_code == status
    assert words in response.json["error"]["message"]


def test_unknown_bulletin_is_not_found(receipts_org, as_role):
    assert api(receipts_org, "trainer@example.com", slug="no-such").status_code == 404
    assert as_role("trainer").get("/manager/bulletins/no-such/receipts").status_code == 404


# --- CSV and queries --------------------------------------------------------------------------


def test_csv_lists_every_agent_and_neutralises_formulas(receipts_org, app, as_role):
    add_agent(app, "evil@example.com", "wibro_care", external_id="A5",
              name='=HYPERLINK("http://evil.example","click")')
    acknowledge(app, "agent@example.com")
    rows = read_csv(as_role("trainer").get(f"/manager/bulletins/{SLUG}/receipts.csv?version=1"))
    by_agent = {r["agent"]: r for r in rows}
    assert set(by_agent) == {"A1", "A2", "A3", "A4", "A5"}
    assert by_agent["A1"]["state"] == "acknowledged" and by_agent["A1"]["acknowledged_at"]
    assert by_agent["A3"]["state"] == "not acknowledged" and by_agent["A3"]["acknowledged_at"] == ""
    assert by_agent["A5"]["name"] == '\'=HYPERLINK("http://evil.example","click")'


def test_page_runs_a_fixed_number_of_queries(receipts_org, app, as_role):
    client = as_role("trainer")
    url = f"/manager/bulletins/{SLUG}/receipts?version=1"
    with counting_statements(app) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        add_agent(app, f"extra{n}@example.com", ("wibro_care", "wired_care")[n % 2],
                  external_id=f"X{n}")
    with counting_statements(app) as many:
        page = client.get(url)
    assert page.status_code == 200 and "X5" in page.get_data(as_text=True)
    assert len(many) == len(few)


def test_openapi_describes_the_receipts_route(client):
    described = client.get("/api/v1/openapi.json").json["paths"]["/bulletins/{slug}/receipts"]
    names_ = {p["name"] for p in described["get"]["parameters"]}
    assert names_ == {"slug", "version", "team"}
