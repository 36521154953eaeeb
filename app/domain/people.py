"""People as admins run them: what a person of each role needs, who may change a role, and
when an invitation or password-reset link may be used.

Pure functions over plain data (no Flask, no SQLAlchemy); the services load and save.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.refusals import english

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
    """One thing wrong with an input: the field at fault and why, as a catalogue code with
    its params (app/domain/refusals); ``message`` is it in English."""

    field: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def message(self) -> str:
        """The problem in English."""
        return english(self.code, self.params)


def person_problems(person: PersonInput, locales: tuple[str, ...] = ("en", "ko")
                    ) -> list[Problem]:
    """Everything wrong with ``person`` for its role, field by field (empty: all good)."""
    found = []
    if person.role not in ROLES:
        found.append(Problem("role", "role_invalid", {"role": repr(person.role),
                                                           "roles": ROLES}))
    if not person.name.strip():
        found.append(Problem("name", "name_required"))
    elif len(person.name) > 200:
        found.append(Problem("name", "name_too_long"))
    if len(person.email) > 254 or not EMAIL.match(person.email):
        found.append(Problem("email", "email_invalid", {"value": repr(person.email)}))
    if person.locale and person.locale not in locales:
        found.append(Problem("locale", "language_invalid",
                             {"value": repr(person.locale), "locales": locales}))
    if person.role == "agent":
        found += _agent_problems(person)
    elif person.external_id and not EXTERNAL_ID.match(person.external_id):
        found.append(Problem("external_id", "external_id_invalid"))
    return found


def _agent_problems(person: PersonInput) -> list[Problem]:
    found = []
    if not person.external_id:
        found.append(Problem("external_id", "agent_external_id_required"))
    elif not EXTERNAL_ID.match(person.external_id):
        found.append(Problem("external_id", "external_id_invalid"))
    if not person.team:
        found.append(Problem("team", "agent_team_required"))
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
        return Problem("role", "agent_role_fixed")
    if old == "admin" and own_account:
        return Problem("role", "own_admin_role")
    if old == "admin" and other_active_admins == 0:
        return Problem("role", "last_admin")
    return None


def deactivation_problem(role: str, *, own_account: bool,
                         other_active_admins: int) -> Problem | None:
    """Why a person may not be deactivated (None: allowed): never oneself, never the last
    active admin."""
    if own_account:
        return Problem("active", "own_account_deactivation")
    if role == "admin" and other_active_admins == 0:
        return Problem("active", "last_admin")
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
        return Problem("password", "password_too_short", {"n": MIN_PASSWORD})
    if len(password) > MAX_PASSWORD:
        return Problem("password", "password_too_long", {"n": MAX_PASSWORD})
    if email and password.strip().lower() in {email.lower(), email.lower().partition("@")[0]}:
        return Problem("password", "password_is_email")
    if password != confirm:
        return Problem("confirm", "passwords_differ")
    return None


def page_count(total: int, size: int) -> int:
    """How many pages of ``size`` rows ``total`` rows fill (at least one, even when empty)."""
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int) -> int:
    """A requested page number brought inside 1..page_count."""
    return min(max(1, page), page_count(total, size))
