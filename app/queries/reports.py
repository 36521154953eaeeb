"""Readiness of teams: who is certified on what, computed in a bounded number of queries.

Every report starts from :func:`scoped_teams`: a manager sees only the teams they manage,
whatever the parameters ask for. The board reads maintained aggregates (``readiness_cells``,
``readiness_marks``; app/derived/aggregates.py), filtered by team in the same statement;
nothing is cached per request or per person, so no answer can outlive its scope.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, or_, select

from app import rules_sql
from app.core.extensions import db
from app.domain import readiness as rules
from app.errors import Forbidden, NotFound
from app.models import (
    Bulletin,
    BulletinVersion,
    EligibilityState,
    Requirement,
    Skill,
    Team,
    User,
    managed_teams,
    utcnow,
)
from app.models.report_aggregates import readiness_cells, readiness_marks


def visible_team_ids(user: User) -> set[int] | None:
    """Teams a user may see in reports: a manager their own, others all (None)."""
    if user.role == "manager":
        return {t.id for t in user.managed}
    return None


def scoped_teams(user: User, team_code: str | None = None) -> list[Team]:
    """The teams a report covers, refusing a team outside the caller's scope.

    A manager asking for a team they do not manage gets a Forbidden (the same answer whether
    or not the team exists); a trainer or admin asking for an unknown team a NotFound.
    """
    allowed = visible_team_ids(user)
    query = select(Team).order_by(Team.code)
    if allowed is not None:
        query = query.where(Team.id.in_(allowed))
    teams = list(db.session.scalars(query))
    if team_code:
        teams = [t for t in teams if t.code == team_code]
        if not teams and allowed is None:
            raise NotFound("no_team", field="team", team=team_code)
        if not teams:
            raise Forbidden("team_not_yours", field="team", team=team_code)
    return teams


def current_clause(at: datetime, skill: str | None = None):
    """SQL: the version has a requirement in force or scheduled at ``at`` (on ``skill``)."""
    clause = exists().where(
        Requirement.version_id == BulletinVersion.id,
        or_(Requirement.retired_at.is_(None), Requirement.retired_at > at),
    )
    if skill:
        clause = clause.where(Requirement.skill_id == Skill.id, Skill.code == skill)
    return clause


@dataclass(frozen=True)
class Cell:
    """One team x bulletin version cell of the readiness board."""

    team: str
    bulletin: str
    version: int
    title: str
    gate_at: datetime
    assigned: int
    certified: int

    @property
    def share(self) -> float:
        return round(self.certified / self.assigned, 4) if self.assigned else 0.0

    @property
    def band(self) -> int | None:
        return rules.band(self.share)

    def look(self, at: datetime) -> rules.CellLook:
        """Not due before its gate, else its colour band (app/domain/readiness.py)."""
        return rules.cell_look(self.gate_at, at, self.share)


def cell_certified(at: datetime):
    """SQL: a readiness cell's agents certified at ``at``: the stored count while it is exact
    (from its ``as_of`` to its first expiry), else its marks counted (rare, and few rows)."""
    c, m = readiness_cells.c, readiness_marks.c
    recount = (select(func.count()).select_from(readiness_marks)
               .where(m.team_id == c.team_id, m.version_id == c.version_id,
                      rules_sql.mark_certified(readiness_marks, at))
               .correlate(readiness_cells).scalar_subquery())
    exact = and_(c.as_of <= at, or_(c.next_expiry.is_(None), c.next_expiry > at))
    return case((exact, c.certified), else_=recount)


def current_versions(at: datetime, *, skill: str | None = None, bulletin: str | None = None
                     ) -> dict[int, tuple[str, int, str, datetime]]:
    """Published versions with a requirement in force at ``at``: id -> (slug, number, title,
    gate) (one query, a few hundred rows)."""
    query = (select(BulletinVersion.id, Bulletin.slug, BulletinVersion.number,
                    BulletinVersion.title, BulletinVersion.gate_at)
             .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
             .where(BulletinVersion.status == "published", current_clause(at, skill)))
    if bulletin:
        query = query.where(Bulletin.slug == bulletin)
    return {vid: tuple(rest) for vid, *rest in db.session.execute(query)}


def readiness(teams: list[Team], at: datetime | None = None, *, skill: str | None = None,
              bulletin: str | None = None) -> list[Cell]:
    """Share of assigned active agents certified, per team and current bulletin version.

    Two statements: the current versions, then the maintained ``readiness_cells`` of the
    teams (app/derived/aggregates.py) as plain numbers; the manager's scope is the
    ``team_id`` filter of that statement. Sorted by team, then latest gate first.
    """
    at = at or utcnow()
    if not teams:
        return []
    versions = current_versions(at, skill=skill, bulletin=bulletin)
    if not versions:
        return []
    c = readiness_cells.c
    rows = db.session.execute(
        select(c.team_id, c.version_id, c.assigned, cell_certified(at))
        .where(c.team_id.in_([t.id for t in teams]), c.version_id.in_(list(versions)),
               c.assigned > 0)).all()
    codes = {t.id: t.code for t in teams}
    rows.sort(key=lambda r: (codes[r[0]], -versions[r[1]][3].timestamp(), r[1]))
    return [Cell(codes[team_id], *versions[vid], n, int(certified or 0))
            for team_id, vid, n, certified in rows]


def teams_on_board(teams: list[Team], at: datetime | None = None, *,
                   skill: str | None = None, bulletin: str | None = None) -> list[Team]:
    """The ``teams`` that have a cell on the board (agents assigned a current version), in
    their order: the rows the board pages through. Two statements, like :func:`readiness`."""
    versions = current_versions(at or utcnow(), skill=skill, bulletin=bulletin) if teams else {}
    if not versions:
        return []
    c = readiness_cells.c
    present = set(db.session.scalars(
        select(c.team_id).distinct().where(c.team_id.in_([t.id for t in teams]),
                                           c.version_id.in_(list(versions)), c.assigned > 0)))
    return [t for t in teams if t.id in present]


def scope_marks(query, teams: list[Team], versions):
    """Restrict a query over ``readiness_marks`` (assignments of active agents with a team)
    to ``teams`` and the version ids ``versions`` (from :func:`current_versions`: a list of
    ids, rather than a requirement probe per mark), joining the version and its bulletin."""
    m = readiness_marks.c
    return (query.join(BulletinVersion, BulletinVersion.id == m.version_id)
            .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
            .where(m.team_id.in_([t.id for t in teams]), m.version_id.in_(list(versions))))


# --- staffing per skill --------------------------------------------------------------------


def staffing(teams: list[Team], at: datetime | None = None, *,
             skill: str | None = None) -> list[rules.Staffing]:
    """Per skill: agents cleared now and at the next gate if nothing changes (3 queries)."""
    at = at or utcnow()
    if not teams:
        return []
    base = (select(Skill.code).select_from(EligibilityState)
            .join(Skill, Skill.id == EligibilityState.skill_id)
            .join(User, and_(User.id == EligibilityState.user_id, User.active.is_(True),
                             User.role == "agent"))
            .where(User.team_id.in_([t.id for t in teams])))
    if skill:
        base = base.where(Skill.code == skill)
    steady = and_(EligibilityState.upcoming == [], EligibilityState.valid_until.is_(None))
    changing = db.session.execute(base.add_columns(
        EligibilityState.upcoming, EligibilityState.valid_until)
        .where(EligibilityState.cleared.is_(True), ~steady)).all()  # ix_..._cleared
    # Cleared agents who stay cleared (steady) = cleared - changing; the counts read only the
    # clearance index, never the rows' long JSON lists.
    moving = Counter(code for code, _upcoming, _until in changing)
    counts = [rules.SkillCounts(code, n, int(c or 0), int(c or 0) - moving[code])
              for code, n, c in db.session.execute(base.add_columns(
                  func.count(), func.sum(case((EligibilityState.cleared.is_(True), 1), else_=0)))
                  .group_by(Skill.code))]
    cleared = [rules.ClearedState(code, tuple(datetime.fromisoformat(m["due"]) for m in upcoming),
                                  until) for code, upcoming, until in changing]
    return rules.staffing(counts, cleared, _next_gates(teams, at))


def _next_gates(teams: list[Team], at: datetime) -> dict[str, datetime]:
    rows = db.session.execute(
        select(Skill.code, Requirement.gate_at, BulletinVersion.teams)
        .join(Skill, Skill.id == Requirement.skill_id)
        .join(BulletinVersion, BulletinVersion.id == Requirement.version_id)
        .where(Requirement.gate_at > at, BulletinVersion.status == "published",
               or_(Requirement.retired_at.is_(None), Requirement.retired_at > Requirement.gate_at))
    ).all()
    gates = [rules.ScheduledGate(code, gate, frozenset(targets or ())) for code, gate, targets
             in rows]
    return rules.next_gates(gates, [t.code for t in teams], at)


# --- overdue and at-risk agents ------------------------------------------------------------


@dataclass(frozen=True)
class AtRisk:
    """An agent not certified on a version due within the at-risk window, or overdue."""

    name: str
    external_id: str | None
    team: str
    team_name: str
    bulletin: str
    version: int
    title: str
    due_at: datetime
    overdue: bool
    managers: tuple[str, ...]
    user_id: int
    version_id: int

    @property
    def pick(self) -> str:
        """The board's checkbox value for reminding this agent of this version."""
        return f"{self.user_id}:{self.version_id}"


def at_risk(teams: list[Team], at: datetime | None = None, *, skill: str | None = None,
            bulletin: str | None = None, limit: int | None = None) -> tuple[list[AtRisk], int]:
    """Overdue and at-risk agents (soonest due first) with their managers, and the total."""
    at = at or utcnow()
    if not teams:
        return [], 0
    m = readiness_marks.c
    versions = current_versions(at, skill=skill, bulletin=bulletin)

    def scoped(query):
        return scope_marks(query.select_from(readiness_marks), teams, versions).where(
            rules_sql.at_risk(m.due_at, at, rules_sql.mark_certified(readiness_marks, at)))

    query = scoped(select(User.name, User.external_id, Team.id, Team.code, Team.name,
                          Bulletin.slug, BulletinVersion.number, BulletinVersion.title, m.due_at,
                          m.user_id, m.version_id))
    query = query.join(User, User.id == m.user_id).join(Team, Team.id == m.team_id)
    query = query.order_by(m.due_at, Team.code, User.name, BulletinVersion.id)
    rows = db.session.execute(query.limit(limit) if limit else query).all()
    total = len(rows)
    if limit and total == limit:
        total = db.session.scalar(scoped(select(func.count())))
    managers = team_managers([t.id for t in teams])
    return [AtRisk(name, external, code, team_name, slug, number, title, due, due <= at,
                   managers.get(team_id, ()), user_id, version_id)
            for name, external, team_id, code, team_name, slug, number, title, due, user_id,
            version_id in rows], total


def team_managers(team_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The active managers of each team, by name, in one query."""
    rows = db.session.execute(
        select(managed_teams.c.team_id, User.name)
        .join(User, User.id == managed_teams.c.user_id)
        .where(managed_teams.c.team_id.in_(team_ids), User.active.is_(True),
               User.role == "manager")
        .order_by(User.name)
    ).all()
    found: dict[int, list[str]] = {}
    for team_id, name in rows:
        found.setdefault(team_id, []).append(name)
    return {team_id: tuple(names) for team_id, names in found.items()}
