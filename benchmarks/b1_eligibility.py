"""B1: the routing system's eligibility lookup against a bare authenticated endpoint.

    python -m benchmarks.b1_eligibility --database /tmp/bench/full.sqlite3 [--seconds 10]

Serves the app with gunicorn.conf.py (2 workers by default), then measures, with the load
generator in its own process:

1. the ceiling of the generator and gunicorn alone (benchmarks/static_app.py, no Flask);
2. throughput, closed loop: ``GET /api/v1/ping`` (the baseline: token check + JSON) and
   ``GET /api/v1/agents/{id}/eligibility`` over many agents, alternated, two rounds each;
3. latency at the same fixed rate for both (half the eligibility throughput), so p99 is
   compared below saturation.

Targets (product.md section 8): eligibility >= 0.6x the bare throughput, and eligibility p99
<= bare p99 + 5 ms. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys

from sqlalchemy import select

from .harness import (
    app_for, database_url, gunicorn, line, load, machine, ratio, token_for,
)

THROUGHPUT_TARGET = 0.6
P99_MARGIN_MS = 5.0


def agent_paths(app, count: int = 5000) -> list[str]:
    """Eligibility URLs of up to ``count`` agents, in a fixed random order."""
    from app.extensions import db
    from app.models import User

    with app.app_context():
        ids = list(db.session.scalars(select(User.external_id).where(
            User.role == "agent", User.external_id.is_not(None)).order_by(User.id)))
    random.Random(1).shuffle(ids)
    return [f"/api/v1/agents/{external_id}/eligibility" for external_id in ids[:count]]


def measure(url: str, args) -> dict:
    """Every measurement of B1, as a dict of load-generator results."""
    app = app_for(url)
    headers = {"Authorization": f"Bearer {token_for(app, 'router@bench.example')}"}
    paths = agent_paths(app)
    closed = {"seconds": args.seconds, "connections": args.connections}
    results = {}
    with gunicorn(url, workers=args.workers, threads=args.threads,
                  app="benchmarks.static_app:app") as port:
        results["static"] = load(port, ["/"], **closed)
    with gunicorn(url, workers=args.workers, threads=args.threads) as port:
        load(port, ["/api/v1/ping"], headers=headers, seconds=2)  # warm up both
        load(port, paths, headers=headers, seconds=2)
        for n in (1, 2):
            results[f"ping_{n}"] = load(port, ["/api/v1/ping"], headers=headers, **closed)
            results[f"eligibility_{n}"] = load(port, paths, headers=headers, **closed)
        rate = round(statistics.mean(
            [results["eligibility_1"]["rps"], results["eligibility_2"]["rps"]]) / 2)
        paced = {"seconds": args.seconds, "connections": 32, "rate": rate}
        results["ping_paced"] = load(port, ["/api/v1/ping"], headers=headers, **paced)
        results["eligibility_paced"] = load(port, paths, headers=headers, **paced)
    return results


def report(results: dict, args) -> bool:
    """Print the numbers and ratios; True when both targets are met."""
    ping = statistics.mean([results["ping_1"]["rps"], results["ping_2"]["rps"]])
    elig = statistics.mean([results["eligibility_1"]["rps"], results["eligibility_2"]["rps"]])
    p99_ping, p99_elig = results["ping_paced"]["p99_ms"], results["eligibility_paced"]["p99_ms"]
    throughput_ok = elig >= THROUGHPUT_TARGET * ping
    latency_ok = p99_elig <= p99_ping + P99_MARGIN_MS
    print(f"B1 eligibility lookup — {machine()}")
    print(f"gunicorn {args.workers} workers x {args.threads or 'default'} threads, "
          f"closed loop {args.connections} connections, {args.seconds} s per run")
    print(f"RATIO throughput eligibility/ping: {ratio(elig, ping)} (target >= "
          f"{THROUGHPUT_TARGET}x) {'MET' if throughput_ok else 'MISSED'}")
    print(f"RATIO p99 at {results['ping_paced']['rps']:.0f} req/s: eligibility "
          f"{p99_elig:.2f} ms vs ping {p99_ping:.2f} ms (target <= ping + {P99_MARGIN_MS} ms) "
          f"{'MET' if latency_ok else 'MISSED'}")
    cpu_ping = statistics.mean([results[f"ping_{n}"]["server_cpu_ms"] for n in (1, 2)])
    cpu_elig = statistics.mean([results[f"eligibility_{n}"]["server_cpu_ms"] for n in (1, 2)])
    print(f"RATIO server CPU per request ping/eligibility (the throughput ratio the CPU cost "
          f"predicts, not disturbed by other processes): {ratio(cpu_ping, cpu_elig)} "
          f"({cpu_ping:.2f} vs {cpu_elig:.2f} ms)")
    print(f"RATIO generator ceiling (static app) / ping: {ratio(results['static']['rps'], ping)}")
    for key, result in results.items():
        print(line(key, result))
    return throughput_ok and latency_ok


def main(argv: list[str] | None = None) -> int:
    """Run B1; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLite file or database URL (default $DATABASE_URL)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=None,
                        help="gunicorn threads per worker (default: gunicorn.conf.py's)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args(argv)
    results = measure(database_url(args.database), args)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
