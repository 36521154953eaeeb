"""The guided editor and one change in two languages: "Translate this bulletin" pre-fills a
translation that agrees with its original (new id, other language, the same dates, audience
and typed facts; the words marked "to translate"); the "Translation of" picker round-trips;
a disagreement is shown at the field or fact row concerned, everything typed kept, nothing
saved; a translation written in the guided editor alone publishes as one change."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.domain.bulletin.format import parse_bulletin
from app.models import Bulletin, BulletinVersion
from tests.conftest import publish_wifi
from tests.web.test_guided_editor import _copy_fields

SLUG, KO = "wibro50-wifi-login", "wibro50-wifi-login-ko"
GUIDED = "/trainer/bulletins/guided"


def _drafts(app, slug):
    with app.app_context():
        return [(v.status, v.source) for v in db.session.scalars(
            select(BulletinVersion).join(Bulletin).where(Bulletin.slug == slug))]


def _part(html: str, anchor: str, end: str = "</fieldset>") -> str:
    return html.split(anchor, 1)[1].split(end, 1)[0]


def _translated(form: dict) -> dict:
    """The pre-filled form with its words translated (the typed values left as they are)."""
    form = dict(form)
    form["title"] = ["와이브로 50기가 고객은 와이브로 ID로 와이파이존에 로그인합니다"]
    form["body"] = ["9월 1일부터 ==와이브로 50기가== 고객은 ==와이브로 ID==로 로그인합니다."]
    for key in [k for k in form if k.startswith("fact-") and k.endswith("-label")]:
        form[key] = [f"사실 {key.split('-')[1]}"]
        if form.get(key.replace("-label", "-key")) == ["f-bundle"]:
            # a yes/no fact needs a label that says something to be asked about (a bare
            # "사실 1" gets no item, and the fact is critical)
            form[key] = ["별도 넷스팟 결합상품 필요 여부"]
    return form


def test_translate_is_offered_on_a_published_bulletin_and_in_the_start_options(org, as_role):
    publish_wifi(org)
    client = as_role("trainer")
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert f'href="{GUIDED}?translate={SLUG}"' in page and "Translate this bulletin" in page
    start = client.get(GUIDED).get_data(as_text=True)
    assert 'name="translate"' in _part(start, 'id="start-h"', "</section>")
    assert f'<option value="{SLUG}">' in _part(start, 'id="start-translate"', "</select>")


def test_the_prefill_agrees_and_marks_the_words_to_translate(app, org, as_role):
    publish_wifi(org)
    client = as_role("trainer")
    html = client.get(f"{GUIDED}?translate={SLUG}").get_data(as_text=True)
    assert f'name="id" value="{KO}"' in html and "to translate" in html
    assert 'value="ko" selected' in html and f'<option value="{SLUG}" selected' in html
    assert "to translate" in _part(html, 'id="field-title"', "</div>")
    assert "to translate" in _part(html, 'id="field-body"', "</textarea>")
    bundle = _part(html, 'id="fact-1"')  # f-bundle, a bool: its value carries over
    assert 'value="f-bundle"' in bundle and 'name="fact-1-value" value="no"' in bundle
    assert "New value <span" not in bundle and "Label <span" in bundle
    form = _copy_fields(html)
    doc = parse_bulletin(_preview_source(client, form))
    original = parse_bulletin(_drafts(app, SLUG)[0][1])
    assert (doc.effective, doc.deadline, doc.skills, doc.teams, doc.pass_mark, doc.critical,
            doc.recertify_after_days) == (original.effective, original.deadline, original.skills,
                                          original.teams, original.pass_mark, original.critical,
                                          original.recertify_after_days)
    assert [(f.key, f.type) for f in doc.facts] == [(f.key, f.type) for f in original.facts]
    saved = client.post(GUIDED, data={**form, "action": "preview"})
    assert saved.status_code == 200 and "has problems" not in saved.get_data(as_text=True)


def _preview_source(client, form: dict) -> str:
    """The bulletin file the guided form writes (the source handed to the Markdown editor)."""
    html = client.post(GUIDED, data={**form, "action": "preview"}).get_data(as_text=True)
    import html as markup
    import re
    return markup.unescape(re.search(r'name="source" value="([^"]*)"', html, re.S).group(1))


def test_a_translation_written_in_the_guided_editor_publishes_as_one_change(app, org,
                                                                             as_role):
    publish_wifi(org)
    client = as_role("trainer")
    form = _translated(_copy_fields(client.get(f"{GUIDED}?translate={SLUG}")
                                    .get_data(as_text=True)))
    checked = client.post(GUIDED, data={**form, "action": "preview"}).get_data(as_text=True)
    assert "to translate" not in _part(checked, 'id="field-title"', "</div>")
    saved = client.post(GUIDED, data={**form, "action": "save"})
    assert saved.status_code == 302 and saved.location.endswith(f"/trainer/bulletins/{KO}")
    [(status, source)] = _drafts(app, KO)
    assert status == "draft" and parse_bulletin(source).translation_of == SLUG
    api, headers = org.app.test_client(), org.headers("trainer@example.com")
    items = api.get(f"/api/v1/bulletins/{KO}", headers=headers).json["items"]
    for item in items:
        api.put(f"/api/v1/bulletins/{KO}/items/{item['id']}", json={"status": "approved"},
                headers=headers)
    published = api.post(f"/api/v1/bulletins/{KO}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.json
    page = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert f"<code>{KO}</code>" in page and "up to date" in page


def test_a_disagreement_is_shown_at_its_field_and_fact_row_and_nothing_saved(app, org,
                                                                             as_role):
    publish_wifi(org)
    client = as_role("trainer")
    form = _translated(_copy_fields(client.get(f"{GUIDED}?translate={SLUG}")
                                    .get_data(as_text=True)))
    row = next(k.split("-")[1] for k, v in form.items() if k.endswith("-key") and v == ["f-bundle"])
    form.update({"effective": ["2010-09-02"], f"fact-{row}-value": ["yes"],
                 f"fact-{row}-was": ["no"]})
    page = client.post(GUIDED, data={**form, "action": "save"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "must agree with" in _part(html, 'id="field-effective"', "</div>\n")
    fact = _part(html, f'id="fact-{row}"')
    assert "does not match" in fact and 'aria-invalid="true"' in fact
    assert 'value="2010-09-02"' in html and "사실 0" in html  # what was typed is kept
    assert _drafts(app, KO) == []
    live = client.post(f"{GUIDED}/preview", data=form).get_data(as_text=True)
    assert f'data-for="fact-{row}"' in live and 'data-for="field:effective"' in live


def test_a_translation_of_an_unpublished_bulletin_is_shown_at_the_picker(app, org, as_role):
    client = as_role("trainer")
    html = client.get(f"{GUIDED}?translate={SLUG}")
    assert html.status_code == 404 and "has no published version" in html.get_data(as_text=True)
    publish_wifi(org)
    form = _copy_fields(client.get(f"{GUIDED}?translate={SLUG}").get_data(as_text=True))
    form["translation_of"] = ["no-such-change"]
    page = client.post(GUIDED, data={**form, "action": "save"})
    assert page.status_code == 400
    assert "publish the original first" in _part(page.get_data(as_text=True),
                                                 'id="field-translation_of"', "</div>\n")
    assert _drafts(app, KO) == []


def test_the_translation_editor_speaks_korean(org, as_role):
    publish_wifi(org)
    client = as_role("trainer")
    html = client.get(f"{GUIDED}?translate={SLUG}",
                      headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "번역할 부분" in html and "to translate" not in html
