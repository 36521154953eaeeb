"""Each role's pages through the web forms, without JavaScript."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Attempt, Bulletin, BulletinVersion, Item, ItemOption
from tests.conftest import WIFI_BULLETIN, login, publish_wifi

SLUG = "wibro50-wifi-login"
TITLE = "WiBro 50 GB customers log into olleh Wi-Fi hotspots with their WiBro ID"
HOSTILE_PROSE = ("Before <script>alert(1)</script> the change.\n\n"
                 "<img src=x onerror=alert(1)>\n\n"
                 "See [x](javascript:alert(1)) for more.\n\n")
UNPARSEABLE = WIFI_BULLETIN.replace("skills: [wibro, wifi]", "skills: [wibro, telepathy]")
ALL_TEAMS = WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]",
                                  "teams: [wibro_care, wifi_support, wired_care]")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _hostile_source() -> str:
    head, _, body = WIFI_BULLETIN.partition("---\nFrom 1 September")
    return head + "---\n" + HOSTILE_PROSE + "From 1 September" + body


def _unsafe_markup(html: str) -> list[str]:
    """Live script, event handlers or javascript: links (escaped text does not count)."""
    found = [tag for tag in re.findall(r"<script[^>]*>", html, re.IGNORECASE)
             if not re.search(r'\bsrc="/static/', tag)]
    found += re.findall(r"<[^>]*\bon[a-z]+\s*=[^>]*>", html, re.IGNORECASE)
    found += re.findall(r"<[^>]*\bhref\s*=\s*[\"']?\s*javascript:[^>]*>", html, re.IGNORECASE)
    return found


def _trainer_form(client, source: str, action: str):
    return client.post("/trainer/bulletins/new", data={"source": source, "action": action})


def _correct_options(app, item_ids) -> dict[int, int]:
    with app.app_context():
        rows = db.session.execute(select(ItemOption.item_id, ItemOption.id).where(
            ItemOption.item_id.in_(list(item_ids)), ItemOption.correct.is_(True))).all()
    return dict(rows)


def _pass_through_api(client, org) -> None:
    agent = org.headers("agent@example.com")
    attempt = client.post("/api/v1/me/attempts", json={"bulletin": SLUG}, headers=agent).json
    key = _correct_options(org.app, [i["id"] for i in attempt["items"]])
    for item in attempt["items"]:
        client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                   json={"option": key[item["id"]]}, headers=agent)
    result = client.post(f"/api/v1/me/attempts/{attempt['id']}/submit", headers=agent).json
    assert result["passed"] is True


# --- each role's home ---------------------------------------------------------------------


def test_agent_home_lists_the_assignment_and_what_is_blocked(as_role, org):
    client = as_role("agent")
    assert "Nothing is assigned to you" in _text(client.get("/agent/"))
    publish_wifi(org)
    page = client.get("/agent/")
    assert page.status_code == 200
    html = _text(page)
    assert TITLE in html and "Blocked for" in html
    assert f'action="/agent/bulletins/{SLUG}/quiz"' in html


def test_agent_reads_the_bulletin(as_role, org):
    publish_wifi(org)
    page = as_role("agent").get(f"/agent/bulletins/{SLUG}")
    assert page.status_code == 200
    html = _text(page)
    assert "<mark>WiBro 50 GB</mark>" in html and "==" not in html
    assert "Wi-Fi login credential" in html and "Take the quiz" in html


def test_agent_cannot_read_an_unpublished_bulletin(as_role, org):
    trainer = org.app.test_client()
    trainer.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                 headers=org.headers("trainer@example.com"))
    page = as_role("agent").get(f"/agent/bulletins/{SLUG}", follow_redirects=True)
    assert TITLE not in _text(page)
    assert f"no published version &#39;{SLUG}&#39;" in _text(page)


def test_admin_home_lists_users(as_role):
    html = _text(as_role("admin").get("/admin/"))
    for email in ("agent@example.com", "agent2@example.com", "trainer@example.com",
                  "manager@example.com", "admin@example.com", "router@example.com"):
        assert email in html
    assert "wibro_care" in html and "billing" in html


def test_trainer_home_lists_bulletins(as_role, org):
    client = as_role("trainer")
    assert "No bulletins yet." in _text(client.get("/trainer/"))
    publish_wifi(org)
    html = _text(client.get("/trainer/"))
    assert TITLE in html and "published" in html


# --- the trainer's forms ------------------------------------------------------------------


def test_trainer_writes_previews_saves_approves_and_publishes(as_role, org, app):
    client = as_role("trainer")
    blank = client.get("/trainer/bulletins/new")
    assert blank.status_code == 200 and 'name="source"' in _text(blank)

    preview = _trainer_form(client, WIFI_BULLETIN, "preview")
    assert preview.status_code == 200
    html = _text(preview)
    assert "<mark>WiBro 50 GB</mark>" in html and "Generated items" in html
    assert ("From 1 September 2010, what do WiBro 50 GB customers log in to olleh Wi-Fi hotspots"
            " with?") in html
    assert _count(app, Bulletin) == 0

    saved = _trainer_form(client, WIFI_BULLETIN, "save")
    assert saved.status_code == 302 and saved.location == f"/trainer/bulletins/{SLUG}"
    draft = _text(client.get(saved.location))
    assert "draft" in draft and "Approve all draft items" in draft

    approved = client.post(f"/trainer/bulletins/{SLUG}/approve-all")
    assert approved.status_code == 302
    with app.app_context():
        assert set(db.session.scalars(select(Item.status))) == {"approved"}

    published = client.post(f"/trainer/bulletins/{SLUG}/publish", data={"change": "material"})
    assert published.status_code == 302
    assert "Published." in _text(client.get(published.location))
    with app.app_context():
        assert db.session.scalars(select(BulletinVersion.status)).all() == ["published"]

    agent = app.test_client()
    login(agent, "agent@example.com")
    assert TITLE in _text(agent.get("/agent/"))


def test_trainer_approves_one_item_by_form(as_role, org, app):
    client = as_role("trainer")
    _trainer_form(client, WIFI_BULLETIN, "save")
    response = client.post(f"/trainer/bulletins/{SLUG}/items/f-login-1",
                           data={"status": "approved"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Item.key).where(Item.status == "approved")).all() \
            == ["f-login-1"]


@pytest.mark.parametrize("action", ["preview", "save"])
def test_hostile_prose_is_sanitised(as_role, org, app, action):
    client = as_role("trainer")
    response = _trainer_form(client, _hostile_source(), action)
    pages = [response]
    if action == "save":
        assert response.status_code == 302
        pages = [client.get(response.location)]
        publish = org.app.test_client()
        headers = org.headers("trainer@example.com")
        for item in publish.get(f"/api/v1/bulletins/{SLUG}/items", headers=headers).json["items"]:
            publish.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}",
                        json={"status": "approved"}, headers=headers)
        assert publish.post(f"/api/v1/bulletins/{SLUG}/publish", json={},
                            headers=headers).status_code == 200
        agent = app.test_client()
        login(agent, "agent@example.com")
        pages.append(agent.get(f"/agent/bulletins/{SLUG}"))
    for page in pages:
        html = _text(page)
        assert page.status_code == 200
        assert "Before" in html and "for more." in html
        assert _unsafe_markup(html) == []
        assert "<script>alert" not in html and "<img" not in html


def test_unparseable_bulletin_is_listed_and_not_written(as_role, app):
    client = as_role("trainer")
    for action in ("preview", "save"):
        response = _trainer_form(client, UNPARSEABLE, action)
        assert response.status_code == 400
        assert "bulletin:6: unknown call type &#39;telepathy&#39;: choose one of" in \
            _text(response)
    assert _count(app, Bulletin) == 0 and _count(app, Item) == 0


def test_empty_bulletin_form_is_refused(as_role, app):
    response = _trainer_form(as_role("trainer"), "", "save")
    assert response.status_code == 400
    assert _count(app, Bulletin) == 0


# --- the manager's board ------------------------------------------------------------------


def test_manager_sees_readiness_counts(as_role, org, client):
    publish_wifi(org)
    manager = as_role("manager")
    assert "0% <small>(0/1)</small>" in _text(manager.get("/manager/"))
    _pass_through_api(org.app.test_client(), org)
    html = _text(manager.get("/manager/"))
    assert "100% <small>(1/1)</small>" in html and TITLE in html


def test_manager_cannot_see_another_team(as_role, org, app):
    publish_wifi(org, source=ALL_TEAMS)
    admin = app.test_client()
    login(admin, "admin@example.com")
    assert "Wired Care" in _text(admin.get("/manager/?team=wired_care"))  # the data exists

    manager = as_role("manager")
    assert "Wired Care" not in _text(manager.get("/manager/"))
    response = manager.get("/manager/?team=wired_care")
    assert response.status_code in (302, 403)
    html = _text(manager.get("/manager/?team=wired_care", follow_redirects=True))
    assert "not one of your teams" in html
    assert "Wired Care" not in html and "(0/1)" not in html.split("not one of your teams")[0]


# --- the quiz, without JavaScript ---------------------------------------------------------


def _publish_with_sentinel(org) -> None:
    """The Wi-Fi bulletin with one planted key and explanation, the only item of its fact."""
    client = org.app.test_client()
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    items = created.json["items"]
    planted = next(i for i in items if i["fact"] == "f-plan" and i["kind"] == "choice")
    options = [{"text": ("SENTINEL-KEY " if o["correct"] else "") + o["text"],
                "correct": o["correct"], "source": o["source"]} for o in planted["options"]]
    changed = client.put(f"/api/v1/bulletins/{SLUG}/items/{planted['id']}", headers=headers,
                         json={"options": options, "explanation": "SENTINEL-EXPLAIN here",
                               "status": "approved"})
    assert changed.status_code == 200, changed.json
    for item in items:
        if item["id"] != planted["id"]:
            status = "retired" if item["fact"] == "f-plan" else "approved"
            client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}", json={"status": status},
                       headers=headers)
    published = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.json


def _option_markup(html: str) -> set[str]:
    """Each option's label with its ids and text taken out: it must not differ by option."""
    labels = re.findall(r'<label class="option">(.*?)</label>', html, re.DOTALL)
    assert labels
    noise = r'value="\d+"|name="item-\d+"|data-item="\d+"|<span>.*?</span>|checked'
    return {" ".join(re.sub(noise, "", label).split()) for label in labels}


def test_quiz_page_never_reveals_the_key(as_role, org, app):
    _publish_with_sentinel(org)
    client = as_role("agent")
    started = client.post(f"/agent/bulletins/{SLUG}/quiz")
    assert started.status_code == 302
    assert re.fullmatch(r"/agent/attempts/\d+", started.location)
    html = _text(client.get(started.location))
    assert "SENTINEL-KEY" in html  # the planted item was drawn
    lowered = html.lower()
    for word in ("correct", "source", "sentinel-explain", "data-correct", "explanation"):
        assert word not in lowered, word
    assert len(_option_markup(html)) == 1

    attempt_id = int(started.location.rsplit("/", 1)[1])
    api = org.app.test_client().get(f"/api/v1/me/attempts/{attempt_id}",
                                    headers=org.headers("agent@example.com"))
    assert api.status_code == 200
    body = api.get_data(as_text=True)
    assert "SENTINEL-EXPLAIN" not in body and '"correct"' not in body
    assert '"source"' not in body and '"explanation"' not in body
    assert all(set(o) == {"id", "text"} for i in api.json["items"] for o in i["options"])


def test_quiz_by_form_saves_then_submits(as_role, org, app):
    publish_wifi(org)
    client = as_role("agent")
    location = client.post(f"/agent/bulletins/{SLUG}/quiz").location
    attempt_id = int(location.rsplit("/", 1)[1])
    html = _text(client.get(location))
    item_ids = [int(i) for i in dict.fromkeys(re.findall(r'name="item-(\d+)"', html))]
    key = _correct_options(app, item_ids)
    first, rest = item_ids[0], item_ids[1:]

    saved = client.post(location, data={"action": "save", f"item-{first}": key[first]})
    assert saved.status_code == 302 and saved.location == location
    page = _text(client.get(location))
    assert "Your answers are saved." in page
    assert re.search(rf'name="item-{first}" value="{key[first]}"[^>]*checked', page)

    submitted = client.post(location, data={"action": "submit",
                                            **{f"item-{i}": key[i] for i in rest}})
    assert submitted.status_code == 302
    assert submitted.location == f"/agent/attempts/{attempt_id}/result"
    result = _text(client.get(submitted.location))
    assert "Passed" in result and "100%" in result
    assert client.get(location).location == submitted.location  # graded: no more answers
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).passed is True


def test_another_agents_attempt_is_not_found(as_role, org, app):
    publish_wifi(org, source=ALL_TEAMS)
    other = app.test_client()
    login(other, "agent2@example.com")
    location = other.post(f"/agent/bulletins/{SLUG}/quiz").location
    assert re.fullmatch(r"/agent/attempts/\d+", location)
    client = as_role("agent")
    response = client.get(location)
    assert response.status_code == 302 and "SENTINEL" not in _text(response)
    follow = _text(client.get(location, follow_redirects=True))
    assert "no attempt" in follow and 'name="item-' not in follow
