"""Bad input on every API body: the right status, a message naming what is wrong, nothing
written; and the OpenAPI document matching the routes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Attempt, Bulletin, BulletinVersion, Fact, Item, Requirement
from tests.conftest import WIFI_BULLETIN, publish_wifi

SLUG = "wibro50-wifi-login"
CONTENT_TABLES = (Bulletin, BulletinVersion, Fact, Item)


def _rows(app, models=CONTENT_TABLES) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.json["error"]
    assert set(error) == {"code", "message", "details"} and error["message"]
    if code:
        assert error["code"] == code
    return error


def _draft(client, org) -> dict:
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                          headers=org.headers("trainer@example.com"))
    assert created.status_code == 201, created.json
    return created.json


def _set_status(client, headers, items, status: str) -> None:
    for item in items:
        response = client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}",
                              json={"status": status}, headers=headers)
        assert response.status_code == 200, response.json


# --- POST /bulletins ----------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "status", "code", "field"), [
    ({"data": "source: nope", "content_type": "text/plain"}, 400, "invalid_json", None),
    ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json", None),
    ({"json": ["source"]}, 400, "invalid_json", None),
    ({"json": {}}, 400, "missing_field", "source"),
    ({"json": {"source": 5}}, 400, "invalid_field", "source"),
    ({"json": {"source": None}}, 400, "missing_field", "source"),
], ids=["text", "broken-json", "array", "empty", "number", "null"])
def test_create_bulletin_rejects_bad_bodies(client, org, kwargs, status, code, field):
    response = client.post("/api/v1/bulletins", headers=org.headers("trainer@example.com"),
                           **kwargs)
    error = _error(response, status, code)
    if field:
        assert error["details"] == {"field": field} and f"'{field}'" in error["message"]
    assert _rows(org.app) == (0, 0, 0, 0)


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("skills: [wibro, wifi]", "skills: [wibro, telepathy]", 6,
     "unknown call type 'telepathy': choose one of"),
    ("teams: [wibro_care, wifi_support]", "teams: [wibro_care, moon_base]", 7, "moon_base"),
    ("effective: 2010-09-01", "effective: someday", 5, "someday"),
    ("{#f-plan type=text", "{#f-plan type=colour", 33, "colour"),
], ids=["skill", "team", "date", "fact-type"])
def test_invalid_bulletin_names_file_and_line(client, org, old, new, line, words):
    source = WIFI_BULLETIN.replace(old, new)
    assert source != WIFI_BULLETIN
    response = client.post("/api/v1/bulletins", json={"source": source},
                           headers=org.headers("trainer@example.com"))
    error = _error(response, 422, "invalid_bulletin")
    assert error["message"].startswith(f"bulletin:{line}: ") and words in error["message"]
    assert {"file": "bulletin", "line": line} == {k: error["details"][0][k]
                                                  for k in ("file", "line")}
    assert words in error["details"][0]["message"]
    assert _rows(org.app) == (0, 0, 0, 0)


# --- eligibility readers ------------------------------------------------------------------


def test_unknown_agent_is_not_found(client, org):
    error = _error(client.get("/api/v1/agents/NOBODY/eligibility",
                              headers=org.headers("router@example.com")), 404, "not_found")
    assert error["details"] == {"field": "external_id"} and "NOBODY" in error["message"]


def test_manager_cannot_read_an_agent_outside_their_teams(client, org):
    headers = org.headers("manager@example.com")
    assert client.get("/api/v1/agents/A1/eligibility", headers=headers).status_code == 200
    error = _error(client.get("/api/v1/agents/A2/eligibility", headers=headers), 404)
    assert "A2" in error["message"]


@pytest.mark.parametrize(("method", "url", "status"), [
    ("PUT", "/api/v1/agents/NOBODY/eligibility", 405),
    ("DELETE", "/api/v1/bulletins", 405),
    ("GET", "/api/v1/no-such-thing", 404),
])
def test_unrouted_api_requests_answer_in_the_error_shape(client, org, method, url, status):
    response = client.open(url, method=method, headers=org.headers("admin@example.com"))
    _error(response, status)


# --- reviewing items ----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"colour": "red"}, "colour", "unknown field 'colour'"),
    ({"status": "great"}, "status", "status must be one of"),
    ({"stem": "   "}, "stem", "'stem'"),
    ({"kind": "essay"}, "kind", "kind must be one of"),
    ({"options": "A or B"}, "options", "at least 2 options"),
    ({"options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]},
     "options", "exactly one option must be correct"),
    ({"options": [{"text": "A", "correct": True}, {"text": ""}]}, "options[1]", "text"),
    ({"options": [{"text": "A", "correct": True}, {"text": "B", "source": "rumour"}]},
     "options[1]", "source"),
], ids=["unknown", "status", "stem", "kind", "options-type", "two-correct", "empty-text",
        "source"])
def test_item_edit_rejects_bad_fields(client, org, body, field, words):
    headers = org.headers("trainer@example.com")
    item = _draft(client, org)["items"][0]
    response = client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}", json=body,
                          headers=headers)
    error = _error(response, 400)
    assert error["details"] == {"field": field} and words in error["message"]
    stored = client.get(f"/api/v1/bulletins/{SLUG}/items", headers=headers).json["items"][0]
    assert stored == item


def test_item_edit_of_unknown_item_or_bulletin_is_not_found(client, org):
    headers = org.headers("trainer@example.com")
    _draft(client, org)
    _error(client.put(f"/api/v1/bulletins/{SLUG}/items/f-nope-1", json={"status": "approved"},
                      headers=headers), 404, "not_found")
    _error(client.put("/api/v1/bulletins/no-such/items/f-login-1", json={"status": "approved"},
                      headers=headers), 404, "not_found")
    _error(client.get("/api/v1/bulletins/no-such", headers=headers), 404, "not_found")


def test_items_of_a_published_version_only_change_status(client, org):
    publish_wifi(org)
    headers = org.headers("trainer@example.com")
    response = client.put(f"/api/v1/bulletins/{SLUG}/items/f-login-1", json={"stem": "New?"},
                          headers=headers)
    _error(response, 409, "conflict")


# --- publishing ---------------------------------------------------------------------------


def _requirements(app) -> int:
    return _rows(app, (Requirement,))[0]


def test_publish_twice_is_a_conflict(client, org):
    publish_wifi(org)
    again = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={"change": "material"},
                        headers=org.headers("trainer@example.com"))
    error = _error(again, 409, "conflict")
    assert "already published" in error["message"]
    assert _requirements(org.app) == 2


def test_publish_with_no_approved_items(client, org):
    _draft(client, org)
    response = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={},
                           headers=org.headers("trainer@example.com"))
    _error(response, 400, "no_approved_items")
    assert _requirements(org.app) == 0


def test_publish_with_an_uncovered_critical_fact_names_it(client, org):
    headers = org.headers("trainer@example.com")
    items = _draft(client, org)["items"]
    _set_status(client, headers, [i for i in items if i["fact"] != "f-login"], "approved")
    response = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={}, headers=headers)
    error = _error(response, 400, "critical_fact_uncovered")
    assert "f-login" in error["message"] and error["details"] == {"facts": ["f-login"]}
    assert "f-bundle" not in error["message"]
    assert _requirements(org.app) == 0


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"change": "huge"}, "invalid", "change"),
    ({"change": 1}, "invalid_field", "change"),
    (["material"], "invalid_json", None),
])
def test_publish_rejects_bad_bodies(client, org, body, code, field):
    headers = org.headers("trainer@example.com")
    _set_status(client, headers, _draft(client, org)["items"], "approved")
    error = _error(client.post(f"/api/v1/bulletins/{SLUG}/publish", json=body,
                               headers=headers), 400, code)
    if field:
        assert error["details"] == {"field": field}
    assert _requirements(org.app) == 0
    assert client.get(f"/api/v1/bulletins/{SLUG}", headers=headers).json["status"] == "draft"


def test_publish_unknown_bulletin_is_not_found(client, org):
    _error(client.post("/api/v1/bulletins/no-such/publish", json={},
                       headers=org.headers("trainer@example.com")), 404, "not_found")


# --- attempts -----------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"bulletin": "no-such-bulletin"}, 404, "not_found"),
    ({}, 400, "missing_field"),
    ({"bulletin": 7}, 400, "invalid_field"),
    (None, 400, "invalid_json"),
])
def test_start_attempt_rejects_bad_bodies(client, org, body, status, code):
    publish_wifi(org)
    kwargs = {"json": body} if body is not None else {"data": "x"}
    response = client.post("/api/v1/me/attempts", headers=org.headers("agent@example.com"),
                           **kwargs)
    _error(response, status, code)
    assert _rows(org.app, (Attempt,)) == (0,)


def test_unpublished_bulletin_cannot_be_attempted(client, org):
    _draft(client, org)
    response = client.post("/api/v1/me/attempts", json={"bulletin": SLUG},
                           headers=org.headers("agent@example.com"))
    _error(response, 404, "not_found")


@pytest.fixture
def attempt(client, org) -> dict:
    publish_wifi(org)
    started = client.post("/api/v1/me/attempts", json={"bulletin": SLUG},
                          headers=org.headers("agent@example.com"))
    assert started.status_code == 201
    return started.json


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"option": "first"}, 400, "option"),
    ({}, 400, "option"),
    ({"option": True}, 400, "option"),
    ({"option": 999999}, 400, "option"),
    ({"option": 1, "seq": "late"}, 400, "seq"),
])
def test_save_answer_rejects_bad_bodies(client, org, attempt, body, status, field):
    item = attempt["items"][0]
    response = client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                          json=body, headers=org.headers("agent@example.com"))
    assert _error(response, status)["details"] == {"field": field}
    resumed = client.get(f"/api/v1/me/attempts/{attempt['id']}",
                         headers=org.headers("agent@example.com")).json
    assert resumed["answers"] == {}


def test_answers_to_foreign_items_and_attempts_are_refused(client, org, attempt):
    agent = org.headers("agent@example.com")
    option = attempt["items"][0]["options"][0]["id"]
    wrong_item = client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/999999",
                            json={"option": option}, headers=agent)
    assert _error(wrong_item, 400)["details"] == {"field": "item"}
    url = f"/api/v1/me/attempts/{attempt['id']}"
    other = org.headers("agent2@example.com")
    _error(client.get(url, headers=other), 404, "not_found")
    _error(client.post(f"{url}/submit", headers=other), 404, "not_found")
    _error(client.get("/api/v1/me/attempts/999999", headers=agent), 404, "not_found")


def test_answer_after_submit_is_a_conflict(client, org, attempt):
    agent = org.headers("agent@example.com")
    item = attempt["items"][0]
    client.post(f"/api/v1/me/attempts/{attempt['id']}/submit", headers=agent)
    response = client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                          json={"option": item["options"][0]["id"]}, headers=agent)
    _error(response, 409, "conflict")


def test_readiness_of_a_foreign_team_is_forbidden(client, org):
    response = client.get("/api/v1/reports/readiness?team=wired_care",
                          headers=org.headers("manager@example.com"))
    assert _error(response, 403, "forbidden")["details"] == {"field": "team"}


# --- the OpenAPI document -----------------------------------------------------------------


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix("/api/v1"))


def _api_routes(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            routes.setdefault(_openapi_path(rule.rule), set()).update(
                m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def test_openapi_document_matches_the_routes(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    described = {path: set(ops) for path, ops in document["paths"].items()}
    assert described == _api_routes(app)


def test_openapi_path_parameters_are_declared(client):
    for path, operations in client.get("/api/v1/openapi.json").json["paths"].items():
        wanted = set(re.findall(r"{(\w+)}", path))
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == wanted, path
