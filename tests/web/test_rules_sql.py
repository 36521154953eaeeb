"""Each SQL form in ``app/rules_sql.py`` answers like its Python twin in ``app/domain``.

Seeded random worlds (bulletins of several versions, minor and material publishes, agents
with certifications passed before and after the instants asked, some expired, some never
expiring, assignments due before and after) are written to the test database; at frozen
instants every assignment is judged once by the SQL expression and once by the domain
function on plain data, and the answers must be equal. Runs on SQLite and PostgreSQL
(``TEST_DATABASE_URL``).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import and_, case, select, true
from sqlalchemy.orm import aliased

from app import rules_sql
from app.core.extensions import db
from app.domain import eligibility, readiness
from app.models import Assignment, Bulletin, BulletinVersion, Certification, Team, User
from app.models.report_aggregates import readiness_marks

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
INSTANTS = [NOW + timedelta(days=d, hours=h) for d in (-40, -3, 0, 2, 5, 30) for h in (0, 7)]


def _version(bulletin: Bulletin, number: int, previous, rng) -> BulletinVersion:
    version = BulletinVersion(
        bulletin_id=bulletin.id, number=number, status="published", title=f"v{number}",
        effective=date(2026, 1, 1), skills=["wifi"], teams=[], critical=[], supersedes=[],
        source="", body_html="", change=rng.choice(["minor", "material"]),
        gate_at=NOW, published_at=NOW - timedelta(days=60))
    db.session.add(version)
    db.session.flush()
    minor = previous is not None and version.change == "minor"
    version.lineage_id = previous.lineage_id if minor else version.id
    return version


def _when(rng) -> datetime:
    return NOW + timedelta(days=rng.randint(-60, 40), hours=rng.randint(0, 23))


def _world(seed: int) -> tuple[list[BulletinVersion], list[User]]:
    """A random world on the frozen clock, committed (so the derived marks follow)."""
    rng = random.Random(seed)
    team = Team(code=f"t{seed}", name=f"Team {seed}")
    db.session.add(team)
    versions: list[BulletinVersion] = []
    for b in range(3):
        bulletin = Bulletin(slug=f"rules-{seed}-{b}")
        db.session.add(bulletin)
        db.session.flush()
        previous = None
        for number in range(1, rng.randint(2, 5)):
            previous = _version(bulletin, number, previous, rng)
            versions.append(previous)
    agents = []
    for n in range(6):
        agent = User(email=f"a{seed}-{n}@example.test", name=f"Agent {n}", role="agent",
                     team=team if n % 5 else None, active=True)
        db.session.add(agent)
        db.session.flush()
        for version in rng.sample(versions, rng.randint(0, len(versions))):
            passed = _when(rng)
            until = rng.choice([None, passed + timedelta(days=rng.randint(1, 50))])
            db.session.add(Certification(user_id=agent.id, version_id=version.id,
                                         passed_at=passed, valid_until=until))
        for version in rng.sample(versions, rng.randint(1, len(versions))):
            db.session.add(Assignment(user_id=agent.id, version_id=version.id,
                                      due_at=_when(rng), created_at=NOW - timedelta(days=50)))
        agents.append(agent)
    db.session.commit()
    return versions, agents


def _ref(version: BulletinVersion) -> eligibility.VersionRef:
    return eligibility.VersionRef(version.lineage_id, version.number)


def _python_certified(assignment: Assignment, at: datetime, *, history: bool) -> bool:
    """The domain's answer: a certification of the agent counts for the version and is valid
    (and, for history, already passed) at ``at``."""
    rule = eligibility.is_held if history else eligibility.is_valid
    certs = db.session.scalars(select(Certification).where(
        Certification.user_id == assignment.user_id)).all()
    return any(
        eligibility.accepts(_ref(assignment.version), _ref(c.version))
        and rule(eligibility.Certification(c.version_id, c.passed_at, c.valid_until), at)
        for c in certs)


def _sql_answers(column) -> dict[int, bool]:
    query = (select(Assignment.id, case((column, True), else_=False))
             .join(BulletinVersion, BulletinVersion.id == Assignment.version_id))
    return {aid: bool(answer) for aid, answer in db.session.execute(query)}


@pytest.mark.parametrize("seed", range(4))
def test_certified_and_at_risk_equal_the_domain(app, seed):
    with app.app_context():
        _world(seed)
        assignments = db.session.scalars(select(Assignment)).all()
        certs = db.session.scalars(select(Certification)).all()
        # The edges: an expiry, a pass, the end of the at-risk window.
        edges = ([c.valid_until for c in certs if c.valid_until][:4]
                 + [c.passed_at for c in certs][:3]
                 + [a.due_at - timedelta(days=readiness.AT_RISK_DAYS) for a in assignments][:3])
        for at in INSTANTS + edges:
            for history in (False, True):
                sql = _sql_answers(rules_sql.certified(at, history=history))
                python = {a.id: _python_certified(a, at, history=history) for a in assignments}
                assert sql == python, (seed, at, history)
            risky = _sql_answers(rules_sql.at_risk(Assignment.due_at, at,
                                                   rules_sql.certified(at)))
            assert risky == {
                a.id: readiness.is_at_risk(a.due_at, at, _python_certified(a, at, history=False))
                for a in assignments}, (seed, at)


@pytest.mark.parametrize("seed", range(4))
def test_accepts_equals_the_domain(app, seed):
    with app.app_context():
        versions, _agents = _world(seed)
        held = aliased(BulletinVersion)
        rows = db.session.execute(
            select(BulletinVersion.id, held.id, case((rules_sql.accepts(held), True),
                                                     else_=False))
            .join(held, true())).all()
        by_id = {v.id: v for v in versions}
        assert len(rows) == len(versions) ** 2
        for version_id, held_id, answer in rows:
            assert bool(answer) == eligibility.accepts(
                _ref(by_id[version_id]), _ref(by_id[held_id])), (version_id, held_id)


@pytest.mark.parametrize("seed", range(3))
def test_a_maintained_mark_is_certified_like_the_domain(app, seed):
    """The marks kept at commit answer, at any instant from now on, like the domain over the
    certifications (agents with a team only: the marks hold no others)."""
    with app.app_context():
        _world(seed)
        m = readiness_marks.c
        for at in [i for i in INSTANTS if i >= NOW]:
            sql = {aid: bool(answer) for aid, answer in db.session.execute(
                select(m.assignment_id, case((rules_sql.mark_certified(readiness_marks, at),
                                              True), else_=False)))}
            assignments = db.session.scalars(select(Assignment).where(
                Assignment.id.in_(list(sql)))).all()
            assert sql and sql == {a.id: _python_certified(a, at, history=False)
                                   for a in assignments}, (seed, at)


def test_targets_is_the_requirement_rule():
    """``targets`` (who a version is assigned to) and ``applies`` (who a requirement
    concerns) agree: a requirement on one skill of a version concerns exactly the agents
    the version targets through that skill."""
    rng = random.Random(7)
    for _ in range(300):
        skills = frozenset(rng.sample(["wifi", "tv", "fiber"], rng.randint(1, 2)))
        teams = frozenset(rng.sample(["a", "b", "c"], rng.randint(0, 2)))
        agent = eligibility.Agent(True, rng.choice([None, "a", "b", "c"]),
                                  frozenset(rng.sample(["wifi", "tv", "fiber"],
                                                       rng.randint(0, 3))))
        reqs = [eligibility.Requirement(1, "b", 1, skill, NOW, frozenset(), teams)
                for skill in skills]
        assert eligibility.targets(agent, skills, teams) == any(
            eligibility.applies(r, agent, NOW) for r in reqs)


def test_the_at_risk_window_matches(app):
    """At the boundary (due exactly ``AT_RISK_DAYS`` after ``at``) both say at risk."""
    with app.app_context():
        _world(9)
        edge = db.session.scalars(select(Assignment).limit(1)).one()
        at = edge.due_at - timedelta(days=readiness.AT_RISK_DAYS)
        sql = db.session.scalar(select(case((and_(rules_sql.at_risk(
            Assignment.due_at, at, rules_sql.certified(at))), True), else_=False))
            .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
            .where(Assignment.id == edge.id))
        assert bool(sql) == readiness.is_at_risk(
            edge.due_at, at, _python_certified(edge, at, history=False))
