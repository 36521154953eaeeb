"""Hostile bulletin Markdown through the API and content import: sanitised on the way in,
and nothing live on any page or in any API answer that shows it.

The web form has its own test (tests/web/test_pages.py); the sanitiser's unit tests are in
tests/unit/test_markup.py. These drive the other write paths end to end.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import BulletinVersion, bulletin_search
from tests.conftest import WIFI_BULLETIN, login

SLUG = "wibro50-wifi-login"
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-mixed-case": "<ScRiPt>alert(1)</sCrIpT>",
    "script-src": '<script src="https://evil.example/x.js"></script>',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-mixed-case": '<IMG SRC="x" OnErRoR="alert(1)">',
    "svg-onload": "<svg onload=alert(1)>",
    "div-onmouseover": '<div onmouseover="alert(1)">hover</div>',
    "md-link-javascript": "[click](javascript:alert(1))",
    "md-link-mixed-case": "[click](JaVaScRiPt:alert(1))",
    "md-link-entity": "[click](&#106;avascript:alert(1))",
    "md-link-hex-entity": "[click](&#x6A;&#x61;vascript:alert(1))",
    "md-link-tab-entity": "[click](java&#x09;script:alert(1))",
    "html-link-javascript": '<a href="javascript:alert(1)">click</a>',
    "html-link-entity": '<a href="&#106;avascript:alert(1)">click</a>',
    "html-link-spaces": '<a href="  JAVASCRIPT:alert(1)">click</a>',
    "md-image-javascript": "![x](javascript:alert(1))",
    "md-image-data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "md-link-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-link-data-mixed-case": "[x](DaTa:text/html,<script>alert(1)</script>)",
    "html-img-data": '<img src="data:image/png;base64,iVBORw0KGgo=">',
    "iframe-data": '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "reference-link": "[click][1]\n\n[1]: javascript:alert(1)",
    "entity-encoded-script": "&lt;script&gt;alert(1)&lt;/script&gt;",
}


def _hostile(payload: str, slug: str = SLUG) -> str:
    """The Wi-Fi bulletin with ``payload`` as a paragraph of its prose."""
    source = WIFI_BULLETIN.replace(f"id: {SLUG}", f"id: {slug}")
    return source.replace("From 1 September 2010, customers",
                          f"{payload}\n\nFrom 1 September 2010, customers", 1)


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): (v or "") for k, v in attrs}))


def _live(html: str) -> list[str]:
    """Markup that would run or load something: scripts, handlers, bad URLs, images."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag == "script" and not attrs.get("src", "").startswith("/static/"):
            found.append(f"<{tag}>")
        if tag in ("img", "iframe", "object", "embed", "svg"):
            found.append(f"<{tag}>")
        found += [f"{tag} {name}" for name in attrs if name.startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            url = re.sub(r"[\x00-\x20]", "", attrs.get(name, "")).lower()
            if url.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag} {name}={url[:30]}")
    return found


def _stored_html(app, slug: str = SLUG) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(BulletinVersion.body_html).where(
            BulletinVersion.bulletin.has(slug=slug))))


def _approve_and_publish(client, headers, slug: str) -> None:
    items = client.get(f"/api/v1/bulletins/{slug}/items", headers=headers).json["items"]
    for item in items:
        client.put(f"/api/v1/bulletins/{slug}/items/{item['id']}", json={"status": "approved"},
                   headers=headers)
    published = client.post(f"/api/v1/bulletins/{slug}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.json


def _pages(app, slug: str) -> list[str]:
    """The trainer's and the agent's pages showing the bulletin, and a search hitting it."""
    trainer, agent = app.test_client(), app.test_client()
    login(trainer, "trainer@example.com")
    login(agent, "agent@example.com")
    responses = [trainer.get(f"/trainer/bulletins/{slug}"),
                 trainer.get(f"/trainer/bulletins/{slug}/versions/1"),
                 agent.get(f"/agent/bulletins/{slug}"),
                 agent.get("/agent/search?q=alert"),
                 agent.get("/agent/search?q=click")]
    assert [r.status_code for r in responses] == [200] * 5
    return [r.get_data(as_text=True) for r in responses]


def _assert_clean(html: str) -> None:
    assert _live(html) == []
    assert "<script>alert" not in html.lower()


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_api_create_sanitises_every_payload(client, org, payload):
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": _hostile(payload)},
                          headers=headers)
    assert created.status_code == 201, created.json
    for html in (created.json["html"],
                 client.get(f"/api/v1/bulletins/{SLUG}", headers=headers).json["html"],
                 *_stored_html(org.app)):
        _assert_clean(html)
        lowered = html.lower()
        assert "javascript:" not in lowered and "data:" not in lowered
        assert "onerror" not in lowered and "onload" not in lowered
        assert "From 1 September 2010" in html  # the rest of the prose is kept
    _approve_and_publish(client, headers, SLUG)
    for page in _pages(org.app, SLUG):
        _assert_clean(page)


def test_entity_encoded_markup_stays_visible_text(client, org):
    headers = org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins",
                          json={"source": _hostile(PAYLOADS["entity-encoded-script"])},
                          headers=headers)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in created.json["html"]


def test_search_index_holds_sanitised_text_only(client, org):
    headers = org.headers("trainer@example.com")
    markup = [p for name, p in PAYLOADS.items() if name != "entity-encoded-script"]
    source = _hostile("\n\n".join(markup + ["Hover zebra-text here."]))
    assert client.post("/api/v1/bulletins", json={"source": source},
                       headers=headers).status_code == 201
    _approve_and_publish(client, headers, SLUG)
    with org.app.app_context():
        body = db.session.scalar(select(bulletin_search.c.body).where(
            bulletin_search.c.slug == SLUG, bulletin_search.c.fact.is_(None)))
    assert "zebra-text" in body and "From 1 September 2010" in body
    lowered = body.lower()
    assert "<script" not in lowered and "onerror" not in lowered and "onload" not in lowered
    assert "javascript:" not in lowered and "data:" not in lowered


def test_entity_encoded_markup_is_found_and_shown_as_text(client, org):
    headers = org.headers("trainer@example.com")
    source = _hostile(PAYLOADS["entity-encoded-script"])
    assert client.post("/api/v1/bulletins", json={"source": source},
                       headers=headers).status_code == 201
    _approve_and_publish(client, headers, SLUG)
    agent = org.app.test_client()
    login(agent, "agent@example.com")
    html = agent.get("/agent/search?q=script").get_data(as_text=True)
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in html
    _assert_clean(html)


# --- content import ------------------------------------------------------------------------


def test_content_import_sanitises_every_payload(runner, org, tmp_path):
    folder = tmp_path / "policy_changes"
    folder.mkdir()
    slugs = {}
    for n, (name, payload) in enumerate(PAYLOADS.items()):
        slugs[name] = f"hostile-{n}"
        (folder / f"hostile-{n}.md").write_text(_hostile(payload, f"hostile-{n}"),
                                                encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(folder)])
    assert result.exit_code == 0, result.output
    client = org.app.test_client()
    headers = org.headers("trainer@example.com")
    for name, slug in slugs.items():
        (stored,) = _stored_html(org.app, slug)
        _assert_clean(stored)
        lowered = stored.lower()
        assert "javascript:" not in lowered and "data:" not in lowered, name
        assert "onerror" not in lowered and "onload" not in lowered, name
        assert "From 1 September 2010" in stored
    # Publish one of each kind and look at every page that shows it.
    for slug in (slugs["script-mixed-case"], slugs["md-link-entity"], slugs["md-image-data"]):
        _approve_and_publish(client, headers, slug)
        for page in _pages(org.app, slug):
            _assert_clean(page)


def test_content_import_with_quiz_publishes_sanitised(runner, org, tmp_path):
    """An import that publishes straight away (quiz file with approved items) is clean too."""
    import yaml

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / f"{SLUG}.md").write_text(_hostile(PAYLOADS["img-onerror-mixed-case"]),
                                       encoding="utf-8")
    generated = runner.invoke(args=["quiz", "generate", str(folder / f"{SLUG}.md"), "-o",
                                    str(folder / f"{SLUG}.yaml")])
    assert generated.exit_code == 0, generated.output
    quiz = yaml.safe_load((folder / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    for item in quiz["items"]:
        item["status"] = "approved"
    (folder / f"{SLUG}.yaml").write_text(yaml.safe_dump(quiz, allow_unicode=True),
                                         encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(folder)])
    assert result.exit_code == 0 and "published" in result.output.lower(), result.output
    for page in _pages(org.app, SLUG):
        _assert_clean(page)
