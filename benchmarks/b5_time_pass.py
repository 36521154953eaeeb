"""B5: a bulletin's gate falls due for 20,000 agents at once; how late is the push side?

    python -m benchmarks.b5_time_pass --database DB [--lead 20] [--batch 2000]

DB is a COPY of a dataset made by ``flask --app app bench-data --agents 20000 ...`` (the
benchmark changes it: it upgrades it to the migration heads, retires every requirement and
adds a bulletin). Steps:

1. **prepare** (timed, not the target): the time pass applies what fell due since the
   dataset's as-of; every requirement is retired now and a second pass clears every active
   agent for every call type (a set-based pass over all agents, 50,000-odd changes);
2. a bulletin requiring every call type of every team, gating ``--lead`` seconds from now;
   every active agent's next check is that instant (what the publication's recompute sets);
3. a webhook endpoint subscribed to ``agent_eligibility.updated`` pointing at a real HTTP
   receiver on loopback in this process, fan-out cursors past the preparation's events;
4. the **floor**: a plain ``INSERT ... SELECT`` of as many feed rows, rolled back;
5. the worker in its own process from before the gate: its time loop (``run_time_loop``,
   which stages the gate's changes ahead of it, ``ONEVOICE_TIME_PASS_AHEAD_SECONDS``, and
   wakes at the next due instant to move them into place; ``--no-ahead``: all at the
   instant; shortly before it, ``ONEVOICE_TIME_PASS_PUBLISH_SECONDS``, it writes their events
   to the feed, held, and releases them at the instant; ``--no-publish``: the events are
   written at the instant), its webhook pusher (``start_pusher``: fan-out and
   concurrent delivery as soon as events are committed) and its webhook jobs every
   ``ONEVOICE_WORKER_INTERVAL_SECONDS``, the code ``flask --app app worker`` runs. Its
   other jobs (inbox notices, pruning) are left out: on a bench-data dataset, which never
   had a worker, the inbox job's first run is one transaction over 1.4 million
   assignments that holds SQLite's single writer for many minutes, which says nothing about
   a gate. ``--whole-worker`` runs ``flask worker`` itself, after running those jobs once.
   This process polls the feed and counts the deliveries the receiver gets.

Printed: seconds from ``gate_at`` to the last change-feed entry and to the last webhook
received, the worker's CPU seconds, the ratio to the floor, and MET/MISSED per target
(issue #19: < 60 s on PostgreSQL, < 2 min on SQLite, < 3x the floor).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .harness import ROOT, app_for, database_url, free_port, machine, ratio

SLUG = "b5-every-call-type"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Receiver(ThreadingHTTPServer):
    """A webhook receiver on loopback: answers 204, notes when each delivery came."""

    daemon_threads = True

    def __init__(self, port: int):
        self.times: list[float] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections alive, as receivers behind a server do

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.times.append(time.time())
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


def timed_pass(now) -> tuple[float, float, object]:
    from app.services.certification import time_pass

    wall, cpu = time.perf_counter(), time.process_time()
    done = time_pass.run(now)
    return time.perf_counter() - wall, time.process_time() - cpu, done


def prepare() -> None:
    """Catch up, then retire every requirement so every active agent is cleared."""
    from sqlalchemy import select, update

    from app.core.database import unit_of_work
    from app.core.extensions import db
    from app.models import Bulletin, Requirement, User, utcnow

    if db.session.scalar(select(Bulletin.id).where(Bulletin.slug == SLUG)):
        sys.exit("error: B5 ran on this database already; give it a fresh bench-data copy")
    wall, cpu, done = timed_pass(utcnow())
    say(f"catch-up pass: {done.agents:,} agents, {done.changes:,} changes in {wall:.1f} s "
        f"({cpu:.1f} s CPU)")
    now = utcnow()
    with unit_of_work():  # on the connection: nothing derived depends on these columns
        connection = db.session.connection()
        connection.execute(update(Requirement).values(retired_at=now))
        connection.execute(update(User).where(User.role == "agent", User.active.is_(True))
                           .values(eligibility_check_at=now))
    wall, cpu, done = timed_pass(now)
    print(f"retirement pass (every requirement retired): {done.agents:,} agents, "
          f"{done.changes:,} changes, {done.batches} batches in {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU", flush=True)


def steady_state(app) -> None:
    """The worker's other jobs once, as a running centre's worker has done long before: a
    dataset from bench-data never had a worker, and its first inbox pass over every
    assignment would otherwise hold SQLite's one writer through the gate."""
    from app.worker import run_once

    wall, cpu = time.perf_counter(), time.process_time()
    run_once(app, time_pass_too=False)
    print(f"the worker's other jobs, first run on the dataset: {time.perf_counter() - wall:.1f} "
          f"s wall, {time.process_time() - cpu:.1f} s CPU", flush=True)


def add_gate(lead: float):
    """A bulletin on every call type and team gating ``lead`` seconds from now."""
    from sqlalchemy import select, update

    from app.core.database import unit_of_work
    from app.core.extensions import db
    from app.models import Bulletin, BulletinVersion, Requirement, Skill, User, utcnow

    gate_at = (utcnow() + timedelta(seconds=lead)).replace(microsecond=0)
    with unit_of_work():
        skills = db.session.execute(select(Skill.id, Skill.code).order_by(Skill.code)).all()
        bulletin = Bulletin(slug=SLUG)
        db.session.add(bulletin)
        db.session.flush()
        version = BulletinVersion(
            bulletin_id=bulletin.id, number=1, status="published", title="B5 gate",
            effective=gate_at.date(), gate="immediate", skills=[c for _, c in skills],
            teams=[], critical=[], supersedes=[], source="", body_html="", change="material",
            gate_at=gate_at, published_at=utcnow())
        db.session.add(version)
        db.session.flush()
        version.lineage_id = version.id
        db.session.add_all(Requirement(version_id=version.id, skill_id=skill_id,
                                       gate_at=gate_at) for skill_id, _ in skills)
        db.session.connection().execute(  # what the publication's recompute sets
            update(User).where(User.role == "agent", User.active.is_(True))
            .values(eligibility_check_at=gate_at))
    return gate_at


def expected() -> tuple[int, int]:
    """(feed entries, agents) the gate will change: every cleared state of an active agent."""
    from sqlalchemy import func, select

    from app.core.extensions import db
    from app.models import EligibilityState, User

    query = (select(func.count(), func.count(func.distinct(EligibilityState.user_id)))
             .join(User, User.id == EligibilityState.user_id)
             .where(EligibilityState.cleared.is_(True), User.active.is_(True)))
    return tuple(db.session.execute(query).one())


def floor(gate_at) -> float:
    """A plain INSERT ... SELECT of one feed row per cleared state, rolled back."""
    from sqlalchemy import bindparam, text

    from app.core.extensions import db
    from app.models.base import UTCDateTime

    statement = text(
        "INSERT INTO eligibility_events (user_id, skill, cleared, reason, agent_version, at, "
        "details) SELECT s.user_id, k.code, false, 'floor', u.eligibility_version + 1, :at, "
        "s.missing FROM eligibility_states s JOIN skills k ON k.id = s.skill_id "
        "JOIN users u ON u.id = s.user_id WHERE s.cleared AND u.active"
    ).bindparams(bindparam("at", type_=UTCDateTime()))
    db.session.commit()
    started = time.perf_counter()
    db.session.execute(statement, {"at": gate_at})
    elapsed = time.perf_counter() - started
    db.session.rollback()
    return elapsed


def subscribe(port: int) -> None:
    """The receiver's endpoint, with the fan-out cursors past every existing row."""
    from sqlalchemy import func, select

    from app.core.database import insert_missing, unit_of_work
    from app.core.extensions import db
    from app.models import EligibilityEvent
    from app.models.webhooks import OutboxMessage, WebhookCursor
    from app.services.integration.webhook_endpoints import create_endpoint

    with unit_of_work():
        create_endpoint(f"http://127.0.0.1:{port}/hook", ["agent_eligibility.updated"])
        insert_missing(WebhookCursor, [{"source": s, "position": 0}
                                       for s in ("eligibility", "outbox")])
        for source, column in (("eligibility", EligibilityEvent.seq),
                               ("outbox", OutboxMessage.id)):
            db.session.get(WebhookCursor, source).position = (
                db.session.scalar(select(func.max(column))) or 0)


def feed_count(after: int) -> int:
    """The entries after ``after`` that the change feed shows (``feed.last_seq``: events
    written ahead of their instant are in the table but held until it)."""
    from sqlalchemy import func, select

    from app.core.extensions import db
    from app.models import EligibilityEvent
    from app.services.integration.feed import last_seq

    try:
        return db.session.scalar(select(func.count()).select_from(EligibilityEvent)
                                 .where(EligibilityEvent.seq > after,
                                        EligibilityEvent.seq <= last_seq()))
    finally:
        db.session.commit()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (from /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WORKER = """
import threading, time
from app import create_app
from app.services.integration import webhooks
from app.services.integration.webhook_push import start_pusher
from app.worker import run_time_loop
app = create_app()
stop = threading.Event()
threading.Thread(target=run_time_loop, args=(app, stop), daemon=True).start()
start_pusher(app, stop)
while True:
    try:  # as run_forever: a pass that fails (SQLite busy past its timeout) is retried
        with app.app_context():
            webhooks.fan_out()
            webhooks.deliver_due()
    except Exception as error:
        print("worker pass failed:", error, flush=True)
    time.sleep(app.config["ONEVOICE_WORKER_INTERVAL_SECONDS"])
"""


def start_worker(url: str, batch: int | None, whole: bool, ahead: bool,
                 publish: bool = True) -> subprocess.Popen:
    """``flask worker`` (``whole``), or the worker's time loop and webhook jobs alone: the
    same code and schedule, without the inbox and pruning jobs. ``ahead=False`` turns off
    staging ahead of the gate (ONEVOICE_TIME_PASS_AHEAD_SECONDS=0), ``publish=False`` writing
    the staged events to the feed before it (ONEVOICE_TIME_PASS_PUBLISH_SECONDS=0)."""
    env = {**os.environ, "DATABASE_URL": url}
    if batch:
        env["ONEVOICE_TIME_PASS_BATCH"] = str(batch)
    if not ahead:
        env["ONEVOICE_TIME_PASS_AHEAD_SECONDS"] = "0"
    if not publish:
        env["ONEVOICE_TIME_PASS_PUBLISH_SECONDS"] = "0"
    command = (["-m", "flask", "--app", "app", "worker"] if whole else ["-c", WORKER])
    return subprocess.Popen([sys.executable, *command], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL)


def staged_count() -> int:
    from sqlalchemy import func, select

    from app.core.extensions import db
    from app.models.time_pass_stages import staged_agents

    try:
        return db.session.scalar(select(func.count()).select_from(staged_agents))
    finally:
        db.session.commit()


def written_count(after: int) -> int:
    """The events after ``after`` in the table, held or not."""
    from sqlalchemy import func, select

    from app.core.extensions import db
    from app.models import EligibilityEvent

    try:
        return db.session.scalar(select(func.count()).select_from(EligibilityEvent)
                                 .where(EligibilityEvent.seq > after))
    finally:
        db.session.commit()


def watch(worker, receiver, gate_at, after, entries, agents, timeout) -> dict:
    """Poll the feed (every 20 ms until it has everything) and the receiver until both have
    everything (or ``timeout``); before the gate, count the agents the worker has staged
    ahead of it and the events it has written to the feed, held."""
    gate, result = gate_at.timestamp(), {"feed_s": None, "webhook_s": None, "staged": 0,
                                         "written": 0}
    started = time.time()
    while time.time() < gate + timeout and worker.poll() is None:
        if time.time() < gate - 0.5 and result["staged"] < agents:
            result["staged"] = staged_count()
            if result["staged"] >= agents:
                result["staged_s"] = time.time() - started
        if time.time() < gate - 0.2 and result["written"] < entries:
            result["written"] = written_count(after)
            if result["written"] >= entries:
                result["written_s"] = gate - time.time()
                result["held"] = feed_count(after)
        if "gate_cpu" not in result and time.time() >= gate:
            result["gate_cpu"] = cpu_seconds(worker.pid)  # start-up, staging and idle
        if result["feed_s"] is None and feed_count(after) >= entries:
            result["feed_s"] = time.time() - gate
            result["feed_cpu"] = cpu_seconds(worker.pid)
            say(f"feed complete {result['feed_s']:.3f} s after gate_at")
        with receiver.lock:
            received = len(receiver.times)
            last = receiver.times[-1] if received else None
        if received >= agents and result["webhook_s"] is None:
            result["webhook_s"] = last - gate
            say(f"webhooks complete {result['webhook_s']:.1f} s after gate_at")
        if result["feed_s"] is not None and result["webhook_s"] is not None:
            break
        time.sleep(0.1 if result["feed_s"] is not None else 0.02)
    result["received"], result["worker_cpu"] = len(receiver.times), cpu_seconds(worker.pid)
    return result


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a bench-data COPY: SQLite file or URL")
    parser.add_argument("--lead", type=float, default=30.0,
                        help="seconds from setting the gate up to gate_at")
    parser.add_argument("--batch", type=int, default=None, help="ONEVOICE_TIME_PASS_BATCH")
    parser.add_argument("--whole-worker", action="store_true",
                        help="run `flask worker` with every job (default: the time loop and "
                             "the webhook jobs, see the module's docstring)")
    parser.add_argument("--no-ahead", action="store_true",
                        help="the worker stages nothing ahead of the gate (the pass does all of "
                             "its work at the instant, as before issue #19's 'ahead of time')")
    parser.add_argument("--no-publish", action="store_true",
                        help="the worker writes the staged events to the feed at the instant, "
                             "not before it, held (ONEVOICE_TIME_PASS_PUBLISH_SECONDS=0)")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="give up this many seconds after gate_at")
    args = parser.parse_args(argv)
    url = database_url(args.database)
    app = app_for(url)
    receiver = Receiver(free_port())
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import func, select

        from app.core.extensions import db
        from app.models import EligibilityEvent

        upgrade(revision="heads")  # a copy of an older dataset gets the current schema
        prepare()
        if args.whole_worker:
            steady_state(app)
        subscribe(receiver.server_address[1])
        gate_at = add_gate(args.lead)
        entries, agents = expected()
        floor_s = floor(gate_at)
        after = db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0
        db.session.commit()
        say(f"gate at {gate_at.isoformat()}: {entries:,} feed entries of {agents:,} agents "
            f"expected; floor {floor_s:.2f} s; starting the worker")
        worker = start_worker(url, args.batch, args.whole_worker, not args.no_ahead,
                              not args.no_publish)
        try:
            result = watch(worker, receiver, gate_at, after, entries, agents, args.timeout)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        stamps = db.session.execute(select(func.min(EligibilityEvent.at),
                                           func.max(EligibilityEvent.at))
                                    .where(EligibilityEvent.seq > after)).one()
    receiver.shutdown()
    report(url, args, gate_at, entries, agents, floor_s, result, stamps)
    met = result["feed_s"] is not None and result["webhook_s"] is not None
    limit = 120 if url.startswith("sqlite") else 60
    return 0 if met and result["webhook_s"] < limit else 1


def report(url, args, gate_at, entries, agents, floor_s, result, stamps) -> None:
    engine = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    limit = 120 if engine == "SQLite" else 60
    feed_s, hook_s = result["feed_s"], result["webhook_s"]
    print(f"B5 time pass — {engine} — {machine()}")
    print(f"gate_at {gate_at.isoformat()} for {agents:,} agents: {entries:,} feed entries "
          f"expected; events' at from {stamps[0]} to {stamps[1]} (all = gate_at: "
          f"{stamps[0] == stamps[1] == gate_at})")
    pass_cpu = result.get("feed_cpu", float("nan")) - result.get("gate_cpu", 0.0)
    if args.no_ahead:
        print("ahead of time: off (ONEVOICE_TIME_PASS_AHEAD_SECONDS=0)")
    else:
        staged_s = result.get("staged_s")
        print(f"ahead of time: {result['staged']:,} of {agents:,} agents staged before gate_at"
              + (f" ({staged_s:.1f} s after the worker started)" if staged_s else ""))
        if "written_s" in result:
            print(f"written to the feed, held, before gate_at: {result['written']:,} events, "
                  f"complete {result['written_s']:.1f} s before it; the feed then showed "
                  f"{result['held']:,} of them")
        else:
            print("written to the feed before gate_at: "
                  + ("off (ONEVOICE_TIME_PASS_PUBLISH_SECONDS=0)" if args.no_publish else
                     f"{result['written']:,} of {entries:,} events"))
    print(f"batch {args.batch or 'default (2000)'}; worker CPU from gate_at to the last feed "
          f"entry {pass_cpu:.1f} s; worker CPU in all (start-up, pass, fan-out, delivery) "
          f"{result['worker_cpu']:.1f} s")
    print("gate_at -> last change-feed entry: "
          + (f"{feed_s:.3f} s" if feed_s is not None else "not reached"))
    print("gate_at -> last webhook received: "
          + (f"{hook_s:.1f} s" if hook_s is not None else
             f"not reached in {args.timeout:.0f} s ({result['received']:,} of {agents:,} "
             "received)"))
    print(f"floor: INSERT ... SELECT of {entries:,} feed rows {floor_s:.2f} s; RATIO feed / "
          f"floor {ratio(feed_s or float('inf'), floor_s)}")
    print(f"TARGET feed < {limit} s on {engine}: "
          f"{verdict(feed_s is not None and feed_s < limit)}")
    print(f"TARGET webhooks < {limit} s on {engine}: "
          f"{verdict(hook_s is not None and hook_s < limit)}")
    print(f"TARGET feed < 3x the floor: "
          f"{verdict(feed_s is not None and feed_s < 3 * floor_s)}")


if __name__ == "__main__":
    sys.exit(main())
