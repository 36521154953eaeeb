"""The trainer's review workflow: edit, write by hand, regenerate, preview as an agent."""

from app.core.extensions import db
from app.models import Item
from tests.conftest import WIFI_BULLETIN


def _draft(client, org) -> tuple[dict, dict]:
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    assert created.status_code == 201
    return created.json, headers


def test_edit_item_through_the_form_marks_it_edited(client, org, as_role):
    draft, _ = _draft(client, org)
    as_role("trainer")
    key = draft["items"][0]["id"]
    page = client.get(f"/trainer/bulletins/{draft['id']}/items/{key}/edit")
    assert page.status_code == 200 and b"Edit item" in page.data
    saved = client.post(f"/trainer/bulletins/{draft['id']}/items/{key}/edit", data={
        "stem": "Which credential opens an olleh Wi-Fi hotspot now?",
        "options-0": "WiBro ID and password", "options-1": "A Wi-Fi bundle ID",
        "options-2": "", "options-3": "", "options-4": "", "correct": "0",
        "explanation": "Since 1 September the WiBro ID works on hotspots.",
    })
    assert saved.status_code == 302
    with org.app.app_context():
        item = db.session.query(Item).filter_by(key=key).one()
        assert item.edited and item.stem.startswith("Which credential")
        assert [(o.text, o.correct) for o in item.options] == [
            ("WiBro ID and password", True), ("A Wi-Fi bundle ID", False)]


def test_edit_form_without_a_correct_option_is_refused(client, org, as_role):
    draft, _ = _draft(client, org)
    as_role("trainer")
    key = draft["items"][0]["id"]
    refused = client.post(f"/trainer/bulletins/{draft['id']}/items/{key}/edit", data={
        "stem": "Changed?", "options-0": "a", "options-1": "b"})
    assert refused.status_code == 400 and b"choose the correct option" in refused.data
    with org.app.app_context():
        assert db.session.query(Item).filter_by(key=key).one().stem != "Changed?"


def test_hand_written_item_and_regeneration_keep_trainer_work(client, org):
    draft, headers = _draft(client, org)
    slug = draft["id"]
    first = draft["items"][0]
    client.put(f"/api/v1/bulletins/{slug}/items/{first['id']}",
               json={"stem": "Edited by a trainer: what do customers log in with?"},
               headers=headers)
    added = client.post(f"/api/v1/bulletins/{slug}/items", headers=headers, json={
        "fact": "f-bundle", "stem": "Does a WiBro 50 GB customer need a Wi-Fi bundle now?",
        "options": [{"text": "No", "correct": True}, {"text": "Yes", "source": "old"}]})
    assert added.status_code == 201 and added.json["id"] == "f-bundle-h1"
    regenerated = client.post(f"/api/v1/bulletins/{slug}/regenerate", headers=headers)
    items = {i["id"]: i for i in regenerated.json["items"]}
    assert items[first["id"]]["stem"].startswith("Edited by a trainer")
    assert "f-bundle-h1" in items
    assert len(items) == len(draft["items"]) + 1


def test_hand_written_item_needs_a_known_fact(client, org):
    draft, headers = _draft(client, org)
    refused = client.post(f"/api/v1/bulletins/{draft['id']}/items", headers=headers, json={
        "fact": "f-nope", "stem": "?", "options": [{"text": "a", "correct": True},
                                                   {"text": "b"}]})
    assert refused.status_code == 400
    assert refused.json["error"]["details"] == {"field": "fact"}


def test_preview_as_agent_shows_no_key(client, org, as_role):
    draft, headers = _draft(client, org)
    slug = draft["id"]
    item = draft["items"][0]
    options = [{"text": o["text"], "correct": o["correct"], "source": o["source"]}
               for o in item["options"]]
    options[[o["correct"] for o in options].index(True)]["text"] = "SENTINEL-KEY"
    client.put(f"/api/v1/bulletins/{slug}/items/{item['id']}", headers=headers,
               json={"options": options, "explanation": "SENTINEL-EXPLAIN", "status": "approved"})
    other = next(i for i in draft["items"] if i["fact"] == "f-bundle")  # the other critical fact
    client.put(f"/api/v1/bulletins/{slug}/items/{other['id']}", headers=headers,
               json={"status": "approved"})
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{slug}/preview").get_data(as_text=True)
    assert "SENTINEL-KEY" in page  # the option text is shown...
    assert "SENTINEL-EXPLAIN" not in page and "✓" not in page  # ...but not which is right


def test_preview_says_why_no_attempt_can_be_drawn(client, org, as_role):
    draft, headers = _draft(client, org)
    login = next(i for i in draft["items"] if i["fact"] == "f-login")
    client.put(f"/api/v1/bulletins/{draft['id']}/items/{login['id']}", headers=headers,
               json={"status": "approved"})
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{draft['id']}/preview").get_data(as_text=True)
    assert "critical fact has no item to draw: f-bundle" in page
    assert 'class="card question"' not in page


def test_read_receipt_is_recorded_once_and_shown_to_trainers(client, org, as_role):
    from tests.conftest import publish_wifi

    publish_wifi(org)
    as_role("agent")
    page = client.get("/agent/bulletins/wibro50-wifi-login")
    assert b"I have read version 1" in page.data
    assert client.post("/agent/bulletins/wibro50-wifi-login/acknowledge").status_code == 302
    assert b"You confirmed reading version 1" in client.get(
        "/agent/bulletins/wibro50-wifi-login").data
    client.post("/logout")
    as_role("trainer")
    review = client.get("/trainer/bulletins/wibro50-wifi-login").get_data(as_text=True)
    assert "Read receipts" in review and "1/1" in review


def test_review_page_warns_about_facts_with_too_few_items(client, org, as_role):
    draft, headers = _draft(client, org)
    slug = draft["id"]
    for item in draft["items"]:
        if item["fact"] == "f-login":
            client.put(f"/api/v1/bulletins/{slug}/items/{item['id']}",
                       json={"status": "retired"}, headers=headers)
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{slug}").get_data(as_text=True)
    assert "too few items" in page and "critical fact f-login: 0 item(s)" in page
