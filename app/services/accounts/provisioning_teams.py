"""Teams as an identity provider keeps them (SCIM Groups): read, create, replace, delete.

A Group is a team; its members are the people of the team (one team each: joining a Group
moves an agent, a trainer or an admin) and the managers who manage it (a manager may manage
several). Agents move through the
directory service (``directory.apply_agent``): assignments and eligibility events follow
like a team change in a directory sync, in the same unit of work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.directory import EXTERNAL_ID, AgentRow
from app.domain.provisioning import Problem, team_code_for
from app.errors import Conflict, NotFound
from app.models import Call, Team, User, managed_teams, utcnow
from app.services.accounts.directory import apply_agent
from app.services.accounts.provisioning import InvalidAttributes, scim_people
from app.services.accounts.scim_filter import where_groups


def get_team(team_id: int) -> Team:
    """One team by id, or NotFound."""
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound("scim_no_group", id=team_id)
    return team


def list_teams(scim_filter, start: int, count: int) -> tuple[int, list[Team]]:
    """The total matching a SCIM filter (None: all) and one page of teams, by id."""
    query = select(Team)
    if scim_filter is not None:
        query = query.where(where_groups(scim_filter.ast))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return total, list(db.session.scalars(query.order_by(Team.id).offset(start - 1)
                                          .limit(count)))


def members_of(teams: Sequence[Team]) -> dict[int, list[User]]:
    """Each team's members (its people, then its managers), by team id: two queries."""
    ids = [team.id for team in teams]
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in db.session.scalars(scim_people().where(User.role != "manager",
                                                       User.team_id.in_(ids))
                                   .order_by(User.id)):
        found[user.team_id].append(user)
    for team_id, user in db.session.execute(
            select(managed_teams.c.team_id, User).join(User, User.id == managed_teams.c.user_id)
            .where(managed_teams.c.team_id.in_(ids), User.deleted_at.is_(None),
                   User.role == "manager").order_by(User.id)):
        found[team_id].append(user)
    return found


def create_group(name: str, external_id: str | None, member_ids: list[int],
                 at: datetime | None = None) -> Team:
    """A new team named ``name`` with these members; its code is made from the name."""
    at = at or utcnow()
    with unit_of_work():
        _check(name, external_id, None)
        codes = set(db.session.scalars(select(Team.code)))
        team = Team(code=team_code_for(name, codes), name=name.strip(),
                    external_id=external_id, created_at=at, updated_at=at)
        db.session.add(team)
        db.session.flush()
        _set_members(team, member_ids, at)
        return team


def replace_group(team_id: int, name: str, external_id: str | None, member_ids: list[int],
                  at: datetime | None = None) -> Team:
    """The team as sent: its name, external id and exactly these members (code kept)."""
    at = at or utcnow()
    with unit_of_work():
        team = get_team(team_id)
        _check(name, external_id, team)
        team.name, team.external_id, team.updated_at = name.strip(), external_id, at
        _set_members(team, member_ids, at)
        return team


def delete_group(team_id: int, at: datetime | None = None) -> None:
    """Delete the team: its agents are left without a team, its managers without it."""
    at = at or utcnow()
    with unit_of_work():
        team = get_team(team_id)
        if db.session.scalar(select(Call.id).where(Call.team_id == team.id).limit(1)):
            raise Conflict("scim_team_has_calls", name=repr(team.name))
        _set_members(team, [], at)
        # People SCIM no longer shows (deleted through SCIM) may still name the team.
        db.session.execute(update(User).where(User.team_id == team.id).values(team_id=None))
        db.session.delete(team)


def _check(name: str, external_id: str | None, team: Team | None) -> None:
    problems = []
    if not (name or "").strip() or len(name.strip()) > 200:
        problems.append(Problem("displayName", "scim_team_name_invalid"))
    if external_id is not None and not EXTERNAL_ID.match(external_id):
        problems.append(Problem("externalId", "scim_external_id_invalid",
                                {"value": repr(external_id)}))
    if problems:
        raise InvalidAttributes(problems)
    others = select(Team.id).where(Team.id != (team.id if team else -1))
    if db.session.scalar(others.where(func.lower(Team.name) == name.strip().lower())):
        raise Conflict("scim_team_name_taken", name=repr(name.strip()))
    if external_id and db.session.scalar(others.where(Team.external_id == external_id)):
        raise Conflict("scim_team_external_id_taken", value=repr(external_id))


def _set_members(team: Team, member_ids: list[int], at: datetime) -> None:
    """Exactly these members: agents moved in or out through the directory rule."""
    wanted = _members(member_ids)
    current = members_of([team]).get(team.id, [])
    for user in current:
        if user.id not in wanted:
            _leave(user, team, at)
    current_ids = {user.id for user in current}
    for user in wanted.values():
        if user.id in current_ids:
            continue
        if user.role == "agent":
            _move(user, team, at)
        elif user.role == "manager":
            user.managed = [*user.managed, team]
        else:
            user.team = team
    team.updated_at = at
    db.session.flush()


def _members(member_ids: list[int]) -> dict[int, User]:
    users = {u.id: u for u in db.session.scalars(
        scim_people().where(User.id.in_(member_ids)))} if member_ids else {}
    problems = [Problem("members", "scim_no_user", {"id": i})
                for i in member_ids if i not in users]
    if problems:
        raise InvalidAttributes(problems)
    return users


def _leave(user: User, team: Team, at: datetime) -> None:
    if user.role == "agent":
        _move(user, None, at)
    elif user.role == "manager":
        user.managed = [t for t in user.managed if t.id != team.id]
    else:
        user.team = None


def _move(user: User, team: Team | None, at: datetime) -> None:
    row = AgentRow(0, user.external_id, user.name, user.email, team.code if team else None,
                   user.skill_codes, bool(user.active))
    apply_agent(user, row, team, list(user.skills), at)
