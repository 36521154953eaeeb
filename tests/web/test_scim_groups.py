"""SCIM Groups = teams: members move agents between teams (eligibility and assignments
follow), managers manage the teams they are members of; discovery endpoints."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Assignment, Team, User
from tests.conftest import WIFI_BULLETIN, publish_wifi
from tests.web.scim_support import (
    GROUP,
    ONEVOICE,
    USER,
    Scim,
    error_of,
    events,
    last_seq,
    user_id,
)

ONLY_WIBRO_CARE = WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]",
                                        "teams: [wibro_care]")


@pytest.fixture
def scim(client, org):
    return Scim(client, org)


def _team(app, name: str) -> Team:
    with app.app_context():
        return db.session.scalar(select(Team).where(Team.name == name))


def _members(group: dict) -> set[str]:
    return {m["value"] for m in group.get("members", [])}


def test_list_and_filter_the_teams(scim):
    listed = scim.get("/Groups").get_json(force=True)
    assert listed["totalResults"] == 4
    care = scim.get("/Groups", query_string={"filter": 'displayName eq "wibro care"'})
    [group] = care.get_json(force=True)["Resources"]
    assert group["displayName"] == "Wibro Care" and group["schemas"] == [GROUP]
    assert len(group["members"]) == 2  # the agent and the manager who manages it
    sw = scim.get("/Groups", query_string={"filter": 'displayName sw "Wi" and not (members pr)'})
    assert {g["displayName"] for g in sw.get_json(force=True)["Resources"]} == \
        {"Wibro Sales", "Wifi Support"}
    only = scim.get("/Groups?excludedAttributes=members").get_json(force=True)
    assert all("members" not in g for g in only["Resources"])
    named = scim.get("/Groups?attributes=displayName,members").get_json(force=True)
    assert sum(len(g.get("members", [])) for g in named["Resources"]) == 3


def test_members_filter(app, scim):
    agent = user_id(app, "agent2@example.com")
    found = scim.get("/Groups", query_string={"filter": f'members[value eq "{agent}"]'})
    assert [g["displayName"] for g in found.get_json(force=True)["Resources"]] == \
        ["Wired Care"]


def test_create_a_team_with_members_moves_agents_with_eligibility(app, org, scim):
    publish_wifi(org, ONLY_WIBRO_CARE)
    agent2, manager = user_id(app, "agent2@example.com"), user_id(app, "manager@example.com")
    start = last_seq(app)
    created = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Billing Floor 2",
                                    "externalId": "G-1",
                                    "members": [{"value": str(agent2)},
                                                {"value": str(manager), "display": "M"}]})
    assert created.status_code == 201, created.json
    group = created.get_json(force=True)
    assert created.headers["Location"] == group["meta"]["location"]
    assert _members(group) == {str(agent2), str(manager)}
    assert group["externalId"] == "G-1"
    team = _team(app, "Billing Floor 2")
    assert team.code == "billing_floor_2"
    assert events(app, start) == []  # out of wired_care, into a team without requirements
    moved = scim.patch(f"/Groups/{group['id']}",
                       {"op": "remove", "path": f'members[value eq "{agent2}"]'})
    assert _members(moved.get_json(force=True)) == {str(manager)}
    care = _team(app, "Wibro Care")
    joined = scim.patch(f"/Groups/{care.id}",
                        {"op": "add", "path": "members", "value": [{"value": str(agent2)}]})
    assert str(agent2) in _members(joined.get_json(force=True))
    assert events(app, start) == [("A2", "wifi", False, "team_changed")]
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id)).where(
            Assignment.user_id == agent2)) == 1
        managed = db.session.get(User, manager).managed
        assert {t.code for t in managed} == {"wibro_care", "billing_floor_2"}
    user = scim.get(f"/Users/{agent2}").get_json(force=True)
    assert [g["display"] for g in user["groups"]] == ["Wibro Care"]


def test_members_removed_as_entra_id_sends_it(app, scim):
    care = _team(app, "Wibro Care")
    agent = user_id(app, "agent@example.com")
    removed = scim.patch(f"/Groups/{care.id}", {"op": "Remove", "path": "members",
                                                "value": [{"value": str(agent)}]})
    assert str(agent) not in _members(removed.get_json(force=True))
    assert len(_members(removed.get_json(force=True))) == 1  # the manager stays


def test_put_replaces_name_and_members_then_delete(app, scim):
    care = _team(app, "Wibro Care")
    agent = user_id(app, "agent@example.com")
    replaced = scim.put(f"/Groups/{care.id}", {"schemas": [GROUP], "displayName": "Care",
                                               "members": []})
    body = replaced.get_json(force=True)
    assert body["displayName"] == "Care" and "members" not in body
    assert _team(app, "Care").code == "wibro_care"  # the code never changes
    user = scim.get(f"/Users/{agent}").get_json(force=True)
    assert "groups" not in user
    assert scim.delete(f"/Groups/{care.id}").status_code == 204
    error_of(scim.get(f"/Groups/{care.id}"), 404)


def test_a_team_with_answered_calls_is_kept(app, org, client, scim):
    from datetime import UTC

    from app.models import utcnow

    answered = utcnow().astimezone(UTC).isoformat().replace("+00:00", "Z")
    recorded = client.post("/api/v1/calls", headers=org.headers("router@example.com"),
                           json=[{"call_id": "c1", "agent": "A1", "skill": "wifi",
                                  "answered_at": answered}])
    assert recorded.status_code == 200, recorded.json
    care = _team(app, "Wibro Care")
    assert "answered calls" in error_of(scim.delete(f"/Groups/{care.id}"), 409)
    assert scim.get(f"/Groups/{care.id}").status_code == 200


def test_delete_a_team_with_agents_leaves_them_without_a_team(app, scim):
    wired = _team(app, "Wired Care")
    agent2 = user_id(app, "agent2@example.com")
    assert scim.delete(f"/Groups/{wired.id}").status_code == 204
    with app.app_context():
        assert db.session.get(User, agent2).team_id is None


@pytest.mark.parametrize("body, status, scim_type", [
    ({"schemas": [GROUP], "displayName": "wibro CARE"}, 409, "uniqueness"),
    ({"schemas": [GROUP], "displayName": "X", "members": [{"value": "999999"}]}, 400,
     "invalidValue"),
    ({"schemas": [GROUP], "displayName": "X", "members": [{"value": "abc"}]}, 400,
     "invalidValue"),
    ({"schemas": [GROUP], "displayName": "   "}, 400, "invalidValue"),
    ({"schemas": [GROUP], "displayName": "X", "externalId": "a/b"}, 400, "invalidValue"),
    ({"schemas": [GROUP]}, 400, "invalidValue"),
    ({"schemas": [GROUP], "displayName": "X", "owner": "me"}, 400, "invalidSyntax"),
    ({"schemas": [GROUP], "displayName": "X", "members": [{"value": "1", "type": "Group"}]},
     400, "invalidValue"),
])
def test_bad_groups_are_refused_and_nothing_is_written(app, scim, body, status, scim_type):
    with app.app_context():
        before = db.session.scalar(select(func.count(Team.id)))
    error_of(scim.post("/Groups", body), status, scim_type)
    with app.app_context():
        assert db.session.scalar(select(func.count(Team.id))) == before


def test_a_bad_member_in_a_patch_changes_nothing(app, scim):
    care = _team(app, "Wibro Care")
    agent2 = user_id(app, "agent2@example.com")
    before = scim.get(f"/Groups/{care.id}").get_json(force=True)
    error_of(scim.patch(f"/Groups/{care.id}",
                        {"op": "add", "path": "members", "value": [{"value": str(agent2)}]},
                        {"op": "add", "path": "members", "value": [{"value": "424242"}]}),
             400, "invalidValue")
    assert scim.get(f"/Groups/{care.id}").get_json(force=True) == before


def test_group_etags(app, scim):
    care = _team(app, "Wibro Care")
    etag = scim.get(f"/Groups/{care.id}").headers["ETag"]
    assert scim.get(f"/Groups/{care.id}", headers={"If-None-Match": etag}).status_code == 304
    renamed = scim.patch(f"/Groups/{care.id}", {"op": "replace", "path": "displayName",
                                                "value": "Care"}, headers={"If-Match": etag})
    assert renamed.status_code == 200
    error_of(scim.delete(f"/Groups/{care.id}", headers={"If-Match": etag}), 412)


# --- discovery ------------------------------------------------------------------------------


def test_service_provider_config(scim):
    config = scim.get("/ServiceProviderConfig").get_json(force=True)
    assert config["patch"] == {"supported": True}
    assert config["filter"] == {"supported": True, "maxResults": 1000}
    assert config["etag"] == {"supported": True} and config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        error_of(scim(method, "/ServiceProviderConfig", {}), 405)


def test_resource_types_and_schemas_publish_what_onevoice_keeps(scim):
    types = scim.get("/ResourceTypes").get_json(force=True)
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    user_type = scim.get("/ResourceTypes/User").get_json(force=True)
    assert user_type["schemaExtensions"] == [{"schema": ONEVOICE, "required": True}]
    schemas = scim.get("/Schemas").get_json(force=True)
    by_id = {s["id"]: s for s in schemas["Resources"]}
    assert set(by_id) == {USER, ONEVOICE, GROUP}
    assert [a["name"] for a in by_id[USER]["attributes"]] == \
        ["userName", "displayName", "active", "emails", "groups"]
    skills = next(a for a in by_id[ONEVOICE]["attributes"] if a["name"] == "skills")
    assert skills["canonicalValues"] == ["billing", "wibro", "wifi", "wired"]
    one = scim.get(f"/Schemas/{GROUP}").get_json(force=True)
    assert [a["name"] for a in one["attributes"]] == ["displayName", "members"]
    error_of(scim.get("/Schemas/urn:nothing"), 404)
    error_of(scim.get("/ResourceTypes/Printer"), 404)
