"""The trainer's and the admin's pages in Korean: labels, stored codes, and the parser's and
the services' messages with their data kept as it was. English stays the default."""

import re

import pytest

from tests.conftest import WIFI_BULLETIN, publish_wifi

KO = {"Accept-Language": "ko"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _text(response) -> str:
    """The page's visible text: no tags, no scripts, no attribute values."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def _draft(client, org) -> str:
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                          headers=org.headers("trainer@example.com"))
    assert created.status_code == 201
    return created.json["id"]


@pytest.mark.parametrize("path, words", [
    ("/trainer/", ["공지 작성", "아직 공지가 없습니다."]),
    ("/trainer/bulletins/new", ["공지 작성", "초안 저장", "미리 보기"]),
])
def test_trainer_pages_speak_korean(client, org, as_role, path, words):
    as_role("trainer")
    page = client.get(path, headers=KO)
    assert page.status_code == 200
    for word in words:
        assert word in page.get_data(as_text=True)


def test_draft_review_page_translates_statuses_kinds_and_sources(client, org, as_role):
    slug = _draft(client, org)
    as_role("trainer")
    text = _text(client.get(f"/trainer/bulletins/{slug}", headers=KO))
    assert "버전 1" in text and "초안" in text and "객관식" in text
    assert "이전 값" in text  # an option drawn from the (was: ...) value
    assert "이 공지의 첫 버전입니다" in text  # a first version is never material or minor
    for english in (" draft ", "choice", "(old)", "Approve all draft items"):
        assert english not in text


def test_parser_errors_keep_file_and_line_and_translate_the_phrase(client, org, as_role):
    as_role("trainer")
    broken = WIFI_BULLETIN.replace("pass_mark: 80", "pass_mark: 800")
    page = client.post("/trainer/bulletins/new", data={"source": broken, "action": "preview"},
                       headers=KO)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "bulletin:10: pass_mark: 올바르지 않은 값 &#39;800&#39;(필요: 1부터 100까지의 " \
           "정수)" in text
    english = client.post("/trainer/bulletins/new", data={"source": broken, "action": "preview"})
    assert "is not a whole number from 1 to 100" in english.get_data(as_text=True)


def test_unknown_call_type_is_translated_at_its_line_with_the_choices(client, org, as_role):
    as_role("trainer")
    broken = WIFI_BULLETIN.replace("skills: [wibro, wifi]", "skills: [wibro, roaming]")
    assert broken != WIFI_BULLETIN
    page = client.post("/trainer/bulletins/new", data={"source": broken, "action": "preview"},
                       headers=KO)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert ("bulletin:6: 알 수 없는 콜 유형 &#39;roaming&#39;입니다. 다음 중에서 고르세요: "
            "billing, wibro, wifi, wired") in text
    assert "unknown call type" not in text
    english = client.post("/trainer/bulletins/new", data={"source": broken, "action": "preview"})
    assert ("bulletin:6: unknown call type &#39;roaming&#39;: choose one of billing, wibro, "
            "wifi, wired"
            in english.get_data(as_text=True))


def test_publish_refusal_is_flashed_in_korean(client, org, as_role):
    slug = _draft(client, org)
    as_role("trainer")
    refused = client.post(f"/trainer/bulletins/{slug}/publish", data={"change": "material"},
                          headers={**KO, "Referer": f"/trainer/bulletins/{slug}"},
                          follow_redirects=True)
    assert "게시하기 전에 문항을 하나 이상 승인하세요" in refused.get_data(as_text=True)


def test_statistics_and_diff_pages_in_korean(client, org, as_role):
    slug = publish_wifi(org)["id"]
    as_role("trainer")
    stats = _text(client.get(f"/trainer/bulletins/{slug}/statistics", headers=KO))
    assert "문항 통계" in stats and "아직 분석할 채점된 응시가 없습니다." in stats
    missing = client.get(f"/trainer/bulletins/{slug}/versions/9", headers=KO)
    assert missing.status_code == 404
    assert f"&#39;{slug}&#39;에는 9번 버전이 없습니다" in missing.get_data(as_text=True)


def test_admin_pages_speak_korean(client, org, as_role):
    as_role("admin")
    home = _text(client.get("/admin/", headers=KO))
    assert "콜 유형 추가" in home and "트레이너" in home
    tokens = _text(client.get("/admin/tokens", headers=KO))
    assert "토큰 만들기" in tokens
    hooks = client.get("/admin/webhooks/", headers=KO).get_data(as_text=True)
    assert "엔드포인트 등록" in hooks


def test_directory_row_problems_are_translated(client, org, as_role):
    from io import BytesIO

    as_role("admin")
    csv = "external_id,name,email,team,skills\nX9,Kim,not-an-email,wibro_care,wifi\n"
    page = client.post("/admin/directory", headers=KO, content_type="multipart/form-data",
                       data={"file": (BytesIO(csv.encode()), "people.csv")})
    assert page.status_code == 400
    assert "이메일 주소가 아닙니다: &#39;not-an-email&#39;" in page.get_data(as_text=True)


def test_webhook_url_refusal_and_team_form_problems_in_korean(client, org, as_role):
    as_role("admin")
    refused = client.post("/admin/webhooks/", data={"url": "ftp://x", "events": []},
                          headers=KO)
    assert refused.status_code == 400
    assert "값은 http:// 또는 https://로 시작해야 합니다: " in refused.get_data(as_text=True)
    flashed = client.post("/admin/teams", data={"team-code": "busan"}, headers=KO,
                          follow_redirects=True)
    assert "팀 이름: 이 항목은 필수입니다." in flashed.get_data(as_text=True)  # WTForms in Korean


def test_every_trainer_and_admin_page_has_korean_and_no_leftover_english(client, org, as_role):
    slug = publish_wifi(org)["id"]
    as_role("admin")
    for path in ("/trainer/", f"/trainer/bulletins/{slug}", f"/trainer/bulletins/{slug}/preview",
                 "/admin/", "/admin/directory", "/admin/tokens", "/admin/webhooks/"):
        text = _text(client.get(path, headers=KO))
        assert HANGUL.search(text), path
        for english in ("Bulletins", "Directory sync", "Approve", "Export", "Back to", "Token"):
            assert english not in text, (path, english)
