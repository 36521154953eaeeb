"""Directory sync from HR/WFM: upsert agents all-or-nothing; create teams and skills.

Every row is checked before anything is written (app/domain/directory.py); then, in one
transaction, agents are created or updated, agents who gained a skill, moved team or came
back get their assignments, and the eligibility of every agent whose skills, team or
activity changed is recomputed with its outbox events (rule 8).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.directory import (
    Account,
    AgentRecord,
    AgentRow,
    Change,
    RawRow,
    RowError,
    classify,
    parse_csv,
    validate_rows,
)
from app.errors import Conflict, ServiceError
from app.models import Skill, Team, User, utcnow
from app.services.accounts.accounts import check_code
from app.services.accounts.invitations import MailNotConfigured, mail_enabled
from app.services.accounts.invitations import invite as send_invitations
from app.services.accounts.sessions import end_sessions
from app.services.certification.assignments import assign_current
from app.services.certification.eligibility import load_requirements, recompute

CHUNK = 400  # rows per IN (...) query: well under SQLite's and PostgreSQL's parameter limits


class InvalidRows(ServiceError):
    """Some rows are wrong: every problem, by row, and nothing written (HTTP 422)."""

    status = 422

    def __init__(self, errors: list[RowError]):
        super().__init__(
            "invalid_rows", n=len(errors), first=str(errors[0]),
            details=[{"row": e.row, "field": e.field, "message": e.message} for e in errors])
        self.errors = errors


@dataclass(frozen=True)
class SyncReport:
    """How many rows created, updated or left unchanged an agent; eligibility changes."""

    created: int
    updated: int
    unchanged: int
    eligibility_changes: int
    invited: int = 0  # new agents sent an invitation (when asked for)
    invitations_failed: tuple[str, ...] = ()  # their addresses, when the mail failed

    def as_dict(self) -> dict:
        found = asdict(self)
        found["invitations_failed"] = list(self.invitations_failed)
        return found


def rows_from_json(data: list) -> list[RawRow]:
    """A JSON array's elements as raw rows, numbered by their index in the array (from 0)."""
    return [RawRow(index, value) for index, value in enumerate(data)]


def sync_agents(raw_rows: Sequence[RawRow], at: datetime | None = None, *,
                invite: bool = False, actor: User | None = None) -> SyncReport:
    """Bulk upsert agents by external id; InvalidRows (nothing written) on any problem.

    ``invite``: mail an invitation to every agent the sync creates (refused before anything
    is written when no mail server is configured).
    """
    return _invited(_sync(raw_rows, [], at or utcnow(), invite), invite, actor)


def import_csv(text: str, at: datetime | None = None, *, invite: bool = False,
               actor: User | None = None) -> SyncReport:
    """The same upsert from a CSV file (columns external_id,name,email,team,skills[,active])."""
    rows, errors = parse_csv(text)
    return _invited(_sync(rows, errors, at or utcnow(), invite), invite, actor)


def _invited(result: tuple[SyncReport, list[int]], invite: bool, actor) -> SyncReport:
    """Send the invitations once the sync has committed; the report says how it went."""
    report, created = result
    if not invite or not created:
        return report
    sent, failed = send_invitations(created, actor=actor)
    return replace(report, invited=sent, invitations_failed=tuple(failed))


def _sync(raw_rows: Sequence[RawRow], found: list[RowError], at: datetime,
          invite: bool = False) -> tuple[SyncReport, list[int]]:
    if invite and not mail_enabled():
        raise MailNotConfigured()
    with unit_of_work():
        teams = {t.code: t for t in db.session.scalars(select(Team))}
        skills = {s.code: s for s in db.session.scalars(select(Skill))}
        rows, errors = validate_rows(raw_rows, teams=teams, skills=skills,
                                     accounts=_accounts())
        errors = sorted([*found, *errors], key=lambda e: (e.row, e.field or ""))
        if errors:
            raise InvalidRows(errors)
        agents = _agents_for(rows)
        changes = [classify(row, _record(_match(agents, row))) for row in rows]
        users = _apply(changes, agents, teams, skills, at)
        moved = _recompute(changes, users, at)
    kinds = [c.kind for c in changes]
    created = [users[c.row.row].id for c in changes if c.kind == "created"]
    return SyncReport(kinds.count("created"), kinds.count("updated"), kinds.count("unchanged"),
                      moved), created


def _accounts() -> list[Account]:
    return [Account(external, email, role) for external, email, role in db.session.execute(
        select(User.external_id, User.email, User.role))]


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _agents_for(rows) -> dict[str, User]:
    """Existing agents the rows name, by external id and by e-mail (for linking)."""
    found: dict[str, User] = {}
    for part in _chunks(rows):
        for user in db.session.scalars(
            select(User).options(selectinload(User.skills)).where(
                User.role == "agent",
                or_(User.external_id.in_([r.external_id for r in part]),
                    User.email.in_([r.email for r in part])))
        ):
            if user.external_id:
                found[f"id:{user.external_id}"] = user
            found[f"email:{user.email}"] = user
    return found


def _match(agents: dict[str, User], row) -> User | None:
    user = agents.get(f"id:{row.external_id}")
    if user is None:
        linkable = agents.get(f"email:{row.email}")
        user = linkable if linkable is not None and linkable.external_id is None else None
    return user


def _record(user: User | None) -> AgentRecord | None:
    if user is None:
        return None
    return AgentRecord(user.external_id, user.name, user.email,
                       user.team.code if user.team else None, user.skill_codes,
                       bool(user.active))


def _apply(changes: list[Change], agents, teams, skills, at) -> dict[int, User]:
    """Write the rows that change something; the users by row number."""
    users: dict[int, User] = {}
    for change in changes:
        if change.kind == "unchanged":
            continue
        row = change.row
        user = _match(agents, row) or User(role="agent", created_at=at, eligibility_version=0)
        user.external_id, user.name, user.email = row.external_id, row.name, row.email
        user.team = teams[row.team]
        user.skills = [skills[code] for code in sorted(row.skills)]
        set_activity(user, row.active, at)
        db.session.add(user)
        users[row.row] = user
    db.session.flush()
    return users


def set_activity(user: User, active: bool, at: datetime | None = None) -> None:
    """The one place a person's active flag changes: directory rows, SCIM and the people pages
    (staff accounts) all come here, so whatever must follow a deactivation follows it: every
    session of the person ends and every API token is revoked, at once, in the caller's unit
    of work (``sessions.end_sessions``, audited)."""
    was_active = user.id is not None and bool(user.active)
    user.active = active
    if was_active and not active:
        end_sessions(user, "deactivated", at=at or utcnow())


def apply_agent(user: User | None, row: AgentRow, team: Team | None, skills: list[Skill],
                at: datetime, *, new: bool = False) -> tuple[User, Change]:
    """One agent written as a directory sync row is, in the caller's unit of work.

    The same rule (``classify``), assignments, eligibility events and end of access as a
    sync; ``team`` may be None (an agent between teams); ``new`` treats an existing account
    that becomes an agent as a new agent. Returns the agent and the change.
    """
    change = classify(row, None if new else _record(user))
    user = user or User(role="agent", created_at=at, eligibility_version=0)
    if change.kind != "unchanged":
        user.external_id, user.name, user.email = row.external_id, row.name, row.email
        user.team, user.skills = team, skills
        set_activity(user, row.active, at)
        db.session.add(user)
        db.session.flush()
        _recompute([change], {row.row: user}, at)
    return user, change


def _recompute(changes: list[Change], users: dict[int, User], at: datetime) -> int:
    """Assignments for agents who may need them, then eligibility, grouped by cause."""
    by_cause: dict[str, list[User]] = defaultdict(list)
    for change in changes:
        if change.reassign:
            assign_current(users[change.row.row], at)
        if change.cause:
            by_cause[change.cause].append(users[change.row.row])
    if not by_cause:
        return 0
    requirements = load_requirements()
    return sum(recompute(part, cause=cause, at=at, requirements=requirements)
               for cause, group in by_cause.items() for part in _chunks(group))


# --- teams and skills -----------------------------------------------------------------------


def _create(model, kind: str, code: str, name: str):
    code, name = (code or "").strip(), (name or "").strip()
    check_code(kind, code)
    if not name:
        raise ServiceError(f"{kind}_name_required", field="name")
    if len(name) > 200:
        raise ServiceError(f"{kind}_name_too_long", field="name")
    with unit_of_work():
        if db.session.scalar(select(model.id).where(model.code == code)) is not None:
            raise Conflict(f"{kind}_exists", field="code", code=code)
        row = model(code=code, name=name)
        db.session.add(row)
    return row


def create_team(code: str, name: str) -> Team:
    """Create a team; Conflict when the code is taken, ServiceError naming a bad field."""
    return _create(Team, "team", code, name)


def create_skill(code: str, name: str) -> Skill:
    """Create a skill (call type); Conflict when the code is taken."""
    return _create(Skill, "skill", code, name)


def teams_and_skills() -> tuple[list[Team], list[Skill]]:
    """Every team and every skill, by code."""
    return (list(db.session.scalars(select(Team).order_by(Team.code))),
            list(db.session.scalars(select(Skill).order_by(Skill.code))))
