"""The manager reports and the agent-support pages in Korean: every interface string of those
pages is translated, times and shares take the Korean form, refusals are translated, and the
CSV downloads stay English (data interchange, docs/reports.md)."""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract

from app.models import utcnow
from tests.web.manager_support import SLUG, publish_choice_items, read_csv, sit

KO = {"Accept-Language": "ko"}
ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [*sorted((ROOT / "app/templates/manager").glob("*.html")),
             *sorted((ROOT / "app/templates/support").glob("*.html"))]
PAGES = ["/manager/", "/manager/gaps", "/manager/trend", "/manager/teams/wibro_care",
         "/manager/agents/A1", "/support/", "/support/?q=agent",
         "/manager/reminders/new?pick={pick}",
         "/support/agents/A1/audit?time={now}"]
KOREAN_DAY = re.compile(r"\d{4}\. \d{1,2}\. \d{1,2}\.")


def english_phrases() -> set[str]:
    """The fixed English sentences and labels (two words or more) of these templates."""
    phrases = set()
    for path in TEMPLATES:
        with open(path, "rb") as fh:
            for _line, message, _comments, _context in extract("jinja2", fh,
                                                               keywords=DEFAULT_KEYWORDS):
                msgid = message[0] if isinstance(message, tuple) else message
                if "%" not in msgid and len(msgid.split()) >= 2:
                    phrases.add(msgid)
    return phrases


@pytest.fixture
def korean_manager(app, as_role, org):
    """A manager whose browser asks for Korean, with one failed attempt by agent A1."""
    publish_choice_items(org)
    sit(app, "agent@example.com", SLUG, "old")
    return as_role("manager")


def _pick(app) -> str:
    """The board's checkbox value for agent A1 and the published bulletin."""
    from sqlalchemy import select

    from app.core.extensions import db
    from app.models import Assignment, User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.external_id == "A1"))
        version_id = db.session.scalar(select(Assignment.version_id).where(
            Assignment.user_id == user.id))
        return f"{user.id}:{version_id}"


def _page(client, url: str, status: int = 200) -> str:
    # to the microsecond: a whole second could fall before the publication a moment ago
    now = utcnow().isoformat(timespec="microseconds").replace("+00:00", "Z")
    pick = _pick(client.application) if "{pick}" in url else ""
    response = client.get(url.format(now=now, pick=pick), headers=KO)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:400])
    return markup.unescape(response.get_data(as_text=True))


def test_extraction_sees_the_templates_phrases():
    phrases = english_phrases()
    assert "Readiness by team" in phrases and "Attempts and answers" in phrases
    assert "Find an agent by name, email or external id" in phrases


@pytest.mark.parametrize("url", PAGES)
def test_pages_show_no_english_interface_text(korean_manager, url):
    page = _page(korean_manager, url)
    assert '<html lang="ko"' in page
    main = page.split("<main", 1)[1]
    leaks = sorted(phrase for phrase in english_phrases() if phrase in main)
    assert not leaks, f"{url} shows English interface text: {leaks}"


def test_board_in_korean_words_dates_and_shares(korean_manager):
    page = _page(korean_manager, "/manager/")
    assert "팀별 준비도" in page and "콜 유형별 인력 현황" in page
    assert "게이트(마감) 2010. 8. 30." in page  # the gate, in the Korean date form
    assert re.search(r"\d+% <small>\(\d+/\d+\)</small>", page)
    assert "일 전 게이트 적용" in page  # the countdown, translated in the view


def test_agent_drilldown_in_korean(korean_manager):
    page = _page(korean_manager, "/manager/agents/A1")
    assert "응시와 답변" in page and "불합격" in page and "이전 답" in page
    assert "wifi: 배정 차단" in page
    assert re.search(r"\d{4}\. \d{1,2}\. \d{1,2}\. \d{2}:\d{2} 시작", page)
    assert "점수 0%" in page


def test_charts_take_korean_titles_legends_and_days(korean_manager):
    page = _page(korean_manager, "/manager/trend")
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "주간 준비도와 정답률" in svg and "첫 응시 정답률" in svg and "인증 비율" in svg
    assert re.search(r"\d{1,2}월 \d{1,2}일", svg)  # axis days
    assert KOREAN_DAY.search(page.split("</svg>", 1)[1])  # the table's week ends
    gaps = _page(korean_manager, "/manager/gaps")
    assert "첫 응시 정답률:" in gaps and "지식 격차" in gaps


def test_support_pages_in_korean(korean_manager):
    page = _page(korean_manager, "/manager/agents/A1")  # the one agent page, with retakes
    assert "상담사 지원" in page and "재응시" in page and "불합격" in page
    audit = _page(korean_manager, "/support/agents/A1/audit?time={now}")
    assert "시점 (Asia/Seoul)" in audit and "wifi 배정 차단" in audit and "당시 요건" in audit
    assert re.search(r"\d{4}\. \d{1,2}\. \d{1,2}\. \d{2}:\d{2}:\d{2} 시점", audit)
    assert "게이트 적용됨" in audit


@pytest.mark.parametrize(("url", "status", "korean"), [
    ("/manager/trend?from=2010-13-01", 400, "from: 날짜가 아닌 값 '2010-13-01'"),
    ("/manager/trend?from=2000-01-01&to=2010-08-01", 400, "최대 52주까지 표시합니다"),
    ("/manager/?skill=telepathy", 400,
     "알 수 없는 콜 유형 'telepathy'입니다. 다음 중에서 고르세요: billing, wibro, wifi, wired"),
    ("/manager/teams/wired_care", 403, "'wired_care' 팀은 담당 팀이 아니거나"),
    ("/manager/agents/A2", 404, "담당 팀에 'A2' 상담사가 없습니다"),
    ("/support/agents/A1/audit?time=yesterday", 400,
     "'time'은 ISO 8601 날짜와 시각이어야 합니다. 입력값: 'yesterday'"),
])
def test_refusals_are_translated(korean_manager, url, status, korean):
    assert korean in _page(korean_manager, url, status)


def test_support_refusal_flashes_in_korean(korean_manager):
    response = korean_manager.get("/support/agents/A2", headers={**KO, "Referer": "/support/"},
                                  follow_redirects=True)
    assert "외부 ID가 'A2'인 상담사가 없습니다" in markup.unescape(response.get_data(as_text=True))


def test_csv_downloads_stay_english_for_korean_readers(korean_manager):
    board = read_csv(korean_manager.get("/manager/readiness.csv", headers=KO))
    assert list(board[0])[:6] == ["team", "bulletin", "version", "title", "gate_at", "countdown"]
    assert re.fullmatch(r"gated (today|\d+ days? ago)", board[0]["countdown"])
    team = read_csv(korean_manager.get("/manager/teams/wibro_care.csv", headers=KO))
    assert {row["state"] for row in team} <= {"certified", "overdue", "due", "not assigned"}
