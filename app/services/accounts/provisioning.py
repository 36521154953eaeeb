"""People as an identity provider keeps them (SCIM Users): read, create, replace, delete.

Every write is one unit of work through the directory service: an agent's fields go through
``directory.apply_agent`` (the rule, assignments and eligibility events of a directory sync)
and deactivation through ``directory.set_activity`` (tokens revoked, sessions ended), so SCIM
changes follow like any directory change. Teams (SCIM Groups) are in ``provisioning_teams``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.directory import AgentRow
from app.domain.provisioning import Person, check_person
from app.errors import Conflict, NotFound, ServiceError
from app.models import Skill, User, utcnow
from app.services.accounts.directory import apply_agent, set_activity
from app.services.accounts.scim_filter import where_users
from app.services.certification.eligibility import recompute


class InvalidAttributes(ServiceError):
    """What was sent cannot be written (SCIM 400 invalidValue); nothing was written."""

    def __init__(self, problems):
        super().__init__("scim_invalid_attributes", problems="; ".join(map(str, problems)),
                         details=[{"attribute": p.attribute, "message": p.message}
                                  for p in problems])


def scim_people():
    """The users SCIM sees: people (not integration accounts) not deleted through SCIM."""
    return select(User).where(User.role != "integration", User.deleted_at.is_(None))


def get_person(user_id: int) -> User:
    """One person by id; NotFound when missing, deleted or an integration account."""
    user = db.session.scalar(scim_people().where(User.id == user_id))
    if user is None:
        raise NotFound("scim_no_user", id=user_id)
    return user


def list_people(scim_filter, start: int, count: int) -> tuple[int, list[User]]:
    """The total matching a SCIM filter (None: all) and one page of them, by id.

    ``start`` counts from 1; InvalidFilterException when the filter uses what OneVoice
    cannot filter on.
    """
    query = scim_people()
    if scim_filter is not None:
        query = query.where(where_users(scim_filter.ast))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = list(db.session.scalars(
        query.options(selectinload(User.skills), selectinload(User.managed))
        .order_by(User.id).offset(start - 1).limit(count)))
    return total, page


def create_person(person: Person, at: datetime | None = None) -> User:
    """A new person; a person deleted through SCIM with the same e-mail comes back."""
    at = at or utcnow()
    with unit_of_work():
        _check(person, None)
        user = db.session.scalar(select(User).where(User.email == person.email,
                                                    User.deleted_at.is_not(None)))
        if user is not None:
            user.deleted_at = None
        return _write(user, person, at, new=user is None or user.role != "agent")


def replace_person(user_id: int, person: Person, at: datetime | None = None) -> User:
    """The person as sent (SCIM PUT, and PATCH once applied); group memberships are kept."""
    at = at or utcnow()
    with unit_of_work():
        user = get_person(user_id)
        _check(person, user)
        return _write(user, person, at, new=user.role != "agent" and person.role == "agent")


def delete_person(user_id: int, at: datetime | None = None) -> None:
    """Deprovision for good: inactive, access ended, no longer a SCIM resource (history kept)."""
    at = at or utcnow()
    with unit_of_work():
        user = get_person(user_id)
        if user.active:
            _write(user, _as_person(user, active=False), at, new=False)
        user.deleted_at = at
        user.user_name, user.external_id = None, None


def _as_person(user: User, **changes) -> Person:
    person = Person(user.user_name or user.email, user.email, user.name, user.external_id,
                    bool(user.active), user.role, tuple(sorted(user.skill_codes)))
    return replace(person, **changes)


def _check(person: Person, user: User | None) -> None:
    """The person's problems (400) then clashes with other people (409), before any write."""
    known = set(db.session.scalars(select(Skill.code)))
    problems = check_person(person, known)
    if problems:
        raise InvalidAttributes(problems)
    others = select(User).where(User.deleted_at.is_(None))
    if user is not None:
        others = others.where(User.id != user.id)
    name = person.user_name.lower()
    if db.session.scalar(others.where(or_(func.lower(User.user_name) == name,
                                          User.email == name, User.email == person.email,
                                          func.lower(User.user_name) == person.email))):
        raise Conflict("scim_user_taken", user_name=repr(person.user_name), email=person.email)
    if person.external_id and db.session.scalar(
            others.where(User.external_id == person.external_id)):
        raise Conflict("scim_external_id_taken", value=repr(person.external_id))


def _write(user: User | None, person: Person, at: datetime, *, new: bool) -> User:
    """Write the person: agents through the directory rule, staff directly.

    Staff keep the skills sent (they count only for agents) and their team; a manager's
    teams are the teams they manage.
    """
    skills = list(db.session.scalars(
        select(Skill).where(Skill.code.in_(person.skills)).order_by(Skill.code)))
    if user is not None and user.role == "agent" and person.role != "agent":
        _leave_agent_role(user, at)
    if user is not None and user.role != person.role and "manager" in (user.role,
                                                                       person.role):
        user.team, user.managed = None, []
    if person.role == "agent":
        if user is not None:
            user.role = "agent"
        row = AgentRow(0, person.external_id, person.name, person.email,
                       user.team.code if user is not None and user.team else None,
                       frozenset(person.skills), person.active)
        team = user.team if user is not None else None
        user, _ = apply_agent(user, row, team, skills, at, new=new)
    else:
        user = user or User(created_at=at, eligibility_version=0)
        user.role, user.email, user.name = person.role, person.email, person.name
        user.external_id, user.skills = person.external_id, skills
        set_activity(user, person.active, at)
        db.session.add(user)
        db.session.flush()
    user.user_name = None if person.user_name.lower() == person.email else person.user_name
    user.updated_at = at
    return user


def _leave_agent_role(user: User, at: datetime) -> None:
    """An agent becoming staff: their skills go first, with the eligibility events."""
    if user.skills:
        user.skills = []
        db.session.flush()
        recompute([user], cause="skills_changed", at=at)

