"""``Idempotency-Key`` on the API's POST endpoints: replay, refusal of reuse, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import IdempotencyKey, User, utcnow
from app.services.content import bulletins as bulletin_service
from app.services.integration import idempotency
from tests.conftest import WIFI_BULLETIN, publish_wifi

SLUG = "wibro50-wifi-login"


@pytest.fixture
def drafts(monkeypatch) -> list[str]:
    """Counts the drafts the API really creates (the work a replay must not repeat)."""
    calls: list[str] = []
    real = bulletin_service.create_draft

    def counting(source, *args, **kwargs):
        calls.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(bulletin_service, "create_draft", counting)
    return calls


@pytest.fixture
def trainer(org) -> dict:
    return org.headers("trainer@example.com")


def _keys(app) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(IdempotencyKey.key, IdempotencyKey.status).order_by(IdempotencyKey.id))]


def _post(client, headers, key=None, body=None, url="/api/v1/bulletins"):
    extra = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, json={"source": WIFI_BULLETIN} if body is None else body,
                       headers={**headers, **extra})


def test_same_key_same_request_replays_the_stored_response(client, org, trainer, drafts):
    first = _post(client, trainer, "k-1")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    second = _post(client, trainer, "k-1")
    assert second.status_code == 201 and second.headers["Idempotent-Replayed"] == "true"
    assert second.json == first.json and second.mimetype == "application/json"
    assert len(drafts) == 1
    assert _keys(org.app) == [("k-1", 201)]


def test_json_spacing_does_not_make_another_request(client, org, trainer, drafts):
    import json

    _post(client, trainer, "k-1")
    spaced = client.post("/api/v1/bulletins", data=json.dumps({"source": WIFI_BULLETIN},
                                                              indent=4),
                         content_type="application/json",
                         headers={**trainer, "Idempotency-Key": "k-1"})
    assert spaced.status_code == 201 and spaced.headers["Idempotent-Replayed"] == "true"
    assert len(drafts) == 1


@pytest.mark.parametrize(("body", "url"), [
    ({"source": WIFI_BULLETIN.replace("WiBro 30 GB", "WiBro 40 GB")}, "/api/v1/bulletins"),
    ({"change": "material"}, f"/api/v1/bulletins/{SLUG}/publish"),
], ids=["other-body", "other-path"])
def test_same_key_with_another_request_is_refused(client, org, trainer, drafts, body, url):
    _post(client, trainer, "k-1")
    response = _post(client, trainer, "k-1", body=body, url=url)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "idempotency_key_reused" and "Idempotency-Key" in error["message"]
    assert error["details"] == {"field": "Idempotency-Key"}
    assert len(drafts) == 1
    assert client.get(f"/api/v1/bulletins/{SLUG}", headers=trainer).json["status"] == "draft"


def test_keys_belong_to_one_user(client, org, trainer, drafts):
    _post(client, trainer, "shared")
    other = _post(client, org.headers("admin@example.com"), "shared")
    # not replayed: the admin's request runs, and is refused because the id now exists
    assert other.status_code == 409 and "Idempotent-Replayed" not in other.headers
    assert other.json["error"]["code"] == "bulletin_exists"
    assert len(drafts) == 2


def test_a_replayed_publish_is_not_a_conflict(client, org, trainer):
    for item in _post(client, trainer).json["items"]:
        client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}", json={"status": "approved"},
                   headers=trainer)
    url = f"/api/v1/bulletins/{SLUG}/publish"
    first = _post(client, trainer, "publish-1", body={"change": "material"}, url=url)
    again = _post(client, trainer, "publish-1", body={"change": "material"}, url=url)
    assert (first.status_code, again.status_code) == (200, 200) and again.json == first.json
    fresh = _post(client, trainer, "publish-2", body={"change": "material"}, url=url)
    assert fresh.status_code == 409  # without the key's replay, publishing twice conflicts


def test_client_errors_are_stored_and_replayed(client, org, trainer, drafts):
    bad = {"source": WIFI_BULLETIN.replace("skills: [wibro, wifi]", "skills: [telepathy]")}
    first = _post(client, trainer, "k-bad", body=bad)
    again = _post(client, trainer, "k-bad", body=bad)
    assert first.status_code == again.status_code == 422
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert len(drafts) == 1


def test_without_the_header_nothing_is_stored(client, org, trainer, drafts):
    _post(client, trainer)
    _post(client, trainer)
    assert len(drafts) == 2 and _keys(org.app) == []


def test_only_post_requests_use_the_key(client, org, trainer):
    publish_wifi(org)
    response = client.get(f"/api/v1/bulletins/{SLUG}",
                          headers={**trainer, "Idempotency-Key": "k-get"})
    assert response.status_code == 200 and _keys(org.app) == []


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "ключ"])
def test_malformed_keys_are_refused(client, org, trainer, drafts, key):
    response = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                           headers={**trainer, "Idempotency-Key": key.encode().decode("latin-1")})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_idempotency_key"
    assert drafts == []


def _user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_the_same_request_in_progress_is_a_conflict(client, org, trainer, app, drafts):
    import json

    body = json.dumps({"source": WIFI_BULLETIN}).encode()
    digest = idempotency.request_hash("POST", "/api/v1/bulletins", body)
    with app.app_context():
        idempotency.begin(_user_id(app, "trainer@example.com"), "k-busy", digest)
    response = _post(client, trainer, "k-busy")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "idempotency_key_in_use"
    assert drafts == []
    with app.app_context(), unit_of_work():  # the holder died five minutes ago: take over
        db.session.execute(update(IdempotencyKey).values(
            created_at=utcnow() - timedelta(minutes=6)))
    assert _post(client, trainer, "k-busy").status_code == 201 and len(drafts) == 1


def test_keys_expire_after_a_day(client, org, trainer, app, drafts):
    from app.worker import run_once

    _post(client, trainer, "k-old")
    with app.app_context(), unit_of_work():
        db.session.execute(update(IdempotencyKey).values(
            created_at=utcnow() - timedelta(hours=24, seconds=1)))
    again = _post(client, trainer, "k-old")  # expired: the request runs again (and the id
    assert again.status_code == 409 and "Idempotent-Replayed" not in again.headers  # exists)
    assert len(drafts) == 2 and _keys(app) == [("k-old", 409)]
    _post(client, trainer, "k-new", body={"source": WIFI_BULLETIN.replace(
        f"id: {SLUG}", "id: wibro50-wifi-other")})
    with app.app_context(), unit_of_work():
        db.session.execute(update(IdempotencyKey).where(IdempotencyKey.key == "k-old").values(
            created_at=utcnow() - timedelta(hours=25)))
    run_once(app)  # the worker forgets expired keys
    assert _keys(app) == [("k-new", 201)]


@pytest.mark.parametrize("propagate", [False, True], ids=["500-response", "exception"])
def test_server_errors_release_the_key(client, org, trainer, app, monkeypatch, propagate):
    app.config["PROPAGATE_EXCEPTIONS"] = propagate

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulletin_service, "create_draft", broken)
    if propagate:
        with pytest.raises(RuntimeError):
            _post(client, trainer, "k-retry")
    else:
        assert _post(client, trainer, "k-retry").status_code == 500
    assert _keys(app) == []
    monkeypatch.undo()
    assert _post(client, trainer, "k-retry").status_code == 201


def test_too_many_requests_are_not_stored(client, org, app):
    publish_wifi(org)
    agent = org.headers("agent@example.com")
    attempt = client.post("/api/v1/me/attempts", json={"bulletin": SLUG}, headers=agent).json
    failed = client.post(f"/api/v1/me/attempts/{attempt['id']}/submit", headers=agent).json
    assert failed["passed"] is False  # nothing answered: the cooldown starts
    retry = client.post("/api/v1/me/attempts", json={"bulletin": SLUG},
                        headers={**agent, "Idempotency-Key": "retake"})
    assert retry.status_code == 429
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_openapi_documents_the_header_on_every_post(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    posts = [operations["post"] for operations in paths.values() if "post" in operations]
    assert posts
    for post in posts:
        assert "Idempotency-Key" in [p["name"] for p in post["parameters"]
                                     if p["in"] == "header"]
        assert {"409", "422"} <= set(post["responses"])
