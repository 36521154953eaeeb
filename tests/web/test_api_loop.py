"""The whole loop through the API, exactly as product.md section 7 names it."""

from tests.conftest import publish_wifi


def _answer_all(client, headers, attempt, pick):
    for item in attempt["items"]:
        option = pick(item)
        saved = client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                           json={"option": option}, headers=headers)
        assert saved.status_code == 200, saved.json


def _correct_option(org, item_id: int) -> int:
    from app.core.extensions import db
    from app.models import ItemOption

    with org.app.app_context():
        return db.session.query(ItemOption.id).filter_by(item_id=item_id, correct=True).scalar()


def test_publish_fail_pass_cleared(client, org):
    published = publish_wifi(org)
    assert published["status"] == "published"
    agent = org.headers("agent@example.com")
    router = org.headers("router@example.com")

    before = client.get("/api/v1/agents/A1/eligibility", headers=router).json
    assert {b["skill"] for b in before["blocked"]} == {"wibro", "wifi"}

    assignments = client.get("/api/v1/me/assignments", headers=agent).json["assignments"]
    assert [a["bulletin"] for a in assignments] == ["wibro50-wifi-login"]

    attempt = client.post("/api/v1/me/attempts", json={"bulletin": "wibro50-wifi-login"},
                          headers=agent)
    assert attempt.status_code == 201
    body = attempt.json
    assert all(set(o) == {"id", "text"} for i in body["items"] for o in i["options"])
    _answer_all(client, agent, body, lambda item: item["options"][0]["id"]
                if _correct_option(org, item["id"]) != item["options"][0]["id"]
                else item["options"][1]["id"])
    failed = client.post(f"/api/v1/me/attempts/{body['id']}/submit", headers=agent).json
    assert failed["passed"] is False and failed["score"] == 0

    retry = client.post("/api/v1/me/attempts", json={"bulletin": "wibro50-wifi-login"},
                        headers=agent)
    assert retry.status_code == 429
    assert "try again at" in retry.json["error"]["message"]

    with org.app.app_context():
        from datetime import timedelta

        from app.core.database import unit_of_work
        from app.models import Attempt

        with unit_of_work() as session:  # the cooldown has passed
            row = session.get(Attempt, body["id"])
            row.submitted_at -= timedelta(minutes=11)
            row.started_at -= timedelta(minutes=11)
    second = client.post("/api/v1/me/attempts", json={"bulletin": "wibro50-wifi-login"},
                         headers=agent).json
    _answer_all(client, agent, second, lambda item: _correct_option(org, item["id"]))
    passed = client.post(f"/api/v1/me/attempts/{second['id']}/submit", headers=agent).json
    assert passed["passed"] is True and passed["score"] == 100
    again = client.post(f"/api/v1/me/attempts/{second['id']}/submit", headers=agent).json
    assert again == passed

    after = client.get("/api/v1/agents/A1/eligibility", headers=router)
    assert [c["skill"] for c in after.json["cleared"]] == ["wibro", "wifi"]
    assert after.json["version"] > before["version"]
    cached = client.get("/api/v1/agents/A1/eligibility", headers={
        **router, "If-None-Match": after.headers["ETag"]})
    assert cached.status_code == 304

    manager = org.headers("manager@example.com")
    board = client.get("/api/v1/reports/readiness", headers=manager).json
    cell = board["teams"][0]["bulletins"][0]
    assert (board["teams"][0]["team"], cell["assigned"], cell["certified"]) == ("wibro_care", 1, 1)


def test_outbox_records_every_change(client, org):
    from app.core.extensions import db
    from app.models import EligibilityEvent

    publish_wifi(org)
    with org.app.app_context():
        events = db.session.query(EligibilityEvent).order_by(EligibilityEvent.seq).all()
        # agent A1 held wibro and wifi cleared (no requirement), then blocked on publishing.
        assert [(e.skill, e.cleared, e.reason) for e in events if e.user_id == 1][-2:] == [
            ("wibro", False, "bulletin_published"), ("wifi", False, "bulletin_published")]
