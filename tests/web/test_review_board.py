"""The review page keeps the trainer's work: a summary per fact, filters, approving only the
ticked items (with CSRF), keyboard shortcuts, a publish section that names every untested
fact and what agents will get, and a preview drawn exactly as a real attempt."""

from __future__ import annotations

import random
import re

from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import draw
from app.models import AuditEntry, Item
from app.services.content import bulletins, review_board
from tests.conftest import WIFI_BULLETIN, publish_wifi

SLUG = "wibro50-wifi-login"


def _draft(client, org) -> tuple[list[dict], dict]:
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN}, headers=headers)
    assert created.status_code == 201
    return created.json["items"], headers


def _statuses(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Item.key, Item.status)).all())


def _approve(client, headers, keys) -> None:
    for key in keys:
        assert client.put(f"/api/v1/bulletins/{SLUG}/items/{key}", json={"status": "approved"},
                          headers=headers).status_code == 200


def test_bulk_approve_approves_only_the_ticked_items(client, org, as_role):
    items, _ = _draft(client, org)
    picked = [items[0]["id"], items[2]["id"]]
    as_role("trainer")
    done = client.post(f"/trainer/bulletins/{SLUG}/items/approve",
                       data={"items": picked, "show": "draft", "only": ""})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/trainer/bulletins/{SLUG}?status=draft#bulk-h")
    statuses = _statuses(org.app)
    assert sorted(k for k, s in statuses.items() if s == "approved") == sorted(picked)
    assert "2 items approved." in client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)


def test_bulk_approve_refuses_nothing_ticked_and_unknown_items_whole(client, org, as_role):
    items, _ = _draft(client, org)
    as_role("trainer")
    none = client.post(f"/trainer/bulletins/{SLUG}/items/approve", data={},
                       follow_redirects=True).get_data(as_text=True)
    assert "select at least one item to approve" in none
    unknown = client.post(f"/trainer/bulletins/{SLUG}/items/approve",
                          data={"items": [items[0]["id"], "f-nope-9"]},
                          follow_redirects=True).get_data(as_text=True)
    assert "no item f-nope-9" in unknown and "nothing was approved" in unknown
    assert "approved" not in set(_statuses(org.app).values())


def test_bulk_approve_needs_the_csrf_token(client, org, as_role, app):
    items, _ = _draft(client, org)
    as_role("trainer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"/trainer/bulletins/{SLUG}/items/approve",
                              data={"items": [items[0]["id"]]})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400
    assert "approved" not in set(_statuses(org.app).values())


def test_review_page_filters_by_status_and_fact(client, org, as_role):
    items, headers = _draft(client, org)
    _approve(client, headers, [items[0]["id"]])
    as_role("trainer")
    approved = client.get(f"/trainer/bulletins/{SLUG}?status=approved").get_data(as_text=True)
    shown = re.findall(r'<li id="item-([^"]+)"', approved)
    assert shown == [items[0]["id"]]
    one_fact = client.get(f"/trainer/bulletins/{SLUG}?fact=f-bundle&status=all")
    keys = re.findall(r'<li id="item-([^"]+)"', one_fact.get_data(as_text=True))
    assert keys and all(k.startswith("f-bundle") for k in keys)
    assert sorted(keys) == sorted(i["id"] for i in items if i["fact"] == "f-bundle")
    for bad in ("status=rejectedd", "fact=f-nope"):
        refused = client.get(f"/trainer/bulletins/{SLUG}?{bad}")
        assert refused.status_code == 400
    assert "f-nope" in client.get(f"/trainer/bulletins/{SLUG}?fact=f-nope").get_data(
        as_text=True)


def test_approving_one_item_keeps_the_filters(client, org, as_role):
    items, _ = _draft(client, org)
    as_role("trainer")
    key = items[1]["id"]
    done = client.post(f"/trainer/bulletins/{SLUG}/items/{key}",
                       data={"status": "retired", "show": "draft", "only": items[1]["fact"]})
    assert done.headers["Location"].endswith(
        f"?status=draft&fact={items[1]['fact']}#item-{key}")


def test_review_page_documents_its_keyboard_and_loads_the_script_from_static(
        client, org, as_role):
    _draft(client, org)
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "Keyboard shortcuts" in page and "<kbd>j</kbd>" in page and "<kbd>a</kbd>" in page
    assert '<script src="/static/review.js" defer></script>' in page
    assert "<script>" not in page  # no inline script: the CSP forbids it
    assert 'data-key-action="a"' in page and 'data-key-action="r"' in page
    assert 'data-key-action="e"' in page and 'form="bulk-approve"' in page


def test_publish_section_names_every_untested_fact_and_what_agents_get(client, org, as_role):
    items, headers = _draft(client, org)
    on = {"f-login", "f-bundle"}  # the critical facts; f-date and f-plan stay untested
    _approve(client, headers, [i["id"] for i in items if i["fact"] in on])
    approved = sum(1 for i in items if i["fact"] in on)
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    publish = page[page.index('id="pub-h"'):]
    assert (f"Agents will get 2 questions drawn from {approved} approved items; "
            "pass mark 80 %.") in publish
    facts = {i["fact"] for i in items} - on
    assert f"{len(facts)} facts have no approved item" in publish
    for key in facts:
        assert f"<code>{key}</code>" in publish
    assert "publishing is refused" not in publish  # no critical fact is untested


def test_publish_section_marks_an_untested_critical_fact_as_blocking(client, org, as_role):
    items, headers = _draft(client, org)
    _approve(client, headers, [i["id"] for i in items if i["fact"] == "f-plan"])
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    publish = page[page.index('id="pub-h"'):]
    assert publish.count("critical: publishing is refused until it has an approved item") == 2
    refused = client.post(f"/trainer/bulletins/{SLUG}/publish", data={"change": "material"},
                          follow_redirects=True).get_data(as_text=True)
    assert "critical facts without an approved item: f-login, f-bundle" in refused


def test_a_first_version_never_offers_material_or_minor(client, org, as_role):
    _draft(client, org)
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "Material: agents must certify again" not in page
    assert 'value="minor"' not in page and "first version" in page


def test_preview_draws_exactly_as_an_attempt(client, org, as_role, app):
    items, headers = _draft(client, org)
    _approve(client, headers, [i["id"] for i in items])
    with app.app_context():
        version = bulletins.latest_version(SLUG)
        mine = review_board.preview(version, random.Random(7))
        pool = [i for i in version.items if i.status == "approved"]
        real = draw.compose_attempt(
            [draw.PoolItem(i.id, i.fact.key, i.kind) for i in pool],
            {i.id: [o.id for o in i.options] for i in pool},
            facts=[f.key for f in version.facts], critical=version.critical,
            seen=(), rng=random.Random(7))
        facts = len(version.facts)
    assert [(q["id"], [o["id"] for o in q["options"]]) for q in mine] == real
    assert len(mine) == facts  # one question per fact, as an attempt
    as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}/preview").get_data(as_text=True)
    assert page.count('class="card question"') == facts
    assert "drawn exactly as a real one" in page and "fresh random seed" in page
    assert f"Agents will get {facts} questions" in page and "✓" not in page


def test_discarding_a_draft_is_in_the_audit_log(client, org, app):
    publish_wifi(org)
    headers = org.headers("trainer@example.com")
    client.post(f"/api/v1/bulletins/{SLUG}/versions", headers=headers,
                json={"source": WIFI_BULLETIN.replace("title: ", "title: Revised ", 1)})
    assert client.delete(f"/api/v1/bulletins/{SLUG}/draft", headers=headers).status_code == 200
    with app.app_context(), unit_of_work():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "draft_discarded"))
        assert entry.actor.email == "trainer@example.com"
        assert (entry.details["bulletin"], entry.details["version"]) == (SLUG, 2)
        assert entry.details["title"].startswith("Revised WiBro 50 GB customers")


def test_an_item_edited_meanwhile_is_not_overwritten_and_my_text_is_kept(
        client, org, as_role, app):
    items, headers = _draft(client, org)
    key = items[0]["id"]
    as_role("trainer")
    form = client.get(f"/trainer/bulletins/{SLUG}/items/{key}/edit").get_data(as_text=True)
    loaded = re.search(r'name="loaded" type="hidden" value="([0-9a-f]+)"', form).group(1)
    assert client.put(f"/api/v1/bulletins/{SLUG}/items/{key}", headers=headers,
                      json={"stem": "Their question, saved first?"}).status_code == 200
    mine = {"stem": "My question, typed meanwhile?", "options-0": "WiBro ID",
            "options-1": "A bundle ID", "options-2": "", "options-3": "", "options-4": "",
            "correct": "0", "explanation": "", "loaded": loaded}
    lost = client.post(f"/trainer/bulletins/{SLUG}/items/{key}/edit", data=mine)
    page = lost.get_data(as_text=True)
    assert lost.status_code == 409 and "changed by someone else" in page
    assert "My question, typed meanwhile?" in page  # my text, kept in the form
    assert "Their question, saved first?" in page  # and theirs, as saved
    with app.app_context():
        assert db.session.scalar(select(Item.stem).where(Item.key == key)).startswith("Their")
    fresh = re.search(r'name="loaded" type="hidden" value="([0-9a-f]+)"', page).group(1)
    again = client.post(f"/trainer/bulletins/{SLUG}/items/{key}/edit",
                        data={**mine, "loaded": fresh})
    assert again.status_code == 302  # saving again replaces theirs, deliberately
    with app.app_context():
        assert db.session.scalar(select(Item.stem).where(Item.key == key)).startswith("My")


def test_publishing_with_untested_facts_says_which_once_published(client, org, as_role):
    items, headers = _draft(client, org)
    _approve(client, headers, [i["id"] for i in items if i["fact"] in ("f-login", "f-bundle")])
    as_role("trainer")
    page = client.post(f"/trainer/bulletins/{SLUG}/publish", data={"change": "material"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Published." in page
    note = page[page.index("Agents are not asked about these facts"):]
    note = note[:note.index("</p>")]
    assert "Effective date (f-date)" in note and "Eligible plan (f-plan)" in note
    assert "(f-login)" not in note
