"""The set-based time pass (app/services/time_pass.py) against the per-agent recomputation.

Generated centres (benchmarks/data.py: Zipf-sized teams, several call types per agent,
bulletins for some teams only, certified / expired / never certified agents, inactive
agents) get requirements retired at random instants and agents due at random instants, then
every time-driven change up to 40 days later is applied twice from the same start: by the
per-agent ``recompute`` at each agent's due instant, and by the time pass. States, agents'
versions and next instants, the feed's events, the outbox and the served documents must be
identical. Then: a worker killed with SIGKILL mid-pass and run again, and (PostgreSQL) two
workers sharing one pass, each leave every change in the feed exactly once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from app.core.database import is_sqlite, unit_of_work
from app.core.extensions import db
from app.domain.situations import Evaluator
from app.models import (
    Certification,
    EligibilityEvent,
    EligibilityState,
    Requirement,
    User,
    agent_skills,
)
from app.models.eligibility import eligibility_documents
from app.models.webhooks import OutboxMessage
from app.services.certification import time_pass
from app.services.certification.eligibility import load_requirements, recompute
from benchmarks.data import Sizes, generate
from tests.conftest import ROOT

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
LATER = AT + timedelta(days=40)
SIZES = {1: Sizes(160, 9, 14, 6000, seed=1), 2: Sizes(120, 6, 10, 4000, seed=2)}


def centre(seed: int) -> None:
    """A generated centre with retirements, inactive agents and scattered due instants."""
    generate(SIZES[seed], AT)
    rng = random.Random(seed)
    certify(rng)
    with unit_of_work() as session:
        for req_id in session.scalars(select(Requirement.id).order_by(Requirement.id)):
            if rng.random() < 0.25:
                session.execute(update(Requirement).where(Requirement.id == req_id).values(
                    retired_at=AT + timedelta(hours=rng.randrange(1, 24 * 40))))
        for user_id in session.scalars(select(User.id).where(User.role == "agent")
                                       .order_by(User.id)):
            roll = rng.random()
            values = {"eligibility_check_at": AT + timedelta(hours=rng.randrange(0, 24 * 30))}
            if roll < 0.05:
                values["active"] = False
            elif roll < 0.10:
                values["eligibility_check_at"] = None  # nothing due: left alone by both
            session.execute(update(User).where(User.id == user_id).values(**values))


def certify(rng: random.Random) -> None:
    """Most agents certified on what their call types need (the generator leaves everyone
    blocked), some never expiring, some expiring before, during or after the 40 days."""
    reqs = load_requirements()
    with unit_of_work() as session:
        for user in session.scalars(select(User).where(User.role == "agent").order_by(User.id)):
            diligent = rng.random() < 0.7
            for version_id in sorted({min(r.accepts) for r in reqs if r.skill in user.skill_codes
                                      and (not r.teams or user.team.code in r.teams)}):
                if not diligent and rng.random() < 0.5:
                    continue
                until = rng.choice([None, AT - timedelta(days=1), AT + timedelta(days=90),
                                    AT + timedelta(hours=rng.randrange(1, 24 * 40))])
                session.add(Certification(user_id=user.id, version_id=version_id,
                                          passed_at=AT - timedelta(days=2), valid_until=until))


def per_agent(now: datetime) -> int:
    """The reference: ``recompute`` of each due agent at its own due instant, until none is due."""
    reqs, changes = load_requirements(), 0
    while True:
        with unit_of_work():
            users = db.session.scalars(
                select(User).where(User.role == "agent", User.eligibility_check_at <= now)
                .order_by(User.id).limit(200).execution_options(populate_existing=True)).all()
            if not users:
                return changes
            for user in users:
                changes += recompute([user], cause="time", at=user.eligibility_check_at,
                                     requirements=reqs)


def snapshot() -> dict:
    """What the time pass writes, in a form the two paths can be compared by."""
    db.session.expire_all()
    s = EligibilityState
    states = {(r.user_id, r.skill_id): (r.cleared, r.valid_until, r.missing, r.upcoming,
                                        r.updated_at)
              for r in db.session.execute(select(s.user_id, s.skill_id, s.cleared, s.valid_until,
                                                 s.missing, s.upcoming, s.updated_at))}
    users = {r.id: (r.eligibility_version, r.eligibility_check_at) for r in db.session.execute(
        select(User.id, User.eligibility_version, User.eligibility_check_at))}
    e = EligibilityEvent
    events = sorted((r.user_id, r.agent_version, r.skill, r.cleared, r.reason, r.at,
                     json.dumps(r.details, sort_keys=True))
                    for r in db.session.execute(select(e.user_id, e.agent_version, e.skill,
                                                       e.cleared, e.reason, e.at, e.details)))
    outbox = sorted((r.type, json.dumps(r.payload, sort_keys=True)) for r in db.session.execute(
        select(OutboxMessage.type, OutboxMessage.payload)))
    documents = {r.user_id: r.body for r in db.session.execute(select(eligibility_documents))}
    return {"states": states, "users": users, "events": events, "outbox": outbox,
            "documents": documents}


def empty_database() -> None:
    with unit_of_work() as session:
        for table in reversed(db.metadata.sorted_tables):
            session.execute(delete(table))


def reference(seed: int) -> dict:
    """The per-agent result for ``centre(seed)``; leaves the database empty."""
    centre(seed)
    before = _events()
    changes = per_agent(LATER)
    result = snapshot()
    assert len(result["events"]) == before + changes
    result["changes"] = changes
    empty_database()
    return result


def assert_same(got: dict, want: dict) -> None:
    for part in ("users", "states", "documents", "outbox"):
        assert got[part] == want[part], part
    assert got["events"] == want["events"]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("batch", [7, 2000])
def test_time_pass_equals_the_per_agent_path(ctx, seed, batch):
    want = reference(seed)
    assert want["changes"] > 50, "the generated centre must change with time"
    reasons = {event[4] for event in want["events"]}
    assert {"gate_reached", "certification_expired", "requirement_retired"} <= reasons, reasons
    centre(seed)
    done = time_pass.run(LATER, batch=batch)
    got = snapshot()
    assert_same(got, want)
    assert done.changes == want["changes"]
    assert time_pass.run(LATER).changes == 0  # nothing left due


def test_one_evaluation_per_situation_not_per_agent(ctx):
    """A gate reaching a crowd of agents in the same situation evaluates it once."""
    centre(1)
    with unit_of_work():
        db.session.execute(update(User).where(User.role == "agent")
                           .values(eligibility_check_at=LATER))
    calls = []
    done = time_pass.run(LATER, batch=50, after_batch=lambda p: calls.append(p.evaluator))
    agents = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "agent"))
    assert done.agents == agents
    evaluator = calls[-1]
    assert isinstance(evaluator, Evaluator)
    pairs = db.session.scalar(select(func.count()).select_from(agent_skills))
    # each (agent, call type) is one rule evaluation on the per-agent path
    assert evaluator.evaluations < pairs * 0.8, (evaluator.evaluations, pairs)


# --- a worker killed mid-pass, then run again -----------------------------------------------

CHILD = """
import sys, time
from datetime import datetime
from app import create_app
from app.services.certification import time_pass
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "test-secret",
                  "TESTING": True})
with app.app_context():
    print("started", flush=True)
    time_pass.run(datetime.fromisoformat(sys.argv[2]), batch=5,
                  after_batch=lambda p: time.sleep(0.05))
print("finished", flush=True)
"""


def _events() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(EligibilityEvent))


def _last_seq() -> int:
    db.session.commit()
    return db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0


def _feed_end() -> int:
    """The last seq the change feed shows (events written ahead of the gate are held)."""
    from app.services.integration.feed import last_seq

    db.session.commit()
    return last_seq()


def test_a_worker_killed_mid_pass_loses_and_doubles_nothing(app, ctx, tmp_path):
    want = reference(1)
    centre(1)
    env = {**os.environ, "ONEVOICE_INSTANCE_PATH": str(tmp_path)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, app.config["SQLALCHEMY_DATABASE_URI"],
                              LATER.isoformat()], cwd=ROOT, env=env, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 120
    before = _events()
    while _events() < before + want["changes"] // 3 and time.monotonic() < deadline:
        assert child.poll() is None, "the worker ended before it could be killed"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    written = _events()
    assert before < written < before + want["changes"], "killed mid-pass"
    done = time_pass.run(LATER)
    assert written - before + done.changes == want["changes"]
    assert_same(snapshot(), want)


# --- two workers share one pass (PostgreSQL: FOR UPDATE SKIP LOCKED) ------------------------


def in_two_workers(app, job) -> list:
    """``job()`` in two threads at once, each with its own app and engine (two workers, as
    far as the database can tell); returns their results, failing on any error."""
    from tests.web.test_several_processes import close, twin

    apps, start, results, errors = [twin(app), twin(app)], threading.Barrier(2), [], []

    def work(mine):
        try:
            with mine.app_context():
                start.wait(timeout=30)
                results.append(job())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(mine,)) for mine in apps]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    close(*apps)
    assert errors == []
    return results


def test_two_workers_share_a_pass(app, ctx):
    if is_sqlite():
        pytest.skip("PostgreSQL only: SQLite has one writer at a time (its twin is the "
                    "equivalence test)")
    want = reference(1)
    centre(1)
    tallies = in_two_workers(app, lambda: time_pass.run(
        LATER, batch=4, after_batch=lambda p: time.sleep(0.01)))
    assert all(t.batches > 0 for t in tallies), "both workers took batches"
    assert sum(t.changes for t in tallies) == want["changes"]
    assert_same(snapshot(), want)


# --- ahead of time: the worker wakes at the gate instant --------------------------------------


def test_the_worker_applies_a_gate_at_its_instant_with_it_as_at(app, ctx):
    """A worker polling every 30 s wakes at the next due instant; events carry that instant."""
    from app import worker
    from app.models import utcnow

    centre(1)
    gate = (utcnow() + timedelta(seconds=3)).replace(microsecond=0)
    with unit_of_work():
        db.session.connection().execute(update(User).where(User.role == "agent")
                                        .values(eligibility_check_at=gate))
    before = _feed_end()  # (the worker prunes the generated centre's old events)
    app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"] = 30
    stop = threading.Event()
    runner = threading.Thread(target=worker.run_forever, args=(app, stop), daemon=True)
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while _feed_end() == before and time.monotonic() < deadline:
            time.sleep(0.1)
        seen = utcnow()
        assert _feed_end() > before, "the feed showed nothing after the gate"
        assert seen >= gate and (seen - gate).total_seconds() < 20  # not the next 30 s poll
    finally:
        stop.set()
        runner.join(timeout=60)
    stamps = set(db.session.scalars(select(EligibilityEvent.at)
                                    .where(EligibilityEvent.seq > before)))
    assert stamps == {gate}
