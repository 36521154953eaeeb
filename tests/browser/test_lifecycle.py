"""A bulletin's whole life in a real browser: draft, version 1, version 2, superseded.

The trainer does every step through the pages (forms with their CSRF tokens); the agent reads
and acknowledges each version, and the read receipts page names who read which version.
"""

from __future__ import annotations

import re

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips, or fails in CI, with the reason
    expect = None

from tests.conftest import WIFI_BULLETIN, new_login

SLUG = "wibro50-wifi-login"
SUCCESSOR = "olleh-wifi-login-2011"
V2 = new_login(WIFI_BULLETIN, "WiBro ID and a one-time code")
SUPERSEDING = (WIFI_BULLETIN.replace(f"id: {SLUG}", f"id: {SUCCESSOR}")
               .replace("title: WiBro 50 GB customers", "title: From 2011 all customers")
               .replace("recertify_after_days: 180",
                        f"recertify_after_days: 180\nsupersedes: [{SLUG}]"))


def save_approve_publish(page, source: str, slug: str) -> None:
    """On the "Write a bulletin" form: paste, save the draft, approve every item, publish."""
    page.locator("#source").fill(source)
    # "Save draft" for a new bulletin, "Save the new version as a draft" when editing one
    save = re.compile(r"^Save (draft|the new version as a draft)$")
    page.get_by_role("button", name=save).click()
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{slug}$"))
    expect(page.locator("p.lifecycle .life")).to_have_text("Draft")
    page.get_by_role("button", name="Approve all draft items").click()
    expect(page.locator("li.item.status-draft")).to_have_count(0)
    material = page.get_by_label("Material: agents must certify again")
    if material.count():  # a first version is neither material nor minor: no choice shown
        material.check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash.ok")).to_contain_text("Published.")


def version_row(page, number: int):
    """The row of version ``number`` in the bulletin page's version table."""
    return page.locator("table.versions tbody tr", has=page.get_by_role(
        "link", name=f"Version {number}", exact=True))


def acknowledge(page, number: int) -> None:
    """The agent reads the bulletin and presses "I have read version N"."""
    page.goto(f"/agent/bulletins/{SLUG}")
    page.get_by_role("button", name=f"I have read version {number}").click()
    expect(page.locator(".flash.ok")).to_contain_text("your read receipt is recorded")
    expect(page.get_by_text(f"You confirmed reading version {number}")).to_be_visible()


def receipts_of(page, number: int):
    """Open the read receipts of version ``number``; the Wibro Care section."""
    page.goto(f"/trainer/bulletins/{SLUG}")
    page.get_by_role("link", name=f"Who has read v{number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"version {number}")
    return page.locator("section.receipts", has=page.get_by_role("heading", name=re.compile(
        "^Wibro Care")))


def test_trainer_takes_a_bulletin_from_draft_through_two_versions_to_superseded(org, visit):
    trainer = visit("trainer@example.com")
    page = trainer.page
    agent = visit("agent@example.com")

    # Draft, then version 1 in force; the agent acknowledges it.
    page.get_by_role("link", name="Write a bulletin").click()
    save_approve_publish(page, WIFI_BULLETIN, SLUG)
    expect(page.locator("p.lifecycle .life")).to_have_text("In force")
    acknowledge(agent.page, 1)

    # Version 2: "Edit" opens the form with the published text; a fact changes.
    page.get_by_role("link", name="Edit (makes a new draft version)").click()
    expect(page.locator("#source")).to_have_value(WIFI_BULLETIN)
    save_approve_publish(page, V2, SLUG)
    expect(page.locator("table.versions tbody tr")).to_have_count(2)
    expect(version_row(page, 1).locator(".life")).to_have_text("Replaced by v2")
    expect(version_row(page, 2).locator(".life")).to_have_text("In force")
    expect(page.locator("p.lifecycle .life")).to_have_text("In force")

    # Read receipts are per version: version 1's receipt is not one for version 2.
    wibro = receipts_of(page, 2)
    expect(wibro.locator("table.receipts-unread")).to_contain_text("Agent")
    expect(wibro.locator("table.receipts-read")).to_have_count(0)
    expect(receipts_of(page, 1).locator("table.receipts-read")).to_contain_text("Agent")
    acknowledge(agent.page, 2)
    expect(receipts_of(page, 2).locator("table.receipts-read")).to_contain_text("Agent")

    # A new bulletin supersedes it: both pages say so, and the old one is superseded.
    page.goto("/trainer/")
    page.get_by_role("link", name="Write a bulletin").click()
    save_approve_publish(page, SUPERSEDING, SUCCESSOR)
    expect(page.locator(".banner.supersedes")).to_contain_text("WiBro 50 GB customers")
    page.locator(".banner.supersedes a").click()
    expect(page).to_have_url(re.compile(rf"/trainer/bulletins/{SLUG}$"))
    expect(page.locator("p.lifecycle .life")).to_have_text("Superseded")
    expect(page.locator(".banner.superseded")).to_contain_text("From 2011 all customers")
    expect(version_row(page, 1).locator(".life")).to_have_text("Replaced by v2")
    expect(version_row(page, 2).locator(".life")).to_have_text("Superseded")
    page.goto("/trainer/")
    row = page.locator("tbody tr", has=page.locator("code", has_text=re.compile(rf"^{SLUG}$")))
    expect(row.locator(".life")).to_have_text("Superseded")

    # The agent's page of the old bulletin points to the new one.
    agent.page.goto(f"/agent/bulletins/{SLUG}")
    expect(agent.page.locator("p.lifecycle .life")).to_have_text("Superseded")
    expect(agent.page.locator(".banner.superseded a")).to_have_text(re.compile("From 2011"))
    assert trainer.problems() == [] and agent.problems() == []
