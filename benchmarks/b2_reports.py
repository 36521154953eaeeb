"""B2: the managers' readiness report against raw SQL of the same aggregate.

    python -m benchmarks.b2_reports --database /tmp/bench/full.sqlite3 [--repeat 5]

Measures, on a dataset made by ``flask bench-data``: the service
``app.services.reports.readiness`` over every team (an admin's board) and over one manager's
teams, ``GET /api/v1/reports/readiness`` through gunicorn (2 workers), and the hand-written
SQL of the same aggregate run through the same engine, which is the baseline: each ratio says
what the report costs above the query the database must answer anyway. It also counts the
SQL statements the service runs (product.md section 8: "well under a second on SQLite, in a
bounded number of SQL statements") and checks that service and raw SQL agree.

The manager reports are being rebuilt (app/services/reports.py, app/services/gaps.py); this
measures the current readiness report and is to be rerun when the gaps view lands.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, bindparam, event, select, text

from .harness import app_for, database_url, gunicorn, line, load, machine, ratio, token_for

TARGET_SECONDS = 1.0
RAW_READINESS = """
SELECT t.code AS team, v.id AS version_id, COUNT(a.id) AS assigned,
       SUM(CASE WHEN EXISTS (
             SELECT 1 FROM certifications c JOIN bulletin_versions cv ON cv.id = c.version_id
             WHERE c.user_id = a.user_id AND cv.lineage_id = v.lineage_id
               AND cv.number <= v.number AND (c.valid_until IS NULL OR c.valid_until > :at))
           THEN 1 ELSE 0 END) AS certified
FROM assignments a
JOIN users u ON u.id = a.user_id AND u.active = :yes
JOIN teams t ON t.id = u.team_id
JOIN bulletin_versions v ON v.id = a.version_id
WHERE v.status = 'published' AND t.id IN :teams AND EXISTS (
        SELECT 1 FROM requirements r WHERE r.version_id = v.id
          AND (r.retired_at IS NULL OR r.retired_at > :at))
GROUP BY t.code, v.id
ORDER BY t.code, v.gate_at DESC
"""


def timed(function, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def raw_readiness(team_ids: list[int], at: datetime) -> list[tuple]:
    """The readiness aggregate as hand-written SQL: (team, version id, assigned, certified)."""
    from app.extensions import db

    statement = text(RAW_READINESS).bindparams(
        bindparam("at", type_=DateTime()), bindparam("teams", expanding=True))
    rows = db.session.execute(statement, {"at": at.replace(tzinfo=None), "yes": True,
                                          "teams": team_ids}).all()
    return [(team, vid, int(n), int(c or 0)) for team, vid, n, c in rows]


class StatementCounter:
    """Counts the SQL statements an engine runs while active."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _count(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def in_process(app, repeat: int) -> dict:
    """Service and raw SQL timings for every team and for one manager's teams."""
    from app.extensions import db
    from app.models import Team, User
    from app.services.reports import readiness, scoped_teams

    at = datetime.now(UTC)
    out = {}
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.role == "manager").limit(1))
        for scope, teams in (("all teams", list(db.session.scalars(select(Team)))),
                             ("one manager", scoped_teams(manager))):
            ids = [t.id for t in teams]
            with StatementCounter(db.engine) as counter:
                service_s, cells = timed(lambda: readiness(teams, at), repeat)
            raw_s, rows = timed(lambda: raw_readiness(ids, at), repeat)
            versions = {c.bulletin: c for c in cells}
            agree = sorted((c.team, c.assigned, c.certified) for c in cells) == sorted(
                (team, n, c) for team, _vid, n, c in rows)
            out[scope] = {"teams": len(ids), "cells": len(cells), "service_s": service_s,
                          "raw_s": raw_s, "statements": counter.count / repeat,
                          "agree": agree, "bulletins": len(versions)}
    return out


def main(argv: list[str] | None = None) -> int:
    """Run B2; exit status 1 when the board takes a second or more."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLite file or database URL (default $DATABASE_URL)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20, help="HTTP run length")
    args = parser.parse_args(argv)
    url = database_url(args.database)
    app = app_for(url)
    results = in_process(app, args.repeat)
    headers = {"Authorization": f"Bearer {token_for(app, 'admin@bench.example')}"}
    with gunicorn(url, workers=2) as port:
        http = load(port, ["/api/v1/reports/readiness"], headers=headers,
                    seconds=args.seconds, connections=1)
    print(f"B2 readiness report — {machine()}")
    ok = True
    for scope, r in results.items():
        ok &= r["service_s"] < TARGET_SECONDS and r["agree"]
        print(f"RATIO service/raw SQL ({scope}, {r['teams']} teams, {r['cells']} cells): "
              f"{ratio(r['service_s'], r['raw_s'])}  service {1000 * r['service_s']:.0f} ms, "
              f"raw {1000 * r['raw_s']:.0f} ms, {r['statements']:.0f} statements, "
              f"results agree: {r['agree']}")
    raw_all = results["all teams"]["raw_s"]
    print(f"RATIO API p50/raw SQL (all teams): {ratio(http['p50_ms'] / 1000, raw_all)}")
    print(line("GET /api/v1/reports/readiness", http))
    print(f"target: the board in under {TARGET_SECONDS:.0f} s on SQLite: "
          f"{'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
