"""The Content-Security-Policy breaks no page: every page of every role (the accessibility
sweep's list), opened in Chromium with the policy enforced, reports no violation, no console
error, and the quiz's autosave script still runs.

Violations are caught twice: the ``securitypolicyviolation`` events (a listener installed by
the browser before any page script, which the policy does not govern) and the console.
"""

from __future__ import annotations

import pytest

from .demo_site import PEOPLE
from .test_accessibility import ERROR_PAGE, OPEN_ATTEMPT_ON, PAGES, _sign_in, _url, demo_site

LISTEN = """window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
  + ` at ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture(scope="module")
def site(migrated_template, tmp_path_factory):
    with demo_site(migrated_template, tmp_path_factory.mktemp("csp")) as running:
        yield running


def _open(browser, site):
    context = browser.new_context(base_url=site.base, locale="en-GB")  # the CSP is enforced
    context.set_default_timeout(15_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    return context, page, console


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_page_breaks_the_content_security_policy(browser, site, role):
    site.set_locale("en")
    if role == "agent":
        site.samples["attempt_id"] = site.start_attempt(OPEN_ATTEMPT_ON["en"])
    context, page, console = _open(browser, site)
    problems = []
    try:
        if role in PEOPLE:
            _sign_in(page, PEOPLE[role])
        urls = [_url(site, endpoint, arguments) for endpoint, arguments in PAGES[role]]
        for url in urls + ([ERROR_PAGE] if role == "agent" else []):
            response = page.goto(url)
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            page.wait_for_load_state("load")
            problems += [f"{url}: {v}" for v in page.evaluate("window.__violations")]
            if url == ERROR_PAGE:  # the not-found page's own status, as Chromium reports it
                console[:] = [m for m in console if "status of 404" not in m]
            problems += [f"{url}: {m}" for m in console]
            console.clear()
    finally:
        context.close()
    assert problems == []
    assert len(urls) == len(PAGES[role])


def test_the_quiz_autosave_script_runs_under_the_policy(browser, site):
    site.set_locale("en")
    attempt_id = site.start_attempt(OPEN_ATTEMPT_ON["en"])
    context, page, console = _open(browser, site)
    try:
        _sign_in(page, PEOPLE["agent"])
        page.goto(_url(site, "agent.attempt", {"attempt_id": attempt_id}))
        with page.expect_response(lambda r: "/answers/" in r.url and r.status == 200):
            page.locator("input[type=radio][data-item]").first.check()
        page.locator("#save-status").filter(has_text="Saved.").wait_for()
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert violations == [] and console == []
