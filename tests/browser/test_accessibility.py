"""Every page of the app, for every role, in English and Korean, at 375 px and 1440 px wide.

On each page axe-core (npm, pinned in package-lock.json, injected into the page) checks the
WCAG 2.0/2.1/2.2 A and AA rules; any serious or critical violation fails, listed with its rule,
element and page. The page must also fit the phone width (no sideways scrolling of the page
itself; wide tables scroll in their own box) and have its own title. A full-page screenshot
of each page/width/language goes to tests/browser/artifacts/ (git-ignored) for a human look.

A new HTML page (a GET route) fails ``test_every_page_is_checked`` until it is added to
``PAGES`` below, or to ``NOT_PAGES`` with the reason it is not an HTML page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import url_for

from .conftest import SCREENSHOTS
from .demo_site import DEMO_PASSWORD, PEOPLE, demo_site

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# The README's pictures, from the English demo: <name>.png at 1440 px, phone-<name>.png at 375.
README_SHOTS = {"agent.home": "agent-home", "agent.attempt": "quiz",
                "trainer.bulletin": "trainer-review", "manager.home": "manager-board"}
SHOT_FROM = {"trainer.bulletin": "section.fact-items:has(li.status-draft)"}  # items to review
WIDTHS = ({"width": 1440, "height": 900}, {"width": 375, "height": 812})
LOCALES = {"en": "en-GB", "ko": "ko-KR"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

# GET routes that are not HTML pages a person reads (downloads, probes, the API).
NOT_PAGES = {
    "static": "files (CSS, JS, the favicon)",
    "web.healthz": "a plain-text health probe",
    "auth.sso_callback": "the identity provider's redirect back (its refusals are the sign-in "
                         "page, swept with single sign-on on below)",
    "trainer.export_items": "a quiz file download (GIFT/Moodle XML)",
    "trainer.item_statistics_csv": "a CSV download",
    **{f"manager.{name}": "a CSV download" for name in (
        "readiness_csv", "at_risk_csv", "staffing_csv", "gaps_csv", "team_csv", "agent_csv",
        "trend_csv", "receipts_csv", "compliance_csv")},
    "support.agent": "a redirect to manager.agent (the one agent page)",
}

# role -> [(endpoint, arguments)]; "$name" takes the value from the demo site's samples.
PAGES = {
    "anonymous": [("auth.login", {}), ("auth.forgot_password", {}),
                  ("auth.accept_invitation", {"token": "$invitation"}),
                  ("auth.reset_password", {"token": "$reset"})],
    "agent": [
        ("web.index", {}), ("agent.home", {}), ("agent.bulletin", {"slug": "$slug"}),
        ("agent.attempt", {"attempt_id": "$attempt_id"}),
        ("agent.result", {"attempt_id": "$result_id"}), ("agent.practice_page", {}),
        ("agent.search", {"q": "Wi-Fi"}), ("web.in_force", {"skill": "wifi", "date": "2010-09-01"}),
    ],
    "trainer": [
        ("trainer.home", {}), ("trainer.new_bulletin", {}), ("trainer.guided", {}),
        ("trainer.guided", {"copy": "$slug"}), ("trainer.guided", {"template": "price"}),
        ("trainer.guided", {"translate": "$slug"}),
        ("trainer.bulletin", {"slug": "$diff_slug"}),
        ("trainer.edit_item", {"slug": "$slug", "item_key": "$item_key"}),
        ("trainer.new_item", {"slug": "$slug"}), ("trainer.preview_quiz", {"slug": "$slug"}),
        ("trainer.version", {"slug": "$slug", "number": "$number"}),
        ("trainer.diff", {"slug": "$diff_slug"}), ("trainer.item_statistics", {"slug": "$slug"}),
        ("trainer.drafts_list", {}), ("trainer.discard_draft", {"slug": "$diff_slug"}),
    ],
    "manager": [
        ("manager.home", {}), ("manager.gaps", {}), ("manager.team", {"code": "$team"}),
        ("manager.agent", {"external_id": "$manager_agent"}), ("manager.trend", {}),
        ("manager.receipts", {"slug": "$slug"}), ("manager.compliance", {}),
        ("support.index", {"q": "Demo"}), ("manager.agent", {"external_id": "$support_agent"}),
        ("support.audit_page", {"external_id": "$support_agent"}),
        ("manager.confirm_reminder", {"pick": "$pick"}),
    ],
    "admin": [
        ("admin.home", {}), ("admin.directory_upload", {}), ("admin.tokens", {}),
        ("admin.sessions_page", {}),
        ("webhooks_admin.index", {}), ("webhooks_admin.endpoint", {"endpoint_id": "$endpoint_id"}),
        ("admin.people", {}), ("admin.new_person", {}),
        ("admin.person", {"person_id": "$person_id"}),
    ],
}
ERROR_PAGE = "/agent/no-such-page"  # the "not found" page, seen by an agent
OPEN_ATTEMPT_ON = {"en": "nespot-renamed-olleh-wifi", "ko": "wibro-signup-credentials"}

AXE_RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(" "))}));
}"""
# How far the page scrolls sideways, and the outermost elements that stick out (those inside
# a box that scrolls on its own, like a wide table in .scroll, are fine).
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const clipped = el => { for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
  const culprits = [...document.body.querySelectorAll("*")].filter(el =>
    el.getBoundingClientRect().right > width + 1 && !clipped(el)
    && el.parentElement.getBoundingClientRect().right <= width + 1);
  return {by: root.scrollWidth - width, culprits: culprits.slice(0, 4).map(el =>
    el.tagName.toLowerCase()
    + (el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : ""))};
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js from node_modules: required in CI, a skip with the install command elsewhere."""
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE} missing): run `npm ci` in {ROOT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(migrated_template, tmp_path_factory):
    """The demo organisation served once for the whole module."""
    with demo_site(migrated_template, tmp_path_factory.mktemp("a11y")) as running:
        yield running


def _url(site, endpoint: str, arguments: dict) -> str:
    values = {key: site.samples[value[1:]] if isinstance(value, str) and value[:1] == "$"
              else value for key, value in arguments.items()}
    with site.app.test_request_context():
        return url_for(endpoint, **values)


def _sign_in(page, email: str) -> None:
    """Through the real form, by field names (the labels are translated)."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _check(page, axe_source: str, label: str, shot: Path) -> list[str]:
    """axe's serious/critical findings, overflow and title problems on the current page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    found = [f"{label}: {v['impact']} {v['id']} ({v['help']}) at {target}"
             for v in page.evaluate(AXE_RUN, WCAG_TAGS) if v["impact"] in FAILING_IMPACTS
             for target in v["targets"]]
    overflow = page.evaluate(OVERFLOW)
    if overflow["by"] > 1:
        found.append(f"{label}: the page scrolls sideways by {overflow['by']}px "
                     f"(sticking out: {', '.join(overflow['culprits'])})")
    title = page.title()
    if not re.fullmatch(r".+ · OneVoice", title):
        found.append(f"{label}: title {title!r} does not name the page")
    page.screenshot(path=shot, full_page=True)
    return found


def _readme_shot(page, name: str, prefix: str) -> None:
    """One of the README's pictures: what a person sees first (or at ``SHOT_FROM``)."""
    if name in SHOT_FROM:
        page.locator(SHOT_FROM[name]).first.evaluate("el => el.scrollIntoView()")
    page.screenshot(path=SCREENSHOTS / f"{prefix}{README_SHOTS[name]}.png")
    page.evaluate("window.scrollTo(0, 0)")


def _sweep(page, axe_source: str, name: str, lang: str, url: str) -> list[str]:
    """Open ``url`` and check it at each width, wide first."""
    response = page.goto(url)
    problems = [] if response.ok or url == ERROR_PAGE else [f"{name}: HTTP {response.status}"]
    for size in WIDTHS:
        page.set_viewport_size(size)
        label = f"{lang} {size['width']}px {name} ({url})"
        shot = ARTIFACTS / f"{lang}-{size['width']}-{name}.png"
        problems += _check(page, axe_source, label, shot)
        if lang == "en" and name in README_SHOTS:
            _readme_shot(page, name, "" if size is WIDTHS[0] else "phone-")
    page.set_viewport_size(WIDTHS[0])
    return problems


@pytest.mark.parametrize("lang", sorted(LOCALES))
@pytest.mark.parametrize("role", sorted(PAGES))
def test_pages_pass_axe_at_both_widths(browser, site, axe_source, role, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    site.set_locale(lang)
    if role == "agent":
        site.samples["attempt_id"] = site.start_attempt(OPEN_ATTEMPT_ON[lang])
    context = browser.new_context(viewport=WIDTHS[0], locale=LOCALES[lang],
                                  base_url=site.base, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        if role in PEOPLE:
            _sign_in(page, PEOPLE[role])
        problems = []
        for endpoint, arguments in PAGES[role]:
            url = _url(site, endpoint, arguments)
            problems += _sweep(page, axe_source, endpoint, lang, url)
        if role == "agent":
            problems += _sweep(page, axe_source, "error-404", lang, ERROR_PAGE)
        html_lang = page.evaluate("document.documentElement.lang")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
    assert html_lang.startswith(lang), f"<html lang={html_lang!r}> on a {lang} page"


def test_every_page_is_checked(site):
    """Each GET route is swept above, or listed as not a page (with its reason)."""
    routed = {rule.endpoint for rule in site.app.url_map.iter_rules()  # not the JSON APIs
              if "GET" in rule.methods and not rule.endpoint.startswith(("api.", "scim."))}
    swept = {endpoint for pages in PAGES.values() for endpoint, _ in pages}
    assert routed - swept - set(NOT_PAGES) == set(), "pages missing from PAGES or NOT_PAGES"
    assert (swept | set(NOT_PAGES)) - routed == set(), "PAGES or NOT_PAGES name a removed route"


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_sign_in_page_with_single_sign_on_passes_axe(browser, site, axe_source, lang):
    """The sign-in page with the "Sign in with ..." button and with the password form off
    (rendering it asks nothing of the identity provider)."""
    ARTIFACTS.mkdir(exist_ok=True)
    sso = {"OIDC_ISSUER": "https://id.example.com", "OIDC_CLIENT_ID": "onevoice",
           "OIDC_CLIENT_SECRET": "unused", "OIDC_BUTTON_LABEL": "Example ID"}
    context = browser.new_context(viewport=WIDTHS[0], locale=LOCALES[lang],
                                  base_url=site.base, bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        for password_login in (True, False):
            site.app.config.update(sso, PASSWORD_LOGIN=password_login)
            name = f"auth.login-sso{'' if password_login else '-only'}"
            problems += _sweep(page, axe_source, name, lang, "/login")
    finally:
        site.app.config.update({key: None for key in sso}, PASSWORD_LOGIN=True)
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", WIDTHS, ids=lambda size: f"{size['width']}px")
def test_the_focused_skip_link_lies_over_no_other_target(browser, site, axe_source, size):
    """The first Tab shows "Skip to content" on its own line: it covers none of the header's
    links (two targets on top of each other fail target size, WCAG 2.5.8) and axe finds
    nothing on the page with it focused."""
    site.set_locale("en")
    context = browser.new_context(viewport=size, locale=LOCALES["en"], base_url=site.base,
                                  bypass_csp=True)
    page = context.new_page()
    try:
        _sign_in(page, "agent@onevoice.example")
        page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        assert skip.evaluate("el => el === document.activeElement")
        box = skip.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["height"] >= 24
        covered = page.evaluate("""box => [...document.querySelectorAll(
            'header a, header button, header select')].filter(el => {
              const r = el.getBoundingClientRect();
              return r.width && r.left < box.x + box.width && box.x < r.right
                  && r.top < box.y + box.height && box.y < r.bottom;
            }).map(el => el.textContent.trim())""", box)
        assert covered == []
        assert _check(page, axe_source, "skip link focused", ARTIFACTS / "skip-focused.png") == []
    finally:
        context.close()
