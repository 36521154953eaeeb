"""An agent searches the bulletins in force from the home page and lands on the fact."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from tests.conftest import KOREAN_WIFI_BULLETIN, publish_wifi

KOREAN = KOREAN_WIFI_BULLETIN  # the same change in Korean (translation_of)


def test_agent_searches_in_korean_and_opens_the_fact(org, visit):
    publish_wifi(org)
    publish_wifi(org, KOREAN)
    visitor = visit("agent@example.com")
    page = visitor.page
    page.get_by_label("Search the bulletins in force").fill("와이파이 로그인")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/agent/search\?q="))
    result = page.get_by_role("link", name="와이파이 로그인 계정")
    expect(result).to_be_visible()
    expect(page.locator(".result .life").first).to_have_text("In force")
    result.click()
    expect(page).to_have_url(re.compile(r"/agent/bulletins/wibro50-wifi-login-ko#fact-f-login$"))
    expect(page.locator("#fact-f-login")).to_contain_text("와이브로 ID와 비밀번호")
    assert visitor.problems() == []


@pytest.mark.parametrize("query,bulletin,label,value", [
    ("와이파이", "wibro50-wifi-login-ko", "와이파이 로그인 계정", "와이브로 ID와 비밀번호"),
    ("Wi-Fi login", "wibro50-wifi-login", "Wi-Fi login credential", "WiBro ID and password"),
])
def test_agent_searches_the_issues_words_and_lands_on_the_fact(org, visit, query, bulletin,
                                                                 label, value):
    """The issue's "done when": searching 와이파이 or Wi-Fi login lands on the login fact."""
    publish_wifi(org)
    publish_wifi(org, KOREAN)
    visitor = visit("agent@example.com")
    page = visitor.page
    page.get_by_label("Search the bulletins in force").fill(query)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/agent/search\?q="))
    result = page.get_by_role("link", name=label, exact=True)
    expect(result).to_be_visible()
    expect(result.locator("mark").first).to_be_visible()  # the words found are highlighted
    result.click()
    expect(page).to_have_url(re.compile(rf"/agent/bulletins/{bulletin}#fact-f-login$"))
    expect(page.locator("#fact-f-login")).to_contain_text(value)
    assert visitor.problems() == []
