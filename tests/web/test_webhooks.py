"""Webhook endpoints through the API and the admin pages, and the outbox the services write
(bulletin.published, certification.passed, certification.expired) in their own transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ItemOption, utcnow
from app.models.webhooks import OutboxMessage, WebhookDelivery, WebhookEndpoint
from app.services.certification.eligibility import run_time_checks
from app.services.integration import webhooks
from tests.conftest import WIFI_BULLETIN, publish_wifi

ADMIN = "admin@example.com"
URL = "https://routing.example.com/hooks/onevoice"
ALL = ["agent_eligibility.updated", "bulletin.published", "certification.passed",
       "certification.expired"]


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def outbox(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(m.type, m.payload) for m in
                db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def create(client, org, body: dict):
    return client.post("/api/v1/webhook-endpoints", json=body, headers=org.headers(ADMIN))


# --- the API ------------------------------------------------------------------------------


def test_create_shows_the_secret_once(client, org):
    created = create(client, org, {"url": URL, "events": ["certification.passed",
                                                         "bulletin.published"]})
    assert created.status_code == 201
    body = created.json
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["events"] == ["bulletin.published", "certification.passed"]
    assert body["url"] == URL and body["active"] is True

    listed = client.get("/api/v1/webhook-endpoints", headers=org.headers(ADMIN))
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json["endpoints"]] == [body["id"]]
    assert "secret" not in listed.json["endpoints"][0]
    assert body["secret"] not in listed.get_data(as_text=True)
    assert body["secret"][6:] not in listed.get_data(as_text=True)


def test_delete_then_not_found(client, org):
    endpoint = create(client, org, {"url": URL, "events": ALL}).json
    url = f"/api/v1/webhook-endpoints/{endpoint['id']}"
    assert client.delete(url, headers=org.headers(ADMIN)).status_code == 204
    assert client.get("/api/v1/webhook-endpoints",
                      headers=org.headers(ADMIN)).json["endpoints"] == []
    again = client.delete(url, headers=org.headers(ADMIN))
    assert again.status_code == 404
    assert again.json["error"]["code"] == "not_found" and str(endpoint["id"]) in \
        again.json["error"]["message"]


def test_rotate_returns_a_new_secret_and_keeps_the_old_one_a_day(client, org):
    endpoint = create(client, org, {"url": URL, "events": ALL}).json
    rotated = client.post(f"/api/v1/webhook-endpoints/{endpoint['id']}/rotate",
                          headers=org.headers(ADMIN))
    assert rotated.status_code == 200
    assert rotated.json["secret"] != endpoint["secret"]
    with org.app.app_context():
        row = db.session.get(WebhookEndpoint, endpoint["id"])
        assert row.previous_secret == endpoint["secret"]
        overlap = row.previous_secret_until - utcnow()
    assert timedelta(hours=23, minutes=59) < overlap <= timedelta(hours=24)
    missing = client.post("/api/v1/webhook-endpoints/999/rotate", headers=org.headers(ADMIN))
    assert missing.status_code == 404


@pytest.mark.parametrize(("body", "code", "field", "words"), [
    ({"events": ALL}, "missing_field", "url", "'url' is required"),
    ({"url": 5, "events": ALL}, "invalid_field", "url", "'url' must be a string"),
    ({"url": "ftp://example.com/x", "events": ALL}, "invalid_url", "url", "http:// or https://"),
    ({"url": "routing.example.com", "events": ALL}, "invalid_url", "url", "http://"),
    ({"url": "https://", "events": ALL}, "invalid_url", "url", "no host"),
    ({"url": URL}, "missing_field", "events", "'events' is required"),
    ({"url": URL, "events": "bulletin.published"}, "invalid_field", "events", "array"),
    ({"url": URL, "events": []}, "invalid_events", "events", "at least one"),
    ({"url": URL, "events": ["bulletin.deleted"]}, "invalid_events", "events",
     "'bulletin.deleted'"),
    ({"url": URL, "events": [None]}, "invalid_events", "events", "strings"),
], ids=["no-url", "url-number", "ftp", "no-scheme", "no-host", "no-events", "events-string",
        "events-empty", "unknown-event", "event-null"])
def test_create_rejects_bad_bodies(client, org, body, code, field, words):
    response = create(client, org, body)
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] == code and error["details"]["field"] == field
    assert words in error["message"]
    assert count(org.app, WebhookEndpoint) == 0


def test_create_rejects_a_body_that_is_not_json(client, org):
    response = client.post("/api/v1/webhook-endpoints", data="url=x",
                           headers=org.headers(ADMIN), content_type="text/plain")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"


# --- the outbox the services write ------------------------------------------------------


def test_publishing_writes_bulletin_published(org):
    assert outbox(org.app) == []
    publish_wifi(org)
    [(kind, payload)] = outbox(org.app)
    assert kind == "bulletin.published"
    assert payload["bulletin"] == "wibro50-wifi-login" and payload["version"] == 1
    assert payload["change"] == "material" and payload["skills"] == ["wibro", "wifi"]
    assert payload["gate_at"].endswith("Z") and payload["published_at"].endswith("Z")


def test_a_refused_publish_writes_nothing(client, org):
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    refused = client.post(f"/api/v1/bulletins/{created.json['id']}/publish",
                          json={"change": "material"}, headers=headers)
    assert refused.status_code == 400  # no approved items
    assert outbox(org.app) == []


def _sit(client, org, right: bool) -> dict:
    headers = org.headers("agent@example.com")
    attempt = client.post("/api/v1/me/attempts", json={"bulletin": "wibro50-wifi-login"},
                          headers=headers).json
    with org.app.app_context():
        for item in attempt["items"]:
            key = db.session.scalar(select(ItemOption.id).where(
                ItemOption.item_id == item["id"], ItemOption.correct.is_(True)))
            option = key if right else next(o["id"] for o in item["options"] if o["id"] != key)
            client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                       json={"option": option}, headers=headers)
    return client.post(f"/api/v1/me/attempts/{attempt['id']}/submit", headers=headers).json


def test_passing_writes_certification_passed_and_failing_does_not(client, org):
    publish_wifi(org)
    assert not _sit(client, org, right=False)["passed"]
    assert [kind for kind, _ in outbox(org.app)] == ["bulletin.published"]
    with org.app.app_context(), unit_of_work():  # let the agent retake at once
        from app.models import Attempt

        for row in db.session.scalars(select(Attempt)):
            row.submitted_at = row.started_at = utcnow() - timedelta(hours=1)
    result = _sit(client, org, right=True)
    assert result["passed"]
    kind, payload = outbox(org.app)[-1]
    assert kind == "certification.passed"
    assert payload["agent"] == "A1" and payload["bulletin"] == "wibro50-wifi-login"
    assert payload["score"] == result["score"] and payload["valid_until"].endswith("Z")


def test_expiry_writes_certification_expired(client, org):
    source = WIFI_BULLETIN.replace("recertify_after_days: 180", "recertify_after_days: 1")
    assert source != WIFI_BULLETIN
    publish_wifi(org, source)
    assert _sit(client, org, right=True)["passed"]
    with org.app.app_context():
        assert run_time_checks(at=utcnow() + timedelta(days=2)) == 2
    expired = [p for kind, p in outbox(org.app) if kind == "certification.expired"]
    assert [(p["agent"], p["skill"]) for p in expired] == [("A1", "wibro"), ("A1", "wifi")]
    assert expired[0]["expired"] == [{"bulletin": "wibro50-wifi-login", "version": 1,
                                      "title": expired[0]["expired"][0]["title"]}]


def test_fan_out_sends_each_type_only_to_its_subscribers(client, org):
    only_published = create(client, org, {"url": URL, "events": ["bulletin.published"]}).json
    everything = create(client, org, {"url": URL + "/all", "events": ALL}).json
    publish_wifi(org)
    with org.app.app_context():
        assert webhooks.fan_out() > 0
        assert webhooks.fan_out() == 0  # the cursors moved: nothing twice
    rows = {}
    with org.app.app_context():
        for d in db.session.scalars(select(WebhookDelivery)):
            rows.setdefault(d.endpoint_id, []).append(d.event_type)
    assert rows[only_published["id"]] == ["bulletin.published"]
    assert sorted(set(rows[everything["id"]])) == ["agent_eligibility.updated",
                                                   "bulletin.published"]


# --- the admin pages ----------------------------------------------------------------------


def test_admin_registers_an_endpoint_and_sees_the_secret_once(as_role, org):
    client = as_role("admin")
    assert b"/admin/webhooks/" in client.get("/admin/").data  # the nav link
    page = client.post("/admin/webhooks/", data={"url": URL, "events": ALL[:2]})
    assert page.status_code == 201 and page.headers["Cache-Control"] == "no-store"
    with org.app.app_context():
        endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.secret in page.get_data(as_text=True)
    listing = client.get("/admin/webhooks/").get_data(as_text=True)
    assert URL in listing and endpoint.secret not in listing
    assert endpoint.secret not in client.get(f"/admin/webhooks/{endpoint.id}").get_data(
        as_text=True)


@pytest.mark.parametrize(("data", "words"), [
    ({"url": "ftp://x.example/", "events": ALL}, "http:// or https://"),
    ({"url": URL}, "at least one"),
], ids=["bad-url", "no-events"])
def test_admin_form_names_what_is_wrong(as_role, org, data, words):
    page = as_role("admin").post("/admin/webhooks/", data=data)
    assert page.status_code == 400
    assert words in page.get_data(as_text=True)
    assert count(org.app, WebhookEndpoint) == 0


def test_admin_disables_rotates_redelivers_and_deletes(as_role, org):
    client = as_role("admin")
    client.post("/admin/webhooks/", data={"url": URL, "events": ALL})
    publish_wifi(org)
    with org.app.app_context():
        endpoint_id = db.session.scalar(select(WebhookEndpoint.id))
        webhooks.fan_out()
        delivery = db.session.scalar(select(WebhookDelivery).order_by(WebhookDelivery.id))
    page = client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
    assert delivery.msg_id in page and "Redeliver" in page

    client.post(f"/admin/webhooks/{endpoint_id}/active", data={"active": "0"})
    assert count(org.app, WebhookEndpoint, WebhookEndpoint.active.is_(False)) == 1
    client.post(f"/admin/webhooks/{endpoint_id}/active", data={"active": "1"})
    assert count(org.app, WebhookEndpoint, WebhookEndpoint.active.is_(True)) == 1

    rotated = client.post(f"/admin/webhooks/{endpoint_id}/rotate")
    with org.app.app_context():
        secret = db.session.get(WebhookEndpoint, endpoint_id).secret
    assert rotated.status_code == 200 and secret in rotated.get_data(as_text=True)

    with org.app.app_context(), unit_of_work():
        row = db.session.get(WebhookDelivery, delivery.id)
        row.status, row.attempts = "failed", 8
    later = client.post(f"/admin/webhooks/{endpoint_id}/deliveries/{delivery.id}/redeliver")
    assert later.status_code == 302
    assert count(org.app, WebhookDelivery, WebhookDelivery.id == delivery.id,
                 WebhookDelivery.status == "pending", WebhookDelivery.attempts == 0) == 1

    assert client.post(f"/admin/webhooks/{endpoint_id}/delete").status_code == 302
    assert count(org.app, WebhookEndpoint) == 0 and count(org.app, WebhookDelivery) == 0
    assert client.get(f"/admin/webhooks/{endpoint_id}").status_code == 404


def test_why_an_endpoint_was_disabled_is_worded_for_each_reader(as_role, org):
    """The reason is stored as a code: English in the API, Korean on a Korean admin's page;
    a reason stored as a sentence before the codes is shown as it was written."""
    client = as_role("admin")
    client.post("/admin/webhooks/", data={"url": URL, "events": ALL})
    with org.app.app_context():
        endpoint_id = db.session.scalar(select(WebhookEndpoint.id))
    client.post(f"/admin/webhooks/{endpoint_id}/active", data={"active": "0"})
    listed = org.app.test_client().get("/api/v1/webhook-endpoints",
                                       headers=org.headers(ADMIN)).json["endpoints"][0]
    assert listed["disabled_reason"] == "disabled by an admin"
    client.post("/language", data={"lang": "ko"})
    assert "관리자가 비활성화함" in client.get("/admin/webhooks/").get_data(as_text=True)
    with org.app.app_context(), unit_of_work():
        db.session.get(WebhookEndpoint, endpoint_id).disabled_reason = "switched off in 2025"
    assert "switched off in 2025" in client.get(
        f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
