"""B6: the compliance audit of a day of 500,000 answered calls for 20,000 agents.

    python -m benchmarks.b6_compliance --database DB [--calls 500000] [--keep]

DB is a dataset made by ``flask --app benchmarks.app bench-data`` (20,000 agents, their
requirements and certifications). The benchmark adds calls to DB and, unless ``--keep``,
deletes them at the end. The calls are drawn (seed 6) over the 24 hours before the dataset's
``--as-of`` (when its people were created), each from a random agent and one of the agent's
call types.
Measured:

- **load**: the day's calls written unjudged with one bulk INSERT (the floor of storing them);
- **check**: ``calls recheck`` of the day: every call judged and its verdict stored;
- **check again**: the same with every verdict already stored (judging alone);
- **floor**: a plain join of the same rows (calls with their agent's team and call type,
  fetched into Python), what any reading of the day costs;
- **record**: ``POST /api/v1/calls``'s service on 20,000 more calls in batches of 10,000
  (validate, look up, judge, insert, one ``call.violation`` message per violation);
- **report**: ``GET /reports/compliance`` for the day (counts and the first page);
- **agree**: 300 calls drawn at random, each judged alone by the per-instant audit rule
  (``/agents/{id}/eligibility/at``) against the stored verdict.

Targets (issue #20): the check well under a minute on SQLite. Times are wall clock and CPU
seconds of this process (the CPU time barely depends on other load on the machine).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta

from .harness import app_for, database_url, machine, ratio

BATCH = 10_000


def draw_calls(count: int, seed: int = 6) -> list[dict]:
    """``count`` answered calls over the last 24 hours of the dataset (agents, call types)."""
    from sqlalchemy import func, select

    from app.core.extensions import db
    from app.models import BulletinVersion, Skill, User, agent_skills

    end = db.session.scalar(select(func.max(User.created_at)))  # the dataset's as-of
    start = end - timedelta(days=1)
    latest = db.session.scalar(select(func.max(BulletinVersion.published_at)))
    assert latest is None or latest <= end, "the dataset's publications lie after its as-of"
    pairs = db.session.execute(
        select(User.external_id, Skill.code).join(agent_skills, agent_skills.c.user_id == User.id)
        .join(Skill, Skill.id == agent_skills.c.skill_id)
        .where(User.role == "agent", User.active.is_(True))).all()
    rng, span = random.Random(seed), (end - start).total_seconds()
    return [{"call_id": f"b6-{n:07d}", "agent": ext, "skill": code,
             "answered_at": (start + timedelta(seconds=rng.uniform(0, span))).isoformat()}
            for n, (ext, code) in enumerate(rng.choices(pairs, k=count))]


def load(calls: list[dict]) -> float:
    """Seconds to write the calls unjudged (cleared, no reason) with bulk INSERTs."""
    from datetime import datetime

    from sqlalchemy import insert, select

    from app.core.extensions import db
    from app.models import Call, Skill, User, utcnow

    users = dict(db.session.execute(select(User.external_id, User.id)).all())
    teams = dict(db.session.execute(select(User.id, User.team_id)).all())
    skills = dict(db.session.execute(select(Skill.code, Skill.id)).all())
    now, started = utcnow(), time.perf_counter()
    for start in range(0, len(calls), BATCH):
        rows = []
        for call in calls[start:start + BATCH]:
            at, uid = datetime.fromisoformat(call["answered_at"]), users[call["agent"]]
            rows.append({"call_id": call["call_id"], "user_id": uid,
                         "skill_id": skills[call["skill"]], "team_id": teams[uid],
                         "answered_at": at, "local_day": at.date(), "source": "api",
                         "received_at": now, "cleared": True, "reason": None,
                         "missing_requirements": []})
        db.session.execute(insert(Call), rows)
    db.session.commit()
    return time.perf_counter() - started


def timed(step) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of ``step()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def record(calls: list[dict]) -> tuple[float, int]:
    """Seconds to record every call through the service, in API-sized batches; violations."""
    from app.domain.directory import RawRow
    from app.services.calls.answered import record_calls

    violations, started = 0, time.perf_counter()
    for start in range(0, len(calls), BATCH):
        rows = [RawRow(n, row) for n, row in enumerate(calls[start:start + BATCH])]
        violations += record_calls(rows, source="api").violations
    return time.perf_counter() - started, violations


def floor(start, end) -> tuple[float, int]:
    """Seconds for a plain join of the day's calls with their agent and call type."""
    from sqlalchemy import select

    from app.core.extensions import db
    from app.models import Call, Skill, User

    started = time.perf_counter()
    rows = db.session.execute(
        select(Call.call_id, Call.answered_at, User.external_id, User.team_id, Skill.code)
        .join(User, Call.user_id == User.id).join(Skill, Call.skill_id == Skill.id)
        .where(Call.answered_at >= start, Call.answered_at < end)).all()
    db.session.rollback()
    return time.perf_counter() - started, len(rows)


def agree(sample: int = 300) -> tuple[int, int]:
    """(agreeing, checked): stored verdicts against the per-instant audit rule, one by one."""
    from sqlalchemy import func, select

    from app.core.extensions import db
    from app.models import Call
    from app.queries.audit import eligibility_at

    calls = db.session.scalars(select(Call).order_by(func.random()).limit(sample)).all()
    same = 0
    for call in calls:
        found = eligibility_at(call.user, call.answered_at, call.skill.code)
        cleared = any(c["skill"] == call.skill.code for c in found["cleared"])
        same += cleared == call.cleared
    return same, len(calls)


def say(text: str) -> None:
    """Progress on stderr (a run takes minutes)."""
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run B6."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a bench-data database (file or URL)")
    parser.add_argument("--calls", type=int, default=500_000)
    parser.add_argument("--keep", action="store_true", help="leave the calls in the database")
    args = parser.parse_args(argv)
    app = app_for(database_url(args.database))
    with app.app_context():
        from sqlalchemy import delete, func, select

        from app.core.extensions import db
        from app.models import Call, User
        from app.models.webhooks import OutboxMessage
        from app.queries.compliance import report
        from app.services.calls.answered import recheck

        if db.session.scalar(select(func.count()).select_from(Call)):
            sys.exit("error: the database already holds calls; use a fresh bench-data copy")
        calls = draw_calls(args.calls + 2 * BATCH)
        extra, calls = calls[args.calls:], calls[:args.calls]
        say(f"drawn {len(calls):,} calls; loading")
        load_s = load(calls)
        end = db.session.scalar(select(func.max(User.created_at))) + timedelta(seconds=1)
        start = end - timedelta(days=1, seconds=2)
        say(f"loaded in {load_s:.1f} s; checking")
        check_s, check_cpu, (checked, changed) = timed(lambda: recheck(start, end))
        say(f"checked in {check_s:.1f} s; again")
        again_s, again_cpu, (_, changed_again) = timed(lambda: recheck(start, end))
        floor_s, floor_cpu, joined = timed(lambda: floor(start, end)[1])
        violations = db.session.scalar(
            select(func.count()).select_from(Call).where(Call.cleared.is_(False)))
        say("recording a sample through the service")
        record_s, sample_violations = record(extra)
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        report_s, _, day = timed(lambda: report(admin, start=start.isoformat(),
                                                 end=end.isoformat()))
        same, sampled = agree()
        if not args.keep:
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.type == "call.violation"))
            db.session.execute(delete(Call))
            db.session.commit()
    print(f"B6 compliance audit — {machine()}")
    print(f"{len(calls):,} calls of {len({c['agent'] for c in calls}):,} agents over 24 hours; "
          f"{violations:,} violations ({violations / len(calls):.1%})")
    print(f"RATIO check/plain join of the same rows: {ratio(check_s, floor_s)} wall, "
          f"{ratio(check_cpu, floor_cpu)} CPU  (check {check_s:.1f} s, {check_cpu:.1f} s CPU, "
          f"{checked:,} calls, {changed:,} verdicts stored; join {floor_s:.2f} s, "
          f"{floor_cpu:.2f} s CPU, {joined:,} rows)")
    print(f"RATIO check again (nothing to store)/join: {ratio(again_s, floor_s)} wall "
          f"({again_s:.1f} s, {again_cpu:.1f} s CPU, {changed_again} changed)")
    print(f"load (bulk INSERT, unjudged): {load_s:.1f} s")
    print(f"record through the service: {len(extra):,} calls in {record_s:.1f} s "
          f"({len(extra) / record_s:,.0f} calls/s, {sample_violations:,} violations)")
    print(f"report for the day: {1000 * report_s:.0f} ms ({day['calls']:,} calls, "
          f"{day['compliant']:,} compliant, first page of {len(day['violations'])})")
    print(f"agree with the per-instant rule: {same}/{sampled}")
    met = check_s < 60 and same == sampled and changed_again == 0
    print(f"TARGET check < 60 s on this engine, verdicts agree: {'MET' if met else 'MISSED'}")
    return 0 if met else 1

if __name__ == "__main__":
    sys.exit(main())
