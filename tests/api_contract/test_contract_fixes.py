"""Bugs the Schemathesis run found, pinned: bad input gets 4xx in the error shape, never 500,
and the headers the OpenAPI document promises are there."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from app.domain.throttle import retry_after_seconds
from tests.conftest import publish_wifi

HUGE = "3381789817486778040320"  # beyond any integer column: used to reach the database


@pytest.mark.parametrize(("method", "url", "who"), [
    ("get", f"/api/v1/me/attempts/{HUGE}", "agent@example.com"),
    ("post", f"/api/v1/me/attempts/{HUGE}/submit", "agent@example.com"),
    ("put", f"/api/v1/me/attempts/{HUGE}/answers/1", "agent@example.com"),
    ("put", f"/api/v1/me/attempts/1/answers/{HUGE}", "agent@example.com"),
    ("delete", f"/api/v1/webhook-endpoints/{HUGE}", "admin@example.com"),
    ("post", f"/api/v1/webhook-endpoints/{HUGE}/rotate", "admin@example.com"),
    ("get", "/api/v1/me/attempts/2147483648", "agent@example.com"),
    ("get", "/api/v1/me/attempts/0", "agent@example.com"),
])
def test_ids_too_large_for_the_database_are_not_found(client, org, method, url, who):
    response = getattr(client, method)(url, headers=org.headers(who), json={"option": 1})
    assert response.status_code == 404, response.get_data(as_text=True)
    assert set(response.json["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("value", ["²", "٣", "1.5", " ", "-", "9" * 5000],
                         ids=["superscript", "arabic", "decimal", "space", "minus", "long"])
def test_feed_numbers_must_be_ascii_whole_numbers(client, org, value):
    """These were 500s: int() refuses "²" and more than 4300 digits after isdigit() took them."""
    response = client.get("/api/v1/eligibility/changes", query_string={"limit": value},
                          headers=org.headers("admin@example.com"))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"]["details"] == {"field": "limit"}


def test_a_refused_retake_says_when_to_retry(client, org):
    slug = publish_wifi(org)["id"]
    headers = org.headers("agent@example.com")
    attempt = client.post("/api/v1/me/attempts", json={"bulletin": slug}, headers=headers).json
    client.post(f"/api/v1/me/attempts/{attempt['id']}/submit", headers=headers)  # all blank
    again = client.post("/api/v1/me/attempts", json={"bulletin": slug}, headers=headers)
    assert again.status_code == 429 and again.json["error"]["code"] == "retake_not_allowed_yet"
    retry_at = datetime.fromisoformat(again.json["error"]["details"]["retry_at"])
    wait = (retry_at - datetime.now(UTC)).total_seconds()
    assert abs(int(again.headers["Retry-After"]) - wait) <= 2


@pytest.mark.parametrize(("details", "seconds"), [
    ({"retry_at": "2026-01-01T00:10:00+00:00"}, 600),
    ({"retry_at": "2026-01-01T00:10:00"}, 600),  # naive: UTC
    ({"retry_at": "2025-12-31T23:00:00+00:00"}, 1),  # passed already: at least 1
    ({"retry_at": "soon"}, 60), (None, 60), ({}, 60),
])
def test_retry_after_seconds(details, seconds):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(details, now) == seconds


def test_long_poll_holds_at_most_the_configured_cap(app, client, org):
    app.config["ONEVOICE_FEED_MAX_WAIT_SECONDS"] = 0.3
    started = time.monotonic()
    response = client.get("/api/v1/eligibility/changes?since=999&wait=25",
                          headers=org.headers("admin@example.com"))
    assert response.status_code == 200 and response.json["changes"] == []
    assert time.monotonic() - started < 5


def test_a_bad_long_poll_cap_is_named(app, client, org):
    app.config["ONEVOICE_FEED_MAX_WAIT_SECONDS"] = -1
    with pytest.raises(ValueError, match="ONEVOICE_FEED_MAX_WAIT_SECONDS"):
        client.get("/api/v1/eligibility/changes?wait=1", headers=org.headers("admin@example.com"))


def test_invalid_idempotency_keys_are_documented_as_400(client):
    document = client.get("/api/v1/openapi.json").json
    for path, operations in document["paths"].items():
        if "post" in operations and path != "/openapi.json":
            post = operations["post"]
            assert {"400", "409", "422"} <= set(post["responses"]), path
            assert any(p["name"] == "Idempotency-Key" for p in post["parameters"]), path
    assert "$ref" in str(document["paths"]["/me/attempts"]["post"]["responses"]["201"])
    assert "Retry-After" in document["paths"]["/me/attempts"]["post"]["responses"]["429"][
        "headers"]
    eligibility = document["paths"]["/agents/{external_id}/eligibility"]["get"]["responses"]
    assert "ETag" in eligibility["200"]["headers"] and "304" in eligibility


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/eligibility?skill=wi%00fi", "skill"),
    ("/api/v1/eligibility?team=%00", "team"),
    ("/api/v1/agents/A%001/eligibility", "external_id"),
    ("/api/v1/reports/gaps?bulletin=x%00", "bulletin"),
])
def test_nul_in_a_url_is_a_400_naming_it(client, org, url, field):
    """PostgreSQL text cannot hold NUL: this was a 500 on PostgreSQL."""
    response = client.get(url, headers=org.headers("admin@example.com"))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"]["details"] == {"field": field}


@pytest.mark.parametrize("body", [
    {"source": "id: x\u0000"}, {"source": "ok", "extra": ["a\u0000"]}, {"a\u0000": 1},
])
def test_nul_in_a_json_body_is_refused_and_nothing_written(client, org, body):
    response = client.post("/api/v1/bulletins", json=body,
                           headers=org.headers("trainer@example.com"))
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"
    assert "NUL" in response.json["error"]["message"]
