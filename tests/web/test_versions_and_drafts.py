"""Ids and versions that cannot be hijacked, and drafts that can be discarded (API, pages,
import): an existing id is refused unless a new version is asked for, a stale edit is
refused with the trainer's text kept, a draft is discarded with a record and published
versions never are."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Bulletin, BulletinEvent, BulletinVersion
from app.services.accounts.accounts import create_user
from tests.conftest import PASSWORD, ROOT, WIFI_BULLETIN, login, publish_wifi

SLUG = "wibro50-wifi-login"
SECOND = WIFI_BULLETIN.replace("title: ", "title: Revised ", 1)
COPY = WIFI_BULLETIN.replace(f"id: {SLUG}", "id: wibro50-wifi-copy")


def _versions(app, slug: str = SLUG) -> list[tuple[int, str, str]]:
    with app.app_context():
        return [(v.number, v.status, v.title) for v in db.session.scalars(
            select(BulletinVersion).join(Bulletin).where(Bulletin.slug == slug)
            .order_by(BulletinVersion.number))]


def _sources(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(BulletinVersion.source)
                                       .order_by(BulletinVersion.id)))


def test_api_create_with_an_existing_id_is_409_and_writes_nothing(client, org):
    headers = org.headers("trainer@example.com")
    assert client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                       headers=headers).status_code == 201
    before = _sources(org.app)
    again = client.post("/api/v1/bulletins", json={"source": SECOND}, headers=headers)
    assert again.status_code == 409
    error = again.json["error"]
    assert error["code"] == "bulletin_exists" and SLUG in error["message"]
    assert error["details"]["id"] == SLUG and error["details"]["version"] == 1
    assert error["details"]["new_version"] == f"/api/v1/bulletins/{SLUG}/versions"
    assert _sources(org.app) == before


def test_api_new_version_is_the_next_draft_with_its_diff(client, org):
    publish_wifi(org)
    headers = org.headers("trainer@example.com")
    changed = SECOND.replace("https://example.com", "https://example.org")
    made = client.post(f"/api/v1/bulletins/{SLUG}/versions", json={"source": changed},
                       headers=headers)
    assert made.status_code == 201, made.json
    body = made.json
    assert (body["version"], body["status"], body["revision"]) == (2, "draft", "2.1")
    assert body["edited_by"] == "Trainer" and body["diff"]["from"] == 1
    assert body["diff"]["from_status"] == "published" and body["diff"]["to"] == 2
    assert any(r["new_text"].startswith("title: Revised") for r in body["diff"]["lines"])
    assert body["items"]
    assert _versions(org.app)[0][1] == "published"

    revised = client.post(f"/api/v1/bulletins/{SLUG}/versions",
                          json={"source": SECOND, "revision": "2.1"}, headers=headers)
    assert revised.status_code == 201 and revised.json["revision"] == "2.2"
    assert revised.json["diff"]["from_status"] == "draft"
    assert [v[:2] for v in _versions(org.app)] == [(1, "published"), (2, "draft")]


def test_api_new_version_refuses_another_id_an_unknown_bulletin_and_a_stale_revision(
        client, org):
    publish_wifi(org)
    headers = org.headers("trainer@example.com")
    before = _sources(org.app)
    other = client.post(f"/api/v1/bulletins/{SLUG}/versions", json={"source": COPY},
                        headers=headers)
    assert other.status_code == 400 and other.json["error"]["code"] == "id_mismatch"
    message = other.json["error"]["message"]
    assert "wibro50-wifi-copy" in message and f"'{SLUG}'" in message
    unknown = client.post("/api/v1/bulletins/no-such/versions", json={"source": COPY},
                          headers=headers)
    assert unknown.status_code == 404
    stale = client.post(f"/api/v1/bulletins/{SLUG}/versions",
                        json={"source": SECOND, "revision": "0.1"}, headers=headers)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "edit_conflict"
    assert stale.json["error"]["details"]["current"] == "1.1"
    assert _sources(org.app) == before


def test_api_discard_draft_is_recorded_and_never_touches_published(client, org):
    publish_wifi(org)
    headers = org.headers("trainer@example.com")
    client.post(f"/api/v1/bulletins/{SLUG}/versions", json={"source": SECOND},
                headers=headers)
    gone = client.delete(f"/api/v1/bulletins/{SLUG}/draft", headers=headers)
    assert gone.status_code == 200, gone.json
    assert gone.json["discarded"] == 2 and gone.json["by"] == "Trainer"
    assert _versions(org.app) == [(1, "published", _versions(org.app)[0][2])]
    with org.app.app_context():
        event = db.session.scalars(select(BulletinEvent)).one()
        assert (event.slug, event.kind, event.number) == (SLUG, "draft_discarded", 2)
        assert event.actor.email == "trainer@example.com"
    again = client.delete(f"/api/v1/bulletins/{SLUG}/draft", headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "no_draft"
    assert "never deleted" in again.json["error"]["message"]
    assert client.delete("/api/v1/bulletins/no-such/draft", headers=headers).status_code == 404
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]


def test_discarding_a_first_draft_frees_its_id(client, org):
    headers = org.headers("trainer@example.com")
    client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    assert client.delete(f"/api/v1/bulletins/{SLUG}/draft", headers=headers).status_code == 200
    with org.app.app_context():
        assert db.session.scalar(select(func.count(Bulletin.id))) == 0
    assert client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                       headers=headers).status_code == 201


def test_a_first_version_is_never_minor(client, org):
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}", json={"status": "approved"},
                   headers=headers)
    minor = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={"change": "minor"},
                        headers=headers)
    assert minor.status_code == 400 and minor.json["error"]["code"] == "first_version"
    assert _versions(org.app)[0][1] == "draft"
    done = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={}, headers=headers)
    assert done.status_code == 200 and done.json["change"] == "material"


def test_publish_page_asks_material_or_minor_only_from_the_second_version(client, org, as_role):
    headers = org.headers("trainer@example.com")
    client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    as_role("trainer")
    first = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "first version" in first and 'value="minor"' not in first
    publish_wifi(org)  # the draft revised, approved and published as version 1
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]
    client.post(f"/api/v1/bulletins/{SLUG}/versions", json={"source": SECOND}, headers=headers)
    second = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert 'value="minor"' in second and "Discard draft" in second


def test_page_refuses_an_existing_id_then_offers_a_new_version_with_its_diff(
        client, org, as_role):
    publish_wifi(org)
    as_role("trainer")
    refused = client.post("/trainer/bulletins/new", data={"source": SECOND, "action": "save"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "already exists" in page and "Create a new version of" in page
    assert "title: Revised" in page  # the trainer's text is kept
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]

    chosen = client.post("/trainer/bulletins/new", data={"source": SECOND,
                                                         "action": "as_version"})
    page = chosen.get_data(as_text=True)
    assert chosen.status_code == 200 and "What changes against version 1" in page
    assert f'name="edit" type="hidden" value="{SLUG}"' in page
    assert 'name="revision" type="hidden" value="1.1"' in page
    saved = client.post("/trainer/bulletins/new", data={
        "source": SECOND, "action": "save", "edit": SLUG, "revision": "1.1"})
    assert saved.status_code == 302
    assert [v[:2] for v in _versions(org.app)] == [(1, "published"), (2, "draft")]


def test_a_stale_edit_is_refused_and_the_text_kept(client, org, as_role, app):
    with app.app_context(), unit_of_work():
        create_user(email="trainer2@example.com", name="Second Trainer", role="trainer",
                    teams=[], skills=[], password=PASSWORD)
    publish_wifi(org)
    other = app.test_client()
    login(other, "trainer2@example.com")
    as_role("trainer")
    mine = client.get(f"/trainer/bulletins/new?edit={SLUG}").get_data(as_text=True)
    assert 'name="revision" type="hidden" value="1.1"' in mine
    theirs = other.post("/trainer/bulletins/new", data={
        "source": SECOND, "action": "save", "edit": SLUG, "revision": "1.1"})
    assert theirs.status_code == 302
    my_text = WIFI_BULLETIN.replace("title: ", "title: Mine ", 1)
    lost = client.post("/trainer/bulletins/new", data={
        "source": my_text, "action": "save", "edit": SLUG, "revision": "1.1"})
    page = lost.get_data(as_text=True)
    assert lost.status_code == 409 and "Second Trainer" in page and "Nothing was saved" in page
    assert "title: Mine" in page  # kept in the form
    assert _versions(org.app)[1][2].startswith("Revised")
    assert 'name="revision" type="hidden" value="2.1"' in page  # a second save is deliberate


def test_a_new_version_with_another_id_is_refused_on_the_page(client, org, as_role):
    publish_wifi(org)
    as_role("trainer")
    refused = client.post("/trainer/bulletins/new", data={
        "source": COPY, "action": "save", "edit": SLUG, "revision": "1.1"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "wibro50-wifi-copy" in page
    assert "Save as a new bulletin instead" in page
    assert client.post("/trainer/bulletins/new", data={
        "source": COPY, "action": "as_new", "edit": SLUG, "revision": "1.1"}).status_code == 302
    assert _versions(org.app, "wibro50-wifi-copy")[0][:2] == (1, "draft")


def test_discard_button_confirms_then_records_and_drafts_list_shows_editors(
        client, org, as_role):
    publish_wifi(org)
    as_role("trainer")
    client.post("/trainer/bulletins/new", data={
        "source": SECOND, "action": "save", "edit": SLUG, "revision": "1.1"})
    listing = client.get("/trainer/drafts").get_data(as_text=True)
    assert "Your drafts" in listing and "Revised" in listing and "Trainer" in listing
    confirm = client.get(f"/trainer/bulletins/{SLUG}/draft/discard")
    assert confirm.status_code == 200 and b"Discard draft version 2" in confirm.data
    done = client.post(f"/trainer/bulletins/{SLUG}/draft/discard", data={"revision": "2.1"})
    assert done.status_code == 302
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "Draft version 2" in page and "discarded by Trainer" in page
    published = client.get(f"/trainer/bulletins/{SLUG}/draft/discard").get_data(as_text=True)
    assert "published versions are never deleted" in published
    refused = client.post(f"/trainer/bulletins/{SLUG}/draft/discard", data={})
    assert refused.status_code == 302
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]


def test_content_import_needs_new_versions_for_a_changed_existing_id(runner, org, tmp_path):
    path, quiz = tmp_path / f"{SLUG}.md", str(ROOT / "quizzes" / f"{SLUG}.yaml")
    path.write_text(WIFI_BULLETIN, encoding="utf-8")
    assert runner.invoke(args=["content", "import", str(path), quiz]).exit_code == 0
    same = runner.invoke(args=["content", "import", str(path), quiz])
    assert same.exit_code == 0 and f"unchanged: {SLUG}" in same.output
    path.write_text(SECOND, encoding="utf-8")
    refused = runner.invoke(args=["content", "import", str(path), quiz])
    assert refused.exit_code != 0
    assert f"{path}:1: bulletin '{SLUG}' already exists" in refused.output
    assert "--new-versions" in refused.output
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]
    taken = runner.invoke(args=["content", "import", "--new-versions", str(path), quiz])
    assert taken.exit_code == 0, taken.output
    assert [v[:2] for v in _versions(org.app)] == [(1, "published"), (2, "published")]


def test_a_refused_item_edit_is_shown_again_with_the_text_and_the_reason(client, org, as_role):
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                          headers=org.headers("trainer@example.com"))
    key = created.json["items"][0]["id"]
    as_role("trainer")
    refused = client.post(f"/trainer/bulletins/{SLUG}/items/{key}/edit", data={
        "stem": "My carefully written question?", "options-0": "first", "options-1": "second",
        "options-2": "", "options-3": "", "options-4": "", "correct": "2",
        "explanation": "my explanation"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "The item was not saved:" in page
    assert "exactly one option must be correct" in page
    assert "My carefully written question?" in page and 'value="second"' in page
    assert "my explanation" in page
    assert "My carefully" not in client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)


def test_review_page_summarises_each_fact(client, org, as_role):
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    items = created.json["items"]
    client.put(f"/api/v1/bulletins/{SLUG}/items/{items[0]['id']}", json={"status": "approved"},
               headers=headers)
    client.put(f"/api/v1/bulletins/{SLUG}/items/{items[1]['id']}", json={"status": "retired"},
               headers=headers)
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    summary = page[page.index('id="summary-h"'):page.index('class="prose card"')]
    assert f"1 of {len(items)} items approved." in summary
    facts = {i["fact"] for i in items}
    rows = summary.count('<tr><th scope="row">')
    assert rows == len(facts) and summary.count("no approved item") == len(facts) - 1
    listing = client.get("/trainer/drafts").get_data(as_text=True)
    assert "Trainer" in listing  # the API's item edits count as edits of the draft


def test_refusals_speak_korean(client, org, as_role):
    ko = {"Accept-Language": "ko"}
    publish_wifi(org)
    as_role("trainer")
    collision = client.post("/trainer/bulletins/new", data={"source": SECOND, "action": "save"},
                            headers=ko).get_data(as_text=True)
    assert f"ID {SLUG} 공지가 이미 있습니다" in collision and "새 버전 만들기" in collision
    refused = client.post(f"/trainer/bulletins/{SLUG}/draft/discard", data={}, headers=ko,
                          follow_redirects=True).get_data(as_text=True)
    assert "삭제할 초안이 없습니다" in refused and "게시된 버전은 삭제할 수 없습니다" in refused
