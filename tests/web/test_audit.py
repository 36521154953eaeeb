"""Audit: was an agent cleared at a past instant, and why — on a frozen 2020 timeline.

2020-03-02 01:00 UTC  roaming-fees published, gated at once, certifications last 30 days
2020-03-03 01:00      agent A1 passes it
2020-03-04 15:00      the gate of late-notice (its deadline day, 5 March in Seoul) ...
2020-03-12 01:00      ... which is only published now, with that deadline in the past
2020-04-02 01:00      A1's certification expires
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.queries.eligibility_view import eligibility_document
from tests.web.test_eligibility_service import agent, bulletin, pass_quiz, publish

T0 = datetime(2020, 3, 2, 1, 0, tzinfo=UTC)
PASSED = T0 + timedelta(days=1)
LATE_GATE = datetime(2020, 3, 4, 15, 0, tzinfo=UTC)
LATE_PUBLISHED = T0 + timedelta(days=10)
EXPIRY = PASSED + timedelta(days=30)
HOUR = timedelta(hours=1)

LATE = """---
id: late-notice
title: Late notice of a wifi change
lang: en
effective: 2020-03-05
skills: [wifi]
---
The ==wifi fee== changed.

## Facts
- **Wifi fee** {#f-fee type=money}: 5,000 won (was: 4,000 won)
"""


@pytest.fixture
def timeline(app, org):
    with app.app_context():
        publish(bulletin(front="gate: immediate\nrecertify_after_days: 30\n"), T0)
        pass_quiz(agent("agent@example.com"), "roaming-fees", PASSED)
        publish(LATE, LATE_PUBLISHED)
    return org


def audit(client, org, at, skill=None, who="admin@example.com", agent_id="A1"):
    query = {"time": at if isinstance(at, str) else at.isoformat()}
    if skill:
        query["skill"] = skill
    return client.get(f"/api/v1/agents/{agent_id}/eligibility/at", query_string=query,
                      headers=org.headers(who))


def summary(body: dict) -> dict:
    return {**{c["skill"]: [f"{r['bulletin']} v{r['version']}" for r in c["relied_on"]]
               for c in body["cleared"]},
            **{b["skill"]: [("missing", m["bulletin"], m["expired"]) for m in b["missing"]]
               for b in body["blocked"]}}


@pytest.mark.parametrize(("at", "expected"), [
    (T0 + HOUR, {"wibro": [("missing", "roaming-fees", False)],
                 "wifi": [("missing", "roaming-fees", False)]}),
    # one minute before passing: the certification did not exist yet
    (PASSED - timedelta(minutes=1), {"wibro": [("missing", "roaming-fees", False)],
                                     "wifi": [("missing", "roaming-fees", False)]}),
    (PASSED, {"wibro": ["roaming-fees v1"], "wifi": ["roaming-fees v1"]}),
    # late-notice's gate had come, but it was not published yet: it did not block then
    (LATE_GATE + 5 * 24 * HOUR, {"wibro": ["roaming-fees v1"], "wifi": ["roaming-fees v1"]}),
    (LATE_PUBLISHED + HOUR, {"wibro": ["roaming-fees v1"],
                             "wifi": [("missing", "late-notice", False)]}),
    (EXPIRY + HOUR, {"wibro": [("missing", "roaming-fees", True)],
                     "wifi": [("missing", "roaming-fees", True),  # by due date
                              ("missing", "late-notice", False)]}),
])
def test_cleared_then(client, timeline, at, expected):
    response = audit(client, timeline, at)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["agent"] == "A1" and body["at"] == at.isoformat()
    assert summary(body) == expected


def test_the_records_as_they_stood(client, timeline):
    before = audit(client, timeline, PASSED - timedelta(minutes=1)).json
    assert before["certifications"] == []
    assert [(r["bulletin"], r["skill"], r["status"], r["applies"])
            for r in before["requirements"]] == [
        ("roaming-fees", "wibro", "gated", True), ("roaming-fees", "wifi", "gated", True)]
    later = audit(client, timeline, EXPIRY + HOUR).json
    assert later["certifications"] == [{
        "bulletin": "roaming-fees", "version": 1, "passed_at": PASSED.isoformat(),
        "valid_until": EXPIRY.isoformat(), "valid_then": False}]
    assert {r["bulletin"] for r in later["requirements"]} == {"roaming-fees", "late-notice"}
    assert later["directory"] == {
        "team": "wibro_care", "skills": ["wibro", "wifi"], "active": True, "as_of": "current",
        "note": "active, team and skills are the agent's current ones: directory changes are "
                "not historised"}


def test_the_present_is_unchanged_by_an_audit(client, timeline, app):
    audit(client, timeline, PASSED)
    with app.app_context():
        doc = eligibility_document(agent("agent@example.com"))
    assert {b["skill"] for b in doc["blocked"]} == {"wibro", "wifi"}  # expired since 2020


def test_one_skill(client, timeline):
    body = audit(client, timeline, LATE_PUBLISHED + HOUR, skill="wifi").json
    assert body["skill"] == "wifi" and body["cleared"] == []
    assert [b["skill"] for b in body["blocked"]] == ["wifi"]
    assert {r["skill"] for r in body["requirements"]} == {"wifi"}


def test_a_time_without_offset_is_organisation_time(client, timeline):
    seoul = audit(client, timeline, "2020-03-03T10:00").json  # = 01:00 UTC, when A1 passed
    assert seoul["at"] == PASSED.isoformat()
    assert seoul["cleared"] and not seoul["blocked"]


@pytest.mark.parametrize(("time", "skill", "words"), [
    ("", None, "'time' is required"),
    ("yesterday", None, "'time' must be an ISO 8601 date and time, not 'yesterday'"),
    ("2999-01-01T00:00:00Z", None, "'time' must not be in the future"),
    ("2020-03-05T00:00:00Z", "teleport", "unknown call type 'teleport': choose one of"),
])
def test_bad_queries_name_the_fault(client, timeline, time, skill, words):
    response = audit(client, timeline, time, skill)
    assert response.status_code == 400
    assert words in response.json["error"]["message"]
    field = "skill" if skill else "time"
    assert response.json["error"]["details"] == {"field": field}


@pytest.mark.parametrize(("who", "agent_id", "status"), [
    ("manager@example.com", "A1", 200),
    ("manager@example.com", "A2", 404),  # not one of the manager's teams
    ("router@example.com", "A2", 200),
    ("admin@example.com", "NOPE", 404),
    ("agent@example.com", "A1", 403),
    ("trainer@example.com", "A1", 403),
])
def test_who_may_audit(client, timeline, who, agent_id, status):
    assert audit(client, timeline, PASSED, who=who, agent_id=agent_id).status_code == status


# --- the page for managers -----------------------------------------------------------------


def test_audit_page(as_role, timeline):
    client = as_role("manager")
    html = client.get("/support/agents/A1/audit", query_string={
        "time": (LATE_PUBLISHED + HOUR).isoformat()}).get_data(as_text=True)
    html = " ".join(html.split())
    assert "Cleared for wibro" in html and "Blocked for wifi" in html
    assert "relying on roaming-fees v1" in html
    assert "missing Late notice of a wifi change v1" in html
    assert "directory changes are not kept as history" in html
    empty = client.get("/support/agents/A1/audit")
    assert empty.status_code == 200 and "Reconstruct" in empty.get_data(as_text=True)


def test_audit_page_explains_a_bad_time(as_role, timeline):
    response = as_role("manager").get("/support/agents/A1/audit?time=soon")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "must be an ISO 8601 date and time, not &#39;soon&#39;" in html
    assert 'aria-invalid="true"' in html
