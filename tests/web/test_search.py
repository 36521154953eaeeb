"""The agent knowledge base: search the bulletins in force, Korean and English, page and API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import bulletin_search
from tests.conftest import KOREAN_WIFI_BULLETIN, ROOT, WIFI_BULLETIN, new_login, publish_wifi

KOREAN = KOREAN_WIFI_BULLETIN  # the same change in Korean (translation_of)
SLUG, KO_SLUG = "wibro50-wifi-login", "wibro50-wifi-login-ko"


def _search(client, org, q: str, role: str = "agent", **params):
    response = client.get("/api/v1/search", query_string={"q": q, **params},
                          headers=org.headers(f"{role}@example.com"))
    assert response.status_code == 200, response.json
    return response.json["results"]


def _hits(results) -> list[tuple]:
    return [(r["bulletin"], r["version"], r["fact"]["id"] if r["fact"] else None)
            for r in results]


@pytest.fixture
def both(org):
    """The Wi-Fi login bulletin in English and in Korean, published."""
    publish_wifi(org)
    publish_wifi(org, KOREAN)
    return org


@pytest.mark.parametrize(("query", "slug"), [
    ("와이파이", KO_SLUG),
    ("와이파이 로그인", KO_SLUG),
    ("와이", KO_SLUG),  # 2 syllables: shorter than a trigram, answered by LIKE
    ("Wi-Fi login", SLUG),
    ("wi-fi LOGIN", SLUG),
    ("login", SLUG),
], ids=["ko", "ko-two-words", "ko-short", "en", "en-case", "en-one-word"])
def test_search_finds_the_wifi_login_fact(client, both, query, slug):
    results = _search(client, both, query)
    login = [r for r in results if r["bulletin"] == slug and r["fact"]
             and r["fact"]["id"] == "f-login"]
    assert login, _hits(results)
    hit = login[0]
    assert hit["url"] == f"/agent/bulletins/{slug}#fact-f-login"
    assert hit["status"] == "in_force" and hit["effective"] == "2010-09-01"
    assert hit["fact"]["value"] in ("WiBro ID and password", "와이브로 ID와 비밀번호")
    assert hit["title"].startswith(("WiBro 50 GB", "와이브로 50기가"))


def test_every_word_must_appear(client, both):
    assert _search(client, both, "Wi-Fi zanzibar") == []
    assert _search(client, both, "와이파이 zanzibar") == []
    english = _hits(_search(client, both, "WiBro password"))
    assert (SLUG, 1, "f-login") in english and all(s == SLUG for s, _, _ in english)


def test_body_text_is_searched_with_a_snippet(client, both):
    results = _search(client, both, "free netbook")
    body = [r for r in results if r["fact"] is None]
    assert [(r["bulletin"], r["version"]) for r in body] == [(SLUG, 1)]
    assert "free netbook" in body[0]["snippet"] and body[0]["url"] == f"/agent/bulletins/{SLUG}"


def test_wildcards_and_quotes_are_taken_literally(client, both):
    assert _search(client, both, "%") == []
    assert _search(client, both, "_") == []
    assert _search(client, both, "Wi%Fi") == []
    # Quotes are part of the words: the body says 3-year "free netbook" deal.
    quoted = _hits(_search(client, both, '"free netbook"'))
    assert quoted == [(SLUG, 1, None)]
    assert _search(client, both, '"netbook"') == []


# --- in force only ------------------------------------------------------------------------


def _republish(org, old: str, new: str, source: str = WIFI_BULLETIN) -> dict:
    changed = source.replace(old, new)
    assert changed != source
    return publish_wifi(org, changed)


def test_a_replaced_version_is_not_returned(client, org):
    publish_wifi(org, new_login(WIFI_BULLETIN, "WiBro ID and zebrapass"))
    assert _hits(_search(client, org, "zebrapass")) == [(SLUG, 1, "f-login")]
    # Version 2 gates on a past day: it takes over at once and version 1 drops out.
    publish_wifi(org)
    assert _search(client, org, "zebrapass") == []
    assert (SLUG, 2, "f-login") in _hits(_search(client, org, "Wi-Fi login"))
    assert (SLUG, 1, "f-login") not in _hits(_search(client, org, "Wi-Fi login"))


def test_a_scheduled_version_is_returned_beside_the_one_in_force(client, org):
    publish_wifi(org)
    future = new_login(WIFI_BULLETIN.replace("effective: 2010-09-01", "effective: 2099-09-01")
                       .replace("deadline: 2010-08-30", "deadline: 2099-08-30"),
                       "WiBro ID and a one-time code")
    publish_wifi(org, future)
    results = [r for r in _search(client, org, "Wi-Fi login") if r["fact"]]
    statuses = {(r["version"], r["status"]) for r in results if r["fact"]["id"] == "f-login"}
    assert statuses == {(1, "in_force"), (2, "scheduled")}


def test_a_superseded_bulletin_is_not_returned(client, org):
    publish_wifi(org)
    successor = (WIFI_BULLETIN.replace("id: wibro50-wifi-login", "id: wifi-login-2011")
                 .replace("recertify_after_days: 180",
                          "recertify_after_days: 180\nsupersedes: [wibro50-wifi-login]"))
    publish_wifi(org, successor)
    hits = _hits(_search(client, org, "Wi-Fi login"))
    assert ("wifi-login-2011", 1, "f-login") in hits
    assert all(slug != SLUG for slug, _, _ in hits)


def test_publishing_indexes_each_fact_and_the_body(client, org, app):
    publish_wifi(org)
    with app.app_context():
        rows = db.session.execute(select(bulletin_search.c.fact).where(
            bulletin_search.c.slug == SLUG)).scalars().all()
    assert sorted(rows, key=str) == sorted(
        ["f-login", "f-bundle", "f-date", "f-plan", "f-route", "f-handover", None], key=str)


def test_content_import_indexes_what_it_publishes(runner, org, app):
    result = runner.invoke(args=["content", "import", str(ROOT / "policy_changes"),
                                 str(ROOT / "quizzes")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        indexed = set(db.session.scalars(select(func.distinct(bulletin_search.c.slug))))
    assert {SLUG, KO_SLUG} <= indexed
    response = app.test_client().get("/api/v1/search", query_string={"q": "와이파이"},
                                     headers=org.headers("agent@example.com"))
    assert (KO_SLUG, 1, "f-login") in _hits(response.json["results"])


# --- the page -----------------------------------------------------------------------------


def test_agent_home_has_a_search_box(as_role):
    html = as_role("agent").get("/agent/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/agent/search"' in html and 'name="q"' in html


def test_search_page_links_to_the_exact_fact(as_role, both):
    client = as_role("agent")
    html = client.get("/agent/search", query_string={"q": "와이파이"}).get_data(as_text=True)
    assert f'href="/agent/bulletins/{KO_SLUG}#fact-f-login"' in html
    assert "<mark>와이파이</mark> 로그인 계정" in html
    assert "In force" in html and "Sep 1, 2010" in html  # the effective date, locale form
    target = client.get(f"/agent/bulletins/{KO_SLUG}").get_data(as_text=True)
    assert 'id="fact-f-login"' in target


def test_search_page_without_a_query_shows_the_form(as_role):
    response = as_role("agent").get("/agent/search")
    assert response.status_code == 200 and 'name="q"' in response.get_data(as_text=True)


def test_search_page_refuses_an_overlong_query(as_role):
    response = as_role("agent").get("/agent/search", query_string={"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200" in response.get_data(as_text=True)


HOSTILE = (new_login(WIFI_BULLETIN.replace("id: wibro50-wifi-login", "id: hostile-hotspots"),
                     "<img src=x onerror=alert(1)> hotspot <script>alert(2)</script>")
           .replace("From 1 September 2010, customers",
                    "<script>alert(3)</script> Hotspot [x](javascript:alert(4)) customers"))


def _live_markup(html: str) -> list[str]:
    found = [t for t in re.findall(r"<script[^>]*>", html, re.IGNORECASE)
             if 'src="/static/' not in t]
    found += re.findall(r"<[^>]*\bon[a-z]+\s*=[^>]*>", html, re.IGNORECASE)
    found += re.findall(r"<[^>]*\bhref\s*=\s*[\"']?\s*javascript:[^>]*>", html, re.IGNORECASE)
    return found + re.findall(r"<img\b", html, re.IGNORECASE)


def test_snippets_are_rendered_as_text(as_role, org):
    publish_wifi(org, HOSTILE)
    client = as_role("agent")
    html = client.get("/agent/search", query_string={"q": "hotspot"}).get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>hotspot</mark>" in html
    assert _live_markup(html) == []
    # The body was sanitised before indexing: its script is gone, not just escaped.
    assert "alert(3)" not in html
    api = _search(client, org, "onerror")
    assert api[0]["fact"]["value"].startswith("<img src=x onerror")  # JSON data, not HTML


# --- the API ------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "code", "field"), [
    ({}, "missing_field", "q"),
    ({"q": "   "}, "missing_field", "q"),
    ({"q": "x" * 201}, "invalid", "q"),
    ({"q": " ".join("abcdefghi")}, "invalid", "q"),
    ({"q": "wifi", "limit": "many"}, "invalid", "limit"),
    ({"q": "wifi", "limit": "0"}, "invalid", "limit"),
    ({"q": "wifi", "limit": "51"}, "invalid", "limit"),
])
def test_search_api_rejects_bad_parameters(client, org, params, code, field):
    response = client.get("/api/v1/search", query_string=params,
                          headers=org.headers("agent@example.com"))
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == code and error["details"] == {"field": field}
    assert f"'{field}'" in error["message"] or "200" in error["message"] or "8" in error["message"]


def test_search_api_limit_and_roles(client, both):
    assert len(_search(client, both, "와이", limit="2")) == 2
    for role in ("trainer", "manager", "admin"):
        assert _search(client, both, "Wi-Fi login", role=role)
    refused = client.get("/api/v1/search?q=wifi", headers=both.headers("router@example.com"))
    assert refused.status_code == 403
