"""People as an admin runs them on the web: list, create, edit, change roles, deactivate.

Agents go through the directory sync (app/services/accounts/directory.py) one row at a time, so
assignments, eligibility, the change feed and webhooks follow exactly as for any directory
change, and deactivation takes the directory's path. Staff accounts (trainer, manager, admin,
integration) are kept here. Role changes and (de)activations are written to the audit log in
the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import people as rules
from app.domain.directory import RawRow
from app.errors import Conflict, NotFound, ServiceError
from app.models import Team, User, managed_teams
from app.services.accounts.accounts import find_teams
from app.services.accounts.audit_log import record
from app.services.accounts.directory import InvalidRows, set_activity, sync_agents

PAGE_SIZE = 50
MAX_ID = 2**31 - 1  # integer columns: a larger id is simply not found (never a 500)


@dataclass(frozen=True)
class PeopleQuery:
    """What the people list shows: text in name/e-mail/external id, role, team, activity."""

    text: str = ""
    role: str = ""
    team: str = ""
    active: bool | None = None
    page: int = 1


@dataclass(frozen=True)
class PeoplePage:
    """One page of people, with the total that matched."""

    people: list[User]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_people(query: PeopleQuery, size: int = PAGE_SIZE) -> PeoplePage:
    """The people matching ``query``, by name, one page at a time."""
    where = []
    if query.text.strip():
        like = _like(query.text)
        where.append(or_(*(c.ilike(like, escape="\\")
                           for c in (User.name, User.email, User.external_id))))
    if query.role:
        where.append(User.role == query.role)
    if query.team:
        managers = select(managed_teams.c.user_id).join(
            Team, Team.id == managed_teams.c.team_id).where(Team.code == query.team)
        team_id = select(Team.id).where(Team.code == query.team).scalar_subquery()
        where.append(or_(User.team_id == team_id, User.id.in_(managers)))
    if query.active is not None:
        where.append(User.active.is_(query.active))
    total = db.session.scalar(select(func.count(User.id)).where(*where))
    page = rules.clamp_page(query.page, total, size)
    rows = db.session.scalars(
        select(User).options(selectinload(User.skills), selectinload(User.managed))
        .where(*where).order_by(User.name, User.id).offset((page - 1) * size).limit(size)
    ).unique().all()
    return PeoplePage(list(rows), total, page, rules.page_count(total, size))


def get_person(user_id: int) -> User:
    """The person with this id (NotFound names it)."""
    user = db.session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if user is None:
        raise NotFound("no_person", field="id", id=user_id)
    return user


def _refuse(problems: list[rules.Problem]) -> None:
    if problems:
        first = problems[0]
        raise ServiceError(first.code, field=first.field, **first.params,
                           details=[{"field": p.field, "message": p.message} for p in problems])


def _normalised(person: rules.PersonInput) -> rules.PersonInput:
    return rules.PersonInput(
        role=person.role, name=person.name.strip(), email=person.email.strip().lower(),
        external_id=person.external_id.strip(), team=person.team.strip(),
        skills=tuple(sorted(set(person.skills))), managed=tuple(sorted(set(person.managed))),
        locale=person.locale.strip())


def _taken(person: rules.PersonInput, user_id: int | None) -> None:
    """Conflict when another account has the e-mail or the external id."""
    others = select(User.id).where(User.id != (user_id or 0))
    if db.session.scalar(others.where(User.email == person.email)) is not None:
        raise Conflict("email_taken", field="email", email=person.email)
    if person.external_id and db.session.scalar(
            others.where(User.external_id == person.external_id)) is not None:
        raise Conflict("external_id_taken", field="external_id", id=person.external_id)


def _sync_agent(person: rules.PersonInput, active: bool) -> User:
    """Create or update one agent through the directory sync; its problems name the field."""
    row = {"external_id": person.external_id, "name": person.name, "email": person.email,
           "team": person.team, "skills": list(person.skills), "active": active}
    try:
        sync_agents([RawRow(0, row)])
    except InvalidRows as error:
        first = error.errors[0]
        raise ServiceError(first.code, field=first.field or "email", **first.params,
                           details=error.details) from None
    return db.session.scalar(select(User).where(User.external_id == person.external_id))


def create_person(actor: User, person: rules.PersonInput) -> User:
    """Create a person of any role, with no password yet (an invitation sets it)."""
    person = _normalised(person)
    _refuse(rules.person_problems(person))
    with unit_of_work():
        _taken(person, None)
        if person.role == "agent":
            user = _sync_agent(person, active=True)
        else:
            user = User(email=person.email, name=person.name, role=person.role,
                        external_id=person.external_id or None, active=True,
                        eligibility_version=0)
            user.managed = _managed(person)
            db.session.add(user)
        user.locale = person.locale or None
        user.password_hash = None
        db.session.flush()
        record("person_created", actor=actor, subject=user, role=user.role)
    return user


def _managed(person: rules.PersonInput) -> list[Team]:
    """The teams a manager manages (none for other roles); an unknown code names the field."""
    if person.role != "manager":
        return []
    try:
        return find_teams(list(person.managed))
    except NotFound as error:
        raise NotFound(error.code, field="managed", **error.params) from None


def _other_active_admins(user_id: int) -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.role == "admin", User.active.is_(True), User.id != user_id))


def update_person(actor: User, user_id: int, person: rules.PersonInput) -> User:
    """Change a person's details and role (audited); agents through the directory sync."""
    person = _normalised(person)
    _refuse(rules.person_problems(person))
    with unit_of_work():
        user = get_person(user_id)
        _refuse([p for p in [rules.role_change_problem(
            user.role, person.role, own_account=user.id == actor.id,
            other_active_admins=_other_active_admins(user.id))] if p])
        _taken(person, user.id)
        old_role = user.role
        if person.role == "agent":
            user = _to_agent(user, person)
        else:
            user.name, user.email = person.name, person.email
            user.external_id = person.external_id or None
            user.role = person.role
            user.managed = _managed(person)
        user.locale = person.locale or None
        if old_role != person.role:
            record("role_changed", actor=actor, subject=user, old=old_role, new=person.role)
        record("person_updated", actor=actor, subject=user)
    return user


def _to_agent(user: User, person: rules.PersonInput) -> User:
    """An agent's new details (or a staff account becoming an agent) via the directory."""
    if user.role != "agent":
        user.role, user.external_id = "agent", None
        user.managed = []
        db.session.flush()  # the sync links the account by its e-mail as an agent
    elif user.external_id != person.external_id:
        user.external_id = person.external_id  # the sync's key: keep it the agent's own
        db.session.flush()
    return _sync_agent(person, active=bool(user.active))


def set_active(actor: User, user_id: int, active: bool) -> tuple[User, bool]:
    """Deactivate or reactivate a person (audited); returns them and whether it changed.

    Agents take the directory's path (eligibility, change feed, webhooks follow); staff
    accounts its one step that changes the flag (``directory.set_activity``).
    """
    with unit_of_work():
        user = get_person(user_id)
        if bool(user.active) == active:
            return user, False
        if not active:
            _refuse([p for p in [rules.deactivation_problem(
                user.role, own_account=user.id == actor.id,
                other_active_admins=_other_active_admins(user.id))] if p])
        if user.role == "agent":
            _sync_agent(_as_input(user), active=active)
        else:
            set_activity(user, active)  # the directory's own step, for staff accounts
        record("reactivated" if active else "deactivated", actor=actor, subject=user)
    return user, True


def _as_input(user: User) -> rules.PersonInput:
    return rules.PersonInput(
        role=user.role, name=user.name, email=user.email, external_id=user.external_id or "",
        team=user.team.code if user.team else "", skills=tuple(sorted(user.skill_codes)),
        managed=tuple(t.code for t in user.managed), locale=user.locale or "")


def as_input(user: User) -> rules.PersonInput:
    """A person's current details as the edit form shows them."""
    return _as_input(user)
