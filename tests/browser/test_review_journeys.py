"""Trainers in a real browser, in English at 1440 px and in Korean at 375 px: ids that cannot be
hijacked, edits that cannot overwrite each other, item edits and reviews that keep the
trainer's work, and the whole journey of a new version (counted in page loads, not seconds).

Elements are found by their names and ids (the same in both languages); what the trainer reads
is checked in the page's language. The Markdown source editor is used throughout.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import select

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import Assignment, Bulletin, BulletinVersion, Item, User
from app.services.accounts.accounts import create_user
from tests.conftest import PASSWORD, WIFI_BULLETIN, publish_wifi

from .conftest import DESKTOP, MOBILE
from .test_accessibility import AXE, AXE_RUN, FAILING_IMPACTS, WCAG_TAGS

SLUG = "wibro50-wifi-login"
CASES = [pytest.param("en", DESKTOP, id="en-1440"), pytest.param("ko", MOBILE, id="ko-375")]
TEXT = {
    "en": {"exists": f"A bulletin with the id {SLUG} already exists",
           "changes": "What changes against version 1", "changed": "Changed:",
           "conflict": "Someone saved this bulletin after you opened it",
           "item_refused": "The item was not saved:", "two_options": "write at least 2 options",
           "approved": "items approved.", "plan": "Agents will get"},
    "ko": {"exists": f"ID {SLUG} 공지가 이미 있습니다",
           "changes": "버전 1 대비 바뀌는 내용", "changed": "변경:",
           "conflict": "이 공지를 연 뒤에 다른 사람이 저장했습니다",
           "item_refused": "문항을 저장하지 않았습니다:",
           "two_options": "선택지를 2개 이상", "approved": "개를 승인했습니다.",
           "plan": "상담사는 승인된 문항"},
}
# Two facts of the Wi-Fi bulletin changed, as a trainer would edit them in the source.
TWO_FACTS = (("{#f-date type=date}: 2010-09-01", "{#f-date type=date}: 2010-10-01"),
             ("then warm-transfer to Wi-Fi support (was:",
              "then warm-transfer to the Wi-Fi desk (was:"),
             ("then warm-transfer to Wi-Fi support.\"}",  # its statement says the new value
              "then warm-transfer to the Wi-Fi desk.\"}"))


def _speak(app, lang: str, *emails: str) -> None:
    """Store ``lang`` as these people's language (the sign-in page stays in English)."""
    with app.app_context(), unit_of_work():
        for user in db.session.scalars(select(User).where(User.email.in_(emails))):
            user.locale = lang


def _versions(app) -> list[tuple[int, str, str | None, str]]:
    with app.app_context():
        return [(v.number, v.status, v.change, v.title) for v in db.session.scalars(
            select(BulletinVersion).join(Bulletin).where(Bulletin.slug == SLUG)
            .order_by(BulletinVersion.number))]


def _statuses(app) -> dict[str, str]:
    with app.app_context():
        version = db.session.scalar(select(BulletinVersion).order_by(
            BulletinVersion.id.desc()).limit(1))
        return dict(db.session.execute(select(Item.key, Item.status)
                                       .where(Item.version_id == version.id)).all())


def _unexpected(visitor, expected_status: int | None = None) -> list[str]:
    """What went wrong in the browser, besides the refusal the test provokes."""
    if not expected_status:
        return visitor.problems()
    allowed = (f"HTTP {expected_status}: POST ",
               f"console: Failed to load resource: the server responded with a status of "
               f"{expected_status} ")
    return [p for p in visitor.problems() if not p.startswith(allowed)]


def _axe(page, label: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (a refusal, a diff:
    states the page sweep of test_accessibility.py does not reach)."""
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE} missing): run `npm ci`"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")  # DevTools: not CSP-bound
    return [f"{label}: {v['impact']} {v['id']} ({v['help']}) at {target}"
            for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in FAILING_IMPACTS
            for target in v["targets"]]


def _changed(source: str) -> str:
    for old, new in TWO_FACTS:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_an_existing_id_is_refused_until_a_new_version_is_chosen(lang, viewport, org, visit):
    publish_wifi(org)
    _speak(org.app, lang, "trainer@example.com")
    visitor = visit("trainer@example.com", viewport)
    page, text = visitor.page, TEXT[lang]
    page.goto("/trainer/bulletins/new")
    pasted = _changed(WIFI_BULLETIN).replace("title: ", "title: Copied ", 1)
    page.locator("#source").fill(pasted)
    page.locator("button[name=action][value=save]").click()
    refusal = page.locator("#save-errors")
    expect(refusal).to_contain_text(text["exists"])
    expect(page.locator("#source")).to_have_value(pasted)  # the pasted text is kept
    assert [v[:2] for v in _versions(org.app)] == [(1, "published")]
    found = _axe(page, "refused")

    page.locator("button[name=action][value=as_version]").click()
    changes = page.locator("section[aria-labelledby=changes-h]")
    expect(changes.get_by_role("heading")).to_have_text(text["changes"])
    expect(changes.locator("ul.changes li")).to_have_count(2)
    for key in ("f-date", "f-route"):
        expect(changes.locator("li", has_text=key)).to_contain_text(text["changed"])
    expect(page.locator("input[name=edit]")).to_have_value(SLUG)
    page.locator("details.line-diff summary").click()  # the file's lines, side by side
    expect(page.locator("details.line-diff ins", has_text="2010-10-01")).to_be_visible()
    expect(page.locator("details.line-diff del", has_text="2010-09-01")).to_be_visible()
    found += _axe(page, "new version and its diff")
    assert found == [], "\n".join(found)
    page.locator("button[name=action][value=save]").click()
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))

    publish = page.locator("section[aria-labelledby=pub-h]")
    expect(publish.locator("input[name=change]")).to_have_count(2)  # material or minor
    publish.locator("input[name=change][value=minor]").check()
    publish.locator("button[type=submit]").click()
    expect(page.locator("p.flash.ok")).to_be_visible()
    assert [v[:3] for v in _versions(org.app)] == [(1, "published", "material"),
                                                  (2, "published", "minor")]
    assert _unexpected(visitor, 409) == []


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_a_brand_new_bulletin_never_offers_material_or_minor(lang, viewport, org, visit):
    _speak(org.app, lang, "trainer@example.com")
    visitor = visit("trainer@example.com", viewport)
    page = visitor.page
    page.goto("/trainer/bulletins/new")
    page.locator("#source").fill(WIFI_BULLETIN)
    page.locator("button[name=action][value=save]").click()
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))
    publish = page.locator("section[aria-labelledby=pub-h]")
    expect(publish.locator("button[type=submit]")).to_be_visible()
    expect(publish.locator("input[type=radio]")).to_have_count(0)
    expect(publish.locator("input[name=change][type=hidden]")).to_have_value("material")
    assert _unexpected(visitor) == []


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(
        lang, viewport, org, visit, app):
    with app.app_context(), unit_of_work():
        create_user(email="trainer2@example.com", name="Second Trainer", role="trainer",
                    teams=[], skills=[], password=PASSWORD)
    publish_wifi(org)
    _speak(org.app, lang, "trainer@example.com", "trainer2@example.com")
    first = visit("trainer@example.com", viewport)
    second = visit("trainer2@example.com", viewport)
    for visitor in (first, second):  # both open the editor on the same version
        visitor.page.goto(f"/trainer/bulletins/new?edit={SLUG}")
        expect(visitor.page.locator("input[name=revision]")).to_have_value("1.1")
    theirs = WIFI_BULLETIN.replace("title: ", "title: Theirs ", 1)
    first.page.locator("#source").fill(theirs)
    first.page.locator("button[name=action][value=save]").click()
    expect(first.page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))

    mine = _changed(WIFI_BULLETIN).replace("title: ", "title: Mine ", 1)
    page = second.page
    page.locator("#source").fill(mine)
    page.locator("button[name=action][value=save]").click()
    refusal = page.locator("#save-errors")
    expect(refusal).to_contain_text(TEXT[lang]["conflict"])
    expect(refusal).to_contain_text("Trainer")  # who saved first
    expect(page.locator("#source")).to_have_value(mine)  # my typing, not lost
    expect(page.locator("section[aria-labelledby=changes-h]")).to_be_visible()
    assert _versions(org.app)[1][3].startswith("Theirs")  # theirs was not overwritten
    expect(page.locator("input[name=revision]")).to_have_value("2.1")
    found = _axe(page, "edit conflict")
    assert found == [], "\n".join(found)

    page.locator("button[name=action][value=save]").click()  # again: replace theirs, on purpose
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))
    assert _versions(org.app)[1][3].startswith("Mine")
    assert _unexpected(first) == [] and _unexpected(second, 409) == []


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_an_invalid_item_edit_is_shown_again_with_my_text(lang, viewport, org, visit, client):
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                          headers=org.headers("trainer@example.com"))
    key = created.json["items"][0]["id"]
    _speak(org.app, lang, "trainer@example.com")
    visitor = visit("trainer@example.com", viewport)
    page = visitor.page
    page.goto(f"/trainer/bulletins/{SLUG}")
    page.locator(f"#item-{key} a.edit-link").click()
    expect(page).to_have_url(re.compile(rf"/items/{key}/edit$"))
    page.locator("#stem").fill("My carefully written question, kept?")
    page.locator("#explanation").fill("My explanation, kept too.")
    for n in range(1, 5):
        page.locator(f"#option-{n}").fill("")
    page.locator("#option-0").fill("Only one option")
    page.locator("#correct-0").check()
    page.locator("form.card button[type=submit]").click()
    alert = page.locator("main [role=alert]")
    expect(alert).to_contain_text(TEXT[lang]["item_refused"])
    expect(alert).to_contain_text(TEXT[lang]["two_options"])
    expect(page.locator("#stem")).to_have_value("My carefully written question, kept?")
    expect(page.locator("#option-0")).to_have_value("Only one option")
    expect(page.locator("#explanation")).to_have_value("My explanation, kept too.")
    found = _axe(page, "refused item edit")
    assert found == [], "\n".join(found)
    with org.app.app_context():
        assert not db.session.scalar(select(Item.edited).where(Item.key == key))
    assert _unexpected(visitor, 400) == []


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_bulk_approve_by_keyboard_and_checkboxes_approves_only_the_ticked(
        lang, viewport, org, visit, client):
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                          headers=org.headers("trainer@example.com"))
    keys = [i["id"] for i in created.json["items"]]
    _speak(org.app, lang, "trainer@example.com")
    visitor = visit("trainer@example.com", viewport)
    page = visitor.page
    page.goto(f"/trainer/bulletins/{SLUG}")
    expect(page.locator("#review-keys")).to_be_visible()  # the script shows the shortcuts
    page.keyboard.press("j")
    focused = page.locator(f"#item-{keys[0]}")
    expect(focused).to_be_focused()
    outline = focused.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "the item the keyboard is on has no visible focus"
    page.keyboard.press("x")  # tick the first item
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")  # and the third
    expect(page.locator(f"#item-{keys[2]}")).to_be_focused()
    page.locator(f"#item-{keys[3]} input[name=items]").check()  # the fourth, by pointer
    page.locator("#bulk-approve button[type=submit]").click()
    expect(page.locator("p.flash.ok")).to_contain_text(TEXT[lang]["approved"])
    picked = {keys[0], keys[2], keys[3]}
    statuses = _statuses(org.app)
    assert {k for k, s in statuses.items() if s == "approved"} == picked
    found = _axe(page, "review page after a bulk approve")
    assert found == [], "\n".join(found)

    page.locator(f"#item-{keys[1]}").focus()
    page.keyboard.press("r")  # retire (reject) the second, from the keyboard
    expect(page.locator(f"#item-{keys[1]}")).to_be_focused()  # back at the same item
    assert _statuses(org.app)[keys[1]] == "retired"
    page.keyboard.press("a")  # and approve it after all
    expect(page.locator(f"#item-{keys[1]}")).to_have_class(re.compile("status-approved"))
    assert _unexpected(visitor) == []


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_journey_new_version_with_two_facts_changed_published_as_material(
        lang, viewport, org, visit):
    """From the published bulletin to its material version 2, counting the page loads."""
    publish_wifi(org)
    _speak(org.app, lang, "trainer@example.com")
    visitor = visit("trainer@example.com", viewport)
    page = visitor.page
    page.wait_for_load_state("load")  # the sign-in's landing page is not one of the steps
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(f"/trainer/bulletins/{SLUG}")  # 1: the bulletin
    page.locator(f"main a[href$='/trainer/bulletins/new?edit={SLUG}']").click()  # 2: its text
    source = page.locator("#source").input_value()
    page.locator("#source").fill(_changed(source))
    page.locator("button[name=action][value=preview]").click()  # 3: what changes
    expect(page.locator("section[aria-labelledby=changes-h] ul.changes li")).to_have_count(2)
    page.locator("button[name=action][value=save]").click()  # 4: saved, on the review page
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))
    page.locator("#filter-status").select_option("draft")
    page.locator("form.filters button[type=submit]").click()  # 5: only the new items
    boxes = page.locator("input[name=items][form=bulk-approve]")
    expect(boxes.first).to_be_visible()
    found = _axe(page, "review page filtered to drafts")
    assert found == [], "\n".join(found)
    for n in range(boxes.count()):
        boxes.nth(n).check()
    page.locator("#bulk-approve button[type=submit]").click()  # 6: approved
    expect(page.locator("p.flash.ok")).to_contain_text(TEXT[lang]["approved"])
    publish = page.locator("section[aria-labelledby=pub-h]")
    expect(publish.locator("#quiz-plan")).to_contain_text(TEXT[lang]["plan"])
    publish.locator("input[name=change][value=material]").check()
    publish.locator("button[type=submit]").click()  # 7: published
    expect(page.locator("p.flash.ok")).to_be_visible()

    assert [v[:3] for v in _versions(org.app)] == [(1, "published", "material"),
                                                  (2, "published", "material")]
    assert "draft" not in set(_statuses(org.app).values())
    with org.app.app_context():  # agents must certify again: version 2 is assigned
        assert db.session.scalar(
            select(Assignment).join(User, User.id == Assignment.user_id)
            .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
            .where(User.email == "agent@example.com", BulletinVersion.number == 2)) is not None
    assert len(loads) <= 7, f"{len(loads)} page loads: {loads}"
    assert _unexpected(visitor) == []
