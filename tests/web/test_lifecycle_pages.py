"""Lifecycle badges, version history, the side-by-side diff and supersession banners."""

from __future__ import annotations

import re

import pytest

from tests.conftest import WIFI_BULLETIN, new_login, publish_wifi

SLUG = "wibro50-wifi-login"
SUCCESSOR = "olleh-wifi-login-2011"
V2 = new_login(WIFI_BULLETIN, "WiBro ID and a one-time code").replace(
    "- **Effective date** {#f-date type=date}: 2010-09-01\n", "").replace(
    "in writing (not:", "in writing, with the Wi-Fi option (not:",
).replace("password, in writing.\"}", "password, in writing, with the Wi-Fi option.\"}"  # its say=
) + "- **Hotspot name** {#f-name type=text}: olleh Wi-Fi (was: NeSPOT)\n"
FUTURE = (WIFI_BULLETIN.replace("effective: 2010-09-01", "effective: 2099-09-01")
          .replace("deadline: 2010-08-30", "deadline: 2099-08-30"))
SUPERSEDING = (WIFI_BULLETIN.replace(f"id: {SLUG}", f"id: {SUCCESSOR}")
               .replace("title: WiBro 50 GB customers", "title: From 2011 all customers")
               .replace("recertify_after_days: 180",
                        f"recertify_after_days: 180\nsupersedes: [{SLUG}]"))


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _badges(html: str) -> list[str]:
    return re.findall(r'<span class="life life-[a-z-]+">([^<]+)</span>', html)


def _draft(org, source: str, version_of: str | None = None) -> None:
    url = f"/api/v1/bulletins/{version_of}/versions" if version_of else "/api/v1/bulletins"
    response = org.app.test_client().post(url, json={"source": source},
                                          headers=org.headers("trainer@example.com"))
    assert response.status_code == 201, response.json


# --- badges ------------------------------------------------------------------------------


def test_trainer_list_shows_lifecycle_badges(as_role, org):
    client = as_role("trainer")
    _draft(org, WIFI_BULLETIN)
    assert _badges(_text(client.get("/trainer/"))) == ["Draft"]
    publish_wifi(org, WIFI_BULLETIN.replace("deadline: 2010-08-30", "deadline: 2010-08-29"))
    assert _badges(_text(client.get("/trainer/"))) == ["In force"]
    _draft(org, V2, "wibro50-wifi-login")  # a new draft beside the version in force
    html = _text(client.get("/trainer/"))
    assert _badges(html) == ["Draft", "In force"] and "v1:" in html


def test_bulletin_pages_show_status_with_effective_date(as_role, org, app):
    publish_wifi(org)
    trainer = as_role("trainer")
    html = _text(trainer.get(f"/trainer/bulletins/{SLUG}"))
    assert re.search(r'Status: <span class="life life-in-force">In force</span>\s*'
                     r'<span class="life-date">effective Sep 1, 2010</span>', html)  # locale date
    agent = app.test_client()
    from tests.conftest import login

    login(agent, "agent@example.com")
    html = _text(agent.get(f"/agent/bulletins/{SLUG}"))
    assert _badges(html) == ["In force"] and "effective Sep 1, 2010" in html


def test_scheduled_version_says_when_it_takes_effect(as_role, org):
    publish_wifi(org, FUTURE)
    html = _text(as_role("trainer").get(f"/trainer/bulletins/{SLUG}"))
    assert _badges(html)[0] == "Scheduled" and "takes effect on Sep 1, 2099" in html


# --- versions ------------------------------------------------------------------------------


def test_versions_are_listed_with_status_and_links(as_role, org):
    publish_wifi(org)
    publish_wifi(org, V2)
    client = as_role("trainer")
    html = _text(client.get(f"/trainer/bulletins/{SLUG}"))
    section = html[html.index('id="versions-h"'):]
    assert f'href="/trainer/bulletins/{SLUG}/versions/2"' in section
    assert f'href="/trainer/bulletins/{SLUG}/versions/1"' in section
    assert _badges(section) == ["In force", "Replaced by v2"]
    assert f'href="/trainer/bulletins/{SLUG}/diff?from=1&amp;to=2"' in section
    old = _text(client.get(f"/trainer/bulletins/{SLUG}/versions/1"))
    assert _badges(old)[0] == "Replaced by v2"
    assert "WiBro ID and password" in old and "one-time code" not in old.split("versions-h")[0]
    assert 'id="fact-f-date"' in old


@pytest.mark.parametrize(("url", "status", "words"), [
    (f"/trainer/bulletins/{SLUG}/versions/9", 404, f"&#39;{SLUG}&#39; has no version 9"),
    ("/trainer/bulletins/no-such/versions/1", 404, "no bulletin &#39;no-such&#39;"),
    (f"/trainer/bulletins/{SLUG}/diff?from=one&to=2", 400, "&#39;from&#39; must be a version"),
    (f"/trainer/bulletins/{SLUG}/diff?from=1&to=0", 400, "&#39;to&#39; must be a version"),
    (f"/trainer/bulletins/{SLUG}/diff?from=1&to=7", 404, "has no version 7"),
])
def test_unknown_or_bad_versions_are_refused(as_role, org, url, status, words):
    publish_wifi(org)
    response = as_role("trainer").get(url)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_diff_of_a_single_version_says_there_is_nothing_earlier(as_role, org):
    publish_wifi(org)
    response = as_role("trainer").get(f"/trainer/bulletins/{SLUG}/diff")
    assert response.status_code == 400
    assert "no earlier version" in response.get_data(as_text=True)


# --- diff ----------------------------------------------------------------------------------


def test_diff_shows_facts_and_lines_side_by_side(as_role, org):
    publish_wifi(org)
    publish_wifi(org, V2)
    client = as_role("trainer")
    html = _text(client.get(f"/trainer/bulletins/{SLUG}/diff?from=1&to=2"))
    same = _text(client.get(f"/trainer/bulletins/{SLUG}/diff"))  # newest two
    # the switcher's way back, and the CSRF tokens (signed with a timestamp, so two renders a
    # second apart differ), are the only parts allowed to differ
    varying = re.compile(r'<input type="hidden" name="(?:next|csrf_token)" value="[^"]*">')
    assert varying.sub("", html) == varying.sub("", same)
    facts = html[html.index('id="facts-diff-h"'):html.index('id="text-diff-h"')]
    added = facts[facts.index("Added"):facts.index("Removed")]
    assert "Hotspot name" in added and "<ins>olleh Wi-Fi</ins>" in added
    removed = facts[facts.index("Removed"):facts.index("Changed")]
    assert "Effective date" in removed and "<del>2010-09-01</del>" in removed
    changed = facts[facts.index("Changed"):]
    assert "<del>WiBro ID and password</del>" in changed
    assert "<ins>WiBro ID and a one-time code</ins>" in changed
    assert changed.count('scope="rowgroup"') == 2  # f-login and f-handover
    lines = html[html.index('id="text-diff-h"'):]
    assert "<caption>" in lines and lines.count('<th scope="col">') == 4
    assert re.search(r'<tr class="diff-replace">\s*<td class="ln">30</td>', lines)
    assert re.search(r"<del><span class=\"sr-label\">removed: </span>- \*\*Wi-Fi login", lines)
    assert re.search(r"<ins><span class=\"sr-label\">added: </span>- \*\*Wi-Fi login", lines)
    assert '<tr class="diff-insert">' in lines and '<tr class="diff-equal">' in lines


def test_diff_backwards_and_of_identical_versions(as_role, org):
    publish_wifi(org)
    publish_wifi(org, V2)
    client = as_role("trainer")
    backwards = _text(client.get(f"/trainer/bulletins/{SLUG}/diff?from=2&to=1"))
    assert "Changes from version 2 to 1" in backwards
    assert "<ins>WiBro ID and password</ins>" in backwards
    same = _text(client.get(f"/trainer/bulletins/{SLUG}/diff?from=2&to=2"))
    assert "The facts are the same in both versions." in same
    assert "The bulletin files are identical." in same


def test_diff_escapes_the_source(as_role, org):
    publish_wifi(org)
    publish_wifi(org, WIFI_BULLETIN.replace("From 1 September 2010,",
                                            "<script>alert(1)</script> From 1 September 2010,"))
    html = _text(as_role("trainer").get(f"/trainer/bulletins/{SLUG}/diff"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


# --- supersedes, both ways -----------------------------------------------------------------


def test_supersession_banners_both_ways(as_role, org, app):
    from tests.conftest import login

    publish_wifi(org)
    publish_wifi(org, SUPERSEDING)
    trainer = as_role("trainer")
    agent = app.test_client()
    login(agent, "agent@example.com")
    for client, area in ((trainer, "trainer"), (agent, "agent")):
        old = _text(client.get(f"/{area}/bulletins/{SLUG}"))
        banner = re.search(r'<p class="banner superseded" role="note">(.*?)</p>', old, re.DOTALL)
        assert banner, area
        assert "Superseded by" in banner.group(1)
        assert f'<a href="/{area}/bulletins/{SUCCESSOR}">From 2011 all customers' in banner.group(1)
        assert re.search(r"from [A-Z][a-z]{2} \d{1,2}, \d{4}", banner.group(1))  # locale date
        assert _badges(old)[0] == "Superseded"
        new = _text(client.get(f"/{area}/bulletins/{SUCCESSOR}"))
        banner = re.search(r'<p class="banner supersedes" role="note">(.*?)</p>', new, re.DOTALL)
        assert banner and "Supersedes" in banner.group(1)
        assert f'<a href="/{area}/bulletins/{SLUG}">WiBro 50 GB customers' in banner.group(1)
        assert _badges(new)[0] == "In force"


def test_a_future_superseder_is_announced_before_it_takes_over(as_role, org):
    publish_wifi(org)
    publish_wifi(org, SUPERSEDING.replace("effective: 2010-09-01", "effective: 2099-09-01")
                 .replace("deadline: 2010-08-30", "deadline: 2099-08-30"))
    html = _text(as_role("trainer").get(f"/trainer/bulletins/{SLUG}"))
    assert "Superseded by" in html and "from Aug 30, 2099" in html
    assert _badges(html)[0] == "In force"
