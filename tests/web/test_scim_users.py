"""SCIM Users: create, read, list, filter, page, replace, patch, delete; every refusal in
SCIM's error shape with nothing written; deprovisioning ends API tokens and sign-in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import ApiToken, User
from tests.conftest import login
from tests.web.scim_support import (
    ONEVOICE,
    USER,
    Scim,
    error_of,
    events,
    last_seq,
    user_body,
    user_id,
)


@pytest.fixture
def scim(client, org):
    return Scim(client, org)


def _count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


# --- auth -----------------------------------------------------------------------------------


def test_only_integration_tokens_are_accepted(client, org):
    error_of(client.get("/scim/v2/Users"), 401)
    bad = {"Authorization": "Bearer ov_not-a-token"}
    error_of(client.get("/scim/v2/Users", headers=bad), 401)
    for email in ("admin@example.com", "agent@example.com", "manager@example.com"):
        detail = error_of(client.get("/scim/v2/Users", headers=org.headers(email)), 403)
        assert "may not call" in detail
    assert client.get("/scim/v2/Users", headers=org.headers("router@example.com")).status_code \
        == 200


def test_csrf_does_not_apply_and_cookies_do_not_authenticate(app, client, org):
    browser = app.test_client()
    assert login(browser, "admin@example.com").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    scim = Scim(client, org)
    assert scim.post("/Users", user_body("csrf@example.com")).status_code == 201
    error_of(browser.get("/scim/v2/Users"), 401)


# --- create and read ------------------------------------------------------------------------


def test_create_an_agent_then_read_it(app, scim):
    body = user_body("mina@example.com", externalId="E77", displayName="Mina Park",
                     **{ONEVOICE: {"role": "agent", "skills": "wifi wibro"}})
    created = scim.post("/Users", body)
    assert created.status_code == 201, created.json
    assert created.mimetype == "application/scim+json"
    user = created.get_json(force=True)
    assert created.headers["Location"] == user["meta"]["location"]
    assert created.headers["ETag"] == user["meta"]["version"]
    assert user["userName"] == "mina@example.com" and user["externalId"] == "E77"
    assert user["displayName"] == "Mina Park" and user["active"] is True
    assert user["emails"] == [{"value": "mina@example.com", "type": "work"}]
    assert user[ONEVOICE] == {"role": "agent", "skills": "wibro wifi"}
    assert set(user["schemas"]) == {USER, ONEVOICE}
    again = scim.get(f"/Users/{user['id']}").get_json(force=True)
    assert again == user
    with app.app_context():
        row = db.session.get(User, int(user["id"]))
        assert (row.role, row.email, row.name, row.user_name) == \
            ("agent", "mina@example.com", "Mina Park", None)


def test_a_user_name_that_is_not_an_e_mail_is_kept_beside_the_e_mail(app, scim):
    created = scim.post("/Users", user_body("mpark", "Mina.Park@Example.com"))
    assert created.status_code == 201, created.json
    user = created.get_json(force=True)
    assert user["userName"] == "mpark" and user["emails"][0]["value"] == "mina.park@example.com"
    assert user["displayName"] == "Mina Park"  # from name.givenName/familyName
    assert user[ONEVOICE] == {"role": "agent"}  # defaults: agent, no skills
    found = scim.get('/Users?filter=userName eq "MPARK"').get_json(force=True)
    assert [r["id"] for r in found["Resources"]] == [user["id"]]


def test_staff_roles_and_the_refused_integration_role(scim):
    trainer = scim.post("/Users", user_body("t2@example.com", **{ONEVOICE: {"role": "Trainer"}}))
    assert trainer.get_json(force=True)[ONEVOICE] == {"role": "trainer"}
    detail = error_of(scim.post("/Users", user_body("i2@example.com",
                                                    **{ONEVOICE: {"role": "integration"}})),
                      400, "invalidValue")
    assert "role" in detail


@pytest.mark.parametrize("body, scim_type, words", [
    (user_body("no-mail", emails=[]), "invalidValue", "e-mail"),
    (user_body("x@example.com", **{ONEVOICE: {"skills": "wifi teleport"}}), "invalidValue",
     "teleport"),
    (user_body("x@example.com", externalId="a/b"), "invalidValue", "externalId"),
    (user_body("x@example.com", emails=[{"value": "not an address"}]), "invalidValue",
     "emails"),
    (user_body("x@example.com", active="maybe"), "invalidValue", "active"),
    (user_body("x@example.com", favouriteColour="red"), "invalidSyntax", ""),
    ({"schemas": [USER]}, "invalidValue", "userName"),
    ("{not json", "invalidSyntax", "JSON"),
    ("[1, 2]", "invalidSyntax", "JSON object"),
])
def test_bad_users_are_refused_and_nothing_is_written(app, scim, body, scim_type, words):
    before = _count_users(app)
    detail = error_of(scim.post("/Users", body), 400, scim_type)
    assert words in detail
    assert _count_users(app) == before


@pytest.mark.parametrize("body", [
    user_body("agent@example.com"),  # the userName is someone's e-mail
    user_body("fresh", "agent2@example.com"),  # the e-mail is taken
    user_body("fresh@example.com", externalId="A1"),  # the external id is taken
])
def test_clashes_are_409_uniqueness(app, scim, body):
    before = _count_users(app)
    error_of(scim.post("/Users", body), 409, "uniqueness")
    assert _count_users(app) == before


def test_unknown_and_hidden_users_are_404(app, scim):
    router = user_id(app, "router@example.com")
    for path in ("/Users/999999", "/Users/abc", "/Users/99999999999999999999999",
                 f"/Users/{router}"):  # integration accounts are not SCIM resources
        error_of(scim.get(path), 404)
    error_of(scim.get("/Nowhere"), 404)
    error_of(scim("POST", "/ServiceProviderConfig", {}), 405)


# --- list, filter, page, attributes ---------------------------------------------------------

ORG = {"agent@example.com", "agent2@example.com", "trainer@example.com",
       "manager@example.com", "admin@example.com"}


def _emails(scim, query: str) -> set[str]:
    response = scim.get(f"/Users?{query}")
    assert response.status_code == 200, response.json
    body = response.get_json(force=True)
    assert body["totalResults"] == len(body["Resources"])
    return {r["emails"][0]["value"] for r in body["Resources"]}


@pytest.mark.parametrize("expression, expected", [
    ('userName eq "AGENT@example.com"', {"agent@example.com"}),
    ('userName ne "agent@example.com"', ORG - {"agent@example.com"}),
    ('userName co "agent"', {"agent@example.com", "agent2@example.com"}),
    ('userName sw "tr"', {"trainer@example.com"}),
    ('userName ew "2@example.com"', {"agent2@example.com"}),
    ('externalId eq "A2"', {"agent2@example.com"}),
    ('externalId eq "a2"', set()),  # externalId is case-exact
    ("externalId pr", {"agent@example.com", "agent2@example.com"}),
    ('not (externalId pr)', ORG - {"agent@example.com", "agent2@example.com"}),
    ('emails.value eq "admin@example.com"', {"admin@example.com"}),
    ('emails[type eq "work" and value sw "man"]', {"manager@example.com"}),
    ('displayName eq "Trainer" or displayName eq "Admin"',
     {"trainer@example.com", "admin@example.com"}),
    ("active eq true", ORG),
    ("active eq false", set()),
    ('meta.lastModified gt "2000-01-01T00:00:00Z"', ORG),
    ('meta.lastModified lt "2000-01-01T00:00:00Z"', set()),
    ('meta.created ge "2000-01-01T00:00:00Z" and meta.created le "2999-01-01T00:00:00Z"', ORG),
    (f'{ONEVOICE}:role eq "agent"', {"agent@example.com", "agent2@example.com"}),
    (f'{ONEVOICE}:skills eq "wired"', {"agent2@example.com"}),
    (f'{ONEVOICE}:skills sw "wi"', {"agent@example.com", "agent2@example.com"}),
    ('userName co "100%_"', set()),  # LIKE wildcards are plain characters
])
def test_filters(scim, expression, expected):
    from urllib.parse import quote

    assert _emails(scim, f"filter={quote(expression)}") == expected


@pytest.mark.parametrize("expression", [
    'userName eqq "x"', "userName eq", 'nickName eq "x"', "active gt true",
    'meta.lastModified gt "yesterday"', '(userName eq "x"',
])
def test_bad_filters_are_400_invalid_filter(scim, expression):
    from urllib.parse import quote

    error_of(scim.get(f"/Users?filter={quote(expression)}"), 400, "invalidFilter")


def test_pages(scim):
    first = scim.get("/Users?startIndex=1&count=2").get_json(force=True)
    assert (first["totalResults"], first["startIndex"], first["itemsPerPage"]) == (5, 1, 2)
    rest = scim.get("/Users?startIndex=3&count=10").get_json(force=True)
    assert rest["itemsPerPage"] == 3
    ids = [r["id"] for r in first["Resources"] + rest["Resources"]]
    assert ids == sorted(ids, key=int) and len(set(ids)) == 5
    none = scim.get("/Users?count=0").get_json(force=True)
    assert (none["totalResults"], none["Resources"]) == (5, [])
    assert scim.get("/Users?startIndex=0&count=1").get_json(force=True)["startIndex"] == 1
    error_of(scim.get("/Users?count=lots"), 400, "invalidValue")


def test_attributes_and_excluded_attributes(scim):
    only = scim.get(f"/Users?attributes=userName,{ONEVOICE}:role&count=1").get_json(force=True)
    assert set(only["Resources"][0]) == {"schemas", "id", "userName", ONEVOICE}
    without = scim.get("/Users?excludedAttributes=emails,groups&count=1").get_json(force=True)
    assert "emails" not in without["Resources"][0] and "userName" in without["Resources"][0]
    one = scim.get(f"/Users/{only['Resources'][0]['id']}?attributes=displayName")
    assert set(one.get_json(force=True)) == {"schemas", "id", "displayName"}
    error_of(scim.get("/Users?attributes=userName&excludedAttributes=emails"), 400,
             "invalidValue")


def test_search_by_post(scim):
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'userName sw "agent"', "count": 1, "attributes": ["userName"]}
    found = scim.post("/Users/.search", body).get_json(force=True)
    assert found["totalResults"] == 2 and len(found["Resources"]) == 1
    error_of(scim.post("/.search", body), 501)


# --- replace, patch, etags ------------------------------------------------------------------


def test_put_replaces_and_keeps_group_membership(app, scim):
    agent = user_id(app, "agent@example.com")
    body = user_body("agent@example.com", displayName="Agent Renamed", externalId="A1",
                     **{ONEVOICE: {"skills": "wibro"}})
    replaced = scim.put(f"/Users/{agent}", body).get_json(force=True)
    assert replaced["displayName"] == "Agent Renamed"
    assert replaced[ONEVOICE] == {"role": "agent", "skills": "wibro"}
    assert [g["display"] for g in replaced["groups"]] == ["Wibro Care"]


def test_put_without_the_extension_keeps_role_and_skills(app, scim):
    agent = user_id(app, "agent@example.com")
    body = {"schemas": [USER], "userName": "agent@example.com", "externalId": "A1",
            "emails": [{"value": "agent@example.com"}], "displayName": "Agent"}
    replaced = scim.put(f"/Users/{agent}", body).get_json(force=True)
    assert replaced[ONEVOICE] == {"role": "agent", "skills": "wibro wifi"}


def test_patch_as_entra_id_sends_it(app, scim):
    agent = user_id(app, "agent@example.com")
    response = scim.patch(
        f"/Users/{agent}",
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "a1@example.com"},
        {"op": "Add", "path": "displayName", "value": "Agent One"},
        {"op": "Replace", "path": "name.givenName", "value": "Ignored"},
        {"op": "remove", "path": "externalId"},
        {"op": "replace", "path": f"{ONEVOICE}:skills", "value": "wifi;wired"})
    user = response.get_json(force=True)
    assert response.status_code == 200, user
    assert user["emails"] == [{"value": "a1@example.com", "type": "work"}]
    assert user["userName"] == "agent@example.com" and user["displayName"] == "Agent One"
    assert "externalId" not in user and user[ONEVOICE]["skills"] == "wifi wired"


@pytest.mark.parametrize("operation, status, scim_type", [
    ({"op": "replace", "path": "id", "value": "9"}, 400, "mutability"),
    ({"op": "replace", "path": "groups", "value": [{"value": "1"}]}, 400, "mutability"),
    ({"op": "replace", "path": "nope", "value": 1}, 400, "invalidPath"),
    ({"op": "bogus", "path": "active"}, 400, "invalidValue"),
    ({"op": "replace", "path": 'emails[type eq "home"].value', "value": "h@example.com"},
     400, "noTarget"),
    ({"op": "replace", "path": f"{ONEVOICE}:role", "value": "pilot"}, 400, "invalidValue"),
    ({"op": "replace", "path": "emails", "value": [{"value": "admin@example.com"}]}, 409,
     "uniqueness"),
])
def test_bad_patches_change_nothing(app, scim, operation, status, scim_type):
    agent = user_id(app, "agent@example.com")
    before = scim.get(f"/Users/{agent}").get_json(force=True)
    error_of(scim.patch(f"/Users/{agent}", {"op": "replace", "path": "displayName",
                                            "value": "Changed"}, operation), status, scim_type)
    assert scim.get(f"/Users/{agent}").get_json(force=True) == before


def test_etags(app, scim):
    agent = user_id(app, "agent@example.com")
    first = scim.get(f"/Users/{agent}")
    etag = first.headers["ETag"]
    assert scim.get(f"/Users/{agent}", headers={"If-None-Match": etag}).status_code == 304
    changed = scim.patch(f"/Users/{agent}", {"op": "replace", "path": "displayName",
                                             "value": "New"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    error_of(scim.patch(f"/Users/{agent}", {"op": "replace", "path": "displayName",
                                            "value": "Newer"}, headers={"If-Match": etag}), 412)


def test_an_agent_who_becomes_a_trainer_loses_eligibility_with_events(app, org, scim):
    agent = user_id(app, "agent@example.com")
    start = last_seq(app)
    user = scim.patch(f"/Users/{agent}", {"op": "replace", "path": f"{ONEVOICE}:role",
                                          "value": "trainer"}).get_json(force=True)
    assert user[ONEVOICE] == {"role": "trainer", "skills": "wibro wifi"}  # kept, no effect
    assert events(app, start) == [("A1", "wibro", False, "skills_changed"),
                                  ("A1", "wifi", False, "skills_changed")]
    back = scim.patch(f"/Users/{agent}", {"op": "replace", "path": f"{ONEVOICE}:role",
                                          "value": "agent"}).get_json(force=True)
    assert back[ONEVOICE] == {"role": "agent", "skills": "wibro wifi"}
    assert events(app, start)[2:] == [("A1", "wibro", True, "agent_created"),
                                      ("A1", "wifi", True, "agent_created")]


# --- deprovisioning -------------------------------------------------------------------------


def test_active_false_ends_tokens_sessions_and_eligibility(app, org, client, scim):
    token_headers = org.headers("agent@example.com")
    browser = app.test_client()
    assert login(browser, "agent@example.com").status_code == 302
    assert browser.get("/agent/").status_code == 200
    assert client.get("/api/v1/me/eligibility", headers=token_headers).status_code == 200
    agent, start = user_id(app, "agent@example.com"), last_seq(app)
    user = scim.patch(f"/Users/{agent}", {"op": "replace", "value": {"active": False}})
    assert user.get_json(force=True)["active"] is False
    assert client.get("/api/v1/me/eligibility", headers=token_headers).status_code == 401
    assert browser.get("/agent/").status_code == 302  # back to the sign-in page
    assert events(app, start) == [("A1", "wibro", False, "deactivated"),
                                  ("A1", "wifi", False, "deactivated")]
    feed = client.get(f"/api/v1/eligibility/changes?since={start}",
                      headers=org.headers("router@example.com")).json["changes"]
    assert [(c["agent"], c["skill"], c["reason"]) for c in feed] == [
        ("A1", "wibro", "deactivated"), ("A1", "wifi", "deactivated")]
    scim.patch(f"/Users/{agent}", {"op": "replace", "path": "active", "value": True})
    # Coming back does not bring the old token back: it was revoked, not just paused.
    assert client.get("/api/v1/me/eligibility", headers=token_headers).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count(ApiToken.id)).where(
            ApiToken.user_id == agent, ApiToken.revoked_at.is_(None))) == 0


def test_delete_deprovisions_and_the_person_can_come_back(app, org, client, scim):
    token_headers = org.headers("agent2@example.com")
    agent = user_id(app, "agent2@example.com")
    assert scim.delete(f"/Users/{agent}").status_code == 204
    error_of(scim.get(f"/Users/{agent}"), 404)
    error_of(scim.delete(f"/Users/{agent}"), 404)
    assert client.get("/api/v1/me/eligibility", headers=token_headers).status_code == 401
    assert "agent2@example.com" not in _emails(scim, "count=50")
    with app.app_context():
        row = db.session.get(User, agent)
        assert row.active is False and row.deleted_at is not None and row.external_id is None
    back = scim.post("/Users", user_body("agent2@example.com", externalId="A2"))
    assert back.status_code == 201 and back.get_json(force=True)["id"] == str(agent)
    assert client.get("/api/v1/me/eligibility", headers=token_headers).status_code == 401


def test_directory_sync_deactivation_revokes_tokens_too(app, org, client):
    token_headers = org.headers("agent@example.com")
    row = {"external_id": "A1", "name": "Agent", "email": "agent@example.com",
           "team": "wibro_care", "skills": ["wibro", "wifi"]}
    admin = org.headers("admin@example.com")
    assert client.put("/api/v1/agents", json=[{**row, "active": False}],
                      headers=admin).status_code == 200
    assert client.put("/api/v1/agents", json=[row], headers=admin).status_code == 200
    assert client.get("/api/v1/me/eligibility", headers=token_headers).status_code == 401


def test_staff_deactivated_on_the_people_page_lose_their_tokens(app, org, client, as_role):
    token_headers = org.headers("trainer@example.com")
    trainer = user_id(app, "trainer@example.com")
    admin = as_role("admin")
    for active in ("0", "1"):  # deactivate, then bring back
        assert admin.post(f"/admin/people/{trainer}/active",
                          data={"active": active}).status_code == 302
    assert app.test_client().get("/api/v1/ping", headers=token_headers).status_code == 401


def test_a_failure_while_writing_leaves_nothing_behind(app, org, scim, monkeypatch):
    from app.services.accounts import directory

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    agent = user_id(app, "agent@example.com")
    before = scim.get(f"/Users/{agent}").get_json(force=True)
    monkeypatch.setattr(directory, "end_sessions", broken)  # fails inside the unit of work
    with pytest.raises(RuntimeError):
        scim.patch(f"/Users/{agent}", {"op": "replace", "path": "active", "value": False},
                   {"op": "replace", "path": "displayName", "value": "Gone"})
    assert scim.get(f"/Users/{agent}").get_json(force=True) == before
