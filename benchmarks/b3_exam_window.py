"""B3: an exam window: 200 agents autosaving every few seconds and submitting, at once.

    python -m benchmarks.b3_exam_window --database /tmp/bench/full.sqlite3 [--agents 200]
    python -m benchmarks.b3_exam_window --database postgresql+psycopg://...  # in place

A SQLite file is copied first (SQLite's online backup API) and the copy is used; a
PostgreSQL URL is used in place (it gains one bulletin, its attempts and 200 tokens).
A new bulletin with ten facts is published to one call type through the services, its items
approved; 200 agents holding that call type get API tokens. Then, on gunicorn with 4
workers, ``benchmarks/exam_agents.py`` (its own process) runs the agents while
``benchmarks/load.py`` polls the eligibility of other agents at a fixed rate, as the routing
system would. The baseline is the same polling with the server otherwise idle.

Targets (product.md section 8): zero 5xx, zero lost answers (the saved rows are exactly the
last acknowledged save of every item). Reported: autosave p99, and eligibility p99 during
the window against idle. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from .harness import ROOT, app_for, database_url, gunicorn, line, load, machine, ratio, token_for

FACTS = [(f"step{n}", f"Step {n} of the new returns script", f"The old step {n}")
         for n in range(1, 11)]
POLL_RATE = 20


def exam_source(slug: str, skill: str) -> str:
    """A bulletin with ten facts, gated at once, for ``skill``."""
    facts = "".join(f"- **Step {key}** {{#f-{key} type=text}}: {value} (was: {old})\n"
                    for key, value, old in FACTS)
    return (f"---\nid: {slug}\ntitle: The new returns script\nlang: en\n"
            f"effective: 2030-01-10\nskills: [{skill}]\ngate: immediate\n---\n"
            f"Every return now follows the ==new returns script==.\n\n## Facts\n{facts}")


def copy_sqlite(url: str) -> str:
    """A private copy of a SQLite database (online backup API); other URLs pass through."""
    if not url.startswith("sqlite:///"):
        return url
    source = Path(url.removeprefix("sqlite:///"))
    target = source.with_name(source.stem + "-b3.sqlite3")
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def prepare(app, agents: int) -> tuple[str, list[str], list[str]]:
    """Publish the exam; returns its slug, the exam agents' tokens, other agents' ids."""
    from app.core.database import unit_of_work
    from app.core.extensions import db
    from app.models import Skill, User, agent_skills
    from app.services.content import bulletins

    with app.app_context():
        held = db.session.execute(
            select(Skill.code, func.count()).join(agent_skills).group_by(Skill.code)).all()
        enough = [(n, code) for code, n in held if n >= agents + 50]
        if not enough:
            sys.exit(f"error: no call type is held by {agents + 50} agents; generate a larger "
                     "dataset (flask --app benchmarks.app bench-data) or pass a smaller --agents")
        skill = min(enough)[1]
        slug = f"exam-window-{int(time.time())}"
        version = bulletins.create_draft(exam_source(slug, skill))
        with unit_of_work():
            for item in version.items:
                item.status = "approved"
            bulletins.publish(version, "material")
        holders = list(db.session.scalars(
            select(User.email).join(agent_skills).join(Skill)
            .where(Skill.code == skill, User.active.is_(True)).order_by(User.id)))
        others = list(db.session.scalars(
            select(User.external_id).where(User.role == "agent").order_by(User.id).limit(2000)))
    tokens = [token_for(app, email) for email in holders[:agents]]
    return slug, tokens, others


def exam_window(port: int, slug: str, tokens: list[str], args) -> subprocess.Popen:
    """Start the simulated agents (their own process)."""
    spec = {"host": "127.0.0.1", "port": port, "slug": slug, "tokens": tokens,
            "pause": args.pause, "changes": args.changes, "seed": 1}
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.exam_agents"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    process.stdin.write(json.dumps(spec))
    process.stdin.close()
    return process


def lost_answers(app, acknowledged: dict[str, int]) -> tuple[int, int]:
    """(saved rows of the exam's attempts, acknowledged items whose row differs or is gone)."""
    from app.core.extensions import db
    from app.models import Answer

    attempt_ids = {int(key.split("/")[0]) for key in acknowledged}
    with app.app_context():
        rows = db.session.execute(select(Answer.attempt_id, Answer.item_id, Answer.option_id)
                                  .where(Answer.attempt_id.in_(attempt_ids))).all()
    saved = {f"{a}/{i}": o for a, i, o in rows}
    return len(saved), sum(saved.get(key) != option for key, option in acknowledged.items())


def main(argv: list[str] | None = None) -> int:
    """Run B3; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLite file or database URL (default $DATABASE_URL)")
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--threads", type=int, default=None,
                        help="gunicorn threads per worker (default: gunicorn.conf.py's)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pause", type=float, nargs=2, default=[2.0, 5.0],
                        help="seconds between an agent's autosaves (min max)")
    parser.add_argument("--changes", type=int, default=3, help="answers changed per agent")
    args = parser.parse_args(argv)
    url = copy_sqlite(database_url(args.database))
    app = app_for(url)
    slug, tokens, others = prepare(app, args.agents)
    poll = {"headers": {"Authorization": f"Bearer {token_for(app, 'router@bench.example')}"},
            "connections": 8, "rate": POLL_RATE}
    paths = [f"/api/v1/agents/{e}/eligibility" for e in others]
    window = args.pause[1] * (len(FACTS) + args.changes + 1)
    with gunicorn(url, workers=args.workers, threads=args.threads) as port:
        idle = load(port, paths, seconds=10, **poll)
        cpu = port.cpu_seconds()
        agents = exam_window(port, slug, tokens, args)
        during = load(port, paths, seconds=window, **poll)
        result = json.loads(agents.stdout.read())
        agents.wait(timeout=60)
        calls = sum(c["count"] for c in result["calls"].values()) + during["requests"]
        result["server_cpu_ms"] = round(1000 * (port.cpu_seconds() - cpu) / calls, 2)
        during.pop("server_cpu_ms", None)  # that CPU served the agents' requests too
    rows, lost = lost_answers(app, result["acknowledged"])
    return report(args, url, result, idle, during, rows, lost)


def report(args, url, result, idle, during, rows, lost) -> int:
    """Print the numbers; 0 when every target is met."""
    server_errors = sum(c["statuses"].get(s, 0) for c in result["calls"].values()
                        for s in c["statuses"] if not s.isdigit() or s.startswith("5"))
    server_errors += sum(n for s, n in during["statuses"].items() if s.startswith("5"))
    acknowledged = len(result["acknowledged"])
    ok = server_errors == 0 and lost == 0 and rows == acknowledged
    print(f"B3 exam window — {machine()}")
    print(f"{args.agents} agents, gunicorn {args.workers} workers, "
          f"{url.split(':')[0]}, autosave every {args.pause[0]:g}-{args.pause[1]:g} s, "
          f"{len(FACTS)} items + {args.changes} changed answers each, {result['seconds']} s")
    print(f"RATIO eligibility p99 during the window / idle: "
          f"{ratio(during['p99_ms'], idle['p99_ms'])} ({during['p99_ms']:.1f} ms vs "
          f"{idle['p99_ms']:.1f} ms at {POLL_RATE} req/s)")
    print(f"5xx and failed requests: {server_errors}; saved rows {rows} = acknowledged "
          f"saves {acknowledged}; lost answers {lost}; submitted {len(result['submitted'])}"
          f"/{args.agents}: {'MET' if ok else 'MISSED'}; requests retried on a new "
          f"connection after the server closed an idle keep-alive one: {result['retries']}")
    print(f"server CPU per request during the window: {result['server_cpu_ms']} ms, so "
          f"{os.cpu_count()} CPUs to itself would answer about "
          f"{1000 * os.cpu_count() / result['server_cpu_ms']:.0f} such requests a second; "
          f"eligibility polls the client gave up on after 30 s: {during['errors']}")
    for kind, call in result["calls"].items():
        print(f"{kind:<10} {call['count']:>6} calls  p50 {call['p50_ms']:>7.1f} ms  "
              f"p99 {call['p99_ms']:>7.1f} ms  max {call['max_ms']:>7.1f} ms  "
              f"statuses {call['statuses']}")
    print(line("eligibility idle", idle))
    print(line("eligibility during", during))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
