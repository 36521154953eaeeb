"""Answered calls: POST /api/v1/calls, the CSV import, the compliance audit and its scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Call, User, utcnow
from app.models.webhooks import OutboxMessage
from app.services.calls.answered import prune_calls, recheck
from app.services.certification import attempts
from tests.conftest import publish_wifi

ROUTER = "router@example.com"


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def call(call_id: str, agent: str = "A1", skill: str = "wifi", at: datetime | None = None):
    return {"call_id": call_id, "agent": agent, "skill": skill,
            "answered_at": iso(at or utcnow())}


def post(client, org, rows, email=ROUTER):
    return client.post("/api/v1/calls", json=rows, headers=org.headers(email))


def audit(client, org, email="admin@example.com", **query):
    return client.get("/api/v1/reports/compliance", query_string=query,
                      headers=org.headers(email))


def count_calls(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Call))


def violations_sent(app) -> list[dict]:
    with app.app_context():
        return [m.payload for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.type == "call.violation")
            .order_by(OutboxMessage.id))]


@pytest.fixture
def published(org):
    """The Wi-Fi change is gated now for wibro_care and wifi_support (A1), not wired_care (A2)."""
    publish_wifi(org)
    return org


def pass_wifi(app, email="agent@example.com"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        attempt = attempts.start(user, "wibro50-wifi-login")
        for entry in attempt.items:
            key = next(o.id for o in entry.item.options if o.correct)
            attempts.save_answer(user, attempt.id, entry.item_id, key)
        assert attempts.submit(user, attempt.id)["passed"] is True


def test_calls_are_judged_at_answered_at(client, published, app):
    answered = post(client, published, [call("c1", "A1"), call("c2", "A2")])
    assert answered.status_code == 200, answered.json
    assert answered.json == {"accepted": 2, "duplicates": 0}
    report = audit(client, published).json
    assert (report["calls"], report["compliant"], report["share"]) == (2, 1, 0.5)
    (violation,) = report["violations"]
    assert (violation["call_id"], violation["agent"], violation["skill"], violation["team"],
            violation["reason"]) == ("c1", "A1", "wifi", "wibro_care", "missing")
    assert [(m["bulletin"], m["version"]) for m in violation["missing"]] == [
        ("wibro50-wifi-login", 1)]
    (sent,) = violations_sent(app)
    assert sent == violation


def test_a_call_before_publication_or_after_passing_is_compliant(client, published, app):
    before = utcnow() - timedelta(days=2)  # the Wi-Fi change was not published yet
    pass_wifi(app)
    after = post(client, published, [call("early", at=before), call("late")])
    assert after.status_code == 200, after.json
    report = audit(client, published, **{"from": iso(before - timedelta(hours=1))}).json
    assert (report["calls"], report["compliant"], report["violations"]) == (2, 2, [])
    assert violations_sent(app) == []


def test_the_same_calls_again_are_duplicates(client, published, app):
    rows = [call("c1"), call("c2", "A2")]
    post(client, published, rows)
    again = post(client, published, rows + [call("c3", "A2")])
    assert again.json == {"accepted": 1, "duplicates": 2}
    assert count_calls(app) == 3
    assert len(violations_sent(app)) == 1


def test_a_call_id_with_other_values_is_refused(client, published, app):
    post(client, published, [call("c1")])
    changed = post(client, published, [call("c2", "A2"), call("c1", "A2")])
    assert changed.status_code == 422
    assert changed.json["error"]["code"] == "invalid_rows"
    (detail,) = changed.json["error"]["details"]
    assert (detail["row"], detail["field"]) == (1, "call_id")
    assert "recorded before with agent A1, skill wifi" in detail["message"]
    assert count_calls(app) == 1  # c2 was not written either


@pytest.mark.parametrize("row, field, message", [
    ({"agent": "NOPE"}, "agent", "no agent with external_id 'NOPE'"),
    ({"skill": "roaming"}, "skill",
     "unknown call type 'roaming'; one of billing, wibro, wifi, wired"),
    ({"answered_at": "2030-01-01 09:00"}, "answered_at", "not an RFC 3339"),
])
def test_any_bad_row_writes_nothing(client, published, app, row, field, message):
    response = post(client, published, [call("good", "A2"), {**call("bad"), **row}])
    assert response.status_code == 422
    (detail,) = response.json["error"]["details"]
    assert (detail["row"], detail["field"]) == (1, field)
    assert message in detail["message"]
    assert count_calls(app) == 0 and violations_sent(app) == []


@pytest.mark.parametrize("body", [{"call_id": "c1"}, "calls", None])
def test_the_body_must_be_an_array(client, published, body):
    response = client.post("/api/v1/calls", json=body, headers=published.headers(ROUTER))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"


def test_too_many_calls_in_one_request(client, published, monkeypatch):
    monkeypatch.setattr("app.api.calls.MAX_ROWS", 2)
    response = post(client, published, [call(f"c{n}") for n in range(3)])
    assert response.status_code == 400
    assert response.json["error"]["code"] == "too_many_rows"


@pytest.mark.parametrize("email", ["agent@example.com", "trainer@example.com",
                                   "manager@example.com"])
def test_only_the_routing_system_and_admins_report_calls(client, published, email):
    assert post(client, published, [call("c1")], email=email).status_code == 403


def test_a_manager_sees_only_their_teams(client, published):
    post(client, published, [call("c1", "A1"), call("c2", "A2")])
    own = audit(client, published, "manager@example.com").json
    assert (own["calls"], [v["call_id"] for v in own["violations"]]) == (1, ["c1"])
    other = audit(client, published, "manager@example.com", team="wired_care")
    assert other.status_code == 403
    assert audit(client, published, "trainer@example.com").status_code == 403
    assert audit(client, published, "agent@example.com").status_code == 403


def test_filters_and_pages(client, published):
    post(client, published, [call("c1"), call("c2"), call("c3", skill="wibro"),
                              call("c4", "A2")])
    wifi = audit(client, published, skill="wifi").json
    assert (wifi["calls"], len(wifi["violations"])) == (3, 2)
    team = audit(client, published, team="wired_care").json
    assert (team["calls"], team["compliant"]) == (1, 1)
    first = audit(client, published, limit="2").json
    assert [v["call_id"] for v in first["violations"]] == ["c1", "c2"]
    rest = audit(client, published, limit="2", cursor=first["next_cursor"]).json
    assert ([v["call_id"] for v in rest["violations"]], rest["next_cursor"]) == (["c3"], None)


@pytest.mark.parametrize("query, field, words", [
    ({"from": "last week"}, "from", "from"), ({"to": "2026-13-01"}, "to", "to"),
    ({"limit": "0"}, "limit", "limit"), ({"limit": "x"}, "limit", "limit"),
    ({"cursor": "-1"}, "cursor", "cursor"),
    ({"skill": "roaming"}, "skill", "unknown call type 'roaming': choose one of billing, "),
    ({"from": "2030-01-02", "to": "2030-01-01"}, "from", "from"),
])
def test_bad_report_parameters_are_named(client, published, query, field, words):
    response = audit(client, published, **query)
    assert response.status_code == 400
    assert words in response.json["error"]["message"]
    assert response.json["error"]["details"] == {"field": field}


def test_days_are_local_and_to_includes_its_day(client, published, app):
    now = utcnow()
    post(client, published, [call("c1", at=now - timedelta(seconds=5))])
    with app.app_context():
        day = db.session.scalar(select(Call.local_day))
    assert audit(client, published, **{"from": day.isoformat(), "to": day.isoformat()}
                 ).json["calls"] == 1
    yesterday = (day - timedelta(days=1)).isoformat()
    assert audit(client, published, **{"from": yesterday, "to": yesterday}).json["calls"] == 0


def test_csv_import_is_all_or_nothing_and_idempotent(client, published, app, runner, tmp_path):
    good = tmp_path / "calls.csv"
    good.write_text("call_id,agent,skill,answered_at\n"
                    f"x1,A1,wifi,{iso(utcnow())}\n"
                    f"x2,A2,wifi,{iso(utcnow())}\n", encoding="utf-8")
    result = runner.invoke(args=["calls", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["accepted: 2", "duplicates: 0", "violations: 1"]
    again = runner.invoke(args=["calls", "import", str(good)])
    assert again.output.splitlines() == ["accepted: 0", "duplicates: 2", "violations: 0"]
    bad = tmp_path / "bad.csv"
    bad.write_text("call_id,agent,skill,answered_at\n"
                   f"x3,A2,wifi,{iso(utcnow() - timedelta(minutes=1))}\n"
                   "x4,GHOST,wifi,2026-01-01T00:00:00Z\n", encoding="utf-8")
    refused = runner.invoke(args=["calls", "import", str(bad)])
    assert refused.exit_code == 1
    assert f"{bad}: row 3, agent: no agent with external_id 'GHOST'" in refused.output
    assert count_calls(app) == 2


def test_recheck_and_retention(client, published, app, runner):
    answered = utcnow() - timedelta(minutes=10)
    post(client, published, [call("c1", at=answered)])
    with app.app_context():
        user = db.session.scalar(select(User).where(User.external_id == "A1"))
        user.skills = [s for s in user.skills if s.code != "wifi"]  # a directory fix
        db.session.commit()
        assert recheck(answered - timedelta(hours=1), utcnow()) == (1, 1)
        assert db.session.scalar(select(Call.reason)) == "not_held"
        assert prune_calls(utcnow() + timedelta(days=89)) == 0
        assert prune_calls(utcnow() + timedelta(days=91)) == 1
    day = answered.date().isoformat()
    result = runner.invoke(args=["calls", "recheck", "--from", "bad", "--to", day])
    assert result.exit_code == 1 and "'from' must be a day" in result.output
    result = runner.invoke(args=["calls", "recheck", "--from", day, "--to", day])
    assert result.output.splitlines() == ["calls: 0", "verdicts changed: 0"]  # pruned


def test_the_managers_page_and_csv(client, published, as_role):
    post(client, published, [call("c1", "A1"), call("c2", "A2"), call("c3", "A1")])
    as_role("manager")
    page = client.get("/manager/compliance")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "0 of 2 calls answered by a cleared agent (0.0%)" in html
    assert html.count("/manager/agents/A1") == 2  # each violation links the agent
    assert "/bulletins/in-force?skill=wifi&amp;date=" in html  # and what was in force
    assert "version 1" in html and "<small>c2<" not in html  # A2: not the manager's team
    refused = client.get("/manager/compliance?team=wired_care")
    assert refused.status_code == 403
    csv = client.get("/manager/compliance.csv").get_data(as_text=True).lstrip("\ufeff")
    lines = csv.splitlines()
    assert lines[0] == "call_id,answered_at,agent,name,team,skill,reason,missing"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["c1", "c3"]
    assert all("+09:00" in line and "wibro50-wifi-login v1" in line for line in lines[1:])


def test_the_page_in_korean_with_no_calls(client, published, as_role):
    as_role("admin")
    client.post("/language", data={"lang": "ko"})
    html = client.get("/manager/compliance").get_data(as_text=True)
    assert "통화" in html
