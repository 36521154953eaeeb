"""The walking skeleton in a real browser: write, review, publish; fail, retake, pass; readiness.

Every step goes through the pages a person uses (forms with their CSRF tokens, quiz.js
autosaving each choice). Screenshots are written on the way, into the git-ignored
tests/browser/artifacts/loop/ (the README's pictures come from the demo: test_accessibility.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from tests.conftest import WIFI_BULLETIN, publish_wifi

from .conftest import DESKTOP, MOBILE

SLUG = "wibro50-wifi-login"
TITLE = "WiBro 50 GB customers log into olleh Wi-Fi hotspots with their WiBro ID"
AUTOSAVE = re.compile(r"/agent/attempts/\d+/answers/\d+$")


def correct_options(app) -> dict[int, set[int]]:
    """item id -> ids of its correct options, read straight from the database."""
    from app.core.extensions import db
    from app.models import ItemOption

    with app.app_context():
        rows = db.session.query(ItemOption.item_id, ItemOption.id).filter_by(correct=True).all()
    key: dict[int, set[int]] = {}
    for item_id, option_id in rows:
        key.setdefault(item_id, set()).add(option_id)
    return key


def questions(page) -> list[tuple[object, int, list[int]]]:
    """(fieldset, item id, option ids in display order) for each question on the quiz page."""
    fieldsets = page.locator("fieldset.question")
    expect(fieldsets.first).to_be_visible()
    found = []
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        item_id = int(fieldset.get_attribute("id").removeprefix("q-"))
        options = fieldset.locator("input[type=radio]").evaluate_all(
            "inputs => inputs.map(input => Number(input.value))")
        found.append((fieldset, item_id, options))
    return found


def choose(page, fieldset, option_id: int) -> None:
    """Click an option by its label, as a person would, and wait for quiz.js to save it."""
    with page.expect_response(lambda r: AUTOSAVE.search(r.url) is not None
                              and r.request.method == "POST") as saved:
        fieldset.locator("label.option", has=page.locator(f"input[value='{option_id}']")).click()
    assert saved.value.ok, saved.value.text()
    expect(fieldset.locator(f"input[value='{option_id}']")).to_be_checked()


def answer_every_question(page, app, right: bool) -> int:
    """Answer every question right (or every one wrong); returns how many there were."""
    key = correct_options(app)
    asked = questions(page)
    assert asked, "the quiz page shows no questions"
    for fieldset, item_id, options in asked:
        assert key.get(item_id), f"item {item_id} has no correct option in the database"
        pick = next(o for o in options if (o in key[item_id]) is right)
        choose(page, fieldset, pick)
    expect(page.locator("#save-status")).to_have_text("Saved.")
    return len(asked)


def saved_answers(app) -> dict[int, int]:
    """item id -> option id of every answer the server holds."""
    from app.core.extensions import db
    from app.models import Answer

    with app.app_context():
        return {a.item_id: a.option_id for a in db.session.query(Answer).all()}


def attempt_id_of(page) -> int:
    match = re.search(r"/agent/attempts/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def test_trainer_publishes_agent_fails_then_passes_manager_sees_it(app, org, visit,
                                                                   screenshots):
    # (a) The trainer writes the bulletin, previews it, saves, approves and publishes.
    trainer = visit("trainer@example.com")
    page = trainer.page
    expect(page).to_have_url(re.compile(r"/trainer/$"))
    page.get_by_role("link", name="Write a bulletin").click()
    expect(page).to_have_url(re.compile(r"/trainer/bulletins/new$"))
    page.locator("#source").fill(WIFI_BULLETIN)
    page.get_by_role("button", name="Preview", exact=True).click()
    preview = page.locator("section[aria-labelledby=preview-h]")
    expect(preview.get_by_role("heading", level=2)).to_have_text(f"Preview: {TITLE}")
    expect(preview.locator(".prose mark").first).to_have_text("WiBro 50 GB")
    expect(preview.get_by_role("heading", name=re.compile(r"Generated items \(\d+\)"))) \
        .to_be_visible()
    generated = preview.locator("h3 + ol > li")
    expect(generated.first).to_be_visible()
    assert generated.count() >= 6  # at least one item per fact
    expect(page.locator("#source")).to_have_value(WIFI_BULLETIN)  # kept for Save draft

    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))
    expect(page.locator(".flash.ok")).to_contain_text("Draft saved")
    expect(page.locator("p.meta strong").first).to_have_text("draft")
    expect(page.locator("li.item.status-draft").first).to_be_visible()
    page.get_by_role("heading", name="Items", exact=True).evaluate("h => h.scrollIntoView()")
    page.screenshot(path=screenshots / "trainer-review.png")  # the items under review
    page.evaluate("window.scrollTo(0, 0)")

    page.get_by_role("button", name="Approve all draft items").click()
    expect(page.locator(".flash.ok")).to_have_text("All draft items approved.")
    expect(page.locator("li.item.status-draft")).to_have_count(0)
    expect(page.locator("li.item.status-approved").first).to_be_visible()
    material = page.get_by_label("Material: agents must certify again")
    if material.count():  # a first version is neither material nor minor: no choice shown
        material.check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash.ok")).to_contain_text("Published.")
    expect(page.locator("p.meta strong").first).to_have_text("published")
    assert trainer.problems() == []

    # (b) The agent is blocked, takes the quiz and answers every question wrong.
    agent = visit("agent@example.com")
    page = agent.page
    expect(page).to_have_url(re.compile(r"/agent/$"))
    expect(page.get_by_text("Blocked for:")).to_be_visible()
    expect(page.locator("ul.blocked")).to_contain_text("✗ Wibro")  # the call type's name
    expect(page.locator("ul.blocked")).to_contain_text("✗ Wifi")
    expect(page.locator("ul.blocked a").first).to_have_text(TITLE)
    card = page.locator(".cards > li.card", has_text=TITLE)
    expect(card).to_be_visible()
    page.screenshot(path=screenshots / "agent-home.png")

    card.get_by_role("button", name="Take the quiz").click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    first_attempt = attempt_id_of(page)
    page.screenshot(path=screenshots / "quiz.png")
    answer_every_question(page, app, right=False)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page).to_have_url(re.compile(rf"/agent/attempts/{first_attempt}/result$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not passed yet")
    expect(page.get_by_role("heading", level=1)).to_contain_text("0%")

    # A retake straight away is not offered: the button waits out the pause, counting down.
    page.get_by_role("link", name="Back to my training").click()
    card = page.locator(".cards > li.card", has_text=TITLE)
    expect(card).to_contain_text("last score 0%")
    expect(card.get_by_role("button", name="Take the quiz")).to_be_disabled()
    expect(card.locator("[role=timer]")).to_contain_text(re.compile(r"try again in \d+:\d\d"))

    # (c) Ten minutes later (the attempt is moved 11 minutes into the past) the agent passes.
    from app.core.database import unit_of_work
    from app.models import Attempt

    with app.app_context(), unit_of_work() as session:
        row = session.get(Attempt, first_attempt)
        row.started_at -= timedelta(minutes=11)
        row.submitted_at -= timedelta(minutes=11)

    page.reload()
    page.locator(".cards > li.card", has_text=TITLE) \
        .get_by_role("button", name="Take the quiz").click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))
    assert attempt_id_of(page) != first_attempt

    page.set_viewport_size(MOBILE)
    expect(page.locator("fieldset.question").first).to_be_visible()
    page.screenshot(path=screenshots / "quiz-mobile.png")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= MOBILE["width"], f"the quiz scrolls sideways on a phone ({overflow}px)"
    page.set_viewport_size(DESKTOP)

    answer_every_question(page, app, right=True)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+/result$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Passed")
    expect(page.get_by_role("heading", level=1)).to_contain_text("100%")
    now = page.locator("ul.call-outcomes")
    expect(now.locator("li.ok strong")).to_have_text(["✓ Wibro", "✓ Wifi"])
    expect(now.locator("li.bad")).to_have_count(0)

    page.get_by_role("link", name="Back to my training").click()
    expect(page.get_by_text("Cleared for:")).to_be_visible()
    expect(page.locator("ul.blocked")).to_have_count(0)
    expect(page.locator(".cards > li.card", has_text=TITLE)).to_have_count(0)
    expect(page.locator("details.passed")).to_contain_text("1 bulletin passed")
    assert agent.problems() == []

    # (d) The manager of wibro_care sees the team fully certified.
    manager = visit("manager@example.com")
    page = manager.page
    page.get_by_role("link", name="Readiness").click()
    expect(page).to_have_url(re.compile(r"/manager/$"))
    expect(page.locator("table.board thead")).to_contain_text(TITLE)
    row = page.locator("table.board tbody tr", has=page.locator("th", has_text="Wibro Care"))
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(["100% (1/1)"])
    page.screenshot(path=screenshots / "manager-board.png")
    assert manager.problems() == []


def test_answers_autosave_and_survive_a_reload(app, org, visit):
    publish_wifi(org)
    agent = visit("agent@example.com")
    page = agent.page
    page.locator(".cards > li.card", has_text=TITLE) \
        .get_by_role("button", name="Take the quiz").click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))
    url = page.url
    asked = questions(page)
    assert len(asked) >= 3
    (q1, id1, options1), (q2, id2, options2), (_q3, id3, _options3) = asked[:3]

    choose(page, q1, options1[0])
    expect(page.locator("#save-status")).to_have_text("Saved.")

    # The connection drops for one click: quiz.js says so, nothing reaches the server.
    agent.context.set_offline(True)
    q2.locator("label.option", has=page.locator(f"input[value='{options2[0]}']")).click()
    expect(page.locator("#save-status")).to_contain_text("Offline")
    assert saved_answers(app) == {id1: options1[0]}
    agent.context.set_offline(False)
    choose(page, q2, options2[1])  # back online, the agent changes their mind
    expect(page.locator("#save-status")).to_have_text("Saved.")

    # Reload without pressing "Save answers": the choices come back from the server.
    page.reload()
    expect(page.locator(f"#q-{id1} input[value='{options1[0]}']")).to_be_checked()
    expect(page.locator(f"#q-{id2} input[value='{options2[1]}']")).to_be_checked()
    expect(page.locator(f"#q-{id3} input:checked")).to_have_count(0)

    # A fresh tab has no browser-restored form state: only what the server saved shows.
    fresh = agent.context.new_page()
    fresh.goto(url)
    expect(fresh.locator(f"#q-{id1} input[value='{options1[0]}']")).to_be_checked()
    expect(fresh.locator(f"#q-{id2} input[value='{options2[1]}']")).to_be_checked()
    expect(fresh.locator(f"#q-{id2} input:checked")).to_have_count(1)
    expect(fresh.locator(f"#q-{id3} input:checked")).to_have_count(0)

    assert saved_answers(app) == {id1: options1[0], id2: options2[1]}

    # Back on the quiz after the dropped connection, the agent finishes it and passes.
    key = correct_options(app)
    for fieldset, item_id, options in questions(fresh):
        right = next(o for o in options if o in key[item_id])
        if not fieldset.locator(f"input[value='{right}']").is_checked():
            choose(fresh, fieldset, right)
    fresh.get_by_role("button", name="Submit for grading").click()
    expect(fresh).to_have_url(re.compile(r"/agent/attempts/\d+/result$"))
    expect(fresh.get_by_role("heading", level=1)).to_contain_text("Passed")
