"""GET /api/v1/ping: the bare authenticated endpoint B1 compares the eligibility lookup with."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("email", ["agent@example.com", "trainer@example.com",
                                   "manager@example.com", "admin@example.com",
                                   "router@example.com"])
def test_ping_answers_every_role(client, org, email):
    response = client.get("/api/v1/ping", headers=org.headers(email))
    assert response.status_code == 200
    assert response.json == {"ok": True}


def test_ping_needs_a_token(client, org):
    response = client.get("/api/v1/ping")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_ping_is_in_the_openapi_document(client):
    assert "/ping" in client.get("/api/v1/openapi.json").json["paths"]
