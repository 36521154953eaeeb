"""A manager sees one change in two languages as one column of the readiness board, with the
counts per language in the team's cell, in English and in Korean (real Chromium)."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from app.core.database import unit_of_work
from tests.conftest import KOREAN_WIFI_BULLETIN, PASSWORD, publish_wifi
from tests.web.test_bilingual import KO_SLUG, _pass


@pytest.fixture
def pair(org):
    """The Wi-Fi change in English and Korean; Jiwoo (wibro_care, reads Korean) passed it in
    Korean, Agent (wibro_care, no preference) has not; a second manager reads Korean."""
    from app.services.accounts.accounts import create_user

    with org.app.app_context(), unit_of_work():
        create_user(email="jiwoo@example.com", name="Jiwoo", role="agent", teams=["wibro_care"],
                    skills=["wibro", "wifi"], password=PASSWORD, external_id="A3", locale="ko")
        create_user(email="kmanager@example.com", name="김팀장", role="manager",
                    teams=["wibro_care"], password=PASSWORD, locale="ko")
    publish_wifi(org)
    publish_wifi(org, KOREAN_WIFI_BULLETIN)
    assert _pass(org, "jiwoo@example.com", KO_SLUG)["passed"]
    return org


@pytest.mark.parametrize(("email", "html_lang", "intro", "split"), [
    ("manager@example.com", "en", "One change in: English · Korean", ["English 0/1", "Korean 1/1"]),
    ("kmanager@example.com", "ko", "하나의 변경, 제공 언어: 영어 · 한국어",
     ["영어 0/1", "한국어 1/1"]),
], ids=["en", "ko"])
def test_the_manager_sees_one_column_with_the_language_split(pair, visit, email, html_lang,
                                                             intro, split):
    visitor = visit(email)
    page = visitor.page
    page.goto("/manager/")
    expect(page.locator("html")).to_have_attribute("lang", html_lang)
    board = page.locator("table.board")
    headers = board.locator("thead th[scope=col]")
    expect(headers).to_have_count(2)  # the team column and ONE column for the change
    expect(headers.nth(1)).to_contain_text("WiBro 50 GB customers")  # the original's title
    expect(headers.nth(1).locator(".languages")).to_have_text(intro)
    cell = board.locator("tbody tr").first.locator("td").first
    expect(cell).to_contain_text("(1/2)")  # either language certifies: 1 of 2 agents
    expect(cell.locator(".language-split li")).to_have_text(split)
    assert visitor.problems() == []
