"""A manager's unlock (rule 7): over the API and on the agent support page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import Assignment, User
from tests.web.test_attempts import (
    AGENT,
    AGENT2,
    SLUG,
    answer_all,
    bulletin,
    publish_source,
    start,
    submit,
)

URL = "/api/v1/agents/{}/unlock"


@pytest.fixture
def fees(org):
    return publish_source(org, bulletin())


def fail(org, client, headers) -> None:
    attempt = start(client, headers)
    assert attempt.status_code == 201, attempt.json
    answer_all(org, client, headers, attempt.json, right=False)
    assert submit(client, headers, attempt.json["id"]).json["passed"] is False


def use_up_the_day(org, client, headers) -> None:
    org.app.config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"] = 0
    for _ in range(3):
        fail(org, client, headers)
    # Checked with no cooldown: in the last 10 minutes before local midnight a 10-minute
    # cooldown would end later than the cap and be the reason reported.
    refused = start(client, headers)
    assert refused.status_code == 429 and refused.json["error"]["details"]["reason"] == "daily_cap"
    org.app.config["ONEVOICE_RETAKE_COOLDOWN_MINUTES"] = 10


def unlocked_at(org, email: str):
    with org.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        return db.session.scalar(select(Assignment.unlocked_at)
                                 .where(Assignment.user_id == user_id))


def test_manager_unlocks_an_agent_of_their_team(client, org, fees):
    agent = org.headers(AGENT)
    use_up_the_day(org, client, agent)
    response = client.post(URL.format("A1"), json={"bulletin": SLUG},
                           headers=org.headers("manager@example.com"))
    assert response.status_code == 200, response.json
    assert response.json["agent"] == "A1" and response.json["bulletin"] == SLUG
    assert response.json["version"] == 1
    assert response.json["unlocked_at"] == unlocked_at(org, AGENT).isoformat()
    assert start(client, agent).status_code == 201


def test_unlock_lifts_the_cooldown_too(client, org, fees):
    agent = org.headers(AGENT)
    fail(org, client, agent)
    assert start(client, agent).json["error"]["details"]["reason"] == "cooldown"
    admin = org.headers("admin@example.com")
    assert client.post(URL.format("A1"), json={"bulletin": SLUG}, headers=admin
                       ).status_code == 200
    assert start(client, agent).status_code == 201


def test_a_manager_cannot_unlock_another_teams_agent(client, org, fees):
    use_up_the_day(org, client, org.headers(AGENT2))
    refused = client.post(URL.format("A2"), json={"bulletin": SLUG},
                          headers=org.headers("manager@example.com"))
    assert refused.status_code == 404
    assert refused.json["error"]["message"] == "no agent with external_id 'A2'"
    assert unlocked_at(org, AGENT2) is None
    admin = client.post(URL.format("A2"), json={"bulletin": SLUG},
                        headers=org.headers("admin@example.com"))
    assert admin.status_code == 200 and unlocked_at(org, AGENT2) is not None


@pytest.mark.parametrize("role", ["agent@example.com", "router@example.com",
                                  "trainer@example.com"])
def test_other_roles_may_not_unlock(client, org, fees, role):
    refused = client.post(URL.format("A1"), json={"bulletin": SLUG}, headers=org.headers(role))
    assert refused.status_code == 403
    assert unlocked_at(org, AGENT) is None


@pytest.mark.parametrize(("body", "status", "code", "words"), [
    ({}, 400, "missing_field", "'bulletin' is required"),
    ({"bulletin": 7}, 400, "invalid_field", "'bulletin' must be a string"),
    ({"bulletin": "no-such-bulletin"}, 404, "not_found", "no published version 'no-such"),
])
def test_bad_unlock_requests_name_the_fault(client, org, fees, body, status, code, words):
    response = client.post(URL.format("A1"), json=body, headers=org.headers("admin@example.com"))
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert words in response.json["error"]["message"]
    assert unlocked_at(org, AGENT) is None


def test_unlock_needs_an_assignment(client, org, fees):
    publish_source(org, bulletin("billing-only", skills="[billing]"))
    response = client.post(URL.format("A1"), json={"bulletin": "billing-only"},
                           headers=org.headers("admin@example.com"))
    assert response.status_code == 404
    assert response.json["error"]["message"] == \
        "agent 'A1' has no assignment on version 1 of 'billing-only'"


def test_unknown_agent_is_not_found(client, org, fees):
    response = client.post(URL.format("NOPE"), json={"bulletin": SLUG},
                           headers=org.headers("admin@example.com"))
    assert response.status_code == 404


# --- the agent page (readiness, answers, unlock); the support page's address redirects -----


def page(client, external_id: str = "A1") -> str:
    response = client.get(f"/manager/agents/{external_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_old_support_address_redirects_to_the_one_agent_page(client, org, fees, as_role):
    response = as_role("manager").get("/support/agents/A1")
    assert response.status_code == 301 and response.location == "/manager/agents/A1"


def test_trainers_see_the_agent_page_without_unlock_buttons(client, org, fees, as_role):
    use_up_the_day(org, client, org.headers(AGENT))
    html = unescape(page(as_role("trainer")))
    assert "Today's attempts are used up." in html and ">Unlock<" not in html


def test_support_page_offers_unlock_when_a_limit_is_in_force(client, org, fees, as_role):
    use_up_the_day(org, client, org.headers(AGENT))
    manager = as_role("manager")
    html = page(manager)
    for section in ("elig-h", "assign-h", "reminders-h", "attempts-h"):  # one page, sections
        assert f'id="{section}"' in html
    assert "Today&#39;s attempts are used up." in html or "Today's attempts are used up." in html
    assert re.search(r"Otherwise the agent can try again at [A-Z][a-z]{2} \d{1,2}, \d{4} 00:00 "
                     r"\(Asia/Seoul\)", html)
    assert html.count(">Unlock<") == 1
    assert html.count("0%") >= 3  # every attempt with its score
    response = manager.post("/support/agents/A1/unlock", data={"bulletin": SLUG})
    assert response.status_code == 302
    assert response.location == "/manager/agents/A1#assign-h"
    after = manager.get(response.location).get_data(as_text=True)
    assert "Unlocked: the agent may take the quiz" in after
    assert ">Unlock<" not in after and "May take the quiz now." in after
    assert start(client, org.headers(AGENT)).status_code == 201


def test_support_page_without_limits_has_no_unlock(client, org, fees, as_role):
    html = page(as_role("manager"))
    assert "WiBro Max plan fees" in html and ">Unlock<" not in html
    assert "May take the quiz now." in html and "No attempt matches the filters." in html


def test_support_page_is_limited_to_the_managers_teams(client, org, fees, as_role):
    manager = as_role("manager")
    assert manager.get("/manager/agents/A2").status_code == 404
    response = manager.get("/support/agents/A2")
    assert response.status_code == 302
    followed = manager.get("/support/agents/A2", headers={"Referer": "/support/"},
                           follow_redirects=True).get_data(as_text=True)
    assert "no agent with external_id" in followed and "Wired" not in followed.split("<main")[1]
    refused = manager.post("/support/agents/A2/unlock", data={"bulletin": SLUG})
    assert refused.status_code == 302 and unlocked_at(org, AGENT2) is None


def test_support_index_lists_my_teams_agents(client, org, as_role):
    manager = as_role("manager")
    html = manager.get("/support/").get_data(as_text=True)
    assert "/manager/agents/A1" in html and "/manager/agents/A2" not in html
    found = manager.get("/support/?q=agent%40exa").get_data(as_text=True)
    assert "/manager/agents/A1" in found
    none = manager.get("/support/?q=100%25").get_data(as_text=True)
    assert "No agent of your teams matches." in none


def test_unlock_form_needs_a_bulletin(client, org, fees, as_role):
    manager = as_role("manager")
    response = manager.post("/support/agents/A1/unlock", data={}, follow_redirects=True,
                            headers={"Referer": "/support/agents/A1"})
    assert "bulletin is required" in response.get_data(as_text=True)
    assert unlocked_at(org, AGENT) is None
