"""Every role's pages load in a real browser without script errors or failed requests."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from tests.conftest import publish_wifi

HOMES = {
    "agent": ("/agent/", "What to do today"),
    "trainer": ("/trainer/", "Bulletins"),
    "manager": ("/manager/", "Readiness by team"),
    "admin": ("/admin/", "People"),
}


def test_login_page_loads_cleanly(live_server, visit):
    visitor = visit()
    response = visitor.page.goto("/")
    assert response.ok
    expect(visitor.page).to_have_url(re.compile(r"/login"))
    expect(visitor.page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert visitor.problems() == []


@pytest.mark.parametrize("role", sorted(HOMES))
def test_home_page_loads_cleanly(role, org, visit):
    publish_wifi(org)  # something on every board
    visitor = visit(f"{role}@example.com")
    page = visitor.page
    path, heading = HOMES[role]
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))  # "/" sends each role home
    response = page.reload()
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_load_state("load")
    assert page.evaluate("document.styleSheets.length") >= 1  # onevoice.css arrived
    assert visitor.problems() == []


def test_agent_bulletin_and_quiz_pages_load_cleanly(org, visit):
    publish_wifi(org)
    visitor = visit("agent@example.com")
    page = visitor.page
    page.get_by_role("link", name=re.compile("WiBro 50 GB customers")).first.click()
    expect(page).to_have_url(re.compile(r"/agent/bulletins/wibro50-wifi-login$"))
    expect(page.locator(".prose mark").first).to_be_visible()
    page.get_by_role("button", name="Take the quiz").click()
    expect(page).to_have_url(re.compile(r"/agent/attempts/\d+$"))
    page.wait_for_load_state("load")
    assert page.evaluate("typeof fetch") == "function"
    assert visitor.problems() == []
