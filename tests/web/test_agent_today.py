"""The agent's "what must I do today": countdowns to due dates, and progress during a quiz."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.web.agent.countdown import due_countdown
from tests.conftest import publish_wifi

# Organisation time zone Asia/Seoul (UTC+9): local midnight of 1 Sept is 31 Aug 15:00 UTC.
DUE = datetime(2010, 8, 31, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "text", "kind"), [
    (datetime(2010, 8, 28, 12, 0, tzinfo=UTC), "due in 3 days", "later"),  # last day 31 Aug
    (datetime(2010, 8, 30, 14, 59, tzinfo=UTC), "due in 1 day", "later"),
    (datetime(2010, 8, 30, 15, 0, tzinfo=UTC), "due today", "today"),  # local 31 Aug 00:00
    (datetime(2010, 8, 31, 14, 59, tzinfo=UTC), "due today", "today"),
    (datetime(2010, 8, 31, 15, 0, tzinfo=UTC), "overdue since today", "overdue"),
    (datetime(2010, 9, 1, 15, 0, tzinfo=UTC), "overdue by 1 day", "overdue"),
    (datetime(2010, 9, 10, 3, 0, tzinfo=UTC), "overdue by 9 days", "overdue"),
])
def test_due_countdown_counts_local_calendar_days(app, now, text, kind):
    with app.test_request_context():
        left = due_countdown(DUE, now)
    assert (left.text, left.kind) == (text, kind)


def test_agent_home_shows_the_countdown_of_each_due_bulletin(as_role, org):
    publish_wifi(org)  # due 1 September 2010: long overdue today
    page = as_role("agent").get("/agent/").get_data(as_text=True)
    assert re.search(r'<strong class="countdown overdue">⚠ overdue by \d+ days</strong>', page)


def test_quiz_page_shows_progress_and_counts_saved_answers(as_role, org):
    publish_wifi(org)
    client = as_role("agent")
    started = client.post("/agent/bulletins/wibro50-wifi-login/quiz")
    attempt_url = started.location
    page = client.get(attempt_url).get_data(as_text=True)
    total = len(re.findall(r'<fieldset class="card question"', page))
    assert total > 0
    assert f'<span id="answered-count">0</span>/{total}' in page
    item, option = re.search(r'name="item-(\d+)" value="(\d+)"', page).groups()
    saved = client.post(f"{attempt_url}/answers/{item}", data={"option": option})
    assert saved.status_code < 400
    page = client.get(attempt_url).get_data(as_text=True)
    assert f'<span id="answered-count">1</span>/{total}' in page
    assert f'<progress id="quiz-progress" max="{total}" value="1"' in page
