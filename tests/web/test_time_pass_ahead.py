"""The time pass ahead of time (app/services/certification/time_pass_ahead.py).

The changes of agents whose next instant is near are staged before it and moved into place
at the instant. On the generated centres of test_time_pass.py, stepping the clock through 40
days (staging each step's instants, then passing them), the result must be the per-agent
recomputation's: states, versions, next instants, events and outbox (compared decoded and
sorted), the served documents as text, and each agent's events in order in the feed. A stage
that no longer holds (the agent recomputed, renamed or moved around the services, the
requirements changed, even during the apply) must not be applied; a worker killed mid-apply
loses and doubles nothing; two workers stage and share the stages (PostgreSQL); the worker
stages a gate before it comes and the feed carries it at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core.database import is_sqlite, unit_of_work
from app.core.extensions import db
from app.derived import eligibility_documents
from app.models import Certification, EligibilityEvent, Requirement, User, utcnow
from app.models.eligibility import eligibility_documents as documents_table
from app.models.time_pass_stages import (
    STAGE_TABLES,
    staged_agents,
    staged_releases,
    staged_states,
)
from app.services.certification import time_pass, time_pass_ahead
from app.services.certification.eligibility import recompute
from tests.conftest import ROOT
from tests.web.test_time_pass import (
    AT,
    LATER,
    _events,
    assert_same,
    centre,
    empty_database,
    in_two_workers,
    per_agent,
    snapshot,
)

STEP = timedelta(hours=31)


def stepped(before_each=None, *, publish: bool = False) -> tuple[int, int]:
    """Stage each step's instants (``publish``: and write their events to the feed, held),
    then pass them, through LATER; (changes, staged agents)."""
    changes = applied = 0
    now = AT - timedelta(seconds=1)
    while now < LATER:
        following = min(now + STEP, LATER)
        seconds = int((following - now).total_seconds())
        time_pass_ahead.stage(now, seconds=seconds)
        if publish:
            changes += time_pass_ahead.publish(now, seconds=seconds).changes
        if before_each:
            before_each(now)
        done = time_pass.run(following)
        changes, applied, now = changes + done.changes, applied + done.staged, following
    return changes, applied


def staged_count() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(staged_agents))


def leftovers() -> int:
    db.session.commit()
    return sum(db.session.scalar(select(func.count()).select_from(table))
               for table in (staged_agents, *STAGE_TABLES, staged_releases))


def reference_with(seed: int, change=None) -> dict:
    centre(seed)
    if change:
        change()
    before = _events()
    changes = per_agent(LATER)
    result = snapshot()
    assert len(result["events"]) == before + changes
    result["changes"] = changes
    empty_database()
    return result


@pytest.mark.parametrize("seed", [1, 2])
def test_staged_ahead_equals_the_per_agent_path(ctx, seed):
    want = reference_with(seed)
    centre(seed)
    changes, applied = stepped()
    assert_same(snapshot(), want)
    assert changes == want["changes"]
    agents = db.session.scalar(select(func.count()).select_from(User)
                               .where(User.role == "agent"))
    assert applied > agents // 2, "most instants were applied from their stage"
    assert leftovers() == 0, "nothing is left staged for instants that passed"
    assert time_pass.run(LATER).changes == 0
    assert_feed_order()


def assert_feed_order() -> None:
    """In the feed (seq order) each agent's versions rise, and one version's call types come
    in order, together: what a consumer reading the feed by seq relies on."""
    e = EligibilityEvent
    seen: dict[int, tuple] = {}
    for user_id, version, skill in db.session.execute(
            select(e.user_id, e.agent_version, e.skill).order_by(e.seq)):
        assert (version, skill) > seen.get(user_id, (-1, "")), (user_id, version, skill)
        seen[user_id] = (version, skill)


def _late_certificate() -> None:
    """An agent passes a quiz just before the instants: their stage no longer holds."""
    with unit_of_work() as session:
        user = session.scalars(select(User).where(User.role == "agent",
                                                  User.eligibility_check_at.is_not(None))
                               .order_by(User.id)).first()
        held = select(Certification.version_id).where(Certification.user_id == user.id)
        version_id = session.scalar(select(Requirement.version_id)
                                    .where(Requirement.version_id.not_in(held))
                                    .order_by(Requirement.id))
        session.add(Certification(user_id=user.id, version_id=version_id,
                                  passed_at=AT - timedelta(seconds=1), valid_until=None))
        session.flush()
        recompute([user], cause="certification_passed", at=AT - timedelta(seconds=1))


def test_a_recomputed_agent_is_not_applied_from_its_stage(ctx):
    want = reference_with(1, _late_certificate)
    centre(1)
    time_pass_ahead.stage(AT - timedelta(seconds=2), seconds=45 * 86400)
    staged = staged_count()
    _late_certificate()
    assert staged_count() == staged - 1, "the recompute dropped its agent's stage"
    changes, _ = stepped()
    assert_same(snapshot(), want)
    assert changes == want["changes"]


def _regate() -> None:
    """Requirements re-gated without any agent recomputed: every stage made before is stale."""
    with unit_of_work() as session:
        session.execute(update(Requirement).where(Requirement.id % 3 == 0)
                        .values(gate_at=AT + timedelta(days=2, hours=5)))


def test_stages_made_with_other_requirements_are_dropped(ctx):
    want = reference_with(1, _regate)
    centre(1)

    def regate_once(now):
        if now < AT:
            _regate()

    changes, applied = stepped(before_each=regate_once)
    assert_same(snapshot(), want)
    assert changes == want["changes"]
    assert leftovers() == 0


def test_a_stage_whose_agent_moved_without_a_recompute_is_not_applied(ctx):
    """A rename (no eligibility cause, so no recompute) and an instant moved by a write around
    the services: their stages are left, the pass evaluates the two agents, and every served
    document matches its agent's row."""
    centre(1)
    _one_instant()
    staged = time_pass_ahead.stage(AT, seconds=45 * 86400).agents
    with unit_of_work() as session:
        renamed, moved = session.scalars(select(User).where(
            User.role == "agent", User.eligibility_check_at.is_not(None))
            .order_by(User.id).limit(2)).all()
        renamed.name, renamed.external_id = "Renamed Person", "E-RENAMED"
        session.execute(update(User).where(User.id == moved.id).values(
            eligibility_check_at=AT + timedelta(days=3, seconds=1)))
    done = time_pass.run(LATER)
    assert done.staged == staged - 2
    assert "Renamed Person" in documents_match_rows()[renamed.id]
    assert leftovers() == 0


def documents_match_rows() -> dict[int, str]:
    """Every served document equals the one built from its agent's row and states; returns
    them by agent."""
    stored = {user_id: body for user_id, body in db.session.execute(
        select(documents_table.c.user_id, documents_table.c.body))}
    rebuilt = {user_id: body for user_id, (body, _) in eligibility_documents.build(
        db.session, list(stored)).items()}
    assert stored == rebuilt
    return stored


def test_requirements_changed_during_the_apply_stop_the_stages(ctx):
    """A requirement re-gated after the first batch: the later batches are the pass's own
    with the new requirements, as a pass without stages does at the same moment."""
    def regate_once(done):
        if not changed:
            changed.append(True)
            _regate()

    centre(1)
    _one_instant()
    changed: list = []
    time_pass.run(LATER, batch=5, after_batch=regate_once)
    want = snapshot()
    empty_database()
    centre(1)
    _one_instant()
    time_pass_ahead.stage(AT, seconds=45 * 86400)
    changed.clear()
    done = time_pass.run(LATER, batch=5, after_batch=regate_once)
    assert 0 < done.staged <= 5, "only the first batch came from the stages"
    assert_same(snapshot(), want)
    assert leftovers() == 0


def test_staging_stops_when_an_instant_falls_due(ctx):
    """Staging gives way to the pass: with an agent already due it stops after one batch."""
    centre(1)
    _one_instant()
    with unit_of_work() as session:
        first = session.scalar(select(func.min(User.id)).where(
            User.role == "agent", User.eligibility_check_at.is_not(None)))
        session.execute(update(User).where(User.id == first)
                        .values(eligibility_check_at=AT - timedelta(hours=1)))
    assert time_pass_ahead.stage(AT, seconds=45 * 86400, batch=5).agents == 5
    with unit_of_work() as session:
        session.execute(update(User).where(User.id == first)
                        .values(eligibility_check_at=AT + timedelta(days=3)))
    assert time_pass_ahead.stage(AT, seconds=45 * 86400, batch=5).agents > 5


def test_a_stage_that_cannot_be_applied_leaves_the_work_to_the_pass(ctx, caplog):
    """A stage at odds with the rows (here: a state row to insert that exists) fails its
    batch; every stage is dropped and the pass evaluates the agents: the same result."""
    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    time_pass_ahead.stage(AT, seconds=45 * 86400)
    with unit_of_work() as session:
        session.execute(update(staged_states).where(staged_states.c.stage_id.in_(
            select(func.min(staged_states.c.stage_id)))).values(op="i"))
    done = time_pass.run(LATER)
    assert done.staged == 0 and "could not be applied" in caplog.text
    assert_same(snapshot(), want)
    assert leftovers() == 0


@pytest.mark.parametrize("setting, read, off", [
    ("ONEVOICE_TIME_PASS_AHEAD_SECONDS", "ahead_seconds",
     lambda: time_pass_ahead.stage(AT).agents == 0),
    ("ONEVOICE_TIME_PASS_PUBLISH_SECONDS", "publish_seconds",
     lambda: time_pass_ahead.publish(AT).agents == 0 and time_pass_ahead.next_publish() is None),
])
def test_a_bad_seconds_setting_is_named(app, setting, read, off):
    with app.app_context():
        for value in (-1, "600", 2.5, True):
            app.config[setting] = value
            with pytest.raises(ValueError, match=f"{setting}="):
                getattr(time_pass_ahead, read)()
        app.config[setting] = 0
        assert off()


# --- a worker killed in the middle of applying stages -----------------------------------------

CHILD = """
import sys, time
from datetime import datetime
from app import create_app
from app.services.certification import time_pass
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "test-secret",
                  "TESTING": True})
with app.app_context():
    time_pass.run(datetime.fromisoformat(sys.argv[2]), batch=5,
                  after_batch=lambda p: time.sleep(0.05))
"""


def _one_instant() -> None:
    """Every agent due at the same instant (a gate for the whole centre)."""
    with unit_of_work() as session:
        session.execute(update(User).where(User.role == "agent",
                                           User.eligibility_check_at.is_not(None))
                        .values(eligibility_check_at=AT + timedelta(days=3)))


def test_a_worker_killed_mid_apply_loses_and_doubles_nothing(app, ctx, tmp_path):
    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    time_pass_ahead.stage(AT, seconds=45 * 86400)
    env = {**os.environ, "ONEVOICE_INSTANCE_PATH": str(tmp_path)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, app.config["SQLALCHEMY_DATABASE_URI"],
                              LATER.isoformat()], cwd=ROOT, env=env)
    deadline, before = time.monotonic() + 120, _events()
    while _events() < before + want["changes"] // 3 and time.monotonic() < deadline:
        assert child.poll() is None, "the worker ended before it could be killed"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    written = _events()
    assert before < written < before + want["changes"], "killed mid-apply"
    assert staged_count() > 0, "stages were left to apply"
    done = time_pass.run(LATER)
    assert done.staged > 0, "the rerun applied the stages left"
    assert written - before + done.changes == want["changes"]
    assert_same(snapshot(), want)


def test_two_workers_share_the_stages(app, ctx):
    if is_sqlite():
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    time_pass_ahead.stage(AT, seconds=45 * 86400)
    tallies = in_two_workers(app, lambda: time_pass.run(
        LATER, batch=4, after_batch=lambda p: time.sleep(0.01)))
    assert all(t.staged > 0 for t in tallies), "both workers applied stages"
    assert sum(t.changes for t in tallies) == want["changes"]
    assert_same(snapshot(), want)


def test_two_workers_stage_at_once(app, ctx):
    if is_sqlite():
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    centre(1)
    _one_instant()
    tallies = in_two_workers(app, lambda: time_pass_ahead.stage(AT, seconds=45 * 86400,
                                                                 batch=3))
    due = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "agent", User.eligibility_check_at.is_not(None)))
    assert all(t.agents > 0 for t in tallies), "both workers staged"
    assert sum(t.agents for t in tallies) == staged_count() == due


def test_the_worker_stages_a_gate_and_applies_it_at_its_instant(app, ctx, caplog):
    from app import worker

    centre(1)
    gate = (utcnow() + timedelta(seconds=12)).replace(microsecond=0)  # room for a busy CI
    with unit_of_work():
        db.session.connection().execute(update(User).where(User.role == "agent")
                                        .values(eligibility_check_at=gate))
    db.session.commit()
    before = db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0
    app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"] = 30
    stop = threading.Event()
    runner = threading.Thread(target=worker.run_time_loop, args=(app, stop), daemon=True)
    caplog.set_level("INFO", logger="onevoice.worker")
    runner.start()
    try:
        while staged_count() == 0 and utcnow() < gate:
            time.sleep(0.05)
        assert utcnow() < gate and staged_count() > 0, "staged before the gate"
        deadline = time.monotonic() + 60
        while leftovers() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert leftovers() == 0, "applied and cleared after the gate"
    finally:
        stop.set()
        runner.join(timeout=60)
    stamps = set(db.session.scalars(select(EligibilityEvent.at)
                                    .where(EligibilityEvent.seq > before)))
    assert stamps == {gate}
    applied = [r.getMessage() for r in caplog.records if "from their stage" in r.getMessage()]
    assert applied, "the changes were applied from the stages"


def test_the_worker_does_not_start_with_a_bad_ahead_setting(app):
    from app import worker

    app.config["ONEVOICE_TIME_PASS_AHEAD_SECONDS"] = -5
    with pytest.raises(ValueError, match="ONEVOICE_TIME_PASS_AHEAD_SECONDS=-5"):
        worker.run_forever(app, threading.Event())
