"""Weekly trend snapshots (app/services/reports/trend_snapshots.py) equal a recount from the
marks, and the trend read from them equals the exact path and the raw history query, on
generated centres, after late changes that reach into closed weeks, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.derived.aggregates import sync_agents
from app.domain.readiness import week_ends, week_ends_between
from app.domain.snapshot_weeks import anchors, missing_weeks
from app.models import Assignment, BulletinVersion, Certification, Item, User, utcnow
from app.models.trend_snapshots import trend_snapshots
from app.queries.trend import readiness_trend, trends
from app.queries.trend_exact import readiness_exact
from app.services.certification import attempts
from app.services.reports.trend_snapshots import snapshot_weeks, worker_job
from tests.web.test_report_aggregates import World
from tests.web.trend_history import (
    assert_snapshots_true,
    make_centre,
    snapshot_count,
    tamper,
    teams,
)
from tests.web.trend_reference import readiness_trend_raw

HORIZON = 12


@pytest.fixture
def centre(app, org):
    app.config["ONEVOICE_TREND_SNAPSHOT_WEEKS"] = HORIZON
    app.config["ONEVOICE_RECERTIFY_AFTER_DAYS"] = 30
    return app


def _points(now) -> list[list]:
    """Trend points as the board asks for them: rolling weeks, a from-to range (local
    midnights), and instants on and around week boundaries."""
    tz = "Asia/Seoul"
    start = (now - timedelta(weeks=6)).date()
    boundaries = missing_weeks(now, tz, None, 6)
    return [week_ends(now, 8), week_ends(now - timedelta(days=3, hours=5), 10),
            week_ends_between(start, (now - timedelta(days=9)).date(), now, tz),
            boundaries, [b - timedelta(microseconds=1) for b in boundaries]]


def assert_trend_exact(now, thorough: bool = True) -> None:
    """The trend (snapshots + live differences) = the exact path = the raw history query;
    not ``thorough``: the board's default points and the week ends, all teams at once."""
    everyone = teams()
    points = _points(now)
    for ends in points if thorough else [points[0], points[3]]:
        fast = readiness_trend(everyone, ends)
        assert fast == readiness_exact(everyone, ends), ends
        assert fast == readiness_trend_raw(everyone, ends), ends
        for one in everyone if thorough else ():
            assert readiness_trend([one], ends) == readiness_exact([one], ends)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_snapshots_equal_a_recount_and_the_trend_stays_exact(centre, org, seed):
    rng = random.Random(seed)
    make_centre(centre, org, rng)
    with centre.app_context():
        now = utcnow()
        written = snapshot_weeks(now)
        assert written.rows == snapshot_count() == HORIZON * len(teams())
        assert written.batches >= HORIZON // 4
        assert assert_snapshots_true() == written.rows
        # the history is not empty: people were assigned and certified in past weeks
        assert any(row.certified for row in db.session.execute(select(trend_snapshots)))
        assert_trend_exact(now)
        assert snapshot_weeks(now).rows == 0  # a second run writes nothing
    world = World(centre, org, rng)  # moves, deactivations, passes at past instants...
    world.clock = utcnow() - timedelta(days=40)
    steps = [world.directory] * 3 + [world.sit] * 4 + [world.add_agent]
    for _ in range(8):
        rng.choice(steps)()
        with centre.app_context():
            assert_snapshots_true()  # what a late change reached is gone, the rest is true
            assert_trend_exact(utcnow(), thorough=False)
            snapshot_weeks()
            assert snapshot_count() == HORIZON * len(teams())
            assert_snapshots_true()


def test_the_trend_reads_the_snapshots(centre, org):
    """Changing a stored snapshot changes the trend: the closed weeks come from the table
    (the exact path would not see the change), the open part from the marks."""
    make_centre(centre, org, random.Random(7))
    with centre.app_context():
        now = utcnow()
        snapshot_weeks(now)
        team = next(t for t in teams() if t.code == "wibro_care")
        ends = week_ends(now, 4)
        before = readiness_trend([team], ends)
        tamper(team.id, anchors(ends, "Asia/Seoul")[1], 5)
        after = readiness_trend([team], ends)
        assert after[team.code][0][1] == before[team.code][0][1] + 5
        assert after[team.code][0][0::2] == before[team.code][0][0::2]
        # filters the snapshots do not keep are counted from the marks
        assert readiness_trend([team], ends, skill="wifi") == readiness_exact(
            [team], ends, skill="wifi")


def test_a_pass_graded_late_rewrites_the_closed_week(centre, org):
    """An exam whose time ran out just before a week ended, graded after the week closed (the
    agent came back later): the pass counts from its deadline, inside the closed week. The
    week's snapshot is deleted in the same transaction, the trend stays exact, and the next
    run writes the week again with the pass."""
    make_centre(centre, org, random.Random(11))
    with centre.app_context():
        now = utcnow()
        boundary = missing_weeks(now, "Asia/Seoul", None, 2)[0]  # a closed week's end
        agent = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        with unit_of_work():  # assigned long ago, never certified, a 10-minute exam
            db.session.execute(update(Assignment).where(Assignment.user_id == agent.id)
                               .values(created_at=boundary - timedelta(days=20)))
            db.session.execute(update(BulletinVersion).values(time_limit_minutes=10))
        with unit_of_work():
            sync_agents([agent.id])
        snapshot_weeks(now)
        team = agent.team_id
        stored = dict(db.session.execute(select(trend_snapshots.c.week_end,
                                                trend_snapshots.c.certified)
                                         .where(trend_snapshots.c.team_id == team)).all())
    started = boundary - timedelta(minutes=15)  # deadline: 5 minutes before the week ended
    with centre.app_context():
        agent = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        attempt = attempts.start(agent, "wibro50-wifi-login", at=started)
    sit_id = attempt.id
    with centre.app_context():
        agent = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        for entry in attempt.items:
            item = db.session.get(Item, entry.item_id)
            right = next(o.id for o in item.options if o.correct)
            attempts.save_answer(agent, sit_id, item.id, right, at=started + timedelta(minutes=1))
        result = attempts.submit(agent, sit_id, at=utcnow())  # graded now, at its deadline
        assert result["passed"] is True
        remaining = set(db.session.scalars(select(trend_snapshots.c.week_end).where(
            trend_snapshots.c.team_id == team)))
        assert boundary not in remaining and all(w < boundary for w in remaining)
        assert_snapshots_true()
        assert_trend_exact(utcnow())
        snapshot_weeks()
        rewritten = db.session.scalar(select(trend_snapshots.c.certified).where(
            trend_snapshots.c.team_id == team, trend_snapshots.c.week_end == boundary))
        assert rewritten == stored[boundary] + 1
        assert_snapshots_true()


def test_downtime_is_filled_and_the_horizon_bounds_the_first_run(centre, org):
    make_centre(centre, org, random.Random(5), agents=4)
    with centre.app_context():
        now = utcnow()
        count = len(teams())
        assert snapshot_weeks(now - timedelta(weeks=3)).rows == HORIZON * count
        assert snapshot_weeks(now).rows == 3 * count  # the three weeks missed, no more
        assert snapshot_weeks(now).rows == 0
        assert snapshot_weeks(now + timedelta(weeks=2)).rows == 0  # never a week not ended
        assert_snapshots_true()


def test_the_worker_job_checks_on_its_own_schedule(centre, org):
    make_centre(centre, org, random.Random(6), agents=4)
    centre.config["ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS"] = 600
    with centre.app_context():
        now = utcnow()
        assert worker_job(now).rows == HORIZON * len(teams())
        with unit_of_work():
            db.session.execute(trend_snapshots.delete())
        assert worker_job(now + timedelta(seconds=599)).rows == 0  # not due yet
        assert worker_job(now + timedelta(seconds=600)).rows > 0
        centre.config["ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS"] = 0
        with pytest.raises(ValueError, match="ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS=0"):
            worker_job(now + timedelta(hours=1))


def test_the_command_writes_then_writes_nothing(centre, org, runner):
    make_centre(centre, org, random.Random(4), agents=3)
    with centre.app_context():
        expected = HORIZON * len(teams())
    first = runner.invoke(args=["reports", "snapshot-weeks"])
    assert first.exit_code == 0, first.output
    assert f"snapshots written: {expected:,} ({HORIZON} week(s)" in first.output
    again = runner.invoke(args=["reports", "snapshot-weeks"])
    assert again.exit_code == 0 and "snapshots written: 0 (0 week(s) in 0 batch(es))" in (
        again.output)
    centre.config["ONEVOICE_TREND_SNAPSHOT_WEEKS"] = "many"
    bad = runner.invoke(args=["reports", "snapshot-weeks"])
    assert bad.exit_code != 0 and "ONEVOICE_TREND_SNAPSHOT_WEEKS='many'" in bad.output
    rebuilt = runner.invoke(args=["reports", "rebuild"])
    assert rebuilt.exit_code == 0 and "snapshots removed" in rebuilt.output
    with centre.app_context():
        assert snapshot_count() == 0


def test_two_workers_at_once_write_each_week_once(centre, org):
    """Two runs at the same moment: every (team, week) is written once (the lock and the
    key); together they write exactly what one run writes."""
    make_centre(centre, org, random.Random(8), agents=6)
    barrier, results, errors = threading.Barrier(2), [], []

    def run() -> None:
        try:
            with centre.app_context():
                barrier.wait(timeout=10)
                results.append(snapshot_weeks().rows)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with centre.app_context():
        assert sum(results) == snapshot_count() == HORIZON * len(teams())
        assert_snapshots_true()
        assert trends(teams(), week_ends(utcnow(), 8))[-1].assigned == tuple(
            sum(v) for v in zip(*[readiness_exact(teams(), week_ends(utcnow(), 8))[t][0]
                                  for t in readiness_exact(teams(), week_ends(utcnow(), 8))],
                                strict=True))


def test_a_move_reaches_back_and_is_rewritten(centre, org):
    make_centre(centre, org, random.Random(9))
    with centre.app_context():
        snapshot_weeks()
        before = snapshot_count()
        user = db.session.scalar(select(User).where(User.email == "h0@example.com"))
        target = next(t for t in teams() if t.id != user.team_id)
        with unit_of_work():
            user.team_id = target.id
        assert snapshot_count() < before  # both teams' weeks since the assignments began
        assert_snapshots_true()
        assert_trend_exact(utcnow())
        snapshot_weeks()
        assert snapshot_count() == before
        assert_snapshots_true()
        with unit_of_work():
            user.active = False
        assert snapshot_count() < before
        assert_snapshots_true()


def test_a_certification_moved_to_another_version_or_agent_is_noted_not_a_crash(centre, org):
    """An admin correction: a pass re-filed under another version, then under another agent.
    The commit goes through, the weeks it reaches are rewritten for the old and new owner."""
    make_centre(centre, org, random.Random(5))
    with centre.app_context():
        snapshot_weeks()
        cert = db.session.scalar(select(Certification).order_by(Certification.passed_at))
        other = db.session.scalar(select(BulletinVersion.id).where(
            BulletinVersion.id != cert.version_id))
        with unit_of_work():
            db.session.get(Certification, cert.id).version_id = other
        assert_snapshots_true()
        assert_trend_exact(utcnow(), thorough=False)
        snapshot_weeks()
        owner = db.session.get(User, cert.user_id)
        elsewhere = db.session.scalar(select(User).where(
            User.role == "agent", User.team_id != owner.team_id))
        with unit_of_work():
            db.session.get(Certification, cert.id).user_id = elsewhere.id
        assert_snapshots_true()
        assert_trend_exact(utcnow(), thorough=False)
