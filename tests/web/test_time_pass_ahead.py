"""The time pass ahead of time (app/services/certification/time_pass_ahead.py).

The changes of agents whose next instant is near are staged before it and moved into place
at the instant. On the generated centres of test_time_pass.py, stepping the clock through 40
days (staging each step's instants, then passing them), the result must be the per-agent
recomputation's, byte for byte: states, versions, next instants, events, outbox, documents.
A stage that no longer holds (the agent recomputed, the requirements changed) must not be
applied; a worker killed mid-apply loses and doubles nothing; two workers share the stages
(PostgreSQL); the worker stages a gate before it comes and the feed carries it at once.
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
from app.models import Certification, EligibilityEvent, EligibilityState, Requirement, User, utcnow
from app.models.time_pass_stages import (
    STAGE_TABLES,
    staged_agents,
    staged_instants,
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
    per_agent,
    snapshot,
)

STEP = timedelta(hours=31)


def stepped(before_each=None) -> tuple[int, int]:
    """Stage each step's instants, then pass them, through LATER; (changes, staged agents)."""
    changes = applied = 0
    now = AT - timedelta(seconds=1)
    while now < LATER:
        following = min(now + STEP, LATER)
        time_pass_ahead.stage(now, seconds=int((following - now).total_seconds()))
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
               for table in (staged_agents, staged_instants, *STAGE_TABLES))


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


def test_a_bad_ahead_setting_is_named(app):
    with app.app_context():
        for value in (-1, "600", 2.5, True):
            app.config["ONEVOICE_TIME_PASS_AHEAD_SECONDS"] = value
            with pytest.raises(ValueError, match="ONEVOICE_TIME_PASS_AHEAD_SECONDS="):
                time_pass_ahead.ahead_seconds()
        app.config["ONEVOICE_TIME_PASS_AHEAD_SECONDS"] = 0
        assert time_pass_ahead.stage(AT).agents == 0


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
    from tests.web.test_several_processes import close, twin

    want = reference_with(1, _one_instant)
    centre(1)
    _one_instant()
    time_pass_ahead.stage(AT, seconds=45 * 86400)
    apps, start, tallies, errors = [twin(app), twin(app)], threading.Barrier(2), [], []

    def work(mine):
        try:
            with mine.app_context():
                start.wait(timeout=30)
                tallies.append(time_pass.run(LATER, batch=4,
                                             after_batch=lambda p: time.sleep(0.01)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(mine,)) for mine in apps]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    close(*apps)
    assert errors == []
    assert all(t.staged > 0 for t in tallies), "both workers applied stages"
    assert sum(t.changes for t in tallies) == want["changes"]
    assert_same(snapshot(), want)


def test_the_worker_stages_a_gate_and_applies_it_at_its_instant(app, ctx):
    from app import worker

    centre(1)
    gate = (utcnow() + timedelta(seconds=6)).replace(microsecond=0)
    with unit_of_work():
        db.session.connection().execute(update(User).where(User.role == "agent")
                                        .values(eligibility_check_at=gate))
    db.session.commit()
    before = db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0
    app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"] = 30
    stop = threading.Event()
    runner = threading.Thread(target=worker.run_time_loop, args=(app, stop), daemon=True)
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


def test_the_worker_does_not_start_with_a_bad_ahead_setting(app):
    from app import worker

    app.config["ONEVOICE_TIME_PASS_AHEAD_SECONDS"] = -5
    with pytest.raises(ValueError, match="ONEVOICE_TIME_PASS_AHEAD_SECONDS=-5"):
        worker.run_forever(app, threading.Event())
