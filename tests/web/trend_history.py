"""Generated centres with a past for the trend-snapshot tests: made through the services at
the real clock, then their instants moved back over ten weeks (publications, assignments,
passes and expiries, a few retirements, a second certification after a gap so that some marks
are not one span), and the aggregates rebuilt from the facts, as ``reports rebuild`` does."""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta

from sqlalchemy import func, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.derived.aggregates_rebuild import rebuild
from app.errors import ServiceError
from app.models import Assignment, BulletinVersion, Certification, Requirement, Team, utcnow
from app.models.trend_snapshots import trend_snapshots
from app.queries.trend_exact import readiness_exact
from tests.conftest import publish_wifi
from tests.web.manager_support import add_agent, future_source, sit

TEAMS = ["wibro_sales", "wibro_care", "wifi_support", "wired_care"]


def make_centre(app, org, rng: random.Random, agents: int = 14) -> None:
    """Agents on every team, two bulletins, passes and fails; then a moved-back history."""
    publish_wifi(org)
    publish_wifi(org, future_source(3, "second-wifi", teams="[wibro_sales, wired_care]",
                                    skills="[wifi, wibro]"))
    for n in range(agents):
        add_agent(app, f"h{n}@example.com", rng.choice(TEAMS),
                  rng.choice([("wibro", "wifi"), ("wifi",), ("wired", "wifi")]), f"H{n}")
    for n in range(agents):
        for slug in ("wibro50-wifi-login", "second-wifi"):
            if rng.random() < 0.7:
                with contextlib.suppress(ServiceError):  # not assigned it: nothing written
                    sit(app, f"h{n}@example.com", slug, rng.choice(["correct", "correct", "old"]))
    with app.app_context():
        _move_back(rng)


def _move_back(rng: random.Random) -> None:
    now = utcnow()
    days = lambda low, high: timedelta(days=rng.uniform(low, high))  # noqa: E731
    with unit_of_work():
        published = {}
        for version in db.session.scalars(select(BulletinVersion).where(
                BulletinVersion.published_at.is_not(None))):
            version.published_at = published[version.id] = now - days(50, 70)
        for assignment in db.session.scalars(select(Assignment)):
            start = published.get(assignment.version_id, now - days(0, 60))
            assignment.created_at = start + (now - start) * rng.choice([0, 0, 0.2, 0.5, 0.9])
        certs = list(db.session.scalars(select(Certification).order_by(Certification.id)))
        for cert in certs:
            cert.passed_at = now - days(1, 45)
            cert.valid_until = rng.choice([None, cert.passed_at + days(3, 30)])
        for cert in certs[::3]:  # a second pass after a gap: a mark of two spans
            if cert.valid_until is not None and cert.valid_until < now - timedelta(days=2):
                passed = cert.valid_until + days(0.5, 2)
                db.session.add(Certification(user_id=cert.user_id, version_id=cert.version_id,
                                             passed_at=passed, valid_until=passed + days(5, 20)))
        requirements = list(db.session.scalars(select(Requirement).order_by(Requirement.id)))
        for requirement in rng.sample(requirements, k=max(1, len(requirements) // 4)):
            requirement.retired_at = now - days(0, 20)
    with db.engine.begin() as connection:
        rebuild(connection)
    db.session.expire_all()


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.code)))


def assert_snapshots_true() -> int:
    """Every stored snapshot equals the exact count at its week's end, now; returns how many
    rows were checked."""
    everyone = teams()
    rows = db.session.execute(select(trend_snapshots)).all()
    weeks = sorted({row.week_end for row in rows})
    exact = readiness_exact(everyone, weeks)
    codes = {t.id: t.code for t in everyone}
    zero = ([0] * len(weeks), [0] * len(weeks))
    for row in rows:
        n = weeks.index(row.week_end)
        assigned, certified = exact.get(codes[row.team_id], zero)
        assert (row.assigned, row.certified) == (assigned[n], certified[n]), row
    return len(rows)


def snapshot_count() -> int:
    return db.session.scalar(select(func.count()).select_from(trend_snapshots))


def tamper(team_id: int, week_end, by: int) -> None:
    """Add ``by`` to one stored snapshot (to show a reader really reads it)."""
    s = trend_snapshots.c
    with unit_of_work():
        db.session.execute(update(trend_snapshots).where(
            s.team_id == team_id, s.week_end == week_end).values(
            assigned=s.assigned + by, certified=s.certified + by))
