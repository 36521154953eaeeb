"""B2: the managers' readiness board and knowledge-gaps view against raw SQL of the same aggregate.

    python -m benchmarks.b2_reports --database /tmp/b2/full.sqlite3 [--repeat 3] [--seconds 10]

On a dataset made by ``flask --app benchmarks.app bench-data`` (which ends with
``reports rebuild``), for an admin (every team) and for one manager (their teams):

- the services ``reports.readiness`` (the board's cells) and ``gaps.knowledge_gaps`` (the
  gaps view), which read the maintained aggregates (app/derived/aggregates.py);
- the hand-written SQL that computes the same aggregate from the facts (assignments with a
  certification probe per row; first attempts' answers), the baseline: each ratio says what
  the report costs against recounting what it shows;
- the pages as a browser asks for them, through the app's WSGI stack in process
  (``/manager/``, ``/manager/gaps``, ``/manager/teams/<code>``): time and SQL statements;
- ``GET /api/v1/reports/readiness`` and ``/reports/gaps`` through gunicorn (2 workers).

Product.md section 8: "well under a second on SQLite, in a bounded number of SQL
statements". Exit status 1 when a service or page takes a second or more, or when a service
and its raw SQL disagree.
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
PASSWORD = "bench-data"
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
"""
RAW_GAPS = """
SELECT t.code AS team, ai.item_id, COALESCE(an.option_id, 0) AS option_id,
       COALESCE(an.correct, :no) AS correct, COUNT(*) AS answers
FROM attempt_items ai
JOIN attempts a ON a.id = ai.attempt_id
JOIN users u ON u.id = a.user_id AND u.active = :yes
JOIN teams t ON t.id = u.team_id
LEFT JOIN answers an ON an.attempt_id = ai.attempt_id AND an.item_id = ai.item_id
WHERE a.version_id = :version AND t.id IN :teams AND a.id IN (
        SELECT MIN(f.id) FROM attempts f WHERE f.status != 'in_progress'
          AND f.version_id = :version GROUP BY f.user_id, f.version_id)
GROUP BY t.code, ai.item_id, COALESCE(an.option_id, 0), COALESCE(an.correct, :no)
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
    from app.core.extensions import db

    statement = text(RAW_READINESS).bindparams(
        bindparam("at", type_=DateTime()), bindparam("teams", expanding=True))
    rows = db.session.execute(statement, {"at": at.replace(tzinfo=None), "yes": True,
                                          "teams": team_ids}).all()
    return [(team, vid, int(n), int(c or 0)) for team, vid, n, c in rows]


def raw_gaps(team_ids: list[int], version_id: int) -> dict[tuple, int]:
    """First-attempt answers per (team, item, option, correct), counted from the facts."""
    from app.core.extensions import db

    statement = text(RAW_GAPS).bindparams(bindparam("teams", expanding=True))
    rows = db.session.execute(statement, {"yes": True, "no": False, "version": version_id,
                                          "teams": team_ids})
    return {(team, item, option, bool(correct)): n for team, item, option, correct, n in rows}


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


def _served_gaps(report, version_id) -> dict[tuple, int]:
    """The gaps service's counts per (team, item, option, correct), for the agreement check."""
    from sqlalchemy import func

    from app.core.extensions import db
    from app.models import Team
    from app.models.report_aggregates import gap_counts as g

    codes = [t["team"] for t in report]
    rows = db.session.execute(
        select(Team.code, g.c.item_id, g.c.option_id, g.c.correct, func.sum(g.c.answers))
        .join(Team, Team.id == g.c.team_id)
        .where(g.c.version_id == version_id, Team.code.in_(codes))
        .group_by(Team.code, g.c.item_id, g.c.option_id, g.c.correct)
        .having(func.sum(g.c.answers) > 0))
    return {(team, item, option, bool(correct)): n for team, item, option, correct, n in rows}


def in_process(app, scopes: dict, repeat: int, raw_repeat: int) -> dict:
    """Service and raw SQL timings, statement counts and agreement, per scope."""
    from app.core.extensions import db
    from app.models import BulletinVersion
    from app.queries.gaps import gaps_document, knowledge_gaps
    from app.queries.reports import readiness
    from app.services.content.bulletins import latest_version

    at = datetime.now(UTC)
    out = {}
    with app.app_context():
        for scope, teams in scopes.items():
            teams = [db.session.merge(t, load=False) for t in teams]
            ids = [t.id for t in teams]
            with StatementCounter(db.engine) as board_counter:
                board_s, cells = timed(lambda teams=teams: readiness(teams, at), repeat)
            raw_board_s, rows = timed(lambda ids=ids: raw_readiness(ids, at), raw_repeat)
            with StatementCounter(db.engine) as gaps_counter:
                gaps_s, report = timed(lambda teams=teams: knowledge_gaps(teams), repeat)
            version = latest_version(report.bulletin, published=True)
            raw_gaps_s, raw = timed(lambda ids=ids, vid=version.id: raw_gaps(ids, vid), raw_repeat)
            served = _served_gaps(gaps_document(report)["teams"], version.id)
            vids = {(v.bulletin.slug, v.number): v.id for v in
                    db.session.scalars(select(BulletinVersion))}
            board_agree = sorted((c.team, vids[(c.bulletin, c.version)], c.assigned,
                                  c.certified) for c in cells) == sorted(rows)
            out[scope] = {
                "teams": len(ids), "cells": len(cells), "board_s": board_s,
                "raw_board_s": raw_board_s, "board_statements": board_counter.count / repeat,
                "board_agree": board_agree, "bulletin": report.bulletin,
                "gaps_s": gaps_s, "raw_gaps_s": raw_gaps_s,
                "gaps_statements": gaps_counter.count / repeat, "gaps_agree": served == raw,
                "gap_rows": len(raw)}
    return out


def pages(app, users: dict, repeat: int) -> dict:
    """Seconds and SQL statements of the manager pages, through the WSGI stack in process."""
    from app.core.extensions import db

    app.config["WTF_CSRF_ENABLED"] = False
    out = {}
    for scope, (email, team) in users.items():
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        for name, url in (("board", "/manager/"), ("gaps", "/manager/gaps"),
                          ("team", f"/manager/teams/{team}"), ("trend", "/manager/trend")):
            client.get(url)  # warm up
            with app.app_context():
                engine = db.engine
            with StatementCounter(engine) as counter:
                seconds, response = timed(lambda u=url, c=client: c.get(u), repeat)
            out[(scope, name)] = {"s": seconds, "status": response.status_code,
                                  "statements": counter.count / repeat,
                                  "bytes": len(response.data)}
    return out


def trend_timings(app, scopes: dict, repeat: int) -> dict:
    """The weekly trend (8 rolling weeks) of the board's first page of teams and of every team
    in scope, timed, with the readiness counted from the marks alone for the agreement check
    and whether weekly snapshots were there to read (migration 0011s)."""
    from app.core.extensions import db
    from app.domain.readiness import week_ends
    from app.queries import trend
    from app.queries.reports import teams_on_board

    exact = getattr(trend, "readiness_exact", trend.readiness_trend)  # before 0011s: exact
    at = datetime.now(UTC)
    ends = week_ends(at, 8)
    out = {}
    with app.app_context():
        snapshots = db.session.scalar(text(
            "SELECT COUNT(*) FROM trend_snapshots")) if "trend_snapshots" in db.inspect(
            db.engine).get_table_names() else None
        for scope, teams in scopes.items():
            teams = [db.session.merge(t, load=False) for t in teams]
            for name, chosen in (("board page", teams_on_board(teams, at)[:10]),
                                 ("every team", teams)):
                seconds, rows = timed(lambda c=chosen: trend.trends(c, ends), repeat)
                exact_s, counts = timed(lambda c=chosen: exact(c, ends), 1)
                agree = all(counts.get(r.team, ([0] * 8, [0] * 8)) == (
                    list(r.assigned), list(r.certified)) for r in rows[:-1])
                out[(scope, name)] = {"s": seconds, "exact_s": exact_s, "teams": len(chosen),
                                      "agree": agree, "snapshots": snapshots}
    return out


def report_trend(trend_results: dict) -> bool:
    """Print the trend timings; True when they agree with the count from the marks."""
    ok = True
    for (scope, name), r in trend_results.items():
        ok &= r["agree"]
        print(f"trend {name} ({scope}, {r['teams']} teams, 8 weeks): "
              f"{1000 * r['s']:.0f} ms (readiness from the marks alone "
              f"{1000 * r['exact_s']:.0f} ms), snapshot rows: {r['snapshots']}, "
              f"agree: {r['agree']}")
    return ok


def report(results: dict, page_results: dict, http: dict) -> bool:
    """Print ratios first, then times and statement counts; True when every target is met."""
    ok = True
    for scope, r in results.items():
        ok &= r["board_s"] < TARGET_SECONDS and r["gaps_s"] < TARGET_SECONDS
        ok &= r["board_agree"] and r["gaps_agree"]
        print(f"RATIO board service/raw SQL ({scope}, {r['teams']} teams, {r['cells']} cells): "
              f"{ratio(r['board_s'], r['raw_board_s'])}  service {1000 * r['board_s']:.0f} ms "
              f"({r['board_statements']:.0f} statements), raw {1000 * r['raw_board_s']:.0f} ms,"
              f" agree: {r['board_agree']}")
        print(f"RATIO gaps service/raw SQL ({scope}, {r['bulletin']}, {r['gap_rows']} rows): "
              f"{ratio(r['gaps_s'], r['raw_gaps_s'])}  service {1000 * r['gaps_s']:.0f} ms "
              f"({r['gaps_statements']:.0f} statements), raw {1000 * r['raw_gaps_s']:.0f} ms, "
              f"agree: {r['gaps_agree']}")
    for (scope, name), p in page_results.items():
        ok &= p["s"] < TARGET_SECONDS and p["status"] == 200
        print(f"page {name:<5} ({scope}): {1000 * p['s']:.0f} ms, {p['statements']:.0f} "
              f"statements, {p['bytes'] / 1024:.0f} KiB, status {p['status']}")
    for path, result in http.items():
        print(line(path, result))
    return ok


def main(argv: list[str] | None = None) -> int:
    """Run B2; exit status 1 when a target is missed or a report disagrees with raw SQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLite file or database URL (default $DATABASE_URL)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--raw-repeat", type=int, default=1,
                        help="runs of the raw SQL (minutes each over every team)")
    parser.add_argument("--seconds", type=float, default=10, help="HTTP run length")
    parser.add_argument("--trend-only", action="store_true",
                        help="only the weekly trend and the pages (no raw SQL, no HTTP)")
    args = parser.parse_args(argv)
    url = database_url(args.database)
    app = app_for(url)
    from app.core.extensions import db
    from app.models import Team, User

    with app.app_context():
        manager = db.session.scalar(select(User).where(User.role == "manager").limit(1))
        admin = db.session.scalar(select(User).where(User.role == "admin").limit(1))
        scopes = {"all teams": list(db.session.scalars(select(Team))),
                  "one manager": list(manager.managed)}
        users = {"all teams": (admin.email, manager.managed[0].code),
                 "one manager": (manager.email, manager.managed[0].code)}
        db.session.expunge_all()
    trend_results = trend_timings(app, scopes, args.repeat)
    if args.trend_only:
        page_results = pages(app, users, args.repeat)
        print(f"B2 manager reports (trend and pages only) — {machine()}")
        ok = report_trend(trend_results) & report({}, page_results, {})
        return 0 if ok else 1
    results = in_process(app, scopes, args.repeat, args.raw_repeat)
    page_results = pages(app, users, args.repeat)
    headers = {"Authorization": f"Bearer {token_for(app, users['all teams'][0])}"}
    http = {}
    with gunicorn(url, workers=2) as port:
        for path in ("/api/v1/reports/readiness", "/api/v1/reports/gaps"):
            http[path] = load(port, [path], headers=headers, seconds=args.seconds,
                              connections=1)
    print(f"B2 manager reports — {machine()}")
    ok = report_trend(trend_results) & report(results, page_results, http)
    print(f"target: board and gaps under {TARGET_SECONDS:.0f} s on SQLite (services and pages),"
          f" agreeing with raw SQL: {'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
