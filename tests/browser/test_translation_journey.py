"""A trainer who has never seen the bulletin format writes and publishes a correct bilingual
change with the guided editor alone, in a real browser (English at 1440 px, Korean at 375 px).

From a published English bulletin: "Translate this bulletin", translate the words marked
"to translate" (the dates, call types and typed facts come pre-filled and agree), preview,
save, approve the items, publish; then a manager's board shows one column for the change.
Counted in page loads, not seconds.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.bulletin.format import parse_bulletin
from app.models import Bulletin, BulletinVersion, User
from tests.conftest import KOREAN_WIFI_BULLETIN, publish_wifi

from .conftest import DESKTOP, MOBILE
from .test_review_journeys import _axe

SLUG, KO = "wibro50-wifi-login", "wibro50-wifi-login-ko"
CASES = [pytest.param("en", DESKTOP, id="en-1440"), pytest.param("ko", MOBILE, id="ko-375")]
TEXT = {"en": {"todo": "to translate", "approved": "items approved.", "split": "One change in:"},
        "ko": {"todo": "번역할 부분", "approved": "개를 승인했습니다.", "split": "한국어"}}
KOREAN = parse_bulletin(KOREAN_WIFI_BULLETIN)  # what a translator writes, fact by fact


def _speak(app, lang: str, *emails: str) -> None:
    with app.app_context(), unit_of_work():
        for user in db.session.scalars(select(User).where(User.email.in_(emails))):
            user.locale = lang


def _translate(page) -> None:
    """Type the Korean words over every field marked "to translate" (typed values stay)."""
    page.locator("#g-title").fill(KOREAN.title)
    page.locator("#g-body").fill(KOREAN.body)
    facts = {fact.key: fact for fact in KOREAN.facts}
    for n in range(page.locator(".fact-row").count()):
        fact = facts[page.locator(f"#fact-{n}-key").input_value()]
        page.locator(f"#fact-{n}-label").fill(fact.label)
        page.locator(f"#fact-{n}-ask").fill(fact.ask or "")  # the question and statement
        page.locator(f"#fact-{n}-say").fill(fact.say or "")  # are words to translate too
        if fact.type == "text":
            page.locator(f"#fact-{n}-value").fill(fact.value)
            page.locator(f"#fact-{n}-was").fill(fact.old_value or "")
            page.locator(f"#fact-{n}-nots").fill("; ".join(fact.not_values))


@pytest.mark.parametrize(("lang", "viewport"), CASES)
def test_journey_translate_a_published_bulletin_with_the_guided_editor_alone(
        lang, viewport, org, visit):
    publish_wifi(org)
    _speak(org.app, lang, "trainer@example.com", "manager@example.com")
    trainer = visit("trainer@example.com", viewport)
    page = trainer.page
    page.wait_for_load_state("load")  # the sign-in's landing page is not one of the steps
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(f"/trainer/bulletins/{SLUG}")  # 1: the published bulletin
    page.locator("#translate-link").click()  # 2: the guided editor, pre-filled
    expect(page.locator("#g-slug")).to_have_value(KO)
    expect(page.locator("#g-lang")).to_have_value("ko")
    expect(page.locator("#g-translation_of")).to_have_value(SLUG)
    expect(page.locator("#g-effective")).to_have_value("2010-09-01")
    expect(page.locator("#field-title .to-translate")).to_have_text(TEXT[lang]["todo"])
    expect(page.locator("#fact-1-value")).to_have_value("no")  # f-bundle, a bool: kept
    assert page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth") <= 1  # no sideways scroll
    found = _axe(page, "guided editor, a translation to write")
    assert found == [], "\n".join(found)
    _translate(page)
    page.locator("button[name=action][value=preview]").first.click()  # 3: checked
    expect(page.locator(".to-translate")).to_have_count(0)
    expect(page.locator("#save-errors")).to_have_count(0)
    expect(page.locator("#guided-live h2").first).to_contain_text(KOREAN.title)
    page.locator("button[name=action][value=save]").first.click()  # 4: the draft
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{KO}$"))
    boxes = page.locator("input[name=items][form=bulk-approve]")
    expect(boxes.first).to_be_visible()
    for n in range(boxes.count()):
        boxes.nth(n).check()
    page.locator("#bulk-approve button[type=submit]").click()  # 5: approved
    expect(page.locator("p.flash.ok")).to_contain_text(TEXT[lang]["approved"])
    page.locator("section[aria-labelledby=pub-h] button[type=submit]").click()  # 6: published
    expect(page.locator("p.flash.ok")).to_be_visible()
    with org.app.app_context():
        version = db.session.scalar(select(BulletinVersion).join(Bulletin)
                                  .where(Bulletin.slug == KO))
        assert (version.status, version.translation_of) == ("published", SLUG)
        assert version.pair_version_id is not None
    assert len(loads) <= 6, f"{len(loads)} page loads: {loads}"
    assert trainer.problems() == []

    manager = visit("manager@example.com", viewport)
    manager.page.goto("/manager/")
    board = manager.page.locator("main")
    expect(board.locator(".language-split")).to_have_count(1)  # one team, one change, one cell
    expect(board).to_contain_text(TEXT[lang]["split"])
    expect(board).not_to_contain_text(KOREAN.title)  # the translation is not a second column
    assert manager.problems() == []
