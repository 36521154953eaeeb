"""The stored eligibility documents the routing system's lookup serves.

``GET /api/v1/agents/{id}/eligibility`` returns each agent's stored document
(``app.derived.eligibility_documents``). These tests change what a document is made of in
each way the product can (publication, grading, a gate reached, the directory, a rollback,
rows written around the services) and check that the next lookup serves the new document
with a new ETag, never the old one. Every test of the suite also ends with
``tests.conftest.assert_documents_exact``.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.derived import eligibility_documents as documents
from app.models import Requirement, User, utcnow
from app.models.eligibility import eligibility_documents
from app.queries.eligibility_view import eligibility_document
from tests.conftest import publish_wifi
from tests.web.manager_support import future_source, sit

URL = "/api/v1/agents/A1/eligibility"


def lookup(client, org, etag: str | None = None):
    headers = org.headers("router@example.com")
    if etag:
        headers["If-None-Match"] = etag
    return client.get(URL, headers=headers)


def stored(app, external_id: str = "A1") -> tuple[str, str] | None:
    with app.app_context():
        row = db.session.execute(
            select(eligibility_documents.c.body, eligibility_documents.c.etag)
            .join(User, User.id == eligibility_documents.c.user_id)
            .where(User.external_id == external_id)).first()
        return tuple(row) if row else None


def built(app, external_id: str = "A1") -> dict:
    """The document as the agent's page builds it from the stored states."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.external_id == external_id))
        return eligibility_document(user, refresh=False)


def test_the_lookup_serves_the_stored_body_and_its_etag(app, client, org):
    publish_wifi(org)
    response = lookup(client, org)
    body, etag = stored(app)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_data(as_text=True) == body
    assert response.headers["ETag"] == f'"{etag}"'
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.json == json.loads(body) == built(app)
    assert {b["skill"] for b in response.json["blocked"]} == {"wibro", "wifi"}
    assert lookup(client, org, response.headers["ETag"]).status_code == 304


def test_korean_stays_readable_and_the_etag_is_the_body_hash(app):
    body, etag = documents.serialise({"agent": "A1", "name": "김하나", "cleared": []})
    assert "김하나" in body and body == '{"agent":"A1","cleared":[],"name":"김하나"}'
    assert etag == documents.serialise(json.loads(body))[1] and len(etag) == 32


@pytest.mark.parametrize("change", ["publication", "certification", "directory_name",
                                    "directory_team", "deactivation"])
def test_every_kind_of_change_reaches_the_next_lookup(app, client, org, change):
    publish_wifi(org)
    before = lookup(client, org)
    admin = org.headers("admin@example.com")
    row = {"external_id": "A1", "name": "Agent One", "email": "agent@example.com",
           "team": "wibro_care", "skills": ["wibro", "wifi"], "active": True}
    if change == "publication":
        publish_wifi(org, future_source(5, "second-wifi", skills="[wibro]"))
    elif change == "certification":
        sit(app, "agent@example.com", "wibro50-wifi-login", "correct")
    else:
        row |= {"directory_name": {"name": "김하나"}, "directory_team": {"team": "wifi_support"},
                "deactivation": {"active": False}}[change]
        response = client.put("/api/v1/agents", json=[row], headers=admin)
        assert response.status_code == 200, response.json
    after = lookup(client, org, before.headers["ETag"])
    assert after.status_code == 200, "the old ETag must not match after a change"
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.json == built(app) != before.json
    expected = {
        "publication": lambda doc: any(d["bulletin"] == "second-wifi" for d in doc["due"]),
        "certification": lambda doc: [c["skill"] for c in doc["cleared"]] == ["wibro", "wifi"],
        "directory_name": lambda doc: doc["name"] == "김하나",
        "directory_team": lambda doc: doc["team"] == "wifi_support",
        "deactivation": lambda doc: not doc["active"] and all(
            b["inactive"] for b in doc["blocked"]),
    }[change]
    assert expected(after.json), after.json


def test_a_gate_reached_is_applied_before_the_lookup_answers(app, client, org):
    publish_wifi(org, future_source(3, "gated-wifi"))
    before = lookup(client, org)
    assert "wifi" in [c["skill"] for c in before.json["cleared"]]
    assert [d["bulletin"] for d in before.json["due"]] == ["gated-wifi"]
    with app.app_context(), unit_of_work():  # the gate is reached; the worker has not run
        past = utcnow() - timedelta(seconds=1)
        for requirement in db.session.scalars(select(Requirement)):
            requirement.gate_at = past
        db.session.execute(update(User).values(eligibility_check_at=past))
    after = lookup(client, org, before.headers["ETag"])
    assert after.status_code == 200
    blocked = {b["skill"]: [m["bulletin"] for m in b["missing"]] for b in after.json["blocked"]}
    assert blocked == {"wifi": ["gated-wifi"]} and after.json["due"] == []
    assert after.json == built(app)
    assert after.headers["ETag"] == f'"{stored(app)[1]}"'


def test_a_rolled_back_change_leaves_the_document(app, client, org):
    publish_wifi(org)
    before = stored(app)
    with app.app_context(), pytest.raises(RuntimeError), unit_of_work():
        user = db.session.scalar(select(User).where(User.external_id == "A1"))
        user.name = "Never Saved"
        db.session.flush()
        raise RuntimeError("the request failed")
    assert stored(app) == before
    assert lookup(client, org).json["name"] != "Never Saved"


def test_a_missing_document_is_built_on_the_fly_then_rebuilt(app, client, org, runner):
    publish_wifi(org)
    expected = lookup(client, org).json
    with app.app_context(), db.engine.begin() as connection:  # bulk SQL around the services
        connection.execute(delete(eligibility_documents))
    assert stored(app) is None
    served = lookup(client, org)
    assert served.status_code == 200 and served.json == expected
    assert stored(app) is None, "a lookup writes nothing"
    result = runner.invoke(args=["reports", "rebuild"])
    if result.exception:
        raise result.exception
    assert result.exit_code == 0, result.output
    assert "eligibility docs" in result.output
    assert stored(app)[0] == served.get_data(as_text=True)


def test_only_agents_have_documents(app, org):
    with app.app_context():
        owners = set(db.session.scalars(
            select(User.role).join(eligibility_documents,
                                   eligibility_documents.c.user_id == User.id)))
    assert owners == {"agent"}


def test_a_bulk_write_through_the_session_rebuilds_the_documents(app, client, org):
    publish_wifi(org)
    before = lookup(client, org).json
    with app.app_context(), unit_of_work():
        db.session.execute(update(User).where(User.external_id == "A1").values(name="Bulk Name"))
    assert lookup(client, org).json == {**before, "name": "Bulk Name"}


def test_a_manager_outside_the_team_gets_404_not_the_document(client, org):
    publish_wifi(org)
    response = client.get("/api/v1/agents/A2/eligibility",
                          headers=org.headers("manager@example.com"))
    assert response.status_code == 404
    assert "A2" in response.json["error"]["message"]
