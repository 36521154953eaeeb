"""Korean and English interface: which language, the switcher, Korean pages, local times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import TooMany
from app.models import User
from tests.conftest import login, publish_wifi

KO = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def set_profile_locale(app, email: str, locale: str | None) -> None:
    with app.app_context(), unit_of_work():
        db.session.scalar(select(User).where(User.email == email)).locale = locale


def stored_locale(app, email: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(User.locale).where(User.email == email))


def page(client, url: str, headers=None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("headers, lang, heading", [
    ({}, "en", "Sign in"),
    (EN, "en", "Sign in"),
    (KO, "ko", "로그인"),
    ({"Accept-Language": "fr-FR,fr;q=0.9"}, "en", "Sign in"),  # not offered: the default
    ({"Accept-Language": "fr;q=1, ko;q=0.8"}, "ko", "로그인"),
])
def test_anonymous_language_follows_accept_language(client, headers, lang, heading):
    html = page(client, "/login", headers)
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html


def test_profile_language_beats_accept_language(app, org, client):
    set_profile_locale(app, "agent@example.com", "ko")
    login(client, "agent@example.com")
    html = page(client, "/agent/", EN)
    assert '<html lang="ko">' in html and "오늘 할 일" in html and "What to do today" not in html
    set_profile_locale(app, "agent@example.com", None)  # no profile choice: the browser's
    assert '<html lang="en">' in page(client, "/agent/", EN)
    assert '<html lang="ko">' in page(client, "/agent/", KO)


def test_switcher_is_on_every_page_as_a_labelled_form(org, client, as_role):
    for html in (page(client, "/login"), page(as_role("agent"), "/agent/")):
        assert 'action="/language"' in html and 'method="post"' in html
        assert '<label for="language-select">Language</label>' in html
        assert '<option value="ko" lang="ko">한국어</option>' in html
        assert '<option value="en" lang="en" selected>English</option>' in html
        assert 'name="csrf_token"' in html


def test_anonymous_switch_sets_a_cookie_that_beats_accept_language(client):
    response = client.post("/language", data={"lang": "ko", "next": "/login"}, headers=EN)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "lang=ko" in response.headers["Set-Cookie"]
    html = page(client, "/login", EN)
    assert '<html lang="ko">' in html and "<h1>로그인</h1>" in html
    client.post("/language", data={"lang": "en", "next": "/login"})
    assert "<h1>Sign in</h1>" in page(client, "/login", KO)


def test_signed_in_switch_stores_the_choice_on_the_profile(app, org, client, as_role):
    as_role("agent")
    response = client.post("/language", data={"lang": "ko", "next": "/agent/?x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/agent/?x=1"
    assert stored_locale(app, "agent@example.com") == "ko"
    client.delete_cookie("lang")  # the profile alone decides, on any browser
    assert '<html lang="ko">' in page(client, "/agent/", EN)


def test_switch_refuses_unknown_languages_and_foreign_redirects(app, org, client, as_role):
    as_role("agent")
    response = client.post("/language", data={"lang": "fr", "next": "/agent/"})
    assert response.status_code == 303 and response.headers["Location"] == "/agent/"
    assert stored_locale(app, "agent@example.com") is None
    assert "Choose one of the offered languages (en, ko)." in page(client, "/agent/")
    response = client.post("/language", data={"lang": "ko", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_switch_needs_the_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/language", data={"lang": "ko", "next": "/login"})
    assert response.status_code == 400 and "lang=ko" not in response.headers.get("Set-Cookie", "")


def test_korean_agent_pages_and_messages(app, org, client):
    publish_wifi(org)
    set_profile_locale(app, "agent@example.com", "ko")
    login(client, "agent@example.com")
    home = page(client, "/agent/")
    for korean in ("합격해야 할 공지", "퀴즈 응시", "받은 알림", "내 교육", "로그아웃", "상담사"):
        assert korean in home, korean
    assert "Take the quiz" not in home and "Sign out" not in home
    response = client.get("/agent/search?q=" + "x" * 300)
    assert response.status_code == 400
    assert "최대 200자까지 입력할 수 있습니다" in response.get_data(as_text=True)


def test_errors_and_login_validation_in_korean(client):
    assert "이 주소에는 페이지가 없습니다." in client.get("/nowhere", headers=KO).get_data(True)
    html = client.post("/login", data={"email": "", "password": ""}, headers=KO).get_data(True)
    assert "이메일 주소를 입력하세요." in html and "비밀번호를 입력하세요." in html
    html = client.post("/login", data={"email": "x@example.com", "password": "nope"},
                       headers=KO).get_data(True)
    assert "이메일 또는 비밀번호가 올바르지 않습니다." in html


def test_api_answers_in_english_whatever_the_language(app, org, client):
    set_profile_locale(app, "agent@example.com", "ko")
    response = client.get("/api/v1/no-such-thing", headers=KO)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert all(ch < "\uac00" for ch in response.json["error"]["message"])  # no Hangul


INSTANT = datetime(2026, 11, 26, 15, 30, 5, tzinfo=UTC)  # 00:30 next day in Seoul


@pytest.mark.parametrize("headers, expected", [
    (EN, {"date": "Nov 27, 2026", "datetime": "Nov 27, 2026 00:30",
          "seconds": "Nov 27, 2026 00:30:05", "time": "00:30", "percent": "42.5%",
          "number": "12,345.7"}),
    (KO, {"date": "2026. 11. 27.", "datetime": "2026. 11. 27. 00:30",
          "seconds": "2026. 11. 27. 00:30:05", "time": "00:30", "percent": "42.5%",
          "number": "12,345.7"}),
])
def test_times_show_in_the_organisation_zone_in_both_locales(app, headers, expected):
    template = ("{{ t|local }}|{{ t|local('%Y-%m-%d %H:%M') }}|{{ t|local_datetime(seconds=True) }}"
                "|{{ t|local('%H:%M') }}|{{ 0.425|percent(1) }}|{{ 12345.678|number(1) }}")
    with app.test_request_context("/login", headers=headers):
        rendered = render_template_string(template, t=INSTANT).split("|")
    assert rendered == [expected[k] for k in ("date", "datetime", "seconds", "time", "percent",
                                              "number")]


def test_time_zone_setting_is_honoured(app):
    app.config["ONEVOICE_TIMEZONE"] = "Europe/London"
    with app.test_request_context("/login", headers=EN):
        assert render_template_string("{{ t|local_datetime }}", t=INSTANT) == "Nov 26, 2026 15:30"


def test_retake_refusal_is_translated_with_a_local_time(app):
    from app.web.shared.refusals import refusal_text

    error = TooMany("retake_daily_cap", when="2026-11-27 00:00", tz="Asia/Seoul",
                    details={"retry_at": "2026-11-26T15:00:00+00:00", "reason": "daily_cap"})
    with app.test_request_context("/agent/", headers=KO):
        assert refusal_text(error) == ("오늘 응시 가능 횟수를 모두 사용했습니다. "
                                       "2026. 11. 27. 00:00부터 다시 응시할 수 있습니다.")
    with app.test_request_context("/agent/", headers=EN):
        assert refusal_text(error) == ("Today's attempts are used up: you can try again at "
                                       "Nov 27, 2026 00:00.")


def test_outside_a_request_messages_stay_english(app):
    from flask_babel import gettext

    from app.core.i18n import select_locale

    with app.app_context():
        assert select_locale() == "en"
        assert gettext("Sign in") == "Sign in"


@pytest.mark.parametrize("tag, expected", [
    ("ko", "ko"), ("KO-kr", "ko"), ("en_GB", "en"), (" en ", "en"), ("fr", None), ("", None),
    (None, None), ("korean", None),
])
def test_supported_language_tags(tag, expected):
    from app.core.i18n import supported

    assert supported(tag) == expected
