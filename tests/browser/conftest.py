"""Browser fixtures: Debian's Chromium driven by Playwright, and the app on a live server.

Chromium is the system one (/usr/bin/chromium); Playwright's own browser download is never
used. Without Chromium or the playwright package the browser tests are skipped locally and
fail in CI (``CI=true``), where a missing browser is a broken environment, not a pass.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "docs" / "screenshots"
LOOP_SHOTS = HERE / "artifacts" / "loop"
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser: mark it so (-m "not browser" skips it)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001 - a browser that will not start is unavailable
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield instance
    instance.close()
    playwright.stop()


@pytest.fixture
def live_server(app):
    """The test app (its own migrated SQLite file) served on 127.0.0.1; yields the base URL.

    CSRF protection is switched back on so the real forms, with their tokens, are exercised.
    """
    app.config["WTF_CSRF_ENABLED"] = True
    with served(app) as base:
        yield base


@dataclass
class Visitor:
    """One person in their own browser profile, and what went wrong while they browsed."""

    context: object
    page: object
    base: str
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        """Sign in through the real login form (with its CSRF token)."""
        from playwright.sync_api import expect

        self.page.goto("/login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page).not_to_have_url(re.compile(r"/login"))
        expect(self.page.locator("header form.who")).to_be_visible()

    def problems(self) -> list[str]:
        """Console errors, uncaught page errors and failed requests to our own server."""
        return self.console_errors + self.page_errors + self.failed_requests


@pytest.fixture
def visit(browser, live_server):
    """Open a fresh browser profile (own cookies) on the live server, signed in when asked.

    ``visit("agent@example.com")`` returns a :class:`Visitor` whose page records console
    errors, uncaught exceptions and failed or 4xx/5xx requests to the live server.
    """
    contexts = []

    def open_profile(email: str | None = None, viewport: dict = DESKTOP,
                     javascript: bool = True) -> Visitor:
        ctx = browser.new_context(viewport=viewport, locale="en-GB", base_url=live_server,
                                  java_script_enabled=javascript)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        page = ctx.new_page()
        visitor = Visitor(ctx, page, live_server)

        def on_console(message):
            if message.type == "error":
                visitor.console_errors.append(f"console: {message.text}")

        def on_failed(request):
            # ERR_ABORTED is the browser cancelling a request it no longer needs (a new
            # navigation started); anything else (refused, reset, timed out) is a failure.
            if request.url.startswith(live_server) and request.failure != "net::ERR_ABORTED":
                visitor.failed_requests.append(
                    f"failed: {request.method} {request.url}: {request.failure}")

        def on_response(response):
            if response.url.startswith(live_server) and response.status >= 400:
                visitor.failed_requests.append(
                    f"HTTP {response.status}: {response.request.method} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: visitor.page_errors.append(f"pageerror: {error}"))
        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        if email:
            visitor.sign_in(email)
        return visitor

    yield open_profile
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def screenshots() -> Path:
    """Where the walkthrough's screenshots go (git-ignored, for a human look).

    The README's pictures are taken from the demo by test_accessibility.py, into SCREENSHOTS.
    """
    LOOP_SHOTS.mkdir(parents=True, exist_ok=True)
    return LOOP_SHOTS
