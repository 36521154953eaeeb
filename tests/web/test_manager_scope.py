"""A manager sees only their own teams: asked for another team by every parameter, nothing leaks.

manager@example.com manages wibro_care (agent A1). The other team's data here belongs to
wired_care (agent A2, "Agent2"), which has answers on a bulletin that targets it alone.
"""

from __future__ import annotations

import pytest

from tests.web.manager_support import WIRED_ONLY, publish_choice_items, read_csv, sit

OTHER_SLUG = "wired-wifi-login"
LEAKS = ("wired_care", "Wired Care", "Agent2", "agents/A2", ">A2<", '"A2"', "'A2'")


@pytest.fixture
def other_team_data(app, org):
    """A bulletin for wired_care only, answered (badly) by its agent A2."""
    publish_choice_items(org, WIRED_ONLY)
    sit(app, "agent2@example.com", OTHER_SLUG, "old")
    return org


def _assert_no_leak(text: str) -> None:
    found = [word for word in LEAKS if word in text]
    assert found == [], f"another team's data leaked: {found}"


FOREIGN_TEAM_PAGES = [
    "/manager/?team=wired_care", "/manager/readiness.csv?team=wired_care",
    "/manager/at-risk.csv?team=wired_care", "/manager/staffing.csv?team=wired_care",
    "/manager/gaps?team=wired_care", "/manager/gaps.csv?team=wired_care",
    "/manager/trend?team=wired_care", "/manager/trend.csv?team=wired_care",
    "/manager/teams/wired_care", "/manager/teams/wired_care.csv",
]


@pytest.mark.parametrize("url", FOREIGN_TEAM_PAGES)
def test_another_team_by_parameter_or_path_is_forbidden(other_team_data, as_role, url):
    response = as_role("manager").get(url)
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "team &#39;wired_care&#39; is not one of your teams" in text
    assert "Wired Care" not in text and "Agent2" not in text


@pytest.mark.parametrize("url", ["/manager/agents/A2", "/manager/agents/A2.csv",
                                 "/manager/agents/2", "/manager/agents/2.csv"])
def test_an_agent_of_another_team_is_not_found(other_team_data, as_role, url):
    response = as_role("manager").get(url)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "in your teams" in text and "Agent2" not in text


def test_own_agent_and_team_are_visible(other_team_data, as_role):
    manager = as_role("manager")
    assert manager.get("/manager/agents/A1").status_code == 200
    assert manager.get("/manager/teams/wibro_care").status_code == 200


@pytest.mark.parametrize("url", [
    f"/manager/?bulletin={OTHER_SLUG}", f"/manager/gaps?bulletin={OTHER_SLUG}",
    f"/manager/trend?bulletin={OTHER_SLUG}", f"/manager/teams/wibro_care?bulletin={OTHER_SLUG}",
    "/manager/", "/manager/gaps", "/manager/trend",
])
def test_a_bulletin_with_another_teams_data_shows_only_own_teams(other_team_data, as_role,
                                                                   url):
    response = as_role("manager").get(url)
    assert response.status_code == 200
    _assert_no_leak(response.get_data(as_text=True))


@pytest.mark.parametrize("url", [
    f"/manager/readiness.csv?bulletin={OTHER_SLUG}", f"/manager/gaps.csv?bulletin={OTHER_SLUG}",
    f"/manager/trend.csv?bulletin={OTHER_SLUG}", "/manager/at-risk.csv",
    "/manager/staffing.csv", "/manager/readiness.csv", "/manager/teams/wibro_care.csv",
])
def test_exports_hold_only_own_teams(other_team_data, as_role, url):
    rows = read_csv(as_role("manager").get(url))
    _assert_no_leak(repr(rows))
    teams = {row["team"] for row in rows if "team" in row}
    assert teams <= {"wibro_care", "all"}


def test_gaps_export_of_another_teams_bulletin_has_no_answers(other_team_data, as_role):
    rows = read_csv(as_role("manager").get(f"/manager/gaps.csv?bulletin={OTHER_SLUG}"))
    assert rows and {r["team"] for r in rows} == {"wibro_care"}
    assert {r["answered"] for r in rows} == {"0"}


def test_api_reports_refuse_another_team(other_team_data, client):
    headers = other_team_data.headers("manager@example.com")
    for path in ("/api/v1/reports/gaps?team=wired_care",
                 "/api/v1/reports/readiness?team=wired_care"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403
        error = response.json["error"]
        assert error["code"] == "forbidden" and "not one of your teams" in error["message"]
        assert error["details"] == {"field": "team"}


def test_api_gaps_of_another_teams_bulletin_holds_only_own_team(other_team_data, client):
    headers = other_team_data.headers("manager@example.com")
    body = client.get(f"/api/v1/reports/gaps?bulletin={OTHER_SLUG}", headers=headers).json
    assert [t["team"] for t in body["teams"]] == ["wibro_care"]
    assert all(f["answered"] == 0 for f in body["teams"][0]["facts"])
    assert body["one_voice"] == []
    _assert_no_leak(repr(body))


def test_admin_sees_the_other_team(other_team_data, client, as_role):
    admin = as_role("admin")
    assert "Agent2" in admin.get("/manager/agents/A2").get_data(as_text=True)
    body = client.get(f"/api/v1/reports/gaps?bulletin={OTHER_SLUG}",
                      headers=other_team_data.headers("admin@example.com")).json
    wired = next(t for t in body["teams"] if t["team"] == "wired_care")
    assert sum(f["answered"] for f in wired["facts"]) > 0


def test_reports_are_never_cached_for_others(other_team_data, as_role, client):
    manager = as_role("manager")
    for url in ("/manager/", "/manager/gaps", "/manager/gaps.csv", "/manager/teams/wibro_care"):
        assert manager.get(url).headers["Cache-Control"] == "private, no-store", url
    api = client.get("/api/v1/reports/readiness",
                     headers=other_team_data.headers("manager@example.com"))
    assert api.headers["Cache-Control"] == "private, no-store"
