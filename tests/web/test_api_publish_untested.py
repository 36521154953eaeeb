"""POST /api/v1/bulletins/{slug}/publish names the facts agents are not asked about (no
approved item), as the trainer's page warns; additive to the published version's shape."""

from __future__ import annotations

from tests.conftest import WIFI_BULLETIN, publish_wifi

SLUG = "wibro50-wifi-login"


def test_publish_names_the_untested_facts(org):
    client, headers = org.app.test_client(), org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    assert created.status_code == 201, created.json
    for item in created.json["items"]:
        status = "retired" if item["fact"] == "f-plan" else "approved"
        done = client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}",
                          json={"status": status}, headers=headers)
        assert done.status_code == 200, done.json
    published = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.json
    assert published.json["status"] == "published" and "facts" in published.json
    assert published.json["untested_facts"] == [{"fact": "f-plan", "label": "Eligible plan"}]


def test_publish_with_every_fact_tested_names_none(org):
    assert publish_wifi(org)["untested_facts"] == []


def test_the_openapi_document_describes_the_untested_facts(client):
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    untested = schema["BulletinVersion"]["properties"]["untested_facts"]
    assert untested["items"]["required"] == ["fact", "label"]


def test_an_item_edit_over_a_newer_one_is_refused_through_the_api(org):
    client, headers = org.app.test_client(), org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    item = created.json["items"][0]
    url = f"/api/v1/bulletins/{SLUG}/items/{item['id']}"
    read = item["fingerprint"]
    first = client.put(url, json={"stem": "Which login?", "loaded": read}, headers=headers)
    assert first.status_code == 200 and first.json["fingerprint"] != read
    late = client.put(url, json={"stem": "Overwritten?", "loaded": read}, headers=headers)
    assert late.status_code == 409
    assert late.json["error"]["code"] == "item_changed"
    assert late.json["error"]["details"]["current"] == first.json["fingerprint"]
    now = client.get(f"/api/v1/bulletins/{SLUG}/items", headers=headers).json["items"][0]
    assert now["stem"] == "Which login?"  # nothing was saved
    unchecked = client.put(url, json={"status": "approved"}, headers=headers)  # no `loaded`
    assert unchecked.status_code == 200
    wrong = client.put(url, json={"status": "draft", "loaded": 7}, headers=headers)
    assert wrong.status_code == 400 and wrong.json["error"]["code"] == "invalid_field"
