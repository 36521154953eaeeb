"""People as admins run them: what a person of each role needs, who may change a role, and
when an invitation or password-reset link may be used.

Pure functions over plain data (no Flask, no SQLAlchemy); the services load and save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

ROLES = ("agent", "trainer", "manager", "admin", "integration")
STAFF = frozenset(ROLES) - {"agent"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EXTERNAL_ID = re.compile(r"^[^/\x00-\x1f\x7f]{1,128}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 200
USABLE, USED, EXPIRED = "usable", "used", "expired"


@dataclass(frozen=True)
class PersonInput:
    """A person as an admin's form gives it (codes and text, nothing looked up yet)."""

    role: str
    name: str
    email: str
    external_id: str = ""
    team: str = ""
    skills: tuple[str, ...] = ()
    managed: tuple[str, ...] = ()
    locale: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: the field at fault and what is wrong, in English."""

    field: str
    message: str


def person_problems(person: PersonInput, locales: tuple[str, ...] = ("en", "ko")
                    ) -> list[Problem]:
    """Everything wrong with ``person`` for its role, field by field (empty: all good)."""
    found = []
    if person.role not in ROLES:
        found.append(Problem("role", f"role {person.role!r} must be one of {', '.join(ROLES)}"))
    if not person.name.strip():
        found.append(Problem("name", "the name is required"))
    elif len(person.name) > 200:
        found.append(Problem("name", "the name is longer than 200 characters"))
    if len(person.email) > 254 or not EMAIL.match(person.email):
        found.append(Problem("email", f"{person.email!r} is not an e-mail address"))
    if person.locale and person.locale not in locales:
        found.append(Problem("locale", f"language {person.locale!r} must be one of "
                                       f"{', '.join(locales)}"))
    if person.role == "agent":
        found += _agent_problems(person)
    elif person.external_id and not EXTERNAL_ID.match(person.external_id):
        found.append(Problem("external_id", "the external id may not contain '/' or control "
                                            "characters (at most 128 characters)"))
    return found


def _agent_problems(person: PersonInput) -> list[Problem]:
    found = []
    if not person.external_id:
        found.append(Problem("external_id", "an agent needs an external id (the routing "
                                            "system's id for them)"))
    elif not EXTERNAL_ID.match(person.external_id):
        found.append(Problem("external_id", "the external id may not contain '/' or control "
                                            "characters (at most 128 characters)"))
    if not person.team:
        found.append(Problem("team", "an agent needs a team"))
    return found


def role_change_problem(old: str, new: str, *, own_account: bool,
                        other_active_admins: int) -> Problem | None:
    """Why an admin may not move a person from role ``old`` to ``new`` (None: allowed).

    An agent's certifications, attempts and eligibility history belong to the agent role, so
    an agent stays an agent (deactivate and create a staff account instead); staff may
    become agents. An admin cannot demote themselves, nor leave the organisation without an
    active admin.
    """
    if old == new:
        return None
    if old == "agent":
        return Problem("role", "an agent's role cannot be changed: their certifications and "
                               "eligibility history stay with the agent; deactivate the agent "
                               "and create a new account for the other role")
    if old == "admin" and own_account:
        return Problem("role", "you cannot take away your own admin role")
    if old == "admin" and other_active_admins == 0:
        return Problem("role", "this is the last active admin; make someone else admin first")
    return None


def deactivation_problem(role: str, *, own_account: bool,
                         other_active_admins: int) -> Problem | None:
    """Why a person may not be deactivated (None: allowed): never oneself, never the last
    active admin."""
    if own_account:
        return Problem("active", "you cannot deactivate your own account")
    if role == "admin" and other_active_admins == 0:
        return Problem("active", "this is the last active admin; make someone else admin first")
    return None


def link_state(expires_at: datetime, used_at: datetime | None, at: datetime) -> str:
    """An invitation or reset link at ``at``: ``usable``, ``used`` (once is all) or
    ``expired`` (from ``expires_at`` on)."""
    if used_at is not None:
        return USED
    return USABLE if at < expires_at else EXPIRED


def password_problem(password: str, confirm: str, email: str = "") -> Problem | None:
    """Why a new password is refused (None: accepted): length, a typo in the confirmation,
    or the e-mail address itself."""
    if len(password) < MIN_PASSWORD:
        return Problem("password", f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        return Problem("password", f"the password has at most {MAX_PASSWORD} characters")
    if email and password.strip().lower() in {email.lower(), email.lower().partition("@")[0]}:
        return Problem("password", "the password may not be your e-mail address")
    if password != confirm:
        return Problem("confirm", "the two passwords differ")
    return None


def page_count(total: int, size: int) -> int:
    """How many pages of ``size`` rows ``total`` rows fill (at least one, even when empty)."""
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int) -> int:
    """A requested page number brought inside 1..page_count."""
    return min(max(1, page), page_count(total, size))
