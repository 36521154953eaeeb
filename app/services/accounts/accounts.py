"""Users, teams, skills and API tokens."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select

from app.core.extensions import db
from app.core.security import generate_password, hash_password, hash_token, new_token
from app.errors import Conflict, NotFound, ServiceError
from app.models import ROLES, ApiToken, Skill, Team, User, utcnow
from app.services.accounts.choices import unknown
from app.services.certification.assignments import assign_current
from app.services.certification.eligibility import recompute

CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_code(kind: str, code: str) -> str:
    """A skill or team code as the routing systems accept it, or a ServiceError naming it."""
    if not CODE.match(code or ""):
        raise ServiceError("code_invalid", field=kind, kind=kind, code=repr(code))
    return code


def _ensure(model, kind: str, code: str, name: str | None):
    row = db.session.scalar(select(model).where(model.code == check_code(kind, code)))
    if row is None:
        row = model(code=code, name=name or code.replace("_", " ").title())
        db.session.add(row)
        db.session.flush()
    elif name:
        row.name = name
    return row


def ensure_team(code: str, name: str | None = None) -> Team:
    """The team with this code, created when missing (its name updated when given)."""
    return _ensure(Team, "team", code, name)


def ensure_skill(code: str, name: str | None = None) -> Skill:
    """The skill with this code, created when missing (its name updated when given)."""
    return _ensure(Skill, "skill", code, name)


def find_teams(codes: list[str]) -> list[Team]:
    """Existing teams by code; a NotFound names the first unknown one."""
    return [_existing(Team, "team", c) for c in codes]


def find_skills(codes: list[str]) -> list[Skill]:
    """Existing skills by code; a NotFound names the first unknown one."""
    return [_existing(Skill, "skill", c) for c in codes]


def _existing(model, kind: str, code: str):
    row = db.session.scalar(select(model).where(model.code == code))
    if row is None:
        raise unknown(kind, code, error=NotFound)
    return row


def create_user(*, email: str, name: str, role: str, teams: list[str] = (),
                skills: list[str] = (), password: str | None = None,
                external_id: str | None = None, locale: str | None = None) -> tuple[User, str]:
    """Create a user; returns it with the password (generated when none is given).

    For an agent ``teams`` holds its one team; for a manager the teams they manage.
    """
    email = (email or "").strip().lower()
    if not EMAIL.match(email):
        raise ServiceError("user_email_invalid", field="email", value=repr(email))
    if role not in ROLES:
        raise ServiceError("role_invalid", field="role", role=repr(role), roles=ROLES)
    if not (name or "").strip():
        raise ServiceError("user_name_required", field="name")
    if db.session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise Conflict("user_email_taken", field="email", email=email)
    if role == "agent" and len(teams) > 1:
        raise ServiceError("agent_one_team", field="team")
    password = password or generate_password()
    user = User(email=email, name=name.strip(), role=role, external_id=external_id,
                password_hash=hash_password(password), locale=locale, active=True)
    team_rows = find_teams(list(teams))
    if role == "agent":
        user.team = team_rows[0] if team_rows else None
        user.skills = find_skills(list(skills))
    elif role == "manager":
        user.managed = team_rows
    db.session.add(user)
    db.session.flush()
    if role == "agent":
        assign_current(user)
        recompute([user], cause="agent_created")
    return user, password


def create_token(email: str, name: str | None = None,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new API token acting as the user; the token text is returned once, never stored."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound("no_user_with_email", field="email", email=repr(email))
    token = new_token()
    record = ApiToken(user_id=user.id, name=name or f"token for {user.email}",
                      token_hash=hash_token(token), prefix=token[:10], expires_at=expires_at,
                      created_at=utcnow())
    db.session.add(record)
    db.session.flush()
    return record, token
