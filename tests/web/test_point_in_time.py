"""What was in force for a call type on a day: the page and GET /api/v1/bulletins/in-force."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.database import unit_of_work
from app.services.content import bulletins
from tests.conftest import WIFI_BULLETIN, new_login

SLUG = "wibro50-wifi-login"
# Version 2: published 20 September 2010, in force from 1 October (Seoul), a new login.
V2 = new_login(WIFI_BULLETIN.replace("effective: 2010-09-01", "effective: 2010-10-01")
               .replace("deadline: 2010-08-30", "deadline: 2010-10-01"),
               "WiBro ID and a one-time code")


def _publish_at(org, source: str, at: datetime) -> None:
    """Draft and approve through the API, then publish with the clock at ``at``."""
    client = org.app.test_client()
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": source}, headers=headers)
    if created.status_code == 409:  # the bulletin exists: this is its next version
        created = client.post(f"/api/v1/bulletins/{created.json['error']['details']['id']}"
                              "/versions", json={"source": source}, headers=headers)
    assert created.status_code == 201, created.json
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{created.json['id']}/items/{item['id']}",
                   json={"status": "approved"}, headers=headers)
    with org.app.app_context(), unit_of_work():
        bulletins.publish(bulletins.latest_version(created.json["id"]), "material", at=at)


@pytest.fixture
def history(org):
    """v1 published on 1 August 2010 (gate 30 August), v2 on 20 September (gate 1 October)."""
    _publish_at(org, WIFI_BULLETIN, datetime(2010, 8, 1, 3, tzinfo=UTC))
    _publish_at(org, V2, datetime(2010, 9, 20, 3, tzinfo=UTC))
    return org


def _in_force(client, org, skill, day, role="router"):
    return client.get("/api/v1/bulletins/in-force", query_string={"skill": skill, "date": day},
                      headers=org.headers(f"{role}@example.com"))


def _listed(response) -> list[tuple]:
    assert response.status_code == 200, response.json
    return [(b["bulletin"], b["version"], b["status"]) for b in response.json["bulletins"]]


@pytest.mark.parametrize(("day", "expected"), [
    ("2010-07-31", []),  # nothing published yet
    ("2010-08-29", []),  # published, not gated, not effective
    ("2010-08-30", [(SLUG, 1, "scheduled")]),  # the deadline: agents had to pass from today
    ("2010-09-01", [(SLUG, 1, "in_force")]),
    ("2010-09-19", [(SLUG, 1, "in_force")]),  # v2 not published yet
    ("2010-09-25", [(SLUG, 1, "in_force")]),  # v2 published, gated 1 October
    ("2010-10-01", [(SLUG, 2, "in_force")]),
    ("2026-01-01", [(SLUG, 2, "in_force")]),
])
def test_what_was_in_force_on_a_day(client, history, day, expected):
    assert _listed(_in_force(client, history, "wifi", day)) == expected


def test_facts_are_what_agents_were_told_then(client, history):
    before = _in_force(client, history, "wibro", "2010-09-25").json
    assert before["skill"] == "wibro" and before["date"] == "2010-09-25"
    assert before["as_of"].startswith("2010-09-25T14:59:59")  # end of the day in Seoul, UTC
    (version,) = before["bulletins"]
    login = next(f for f in version["facts"] if f["id"] == "f-login")
    assert login == {"id": "f-login", "label": "Wi-Fi login credential",
                     "value": "WiBro ID and password", "was": "a separate Wi-Fi bundle ID",
                     "critical": True}
    assert version["effective"] == "2010-09-01" and version["teams"] == ["wibro_care",
                                                                         "wifi_support"]
    assert version["gate_at"].startswith("2010-08-29T15:00:00")
    after = _in_force(client, history, "wibro", "2010-10-02").json["bulletins"][0]
    assert next(f for f in after["facts"] if f["id"] == "f-login")["value"] == \
        "WiBro ID and a one-time code"


def test_other_skills_see_nothing(client, history):
    assert _listed(_in_force(client, history, "wired", "2010-10-02")) == []


@pytest.mark.parametrize(("params", "code", "field", "words"), [
    ({"date": "2010-09-01"}, "missing_field", "skill", "'skill' is required"),
    ({"skill": "telepathy", "date": "2010-09-01"}, "invalid", "skill",
     "unknown call type 'telepathy': choose one of"),
    ({"skill": "wifi"}, "missing_field", "date", "'date' is required"),
    ({"skill": "wifi", "date": "2010-13-01"}, "invalid", "date", "not '2010-13-01'"),
    ({"skill": "wifi", "date": "yesterday"}, "invalid", "date", "YYYY-MM-DD"),
])
def test_bad_parameters_are_named(client, org, params, code, field, words):
    response = client.get("/api/v1/bulletins/in-force", query_string=params,
                          headers=org.headers("trainer@example.com"))
    assert response.status_code == 400
    error = response.json["error"]
    assert (error["code"], error["details"]) == (code, {"field": field})
    assert words in error["message"]


@pytest.mark.parametrize("role", ["trainer", "manager", "admin", "router", "agent"])
def test_every_reader_role_may_ask(client, history, role):
    assert _listed(_in_force(client, history, "wifi", "2010-09-02", role=role)) == [
        (SLUG, 1, "in_force")]


def test_the_route_does_not_shadow_bulletins_named_by_slug(client, history):
    response = client.get(f"/api/v1/bulletins/{SLUG}", headers=history.headers(
        "trainer@example.com"))
    assert response.status_code == 200 and response.json["id"] == SLUG


# --- the page ------------------------------------------------------------------------------


def test_page_lists_versions_and_facts(as_role, history):
    client = as_role("manager")
    blank = client.get("/bulletins/in-force")
    assert blank.status_code == 200 and 'name="skill"' in blank.get_data(as_text=True)
    html = client.get("/bulletins/in-force?skill=wifi&date=2010-09-25").get_data(as_text=True)
    assert "In force for wifi on Sep 25, 2010" in html
    assert "WiBro ID and password" in html and "one-time code" not in html
    assert '<span class="life life-in-force">In force</span>' in html
    assert '<option value="wifi" selected>' in html


@pytest.mark.parametrize(("role", "link"), [
    ("trainer", f'href="/trainer/bulletins/{SLUG}/versions/1"'),
    ("agent", f'href="/agent/bulletins/{SLUG}"'),
])
def test_page_links_where_the_role_may_go(as_role, history, role, link):
    html = as_role(role).get("/bulletins/in-force?skill=wifi&date=2010-09-25").get_data(
        as_text=True)
    assert link in html


def test_page_names_what_is_wrong(as_role, org):
    response = as_role("agent").get("/bulletins/in-force?skill=wifi&date=2010-02-30")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "&#39;date&#39; must be a day as YYYY-MM-DD, not &#39;2010-02-30&#39;" in html
    assert 'id="pit-date" name="date" value="2010-02-30" aria-invalid="true"' in html
