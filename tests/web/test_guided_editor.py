"""The guided editor: a bulletin written through the form and the fact table is saved as the
bulletin file the form writes; problems are shown at their field with everything typed kept;
templates and copies (under a new id); the live preview endpoint; rows added, moved, removed."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.extensions import db
from app.domain.bulletin.format import parse_bulletin
from app.models import Bulletin, BulletinVersion
from tests.conftest import publish_wifi

SLUG = "wibro50-wifi-login"


def _fields(**changes) -> dict:
    data = {"id": "late-fee-2026", "title": "The late fee changes", "lang": "en",
            "effective": "2026-03-01", "skills": ["billing"], "teams": ["wired_care"],
            "deadline": "", "gate": "deadline", "pass_mark": "90", "time_limit_minutes": "",
            "recertify_after_days": "", "review": "", "supersedes": [],
            "body": "From March the ==late fee== is 5,000 won.",
            "fact-0-key": "f-fee", "fact-0-label": "Late fee", "fact-0-type": "money",
            "fact-0-value": "5,000 won", "fact-0-was": "3,000 won",
            "fact-0-nots": "4,000 won; 6,000 won", "fact-0-critical": "1", "fact-0-ask": "",
            "fact-1-key": "f-date", "fact-1-label": "Effective date", "fact-1-type": "date",
            "fact-1-value": "2026-03-01", "fact-1-was": "", "fact-1-nots": "",
            "fact-1-ask": "", "action": "save"}
    data.update(changes)
    return data


def _versions(app, slug):
    """(status, source, item count) of every version of ``slug``."""
    with app.app_context():
        return [(v.status, v.source, len(v.items)) for v in db.session.scalars(
            select(BulletinVersion).join(Bulletin).where(Bulletin.slug == slug)
            .order_by(BulletinVersion.number))]


def test_a_bulletin_written_with_the_form_alone_is_saved_as_a_draft(app, as_role):
    client = as_role("trainer")
    page = client.get("/trainer/bulletins/guided")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="csrf_token"' in html and "Asia/Seoul" in html and 'value="billing"' in html
    saved = client.post("/trainer/bulletins/guided", data=_fields())
    assert saved.status_code == 302 and saved.location.endswith("/trainer/bulletins/late-fee-2026")
    [(status, source, items)] = _versions(app, "late-fee-2026")
    assert status == "draft" and items
    doc = parse_bulletin(source)
    assert (doc.title, doc.skills, doc.teams, doc.pass_mark) == (
        "The late fee changes", ("billing",), ("wired_care",), 90)
    assert doc.critical == ("f-fee",) and doc.facts[0].not_values == ("4,000 won", "6,000 won")
    assert doc.facts[0].old_value == "3,000 won" and "==late fee==" in doc.body


def test_problems_are_shown_at_their_field_and_line_with_everything_kept(app, as_role):
    client = as_role("trainer")
    sent = _fields(**{"skills": ["billing", "nosuch"], "fact-1-value": "next spring",
                      "title": "Typed <title> kept"})
    page = client.post("/trainer/bulletins/guided", data=sent)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    field = html.split('id="field-skills"', 1)[1].split("</fieldset>", 1)[0]
    assert "unknown call type &#39;nosuch&#39;" in field and re.search(r"line \d+", field)
    row = html.split('id="fact-1"', 1)[1].split("</fieldset>", 1)[0]
    assert "is not a valid date" in row and 'aria-invalid="true"' in row
    assert 'value="next spring"' in row
    assert 'value="Typed &lt;title&gt; kept"' in html and "From March the ==late fee==" in html
    assert 'value="nosuch" checked' in html and 'name="fact-0-critical" value="1" checked' in html
    assert 'class="has-problem"' in html  # the line in the file view
    assert _versions(app, "late-fee-2026") == []


def test_the_editor_and_its_problems_speak_korean(app, as_role):
    client = as_role("trainer")
    korean = {"Accept-Language": "ko"}
    page = client.get("/trainer/bulletins/guided", headers=korean).get_data(as_text=True)
    assert "핵심 사항 추가" in page and "## 사실 {#facts}" in page
    html = client.post("/trainer/bulletins/guided", headers=korean,
                       data=_fields(**{"fact-1-value": "soon"})).get_data(as_text=True)
    row = html.split('id="fact-1"', 1)[1].split("</fieldset>", 1)[0]
    assert "올바른 날짜가 아닙니다" in row and "is not a valid date" not in row


def test_an_existing_id_is_refused_at_the_id_field_text_kept(app, org, as_role):
    publish_wifi(org)
    client = as_role("trainer")
    page = client.post("/trainer/bulletins/guided",
                       data=_fields(id=SLUG, skills=["wifi"], title="Mine"))
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    field = html.split('id="field-slug"', 1)[1].split("</div>", 3)
    assert "already exists" in "".join(field) and 'value="Mine"' in html
    assert 'value="as_version"' in html and len(_versions(app, SLUG)) == 1


def test_start_from_a_template_and_from_a_copy_with_a_new_id(app, org, as_role):
    publish_wifi(org)
    client = as_role("trainer")
    html = client.get("/trainer/bulletins/guided?template=price").get_data(as_text=True)
    assert 'value="money"' in html and 'name="fact-0-critical" value="1" checked' in html
    html = client.get(f"/trainer/bulletins/guided?copy={SLUG}").get_data(as_text=True)
    assert f'value="{SLUG}-copy"' in html and f'name="id" value="{SLUG}"' not in html
    assert 'value="f-login"' in html
    form = _copy_fields(html)
    saved = client.post("/trainer/bulletins/guided", data={**form, "action": "save"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    assert len(_versions(app, SLUG)) == 1 and len(_versions(app, f"{SLUG}-copy")) == 1
    again = client.get(f"/trainer/bulletins/guided?copy={SLUG}").get_data(as_text=True)
    assert f'value="{SLUG}-copy-2"' in again


def _copy_fields(html: str) -> dict:
    """The guided form's values as a browser would send them (text, checked boxes, hidden)."""
    form = html.split('id="guided-form"', 1)[1].split("</form>", 1)[0]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    data: dict = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag):
            continue
        data.setdefault(name.group(1), []).append(_unescape(value.group(1) if value else ""))
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        data[name] = [chosen.group(1) if chosen else ""]
    body = re.search(r'<textarea [^>]*name="body"[^>]*>(.*?)</textarea>', form, re.S)
    data["body"] = [_unescape(body.group(1))]
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_rows_are_added_moved_and_removed_without_script(app, as_role):
    client = as_role("trainer")
    moved = client.post("/trainer/bulletins/guided", data=_fields(action="down-0"))
    html = moved.get_data(as_text=True)
    assert moved.status_code == 200
    assert html.index('value="f-date"') < html.index('value="f-fee"')
    assert 'name="fact-0-key" value="f-date"' in html
    added = client.post("/trainer/bulletins/guided", data=_fields(action="add_fact"))
    assert 'name="fact-2-key"' in added.get_data(as_text=True)
    removed = client.post("/trainer/bulletins/guided", data=_fields(action="remove-0"))
    html = removed.get_data(as_text=True)
    assert 'value="f-fee"' not in html and 'name="fact-0-key" value="f-date"' in html
    assert _versions(app, "late-fee-2026") == []


def test_preview_endpoint_renders_the_unsaved_form_and_saves_nothing(app, as_role):
    client = as_role("trainer")
    preview = client.post("/trainer/bulletins/guided/preview", data=_fields(action=""))
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "<mark>late fee</mark>" in html and "3,000 won" in html and "5,000 won" in html
    assert "Generated items" in html and "<html" not in html and 'id="src-1"' in html
    bad = client.post("/trainer/bulletins/guided/preview",
                      data=_fields(**{"fact-0-type": "bool"}))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and 'data-for="fact-0"' in html and "is not a bool" in html
    source = client.post("/trainer/bulletins/guided/preview",
                         data={"source": "---\nid: x\n---\n"}).get_data(as_text=True)
    assert "missing required field" in source
    assert _versions(app, "late-fee-2026") == []


def test_preview_and_save_need_the_csrf_token(app, as_role):
    client = as_role("trainer")
    app.config["WTF_CSRF_ENABLED"] = True
    expired = client.post("/trainer/bulletins/guided/preview", data=_fields())
    assert expired.status_code == 400 and "The form expired" in expired.get_data(as_text=True)
    assert "<html" not in expired.get_data(as_text=True)  # a fragment for the live preview
    kept = client.post("/trainer/bulletins/guided", data=_fields())
    assert kept.status_code == 400 and 'value="The late fee changes"' in kept.get_data(True)
    assert _versions(app, "late-fee-2026") == []


def test_the_markdown_editor_opens_in_the_guided_editor_and_back(app, org, as_role):
    client = as_role("trainer")
    from tests.conftest import WIFI_BULLETIN

    opened = client.post("/trainer/bulletins/guided",
                         data={"action": "from_source", "source": WIFI_BULLETIN})
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and 'value="wibro50-wifi-login"' in html
    assert 'action="/trainer/bulletins/new"' in html  # "Edit the Markdown instead"
    broken = client.post("/trainer/bulletins/guided",
                         data={"action": "from_source", "source": "---\nid: x\n"})
    assert broken.status_code == 400 and "id: x" in broken.get_data(as_text=True)


def test_a_new_version_through_the_guided_editor(app, org, as_role):
    publish_wifi(org)
    client = as_role("trainer")
    html = client.get(f"/trainer/bulletins/guided?edit={SLUG}").get_data(as_text=True)
    assert 'name="edit"' in html and 'value="1.1"' in html
    data = _copy_fields(html)
    data["title"] = ["Revised title"]
    saved = client.post("/trainer/bulletins/guided", data={**data, "action": "save"})
    assert saved.status_code == 302
    assert [v[0] for v in _versions(app, SLUG)] == ["published", "draft"]


def test_every_template_in_both_languages_makes_a_bulletin_once_filled_in(app, org, as_role):
    from app.web.trainer.guided_fields import TEMPLATES

    client = as_role("trainer")
    for lang in ("en", "ko"):
        for name in TEMPLATES:
            html = client.get(f"/trainer/bulletins/guided?template={name}",
                              headers={"Accept-Language": lang}).get_data(as_text=True)
            data = _copy_fields(html)
            assert data["lang"] == [lang] and data["id"] == [""]
            data.update({"id": [f"{name}-{lang}"], "effective": ["2026-05-01"],
                         "skills": ["billing"], "action": ["preview"]})
            for key, value in list(data.items()):  # the example date left to fill in
                if key.endswith("-value") and value == [""]:
                    data[key] = ["2026-05-01"]
            page = client.post("/trainer/bulletins/guided", data=data,
                               headers={"Accept-Language": lang})
            assert page.status_code == 200, (lang, name, page.get_data(as_text=True)[-3000:])
            assert "table class=\"facts\"" in page.get_data(as_text=True)


def test_a_copy_of_a_bulletin_naming_a_removed_call_type_opens_with_the_problem_shown(
        app, org, as_role):
    from app.core.database import unit_of_work
    from app.models import Skill
    from app.services.accounts.accounts import ensure_skill
    from tests.conftest import WIFI_BULLETIN

    with app.app_context(), unit_of_work():
        ensure_skill("legacy")
    source = WIFI_BULLETIN.replace("skills: [wibro, wifi]", "skills: [legacy]")
    made = app.test_client().post("/api/v1/bulletins", json={"source": source},
                                  headers=org.headers("trainer@example.com"))
    assert made.status_code == 201, made.json
    with app.app_context():
        db.session.query(Skill).filter_by(code="legacy").delete()
        db.session.commit()
    client = as_role("trainer")
    page = client.get(f"/trainer/bulletins/guided?copy={SLUG}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="legacy" checked' in html  # kept, though no call type has that code now
    checked = client.post("/trainer/bulletins/guided", data={**_copy_fields(html),
                                                            "action": "preview"})
    field = checked.get_data(as_text=True).split('id="field-skills"', 1)[1]
    assert checked.status_code == 400 and "unknown call type &#39;legacy&#39;" in field[:4000]


def test_the_request_is_read_in_row_order_whatever_the_field_order(app):
    from werkzeug.datastructures import MultiDict

    from app.web.trainer.guided_fields import apply_row_action, form_from_request

    sent = MultiDict([("fact-10-key", "f-c"), ("fact-2-key", "f-b"), ("fact-2-critical", "1"),
                      ("fact-0-key", "f-a"), ("fact-0-type", ""), ("skills", "wifi"),
                      ("skills", " "), ("fact-999-key", "too-far"), ("fact-1-evil", "x")])
    form = form_from_request(sent)
    assert [r.key for r in form.facts] == ["f-a", "f-b", "f-c"]
    assert [r.critical for r in form.facts] == [False, True, False]
    assert form.facts[0].type == "text" and form.skills == ["wifi"]
    assert apply_row_action(form, "remove-1") and [r.key for r in form.facts] == ["f-a", "f-c"]
    assert not apply_row_action(form, "publish") and len(form.facts) == 2
