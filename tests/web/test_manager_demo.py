"""The demo's story, as a manager sees it: the wired-line 100 centre lags on the Wi-Fi change,
giving the old answer ("you need a separate Wi-Fi bundle")."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import Team
from app.queries.gaps import knowledge_gaps
from app.services.demo import load_demo
from tests.conftest import login

KO_SLUG = "wibro50-wifi-login-ko"  # the change's Korean translation: wired_care reads Korean
WIRED = "wired_care"


def _first_choice_items(pool):
    """Per fact, only its first item, slot 1 (the pool keeps the quiz file's order): it always
    offers the old value, as a choice item or, for a yes/no fact, a question answered Yes/No."""
    first = {}
    for item in pool:
        first.setdefault(item.fact, item)
    return [item for item in pool if first.get(item.fact, item) is item]


@pytest.fixture
def demo(app, monkeypatch):
    """The demo, its quizzes drawn from each fact's choice item.

    The demo's agents sit real attempts, and a draw is random: an agent who "fails choosing
    the old value" can only do so on an item that offers it. Pinning the draw to the items
    that always offer it makes the story's numbers the same on every run.
    """
    from app.services.certification import attempts

    original = attempts.draw.draw_items
    monkeypatch.setattr(attempts.draw, "draw_items",
                        lambda pool, **kw: original(_first_choice_items(pool), **kw))
    with app.app_context():
        assert load_demo()
    return app


def test_gaps_show_the_wired_line_centre_lagging_with_stale_answers(demo):
    with demo.app_context():
        teams = list(db.session.scalars(select(Team).order_by(Team.code)))
        report = knowledge_gaps(teams, KO_SLUG)
        answered = {t.team: t for t in report.teams if t.answered}
        assert WIRED in answered and len(answered) >= 2
        wired = answered[WIRED]
        others = [t for code, t in answered.items() if code != WIRED]
        # Lagging: the worst team on every fact the teams disagree on.
        assert report.one_voice
        assert all(row.worst.team == WIRED and row.spread > 0 for row in report.one_voice)
        # Stale knowledge: the highest rate, and a large one.
        assert wired.stale_rate >= 0.4
        assert all(wired.stale_rate > t.stale_rate for t in others)
        bundle = next(c for c in wired.facts if c.fact == "f-bundle")
        assert (bundle.top_wrong.source, bundle.top_wrong.text) == ("old", "예")  # "yes, a bundle"


def test_the_demo_manager_sees_it_on_the_gaps_page(demo):
    client = demo.test_client()
    assert login(client, "wired.manager@onevoice.example", "onevoice-demo").status_code == 302
    page = client.get(f"/manager/gaps?bulletin={KO_SLUG}").get_data(as_text=True)
    # 박성민's profile asks for Korean: the page is in Korean, the team's Korean name
    assert '<html lang="ko"' in page
    assert "유선 100번 고객센터" in page and "이전 지식 응답률" in page  # stale-knowledge rate
    assert "이전 답" in page  # "old answer"
    assert "와이브로 가입센터" not in page  # another manager's team stays out


def test_the_demo_has_a_day_of_calls_with_two_violations_from_the_lagging_team(demo):
    from app.models import Call

    with demo.app_context():
        calls = db.session.scalars(select(Call)).all()
        violations = [c for c in calls if not c.cleared]
        assert len(calls) >= 30
        assert len(violations) == 2
        assert {c.user.team.code for c in violations} == {WIRED}
        assert all(c.missing_requirements for c in violations)  # each names the versions it lacked
    client = demo.test_client()
    login(client, "manager@onevoice.example", "onevoice-demo")
    page = client.get("/manager/compliance").get_data(as_text=True)
    assert page.count("/manager/agents/A10") == 2
