"""People on the web in a real browser: an admin creates a trainer and an agent through the
pages (forms with their CSRF tokens); the agent's invitation arrives at a real SMTP server,
she opens its link, chooses a password and signs in."""

from __future__ import annotations

import re

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

LINK = re.compile(r"https?://\S+/invitation/\S+")
PASSWORD = "my own long pass phrase"


def add_person(page, role: str, name: str, email: str, **extra) -> None:
    """Fill the "Add a person" form and create (invitation ticked by default)."""
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Role").select_option(role)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email").fill(email)
    if "external_id" in extra:
        page.locator("#external_id").fill(extra["external_id"])
    if "team" in extra:
        page.locator("#team").select_option(extra["team"])
    for skill in extra.get("skills", ()):
        page.get_by_label(re.compile(rf"\b{skill} ·")).check()
    expect(page.get_by_label("Send an invitation by e-mail now")).to_be_checked()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".flash.ok").first).to_contain_text(f"Created {name}")
    expect(page.locator(".flash.ok").last).to_contain_text(f"Invitation sent to {email}.")


def test_admin_adds_people_and_the_agent_signs_in_from_her_invitation(
        app, org, visit, live_server, smtp_server):
    app.config["ONEVOICE_BASE_URL"] = live_server
    admin = visit("admin@example.com")
    page = admin.page

    add_person(page, "trainer", "Tess Trainer", "tess@example.com")
    expect(page.get_by_text("no password yet")).to_be_visible()
    add_person(page, "agent", "Nina Agent", "nina@example.com", external_id="A9",
               team="wired_care", skills=["wired", "wifi"])

    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Name, e-mail or external id").fill("nina")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("1 people found.")).to_be_visible()
    expect(page.get_by_role("link", name="Nina Agent")).to_be_visible()

    smtp_server.mailbox.wait_for(2)
    (mail,) = smtp_server.mailbox.to("nina@example.com")
    link = LINK.search(smtp_server.mailbox.body(mail)).group(0)
    assert link.startswith(live_server)

    nina = visit()
    nina.page.goto(link)
    expect(nina.page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    nina.page.locator("#password").fill(PASSWORD)
    nina.page.locator("#confirm").fill(PASSWORD)
    nina.page.get_by_role("button", name="Set password").click()
    expect(nina.page.locator(".flash.ok")).to_contain_text("Your password is set.")
    nina.sign_in("nina@example.com", PASSWORD)
    expect(nina.page).to_have_url(re.compile(r"/agent/$"))
    assert admin.problems() == [] and nina.problems() == []
