"""The demo lives now (issue 16): the story's change a few days ahead of the load day, its
history in the weeks behind, the same numbers on every load that day. Frozen clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from app.core.extensions import db
from app.domain.gating import local_midnight
from app.models import Attempt, Bulletin, BulletinVersion, Fact, Item, Team, User
from app.queries.eligibility_view import eligibility_document
from app.queries.trend import OVERALL, trends
from app.services.certification.assignments import statuses
from app.services.demo import load_demo
from tests.conftest import PG_URL

SEOUL = "Asia/Seoul"
NOON = datetime(2031, 3, 5, 3, 0, tzinfo=UTC)  # 12:00 on 5 March 2031 in Seoul
LATE = datetime(2031, 3, 5, 14, 30, tzinfo=UTC)  # 23:30 the same Seoul day


def _history() -> list[tuple]:
    rows = db.session.execute(
        select(User.email, Bulletin.slug, Attempt.started_at, Attempt.score, Attempt.passed)
        .join(User, User.id == Attempt.user_id)
        .join(BulletinVersion, BulletinVersion.id == Attempt.version_id)
        .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
        .order_by(Attempt.started_at, User.email)).all()
    return [tuple(r) for r in rows]


def _wipe() -> None:
    tables = db.metadata.sorted_tables
    if PG_URL:
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="module")
def loaded(migrated_template, tmp_path_factory):
    """The demo loaded at noon on 5 March 2031 (one load for the module's tests)."""
    import shutil

    from app import create_app
    from tests.conftest import _config, _empty_postgres

    folder = tmp_path_factory.mktemp("demo-now")
    if PG_URL:
        application = create_app(_config(PG_URL, folder))
        with application.app_context():
            _empty_postgres()
    else:
        shutil.copy(migrated_template, folder / "db.sqlite3")
        application = create_app(_config(f"sqlite:///{folder / 'db.sqlite3'}", folder))
    with application.app_context():
        assert load_demo(now=NOON)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_storys_change_takes_effect_a_few_days_ahead(loaded):
    with loaded.app_context():
        version = db.session.scalar(select(BulletinVersion).join(Bulletin).where(
            Bulletin.slug == "wibro50-wifi-login"))
        assert version.effective == date(2031, 3, 10)
        assert version.gate_at == local_midnight(date(2031, 3, 8), SEOUL)  # deadline: 3 days
        # every date the bulletin and its quiz state moved with it
        fact = db.session.scalar(select(Fact).where(Fact.version_id == version.id,
                                                    Fact.key == "f-date"))
        assert fact.value == "2031-03-10"
        stems = " ".join(db.session.scalars(select(Item.stem).where(
            Item.version_id == version.id)))
        assert "10 March 2031" in stems and "2010" not in stems + version.source


def test_the_history_lies_in_the_weeks_behind(loaded):
    with loaded.app_context():
        history = _history()
        today = local_midnight(date(2031, 3, 5), SEOUL)
        assert len(history) >= 40
        assert all(today - timedelta(days=42) < row[2] < today for row in history)
        weeks = {row[2].isocalendar()[:2] for row in history}
        assert len(weeks) >= 5  # several weeks of attempts
        assert {row[4] for row in history} == {True, False}


def test_the_board_has_a_weekly_trend_and_a_countdown(loaded):
    with loaded.app_context():
        teams = list(db.session.scalars(select(Team).order_by(Team.code)))
        ends = [NOON - timedelta(weeks=w) for w in range(6, -1, -1)]
        overall = next(t for t in trends(teams, ends) if t.team == OVERALL)
        ready = [r for r in overall.readiness if r is not None]
        assert len(ready) >= 5 and len(set(ready)) >= 4  # several distinct weekly points
        assert ready == sorted(ready)  # passes accumulate week by week


def test_the_demo_agent_has_an_overdue_task_and_a_running_countdown(loaded):
    with loaded.app_context():
        agent = db.session.scalar(select(User).where(User.email == "agent@onevoice.example"))
        by_slug = {s.assignment.version.slug: s.state for s in statuses(agent, NOON)}
        assert by_slug["nespot-renamed-olleh-wifi"] == "overdue"
        assert by_slug["wibro50-wifi-login"] == "due"
        blocked = {b["skill"] for b in eligibility_document(agent, refresh=False)["blocked"]}
        assert "wifi" in blocked


def test_the_same_day_gives_the_same_numbers(loaded):
    with loaded.app_context():
        first = _history()
        _wipe()
        assert load_demo(now=LATE)
        assert _history() == first
        _wipe()
        assert load_demo(now=NOON + timedelta(days=1))  # the next day: moved by one day
        moved = _history()
        assert [r[2] - timedelta(days=1) for r in moved] == [r[2] for r in first]
