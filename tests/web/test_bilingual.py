"""One change, two languages: the Wi-Fi change in English and its Korean translation.

Through the API and the pages: one requirement and one assignment per agent, each agent
reading their language, a pass in either certifying the change, one board column with its
language split, refusals naming the field or fact, and a material version leaving the
translation behind until it follows.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ItemOption, Requirement
from tests.conftest import (
    KOREAN_WIFI_BULLETIN,
    PASSWORD,
    ROOT,
    WIFI_BULLETIN,
    login,
    publish_wifi,
)

SLUG, KO_SLUG = "wibro50-wifi-login", "wibro50-wifi-login-ko"


@pytest.fixture
def pair(org):
    """The change in English and Korean; A3 (wibro_care) reads Korean, A1 has no preference."""
    from app.services.accounts.accounts import create_user

    with org.app.app_context(), unit_of_work():
        create_user(email="jiwoo@example.com", name="Jiwoo", role="agent", teams=["wibro_care"],
                    skills=["wibro", "wifi"], password=PASSWORD, external_id="A3", locale="ko")
    publish_wifi(org)
    publish_wifi(org, KOREAN_WIFI_BULLETIN)
    return org


def _get(org, path: str, email: str, **params):
    response = org.app.test_client().get(path, query_string=params, headers=org.headers(email))
    assert response.status_code == 200, response.json
    return response.json


def _pass(org, email: str, slug: str) -> dict:
    """Sit the quiz of ``slug`` as ``email`` through the API, every answer correct."""
    client, headers = org.app.test_client(), org.headers(email)
    started = client.post("/api/v1/me/attempts", json={"bulletin": slug}, headers=headers)
    assert started.status_code == 201, started.json
    attempt = started.json
    with org.app.app_context():
        for item in attempt["items"]:
            ids = [o["id"] for o in item["options"]]
            correct = db.session.scalar(select(ItemOption.id).where(
                ItemOption.id.in_(ids), ItemOption.correct.is_(True)))
            saved = client.put(f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}",
                               json={"option": correct}, headers=headers)
            assert saved.status_code == 200, saved.json
    result = client.post(f"/api/v1/me/attempts/{attempt['id']}/submit", headers=headers)
    assert result.status_code == 200, result.json
    return result.json


def test_each_agent_is_assigned_the_change_once_in_their_language(pair):
    korean = _get(pair, "/api/v1/me/assignments", "jiwoo@example.com")["assignments"]
    english = _get(pair, "/api/v1/me/assignments", "agent@example.com")["assignments"]
    assert [(a["bulletin"], a["title"][:5]) for a in korean] == [(KO_SLUG, "와이브로 ")]
    assert [a["bulletin"] for a in english] == [SLUG]  # no preference: the original's language


def test_the_routing_system_sees_one_requirement_per_change(pair):
    with pair.app.app_context():
        slugs = {r.version.slug for r in db.session.scalars(select(Requirement))}
    assert slugs == {SLUG}
    document = _get(pair, "/api/v1/agents/A3/eligibility", "router@example.com")
    assert document["cleared"] == []
    assert [(b["skill"], [m["bulletin"] for m in b["missing"]]) for b in document["blocked"]] \
        == [("wibro", [SLUG]), ("wifi", [SLUG])]


def test_passing_the_korean_quiz_certifies_the_change(pair):
    result = _pass(pair, "jiwoo@example.com", KO_SLUG)
    assert result["passed"] and result["bulletin"] == KO_SLUG
    document = _get(pair, "/api/v1/agents/A3/eligibility", "router@example.com")
    assert [c["skill"] for c in document["cleared"]] == ["wibro", "wifi"]
    assert document["blocked"] == []
    changes = _get(pair, "/api/v1/eligibility/changes", "router@example.com", since=0)["changes"]
    assert {(c["agent"], c["skill"], c["cleared"]) for c in changes} >= {
        ("A3", "wibro", True), ("A3", "wifi", True)}
    mine = _get(pair, "/api/v1/me/assignments", "jiwoo@example.com")["assignments"]
    assert [(a["bulletin"], a["status"]) for a in mine] == [(KO_SLUG, "certified")]
    # Certified on the change: the English quiz is not asked again either.
    again = pair.app.test_client().post("/api/v1/me/attempts", json={"bulletin": SLUG},
                                        headers=pair.headers("jiwoo@example.com"))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_certified"


def test_the_reports_show_one_change_with_its_language_split(pair):
    _pass(pair, "jiwoo@example.com", KO_SLUG)
    readiness = _get(pair, "/api/v1/reports/readiness", "manager@example.com")
    [team] = readiness["teams"]
    assert [(b["bulletin"], b["assigned"], b["certified"]) for b in team["bulletins"]] == [
        (SLUG, 2, 1)]
    gaps = _get(pair, "/api/v1/reports/gaps", "manager@example.com", bulletin=KO_SLUG)
    assert gaps["bulletin"] == SLUG and gaps["languages"] == ["en", "ko"]
    [care] = [t for t in gaps["teams"] if t["team"] == "wibro_care"]
    assert care["languages"][0] == {"lang": "en", "answers": 0}
    assert care["languages"][1]["lang"] == "ko" and care["languages"][1]["answers"] > 0
    assert all(f["correct"] == f["answered"] for f in care["facts"] if f["answered"])


@pytest.mark.parametrize(("locale", "words"), [
    ("en", ["One change in:", "English 0/1", "Korean 1/1"]),
    ("ko", ["영어 0/1", "한국어 1/1"]),
])
def test_the_board_has_one_column_with_counts_per_language(pair, client, locale, words):
    _pass(pair, "jiwoo@example.com", KO_SLUG)
    assert login(client, "manager@example.com").status_code == 302
    page = client.get("/manager/", headers={"Accept-Language": locale}).get_data(as_text=True)
    if locale == "ko" and '<html lang="ko"' not in page:
        page = client.get("/manager/?lang=ko").get_data(as_text=True)
    for text in words:
        assert text in page, text
    assert page.count('class="language-split"') == 1  # one team, one change: one cell
    assert "와이브로 50기가 고객은" not in page  # the Korean title is not a second column


def test_a_translation_that_disagrees_is_refused_naming_the_fact(org):
    publish_wifi(org)
    client, headers = org.app.test_client(), org.headers("trainer@example.com")
    wrong = KOREAN_WIFI_BULLETIN.replace("}: 아니오 (was: 예)",
                                         "}: 예 (was: 아니오)")
    created = client.post("/api/v1/bulletins", json={"source": wrong}, headers=headers)
    assert created.status_code == 201, created.json
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{KO_SLUG}/items/{item['id']}",
                   json={"status": "approved"}, headers=headers)
    refused = client.post(f"/api/v1/bulletins/{KO_SLUG}/publish", json={}, headers=headers)
    assert refused.status_code == 400
    error = refused.json["error"]
    assert error["code"] == "translation_disagrees"
    assert "fact 'f-bundle': value '예' does not match 'no'" in error["message"]
    assert {p["fact"] for p in error["details"]["problems"]} == {"f-bundle"}
    shown = client.get(f"/api/v1/bulletins/{KO_SLUG}", headers=headers).json
    assert shown["status"] == "draft"  # nothing was published


def test_a_translation_waits_for_its_original(org):
    client, headers = org.app.test_client(), org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": KOREAN_WIFI_BULLETIN},
                          headers=headers)
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{KO_SLUG}/items/{item['id']}",
                   json={"status": "approved"}, headers=headers)
    refused = client.post(f"/api/v1/bulletins/{KO_SLUG}/publish", json={}, headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "original_not_published"
    assert refused.json["error"]["details"]["field"] == "translation_of"


def test_a_material_version_leaves_the_translation_behind_until_it_follows(pair):
    changed = WIFI_BULLETIN.replace("time_limit_minutes: 15", "time_limit_minutes: 20")
    publish_wifi(pair, changed, change="material")
    mine = _get(pair, "/api/v1/me/assignments", "jiwoo@example.com")["assignments"]
    # Version 2 in English meanwhile (version 1's assignment stays, in Korean).
    assert {(a["bulletin"], a["version"]) for a in mine} == {(SLUG, 2), (KO_SLUG, 1)}
    original = _get(pair, f"/api/v1/bulletins/{SLUG}", "trainer@example.com")
    assert original["translations"] == [{"bulletin": KO_SLUG, "lang": "ko", "version": 1,
                                         "translates": 1, "current": False}]
    outdated = pair.app.test_client().post("/api/v1/me/attempts", json={"bulletin": KO_SLUG},
                                           headers=pair.headers("jiwoo@example.com"))
    assert outdated.status_code == 409
    assert outdated.json["error"]["code"] == "translation_outdated"
    publish_wifi(pair, KOREAN_WIFI_BULLETIN.replace("time_limit_minutes: 15",
                                                    "time_limit_minutes: 20"))
    mine = _get(pair, "/api/v1/me/assignments", "jiwoo@example.com")["assignments"]
    assert {(a["bulletin"], a["version"]) for a in mine} == {(KO_SLUG, 2), (KO_SLUG, 1)}
    assert _pass(pair, "jiwoo@example.com", KO_SLUG)["passed"]
    document = _get(pair, "/api/v1/agents/A3/eligibility", "router@example.com")
    assert [c["skill"] for c in document["cleared"]] == ["wibro", "wifi"]


def test_a_minor_version_must_still_agree_with_its_translation(pair):
    client, headers = pair.app.test_client(), pair.headers("trainer@example.com")
    moved = WIFI_BULLETIN.replace("{#f-date type=date}: 2010-09-01",
                                  "{#f-date type=date}: 2010-09-02")
    created = client.post(f"/api/v1/bulletins/{SLUG}/versions", json={"source": moved},
                          headers=headers)
    assert created.status_code == 201, created.json
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{SLUG}/items/{item['id']}", json={"status": "approved"},
                   headers=headers)
    refused = client.post(f"/api/v1/bulletins/{SLUG}/publish", json={"change": "minor"},
                          headers=headers)
    assert refused.status_code == 400, refused.json
    assert refused.json["error"]["code"] == "translation_disagrees"
    assert f"translation '{KO_SLUG}'" in refused.json["error"]["message"]
    assert "f-date" in refused.json["error"]["message"]


def test_content_import_refuses_a_pair_that_disagrees_and_writes_nothing(org, tmp_path):
    (tmp_path / f"{SLUG}.md").write_text(WIFI_BULLETIN, encoding="utf-8")
    (tmp_path / f"{KO_SLUG}.md").write_text(
        KOREAN_WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]", "teams: [wired_care]"),
        encoding="utf-8")
    result = org.app.test_cli_runner().invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code != 0
    assert (f"{KO_SLUG}.md:1: teams: a translation must agree with '{SLUG}' (there "
            "[wibro_care, wifi_support], here [wired_care])") in result.output
    with org.app.app_context():
        assert db.session.scalars(select(Requirement)).all() == []


def test_content_import_publishes_a_pair_in_either_file_order(org, tmp_path):
    (tmp_path / "a.md").write_text(KOREAN_WIFI_BULLETIN, encoding="utf-8")  # sorted first
    (tmp_path / "b.md").write_text(WIFI_BULLETIN, encoding="utf-8")
    for slug in (SLUG, KO_SLUG):  # reviewed items: the import publishes
        quiz = (ROOT / "quizzes" / f"{slug}.yaml").read_text(encoding="utf-8")
        (tmp_path / f"{slug}.yaml").write_text(quiz, encoding="utf-8")
    result = org.app.test_cli_runner().invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with org.app.app_context():
        assert {r.version.slug for r in db.session.scalars(select(Requirement))} == {SLUG}
    korean = _get(org, f"/api/v1/bulletins/{KO_SLUG}", "trainer@example.com")
    assert (korean["status"], korean["translation_of"]) == ("published", SLUG)
    original = _get(org, f"/api/v1/bulletins/{SLUG}", "trainer@example.com")
    assert original["translations"] == [{"bulletin": KO_SLUG, "lang": "ko", "version": 1,
                                         "translates": 1, "current": True}]


def test_a_trainer_reads_the_refusal_in_korean(pair):
    from flask_babel import force_locale

    from app.errors import ServiceError
    from app.services.content import bulletins, translations
    from app.web.shared.refusals import refusal_text

    wrong = (KOREAN_WIFI_BULLETIN.replace("}: 아니오 (was: 예)",
                                          "}: 예 (was: 아니오)")
             .replace("pass_mark: 80", "pass_mark: 70"))
    client, headers = pair.app.test_client(), pair.headers("trainer@example.com")
    created = client.post(f"/api/v1/bulletins/{KO_SLUG}/versions", json={"source": wrong},
                          headers=headers)
    assert created.status_code == 201, created.json
    for item in created.json["items"]:
        client.put(f"/api/v1/bulletins/{KO_SLUG}/items/{item['id']}",
                   json={"status": "approved"}, headers=headers)
    refused = client.post(f"/api/v1/bulletins/{KO_SLUG}/publish", json={"change": "minor"},
                          headers=headers)
    message = refused.json["error"]["message"]
    assert message.count("; ") == 2, message  # pass_mark, then f-bundle's value and was:
    assert refused.json["error"]["code"] == "translation_disagrees"
    with pair.app.test_request_context(), force_locale("ko"):
        with pytest.raises(ServiceError) as again:  # the same refusal, as a page shows it
            translations.check_publish(bulletins.latest_version(KO_SLUG), "minor")
        assert again.value.message == message
        korean = refusal_text(again.value)
    assert korean.startswith(
        "pass_mark: 번역본은 원문과 같아야 합니다(원문 'wibro50-wifi-login': 80, "
        "번역본: 70); 사실 'f-bundle': value 값이 다릅니다"), korean
    assert "was: 값이 다릅니다(번역본 '아니오', 원문 'wibro50-wifi-login' 'yes'" in korean


def test_the_agent_page_links_the_change_in_the_other_language(pair, client):
    assert login(client, "jiwoo@example.com").status_code == 302
    korean = client.get(f"/agent/bulletins/{KO_SLUG}").get_data(as_text=True)
    assert f'href="/agent/bulletins/{SLUG}" hreflang="en" lang="en">English</a>' in korean
    english = client.get(f"/agent/bulletins/{SLUG}").get_data(as_text=True)
    assert f'href="/agent/bulletins/{KO_SLUG}" hreflang="ko" lang="ko">한국어</a>' in english
    home = client.get("/agent/").get_data(as_text=True)
    assert f"/agent/bulletins/{KO_SLUG}" in home and "와이브로 50기가 고객은" in home
    # The receipt on the Korean page is the change's one receipt.
    read = client.post(f"/agent/bulletins/{KO_SLUG}/acknowledge", data={"version": "1"})
    assert read.status_code == 302
    with pair.app.app_context():
        from app.models import Assignment, User

        user = db.session.scalar(select(User).where(User.email == "jiwoo@example.com"))
        [assignment] = db.session.scalars(select(Assignment).where(
            Assignment.user_id == user.id)).all()
        assert assignment.version.slug == SLUG and assignment.acknowledged_at is not None


def test_retake_limits_and_a_managers_unlock_hold_across_languages(pair):
    client, headers = pair.app.test_client(), pair.headers("jiwoo@example.com")
    started = client.post("/api/v1/me/attempts", json={"bulletin": SLUG}, headers=headers)
    failed = client.post(f"/api/v1/me/attempts/{started.json['id']}/submit", headers=headers)
    assert failed.status_code == 200 and failed.json["passed"] is False  # every answer blank
    korean = client.post("/api/v1/me/attempts", json={"bulletin": KO_SLUG}, headers=headers)
    assert korean.status_code == 429, korean.json  # the cooldown is the change's, not a language's
    [mine] = _get(pair, "/api/v1/me/assignments", "jiwoo@example.com")["assignments"]
    assert mine["bulletin"] == KO_SLUG and mine["retry_at"] is not None
    with pair.app.app_context(), unit_of_work():
        from app.models import Assignment, User, utcnow

        user = db.session.scalar(select(User).where(User.email == "jiwoo@example.com"))
        db.session.scalar(select(Assignment).where(Assignment.user_id == user.id)
                          ).unlocked_at = utcnow()  # what a manager's unlock records
    again = client.post("/api/v1/me/attempts", json={"bulletin": KO_SLUG}, headers=headers)
    assert again.status_code == 201, again.json


def test_the_trainer_sees_the_pair_and_when_the_translation_must_follow(pair, client):
    assert login(client, "trainer@example.com").status_code == 302
    original = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert f"<code>{KO_SLUG}</code></a> (Korean, version 1) · up to date" in original
    korean = client.get(f"/trainer/bulletins/{KO_SLUG}").get_data(as_text=True)
    assert f"Translation of <a href=\"/trainer/bulletins/{SLUG}\">" in korean
    publish_wifi(pair, WIFI_BULLETIN.replace("pass_mark: 80", "pass_mark: 90"))
    original = client.get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert "needs a new version: a material version of this bulletin was published since" \
        in original


def test_a_reminder_names_the_change_in_the_agents_language(pair):
    from app.models import BulletinVersion, User
    from app.services.certification.reminder_mail import reminder_message

    with pair.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "jiwoo@example.com"))
        original = db.session.scalar(select(BulletinVersion).where(
            BulletinVersion.translation_of.is_(None), BulletinVersion.status == "published"))
        subject, text = reminder_message(user, original, original.gate_at, None)
    assert "와이브로 50기가 고객은" in subject
    assert "WiBro 50 GB" not in text
