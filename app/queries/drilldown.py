"""Drill-down for managers: a team's agents and their status, an agent's attempts and answers.

Each view runs a fixed number of queries, however many agents or attempts there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from app import rules_sql
from app.core.extensions import db
from app.errors import NotFound
from app.models import (
    Answer,
    Attempt,
    AttemptItem,
    Bulletin,
    BulletinVersion,
    EligibilityState,
    Fact,
    Item,
    ItemOption,
    Skill,
    Team,
    User,
    agent_skills,
    utcnow,
)
from app.models.report_aggregates import readiness_marks
from app.queries.reports import current_versions, scope_marks, visible_team_ids


def agent_ref(external_id: str | None, user_id: int) -> str:
    """How pages and URLs name an agent: the external id, else the internal id."""
    return external_id or str(user_id)


def agent_in_scope(viewer: User, ref: str) -> User:
    """The agent named ``ref`` if the viewer may see them; NotFound otherwise (no hint why)."""
    query = select(User).where(User.role == "agent")
    if ref.isdigit():
        query = query.where((User.external_id == ref)
                            | ((User.id == int(ref)) & User.external_id.is_(None)))
    else:
        query = query.where(User.external_id == ref)
    agent = db.session.scalars(query.limit(1)).first()
    allowed = visible_team_ids(viewer)
    if agent is None or (allowed is not None and agent.team_id not in allowed):
        raise NotFound("no_agent_in_teams", field="external_id", ref=ref)
    return agent


@dataclass(frozen=True)
class Status:
    """An agent's standing on one bulletin version."""

    state: str  # certified | due | overdue
    due_at: datetime
    attempts: int = 0
    best_score: int | None = None


@dataclass(frozen=True)
class Column:
    """A bulletin version shown as a column of the team view."""

    slug: str
    version: int
    title: str
    gate_at: datetime


@dataclass
class AgentRow:
    """An agent of the team: skills (cleared or not) and status per bulletin version."""

    ref: str
    name: str
    skills: dict[str, bool] = field(default_factory=dict)  # skill -> cleared
    statuses: dict[tuple[str, int], Status] = field(default_factory=dict)


def team_view(team: Team, at: datetime | None = None, *, skill: str | None = None,
              bulletin: str | None = None) -> tuple[list[Column], list[AgentRow]]:
    """The team's active agents (by name) with their status on each current version."""
    at = at or utcnow()
    query = select(User.id, User.external_id, User.name).where(
        User.team_id == team.id, User.role == "agent", User.active.is_(True))
    if skill:
        query = query.where(User.id.in_(select(agent_skills.c.user_id).join(
            Skill, Skill.id == agent_skills.c.skill_id).where(Skill.code == skill)))
    agents = {uid: AgentRow(agent_ref(ext, uid), name)
              for uid, ext, name in db.session.execute(query.order_by(User.name, User.id))}
    for uid, code, cleared in db.session.execute(
            select(EligibilityState.user_id, Skill.code, EligibilityState.cleared)
            .join(Skill, Skill.id == EligibilityState.skill_id)
            .join(User, User.id == EligibilityState.user_id)
            .where(User.team_id == team.id).order_by(Skill.code)):
        if uid in agents:
            agents[uid].skills[code] = bool(cleared)
    columns = _statuses(team, agents, at, skill, bulletin)
    return columns, list(agents.values())


def _statuses(team, agents: dict[int, AgentRow], at, skill, bulletin) -> list[Column]:
    m = readiness_marks
    query = select(m.c.user_id, Bulletin.slug, BulletinVersion.number, BulletinVersion.title,
                   BulletinVersion.gate_at, m.c.due_at,
                   case((rules_sql.mark_certified(m, at), True), else_=False)).select_from(m)
    query = scope_marks(query, [team], current_versions(at, skill=skill, bulletin=bulletin))
    tries = _attempt_counts(team)
    columns: dict[tuple[str, int], Column] = {}
    for uid, slug, number, title, gate_at, due, certified in db.session.execute(query):
        columns.setdefault((slug, number), Column(slug, number, title, gate_at))
        if uid not in agents:
            continue
        state = "certified" if certified else ("overdue" if due <= at else "due")
        count, best = tries.get((uid, slug, number), (0, None))
        agents[uid].statuses[(slug, number)] = Status(state, due, count, best)
    return sorted(columns.values(), key=lambda c: (-c.gate_at.timestamp(), c.slug))


def _attempt_counts(team: Team) -> dict[tuple[int, str, int], tuple[int, int | None]]:
    rows = db.session.execute(
        select(Attempt.user_id, Bulletin.slug, BulletinVersion.number, func.count(Attempt.id),
               func.max(Attempt.score))
        .join(User, User.id == Attempt.user_id)
        .join(BulletinVersion, BulletinVersion.id == Attempt.version_id)
        .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
        .where(User.team_id == team.id, Attempt.status != "in_progress")
        .group_by(Attempt.user_id, Bulletin.slug, BulletinVersion.number)
    ).all()
    return {(uid, slug, number): (count, best) for uid, slug, number, count, best in rows}


# --- one agent ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One item of an attempt: the question, what the agent chose, and the key."""

    position: int
    fact: str
    fact_label: str
    stem: str
    chosen: str | None
    source: str | None
    correct: bool
    key: str | None


@dataclass
class AttemptRow:
    """One attempt of the agent, with its answers."""

    id: int
    slug: str
    version: int
    title: str
    started_at: datetime
    submitted_at: datetime | None
    status: str
    score: int | None
    passed: bool | None
    answers: list[AnswerRow] = field(default_factory=list)


def agent_attempts(agent: User, *, bulletin: str | None = None, start: datetime | None = None,
                   end: datetime | None = None) -> list[AttemptRow]:
    """The agent's attempts (newest first) with every answer, in two queries."""
    query = (select(Attempt.id, Bulletin.slug, BulletinVersion.number, BulletinVersion.title,
                    Attempt.started_at, Attempt.submitted_at, Attempt.status, Attempt.score,
                    Attempt.passed)
             .join(BulletinVersion, BulletinVersion.id == Attempt.version_id)
             .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
             .where(Attempt.user_id == agent.id))
    if bulletin:
        query = query.where(Bulletin.slug == bulletin)
    if start:
        query = query.where(Attempt.started_at >= start)
    if end:
        query = query.where(Attempt.started_at < end)
    attempts = {row[0]: AttemptRow(*row) for row in db.session.execute(
        query.order_by(Attempt.started_at.desc(), Attempt.id.desc()))}
    graded = [a.id for a in attempts.values() if a.status != "in_progress"]
    if graded:  # an attempt in progress shows no answers yet
        for attempt_id, *answer in _answers(graded):
            attempts[attempt_id].answers.append(AnswerRow(*answer))
    return list(attempts.values())


def _answers(attempt_ids: list[int]):
    chosen = aliased(ItemOption)
    key = (select(ItemOption.text).where(ItemOption.item_id == Item.id,
                                         ItemOption.correct.is_(True))
           .order_by(ItemOption.position).limit(1).scalar_subquery())
    return db.session.execute(
        select(AttemptItem.attempt_id, AttemptItem.position, Fact.key, Fact.label, Item.stem,
               chosen.text, chosen.source, func.coalesce(Answer.correct, False), key)
        .join(Item, Item.id == AttemptItem.item_id)
        .join(Fact, Fact.id == Item.fact_id)
        .outerjoin(Answer, and_(Answer.attempt_id == AttemptItem.attempt_id,
                                Answer.item_id == AttemptItem.item_id))
        .outerjoin(chosen, chosen.id == Answer.option_id)
        .where(AttemptItem.attempt_id.in_(attempt_ids))
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    ).all()
