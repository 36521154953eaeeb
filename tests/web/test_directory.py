"""Directory sync: PUT /api/v1/agents, the CSV import (command line and admin page), and
creating teams and skills. All or nothing; eligibility and assignments follow the changes."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Assignment, EligibilityEvent, Skill, Team, User
from tests.conftest import WIFI_BULLETIN, publish_wifi

URL = "/api/v1/agents"
ONLY_WIBRO_CARE = WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]",
                                        "teams: [wibro_care]")
assert ONLY_WIBRO_CARE != WIFI_BULLETIN


def agent(external_id="A3", **changes) -> dict:
    row = {"external_id": external_id, "name": f"Agent {external_id}",
           "email": f"{external_id.lower()}@example.com", "team": "wired_care",
           "skills": ["wired"], "active": True}
    return {**row, **changes}


# The org fixture's agents as the directory would send them.
A1 = agent("A1", name="Agent", email="agent@example.com", team="wibro_care",
           skills=["wibro", "wifi"])
A2 = agent("A2", name="Agent2", email="agent2@example.com", skills=["wired", "wifi"])


def put(client, org, rows, email="admin@example.com"):
    return client.put(URL, json=rows, headers=org.headers(email))


def snapshot(app) -> dict:
    """Every user's directory fields, and the counts of events and assignments."""
    with app.app_context():
        users = {u.email: (u.external_id, u.name, u.team.code if u.team else None,
                           tuple(sorted(u.skill_codes)), u.active)
                 for u in db.session.scalars(select(User))}
        events = db.session.scalar(select(func.count()).select_from(EligibilityEvent))
        assignments = db.session.scalar(select(func.count()).select_from(Assignment))
    return {"users": users, "events": events, "assignments": assignments}


def events(app, after: int = 0) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(User.external_id, EligibilityEvent.skill, EligibilityEvent.cleared,
                   EligibilityEvent.reason)
            .join(User, User.id == EligibilityEvent.user_id)
            .where(EligibilityEvent.seq > after).order_by(EligibilityEvent.seq)).all()
    return [tuple(r) for r in rows]


def last_seq(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0


# --- PUT /agents ------------------------------------------------------------------------------


def test_upsert_counts_created_updated_unchanged(client, org):
    response = put(client, org, [A1, {**A2, "name": "Lee Min-ji"}, agent("A3"),
                                 agent("A4", skills=[], team="wibro_sales")])
    assert response.status_code == 200, response.json
    assert response.json == {"created": 2, "updated": 1, "unchanged": 1,
                             "eligibility_changes": 1}
    with org.app.app_context():
        a3 = db.session.scalar(select(User).where(User.external_id == "A3"))
        assert (a3.role, a3.email, a3.team.code, sorted(a3.skill_codes), a3.active) == \
            ("agent", "a3@example.com", "wired_care", ["wired"], True)
        assert a3.password_hash is None  # signs in once an admin gives a password
    again = put(client, org, [A1, {**A2, "name": "Lee Min-ji"}, agent("A3"),
                              agent("A4", skills=[], team="wibro_sales")])
    assert again.json == {"created": 0, "updated": 0, "unchanged": 4, "eligibility_changes": 0}


def test_new_agent_is_readable_by_the_routing_system(client, org):
    put(client, org, [agent("A3", skills=["wired", "billing"])])
    document = client.get("/api/v1/agents/A3/eligibility",
                          headers=org.headers("router@example.com")).json
    assert [c["skill"] for c in document["cleared"]] == ["billing", "wired"]
    assert events(org.app) [-2:] == [("A3", "billing", True, "agent_created"),
                                     ("A3", "wired", True, "agent_created")]


@pytest.mark.parametrize(("rows", "expected"), [
    ([A1, agent("A3", team="moon_base")], [(1, "team", "unknown team 'moon_base'")]),
    ([agent("A3", skills=["wired", "telepathy"])],
     [(0, "skills",
       "unknown call type 'telepathy': choose one of billing, wibro, wifi, wired")]),
    ([agent("A3"), agent("A3", email="other@example.com")],
     [(1, "external_id", "'A3' appears again (first on row 0)")]),
    ([agent("A3", email="trainer@example.com")],
     [(0, "email", "trainer@example.com belongs to another user")]),
    ([{**A1, "external_id": None}, "A4"],
     [(0, "external_id", "'external_id' is required"), (1, None, "each row must be an object")]),
], ids=["team", "skill", "repeat", "email-taken", "several"])
def test_any_bad_row_writes_nothing(client, org, rows, expected):
    before = snapshot(org.app)
    response = put(client, org, rows)
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid_rows" and "nothing was written" in error["message"]
    assert [(d["row"], d["field"]) for d in error["details"]] == [(r, f) for r, f, _ in expected]
    for detail, (_r, _f, words) in zip(error["details"], expected, strict=True):
        assert words in detail["message"]
    assert snapshot(org.app) == before


@pytest.mark.parametrize("body", [{"external_id": "A3"}, "A3"])
def test_body_must_be_an_array(client, org, body):
    response = put(client, org, body)
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"


def test_empty_array_changes_nothing(client, org):
    assert put(client, org, []).json == {"created": 0, "updated": 0, "unchanged": 0,
                                         "eligibility_changes": 0}


def test_agents_missing_from_the_array_are_left_alone(client, org):
    put(client, org, [agent("A3")])
    with org.app.app_context():
        active = dict(db.session.execute(select(User.external_id, User.active)
                                         .where(User.role == "agent")).all())
    assert active == {"A1": True, "A2": True, "A3": True}


def test_agent_without_external_id_is_linked_by_email(client, org, runner):
    result = runner.invoke(args=["users", "create", "--email", "hand@example.com", "--name",
                                 "By Hand", "--role", "agent", "--team", "wired_care"])
    assert result.exit_code == 0, result.output
    response = put(client, org, [agent("H1", email="hand@example.com", name="By Hand")])
    assert response.json["created"] == 0 and response.json["updated"] == 1
    with org.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "hand@example.com"))
        assert (user.external_id, sorted(user.skill_codes)) == ("H1", ["wired"])


def test_changes_recompute_eligibility_with_their_causes(client, org):
    publish_wifi(org, ONLY_WIBRO_CARE)  # wibro and wifi, only for wibro_care
    start = last_seq(org.app)
    put(client, org, [{**A1, "skills": ["wibro", "wifi", "wired"]},  # gains a skill
                      {**A2, "team": "wibro_care"},  # moves into the bulletin's audience
                      agent("A3", active=False)])  # arrives inactive: nothing cleared
    assert events(org.app, start) == [("A1", "wired", True, "skills_changed"),
                                      ("A2", "wifi", False, "team_changed")]
    start = last_seq(org.app)
    put(client, org, [{**A2, "team": "wibro_care", "active": False}, agent("A3")])
    assert events(org.app, start) == [("A2", "wired", False, "deactivated"),
                                      ("A3", "wired", True, "reactivated")]
    start = last_seq(org.app)
    put(client, org, [{**A2, "team": "wibro_care"}])
    assert events(org.app, start) == [("A2", "wired", True, "reactivated")]


def test_gaining_a_skill_or_moving_team_brings_assignments(client, org):
    publish_wifi(org, ONLY_WIBRO_CARE)

    def assigned(external_id):
        with org.app.app_context():
            return db.session.scalar(select(func.count(Assignment.id)).join(User)
                                     .where(User.external_id == external_id))

    assert (assigned("A2"), assigned("A3")) == (0, 0)
    put(client, org, [{**A2, "team": "wibro_care"},
                      agent("A3", team="wibro_care", skills=["wifi"])])
    assert (assigned("A2"), assigned("A3")) == (1, 1)
    document = client.get("/api/v1/agents/A3/eligibility",
                          headers=org.headers("router@example.com")).json
    assert [b["skill"] for b in document["blocked"]] == ["wifi"]


def test_a_failure_while_writing_leaves_nothing_behind(client, org, monkeypatch):
    from app.services.accounts import directory

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = snapshot(org.app)
    monkeypatch.setattr(directory, "recompute", broken)
    with pytest.raises(RuntimeError), org.app.app_context():
        directory.sync_agents(directory.rows_from_json([agent("A3"), {**A1, "skills": []}]))
    assert snapshot(org.app) == before


def test_deactivated_agent_can_no_longer_use_the_api(client, org):
    headers = org.headers("agent@example.com")
    assert client.get("/api/v1/me/eligibility", headers=headers).status_code == 200
    put(client, org, [{**A1, "active": False}])
    assert client.get("/api/v1/me/eligibility", headers=headers).status_code == 401
    document = client.get("/api/v1/agents/A1/eligibility",
                          headers=org.headers("router@example.com")).json
    assert document["active"] is False and document["cleared"] == []


# --- the CSV file: command line ----------------------------------------------------------------

CSV_HEADER = "external_id,name,email,team,skills,active\n"


def write(tmp_path, text: str, name="directory.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_directory_import_command(runner, org, tmp_path):
    path = write(tmp_path, CSV_HEADER
                 + "A1,Agent,agent@example.com,wibro_care,wibro;wifi,true\n"
                 + "A3,Park Ji-ho,park@example.com,wired_care,wired billing,\n"
                 + "A4,Choi,choi@example.com,wifi_support,,no\n")
    result = runner.invoke(args=["directory", "import", path])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["created: 2", "updated: 0", "unchanged: 1",
                                          "eligibility changes: 2"]
    with org.app.app_context():
        a4 = db.session.scalar(select(User).where(User.external_id == "A4"))
        assert (a4.active, a4.team.code, a4.skill_codes) == (False, "wifi_support", frozenset())


def test_directory_import_reports_file_rows_and_writes_nothing(runner, org, tmp_path):
    path = write(tmp_path, CSV_HEADER
                 + "A3,Park,park@example.com,wired_care,wired,true\n"
                 + "\n"
                 + "A4,Choi,choi@example.com,moon_base,wired;telepathy,true\n"
                 + "A5,Han,han@example.com,wired_care,wired,sometimes\n")
    before = snapshot(org.app)
    result = runner.invoke(args=["directory", "import", path])
    assert result.exit_code == 1
    assert f"{path}: row 4, skills: unknown call type 'telepathy': choose one of" in result.output
    assert f"{path}: row 4, team: unknown team 'moon_base'" in result.output
    assert f"{path}: row 5, active: 'sometimes' is not one of" in result.output
    assert "3 problem(s); nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert snapshot(org.app) == before


def test_directory_import_refuses_a_file_that_is_not_utf8(runner, org, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((CSV_HEADER + "A3,Ma\xf1ana,m@example.com,wired_care,wired,\n")
                     .encode("latin-1"))
    result = runner.invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


# --- the CSV file: admin page ------------------------------------------------------------------


def upload(client, text: str):
    return client.post("/admin/directory", data={
        "file": (io.BytesIO(text.encode("utf-8")), "directory.csv")},
        content_type="multipart/form-data")


def test_admin_uploads_a_directory_file(as_role, org):
    admin = as_role("admin")
    page = admin.get("/admin/directory")
    assert page.status_code == 200 and b'type="file"' in page.data
    response = upload(admin, "\ufeff" + CSV_HEADER + "A3,Park,park@example.com,wired_care,wired,\n")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Directory imported." in html and "Created: 1" in html


def test_admin_upload_lists_every_problem_and_writes_nothing(as_role, org):
    before = snapshot(org.app)
    response = upload(as_role("admin"), CSV_HEADER
                      + "A3,Park,park@example.com,moon_base,wired,\n"
                      + "A4,Choi,not-an-address,wired_care,wired,\n")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported: 2 problem(s)" in html
    assert "<td>2</td><td>team</td><td>unknown team &#39;moon_base&#39;: choose one of " in html
    assert "<td>3</td><td>email</td>" in html
    assert snapshot(org.app) == before


def test_admin_upload_without_a_file_is_refused(as_role, org):
    response = as_role("admin").post("/admin/directory", data={},
                                     content_type="multipart/form-data")
    assert response.status_code == 400 and b"choose a CSV file" in response.data


# --- teams and skills ---------------------------------------------------------------------------


def test_teams_and_skills_create_commands(runner, org):
    result = runner.invoke(args=["teams", "create", "busan_care", "Busan", "Care"])
    assert result.exit_code == 0 and "created team busan_care (Busan Care)" in result.output
    result = runner.invoke(args=["skills", "create", "roaming", "Roaming"])
    assert result.exit_code == 0, result.output
    assert "busan_care\tBusan Care" in runner.invoke(args=["teams", "list"]).output
    assert "roaming\tRoaming" in runner.invoke(args=["skills", "list"]).output


@pytest.mark.parametrize(("args", "message"), [
    (["teams", "create", "wired_care", "Again"], "team 'wired_care' exists already"),
    (["skills", "create", "Roaming", "Roaming"], "skill code 'Roaming' must match"),
    (["skills", "create", "roaming"], "Missing argument 'NAME"),
], ids=["exists", "code", "no-name"])
def test_teams_and_skills_create_refuse_bad_input(runner, org, args, message):
    before = (_count(org.app, Team), _count(org.app, Skill))
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output
    assert (_count(org.app, Team), _count(org.app, Skill)) == before


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_admin_creates_teams_and_skills(as_role, org):
    admin = as_role("admin")
    response = admin.post("/admin/teams", data={"team-code": "busan_care",
                                                "team-name": "Busan Care"})
    assert response.status_code == 302 and response.location.endswith("/admin/#teams")
    admin.post("/admin/skills", data={"skill-code": "roaming", "skill-name": "Roaming"})
    html = admin.get("/admin/").get_data(as_text=True)
    assert "<code>busan_care</code> Busan Care" in html and "<code>roaming</code> Roaming" in html
    assert "Created team busan_care (Busan Care)." in html
    assert "Created skill roaming (Roaming)." in html


@pytest.mark.parametrize(("data", "message"), [
    ({"team-code": "wired_care", "team-name": "Again"}, "team &#39;wired_care&#39; exists already"),
    ({"team-code": "Bad Code", "team-name": "Bad"}, "must match"),
    ({"team-code": "busan"}, "team name: This field is required."),
], ids=["exists", "code", "no-name"])
def test_admin_team_form_refuses_bad_input(as_role, org, data, message):
    admin = as_role("admin")
    before = _count(org.app, Team)
    response = admin.post("/admin/teams", data=data, headers={"Referer": "/admin/"},
                          follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert _count(org.app, Team) == before
