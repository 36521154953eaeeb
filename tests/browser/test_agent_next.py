"""Agents know what to do next, in a real browser (issue 16): the blank-answer confirmation,
the start button's countdown, the pass and fail pages in both languages, and the phone home
with the first task's button on the first screen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from tests.conftest import PASSWORD, publish_wifi

from .test_loop import SLUG, answer_every_question, choose, correct_options, questions

PHONE = {"width": 390, "height": 844}
AGENT = "agent@example.com"


def _set_locale(app, locale: str) -> None:
    from sqlalchemy import select

    from app.core.database import unit_of_work
    from app.models import User

    with app.app_context(), unit_of_work() as session:
        session.scalar(select(User).where(User.email == AGENT)).locale = locale


def _open_quiz(page) -> None:
    page.goto(f"/agent/bulletins/{SLUG}")
    page.get_by_role("button", name=re.compile("Take the quiz|퀴즈 응시")).click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))


def _move_back(app, by: timedelta) -> None:
    """Every attempt so far happened ``by`` earlier (the pause after it runs out sooner)."""
    from app.core.database import unit_of_work
    from app.models import Attempt

    with app.app_context(), unit_of_work() as session:
        for row in session.query(Attempt).all():
            row.started_at -= by
            if row.submitted_at:
                row.submitted_at -= by


def test_blanks_are_listed_and_confirmed_before_grading(app, org, visit):
    publish_wifi(org)
    agent = visit(AGENT)
    page = agent.page
    _open_quiz(page)
    asked = questions(page)
    key = correct_options(app)
    fieldset, item_id, options = asked[0]
    choose(page, fieldset, next(o for o in options if o in key[item_id]))
    expect(page.locator("#answered-count")).to_have_text("1")

    page.get_by_role("button", name="Submit for grading").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text(
        f"{len(asked) - 1} questions are not answered")
    expect(dialog.locator("#confirm-list li")).to_have_count(len(asked) - 1)
    page.screenshot(path="tests/browser/artifacts/blank-confirm.png")
    dialog.get_by_role("button", name="Answer them first").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))  # nothing was graded

    page.get_by_role("button", name="Submit for grading").click()
    dialog.get_by_role("button", name="Submit anyway").click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+/result$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not passed yet")
    assert agent.problems() == []


def test_without_script_the_server_asks_for_the_confirmation(app, org, browser, live_server):
    publish_wifi(org)
    ctx = browser.new_context(java_script_enabled=False, base_url=live_server)
    try:
        page = ctx.new_page()
        page.goto("/login")
        page.get_by_label("Email").fill(AGENT)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        _open_quiz(page)
        total = page.locator("fieldset.question").count()
        page.get_by_role("button", name="Submit for grading").click()
        confirm = page.locator("section#confirm")
        expect(confirm).to_be_visible()
        expect(confirm.get_by_role("heading")).to_have_text(
            f"{total} questions are not answered")
        expect(confirm.locator("ul li")).to_have_count(total)
        confirm.get_by_role("button", name="Submit anyway").click()
        expect(page).to_have_url(re.compile(r"/agent/attempts/\d+/result$"))
    finally:
        ctx.close()


def test_the_start_button_counts_down_the_pause_then_opens(app, org, visit):
    publish_wifi(org)
    agent = visit(AGENT)
    page = agent.page
    _open_quiz(page)
    answer_every_question(page, app, right=False)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page).to_have_url(re.compile(r"/result$"))

    page.goto(f"/agent/bulletins/{SLUG}")
    start = page.locator("form.start button")
    expect(start).to_be_disabled()
    timer = page.locator("form.start [role=timer]")
    expect(timer).to_contain_text(re.compile(r"try again in (9|10):\d\d"))
    first = timer.text_content()
    expect(timer).not_to_have_text(first)  # it runs
    expect(page.locator("ul.rules")).to_contain_text("2 attempts left today")

    _move_back(app, timedelta(minutes=10) - timedelta(seconds=4))  # 4 seconds of pause left
    page.reload()
    expect(timer).to_contain_text(re.compile(r"try again in 0:0[0-4]"))
    expect(start).to_be_enabled(timeout=8_000)
    expect(page.locator("form.start [data-countdown]")).to_have_text(
        "The pause is over: you can start now.")
    start.click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))
    assert agent.problems() == []


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_fail_then_pass_pages(app, org, visit, locale):
    words = {
        "en": ("Read these facts again", "What this pass means for your calls", "✓ Wibro"),
        "ko": ("이 핵심 사항을 다시 읽어 보세요", "이번 합격으로 달라지는 콜 응대", "✓ 와이브로"),
    }[locale]
    from sqlalchemy import select

    from app.core.database import unit_of_work
    from app.models import Skill
    from app.services.content.labels import set_names

    with app.app_context(), unit_of_work() as session:
        set_names(session.scalar(select(Skill).where(Skill.code == "wibro")), {"ko": "와이브로"})
    publish_wifi(org)
    _set_locale(app, locale)
    agent = visit(AGENT, viewport=PHONE)
    page = agent.page
    expect(page.locator("html")).to_have_attribute("lang", locale)
    _open_quiz(page)
    _answer_all(page, app, right=False)
    page.locator("#quiz button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/result$"))
    reread = page.locator("section.reread")
    expect(reread.get_by_role("heading")).to_have_text(words[0])
    expect(reread.locator("a[href*='#fact-f-login']")).to_be_visible()
    # the policy hides the key on a fail: no answer, no explanation on the page
    expect(page.locator(".explanation")).to_have_count(0)
    page.screenshot(path=f"tests/browser/artifacts/result-fail-{locale}.png", full_page=True)

    _move_back(app, timedelta(minutes=11))
    _open_quiz(page)
    _answer_all(page, app, right=True)
    page.locator("#quiz button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/result$"))
    outcome = page.locator("section.outcome")
    expect(outcome.get_by_role("heading")).to_have_text(words[1])
    expect(outcome.locator("li.ok strong").first).to_have_text(words[2])
    page.screenshot(path=f"tests/browser/artifacts/result-pass-{locale}.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"the result scrolls sideways on a phone ({overflow}px)"
    assert agent.problems() == []


def _answer_all(page, app, right: bool) -> None:
    """answer_every_question without its English "Saved." check (the page may be Korean)."""
    key = correct_options(app)
    for fieldset, item_id, options in questions(page):
        choose(page, fieldset, next(o for o in options if (o in key[item_id]) is right))


def test_phone_home_shows_the_first_task_without_scrolling(app, org, visit):
    from app.queries import inbox

    publish_wifi(org)  # overdue since 2010: a task, an inbox line, blocked call types
    with app.app_context():
        inbox.generate()
    _set_locale(app, "ko")
    agent = visit(AGENT, viewport=PHONE)
    page = agent.page
    expect(page).to_have_url(re.compile(r"/agent/$"))
    header = page.locator("header.top").bounding_box()
    assert header["height"] < 64, f"the header takes {header['height']}px (one row expected)"
    button = page.locator(".tasks > li").first.get_by_role("button", name="퀴즈 응시")
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    assert page.evaluate("window.scrollY") == 0
    assert page.locator("li.notice").count() == 1  # one line for the bulletin
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"the home scrolls sideways on a phone ({overflow}px)"
    page.screenshot(path="tests/browser/artifacts/agent-home-phone-ko.png")
    assert agent.problems() == []
