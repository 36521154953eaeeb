"""The report aggregates equal their from-scratch computation after every write.

A seeded random sequence of real operations runs through the services and the API: agents
created, moved, deactivated and reactivated by directory sync; bulletins published (material
and minor versions); quizzes sat (passed, failed, blank, at past instants so that some
certifications have expired); the worker's refresh of expired cells. After each step the
maintained tables must equal the reference SELECTs of ``app.derived.aggregates_rebuild``,
and the board, the at-risk list, the team view and the gaps report must equal the raw
queries they replaced, at several instants.
"""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import and_, case, func, select

from app import rules_sql
from app.core.extensions import db
from app.derived.aggregates import refresh_expired
from app.derived.aggregates_rebuild import (
    firsts_source,
    gap_counts_source,
    marks_source,
    rebuild,
)
from app.errors import ServiceError
from app.models import Assignment, Bulletin, BulletinVersion, Team, User, utcnow
from app.models.report_aggregates import (
    gap_counts,
    gap_firsts,
    readiness_cells,
    readiness_marks,
)
from app.queries import gaps, reports
from app.queries.trend import gaps_trend, readiness_trend
from tests.conftest import WIFI_BULLETIN, assert_documents_exact, publish_wifi
from tests.web.manager_support import add_agent, future_source, sit
from tests.web.trend_reference import gaps_trend_raw, readiness_trend_raw

TEAMS = ["wibro_sales", "wibro_care", "wifi_support", "wired_care"]
HOW = ["correct", "correct", "correct", "old", "blank", "wrong"]


def scope_assignments(query, teams: list[Team], at: datetime, *, skill: str | None = None,
                      bulletin: str | None = None):
    """Restrict an Assignment query to active agents of ``teams`` and current versions."""
    query = (
        query.join(User, and_(User.id == Assignment.user_id, User.active.is_(True)))
        .join(Team, Team.id == User.team_id)
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .where(Team.id.in_([t.id for t in teams]), BulletinVersion.status == "published",
               reports.current_clause(at, skill))
    )
    if bulletin:
        query = query.join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id).where(
            Bulletin.slug == bulletin)
    return query


def _rows(query) -> set[tuple]:
    return {tuple(row) for row in db.session.execute(query)}


def raw_readiness(teams, at) -> set[tuple]:
    """The board's cells as the old per-assignment query counted them (the reference)."""
    query = select(Team.code, BulletinVersion.id, func.count(Assignment.id), func.sum(
        case((rules_sql.certified(at), 1), else_=0))).select_from(Assignment)
    rows = db.session.execute(scope_assignments(query, teams, at)
                              .group_by(Team.code, BulletinVersion.id)).all()
    return {(code, vid, n, int(c or 0)) for code, vid, n, c in rows}


def served_readiness(teams, at) -> set[tuple]:
    versions = {(v.bulletin.slug, v.number): v.id for v in db.session.scalars(
        select(BulletinVersion))}
    return {(c.team, versions[(c.bulletin, c.version)], c.assigned, c.certified)
            for c in reports.readiness(teams, at)}


def assert_aggregates_exact(app) -> None:
    """Stored tables = reference SELECTs; reports = raw queries at past/now/future instants."""
    with app.app_context():
        assert _rows(select(readiness_marks)) == _rows(marks_source())
        assert _rows(select(gap_firsts)) == _rows(firsts_source())
        firsts = firsts_source().subquery()
        assert _rows(select(gap_counts)) == _rows(gap_counts_source(firsts))
        for cell in db.session.execute(select(readiness_cells)):
            assert cell.assigned > 0
            if cell.next_expiry is not None:
                assert cell.next_expiry > cell.as_of
        teams = list(db.session.scalars(select(Team).order_by(Team.code)))
        now = utcnow()
        for at in (now - timedelta(days=45), now, now + timedelta(days=40)):
            assert served_readiness(teams, at) == raw_readiness(teams, at), at
            one = [t for t in teams if t.code == "wibro_care"]
            assert served_readiness(one, at) == raw_readiness(one, at)
        _assert_trends(teams, now)
        for version_id in db.session.scalars(select(BulletinVersion.id).where(
                BulletinVersion.status == "published")):
            assert set(map(_tally_key, gaps._tallies(version_id, teams))) == _tally_set(
                version_id, teams)


def _assert_trends(teams, now) -> None:
    """Weekly readiness and share correct: maintained aggregates = the raw history queries."""
    ends = [now + timedelta(days=d) for d in range(-63, 15, 6)]
    for options in ({}, {"skill": "wifi"}, {"bulletin": "wibro50-wifi-login"}):
        assert readiness_trend(teams, ends, **options) == readiness_trend_raw(
            teams, ends, **options), options
        assert gaps_trend(teams, ends, **options) == gaps_trend_raw(teams, ends, **options)


def _tally_key(tally) -> tuple:
    return tally.team, tally.fact, tally.correct, tally.count, tally.claim, tally.source


def _tally_set(version_id, teams) -> set[tuple]:
    """The raw tallies turned into the gaps rules' rows, as the old query produced them."""
    facts, options = gaps._options(version_id)
    codes = {t.code for t in teams}
    out = {}
    source = gap_counts_source(firsts_source().subquery()).subquery()
    for code, item_id, option_id, correct, count in db.session.execute(
            select(Team.code, source.c.item_id, source.c.option_id, source.c.correct,
                   source.c.answers).join(Team, Team.id == source.c.team_id)
            .where(source.c.version_id == version_id)):
        if code not in codes:
            continue
        key = (code, item_id, option_id, bool(correct))
        out[key] = out.get(key, 0) + count
    rows = set()
    for (code, item_id, option_id, correct), count in out.items():
        if not option_id:
            rows.add((code, facts[item_id], False, count, None, None))
        elif correct:
            rows.add((code, facts[item_id], True, count, None, None))
        else:
            kind, stem, text, src, old = options[option_id]
            rows.add((code, facts[item_id], False, count,
                      gaps.rules.wrong_claim(kind, text, src, stem, old), src))
    return rows


class World:
    """The random operations, each through the services or the API, as in production."""

    def __init__(self, app, org, rng: random.Random):
        self.app, self.org, self.rng = app, org, rng
        self.agents: list[str] = []
        self.slugs = ["wibro50-wifi-login"]
        self.minor = 0
        self.clock = utcnow() - timedelta(days=60)

    def add_agent(self):
        n = len(self.agents)
        skills = self.rng.choice([("wibro", "wifi"), ("wifi",), ("wired", "wifi"), ("wibro",)])
        add_agent(self.app, f"r{n}@example.com", self.rng.choice(TEAMS), skills, f"R{n}")
        self.agents.append(f"R{n}")

    def directory(self):
        if not self.agents:
            return self.add_agent()
        ref = self.rng.choice(self.agents)
        row = {"external_id": ref, "name": f"Agent {ref}", "email": f"{ref.lower()}@example.com",
               "team": self.rng.choice(TEAMS), "skills": ["wibro", "wifi", "wired"],
               "active": self.rng.random() > 0.3}
        client = self.app.test_client()
        response = client.put("/api/v1/agents", json=[row],
                              headers=self.org.headers("admin@example.com"))
        assert response.status_code == 200, response.json

    def publish(self):
        if self.rng.random() < 0.5:
            self.minor += 1
            source = WIFI_BULLETIN.replace("title: ", f"title: Minor {self.minor} ", 1)
            publish_wifi(self.org, source, change=self.rng.choice(["minor", "material"]))
        else:
            slug = f"rand-{len(self.slugs)}"
            publish_wifi(self.org, future_source(self.rng.randint(-5, 20), slug,
                                                 teams=f"[{self.rng.choice(TEAMS)}]"))
            self.slugs.append(slug)

    def sit(self):
        """An assigned active agent sits a quiz, on a clock that moves forward from 60 days
        ago (so that 30-day certifications expire during the sequence)."""
        with self.app.app_context():
            pairs = db.session.execute(
                select(User.email, Bulletin.slug).join(Assignment, Assignment.user_id == User.id)
                .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
                .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
                .where(User.active.is_(True), BulletinVersion.status == "published")
                .order_by(User.email, Bulletin.slug)).all()
        if not pairs:
            return
        email, slug = self.rng.choice(sorted(set(pairs)))
        self.clock = min(utcnow(), self.clock + timedelta(days=self.rng.randint(1, 6)))
        # Certified already, a retake refused...: a refusal writes nothing.
        with contextlib.suppress(ServiceError):
            sit(self.app, email, slug, self.rng.choice(HOW), at=self.clock)

    def refresh(self):
        with self.app.app_context():
            refresh_expired(utcnow() + timedelta(days=self.rng.randint(-30, 30)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_keep_the_aggregates_exact(app, org, seed):
    app.config["ONEVOICE_RECERTIFY_AFTER_DAYS"] = 30  # so that some certifications expire
    world = World(app, org, random.Random(seed))
    publish_wifi(org)
    assert_aggregates_exact(app)
    steps = [world.add_agent] * 3 + [world.directory] * 3 + [world.publish] * 2 + [
        world.sit] * 8 + [world.refresh]
    for _ in range(18):
        world.rng.choice(steps)()
        assert_aggregates_exact(app)
        with app.app_context():
            assert_documents_exact()  # the served eligibility documents, likewise
    with app.app_context():  # the sequence did exercise what it is meant to
        assert db.session.scalar(select(func.count()).select_from(gap_counts)) > 0
        assert db.session.scalar(select(func.count()).select_from(readiness_marks).where(
            readiness_marks.c.certified.is_(True))) > 0


def test_rebuild_gives_the_same_tables(app, org):
    publish_wifi(org)
    sit(app, "agent@example.com", "wibro50-wifi-login", "old", at=utcnow() - timedelta(days=2))
    sit(app, "agent@example.com", "wibro50-wifi-login", "correct")
    with app.app_context():
        before = [_rows(select(t)) for t in (readiness_marks, gap_firsts, gap_counts)]
        cells = _rows(select(readiness_cells.c.team_id, readiness_cells.c.version_id,
                             readiness_cells.c.assigned, readiness_cells.c.certified))
        with db.engine.begin() as connection:
            counts = rebuild(connection)
        db.session.expire_all()
        assert [_rows(select(t)) for t in (readiness_marks, gap_firsts, gap_counts)] == before
        assert _rows(select(readiness_cells.c.team_id, readiness_cells.c.version_id,
                            readiness_cells.c.assigned, readiness_cells.c.certified)) == cells
        assert counts["readiness_marks"] == len(before[0]) > 0
        assert counts["gap_counts"] == len(before[2]) > 0


def test_a_deactivated_agent_leaves_the_counts(app, org):
    publish_wifi(org)
    sit(app, "agent@example.com", "wibro50-wifi-login", "correct")
    with app.app_context():
        agent = db.session.scalar(select(User).where(User.email == "agent@example.com"))
        team = agent.team_id
        counted = select(func.sum(readiness_cells.c.certified)).where(
            readiness_cells.c.team_id == team)
        assert db.session.scalar(counted) == 1
        from app.core.database import unit_of_work
        with unit_of_work():
            agent.active = False
        assert db.session.scalar(counted) is None
        assert db.session.scalar(select(func.count()).select_from(gap_counts).where(
            and_(gap_counts.c.team_id == team))) == 0
    assert_aggregates_exact(app)


def test_two_transactions_creating_one_cell_at_once_both_count(app, org):
    """Two writers adding the first agents of one (team, version) cell at the same moment:
    neither fails (the cell is created ON CONFLICT DO NOTHING, then locked in turn) and the
    cell counts both. On SQLite the write transactions take turns anyway."""
    import threading
    import time

    from app.core.database import unit_of_work
    from app.derived.aggregates import sync_agents

    add_agent(app, "colleague@example.com", "wibro_care")  # A1's team: two agents, one cell
    publish_wifi(org)
    with app.app_context():
        agents = sorted(db.session.scalars(select(User.id).join(Team, User.team_id == Team.id)
                                           .where(Team.code == "wibro_care",
                                                  User.role == "agent")))
        assert len(agents) == 2
        team, version = db.session.execute(select(
            readiness_marks.c.team_id, readiness_marks.c.version_id).where(
            readiness_marks.c.user_id == agents[0])).first()
        with unit_of_work():  # forget the cells (as if both agents were new), keep the facts
            db.session.execute(readiness_marks.delete())
            db.session.execute(readiness_cells.delete())
    barrier, errors = threading.Barrier(2), []

    def add(user_id: int) -> None:
        first = user_id == agents[0]
        try:
            with app.app_context(), unit_of_work():
                barrier.wait(timeout=10)
                if not first:
                    time.sleep(0.3)  # the first has created the cell, not yet committed
                sync_agents([user_id])
                if first:
                    time.sleep(1.0)  # the second now looks for the cell and waits for it
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=add, args=(user_id,)) for user_id in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        marks = db.session.scalar(select(func.count()).select_from(readiness_marks).where(
            readiness_marks.c.team_id == team, readiness_marks.c.version_id == version))
        assigned = db.session.scalar(select(readiness_cells.c.assigned).where(
            readiness_cells.c.team_id == team, readiness_cells.c.version_id == version))
        assert assigned == marks >= 1
