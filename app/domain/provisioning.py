"""Provisioning rules: what an identity provider may say about a person or a team.

Pure functions over plain values, used by the SCIM service (app/services/accounts/provisioning.py):
a person's checked fields (``check_person``) and a new team's code (``team_code_for``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from app.domain.directory import EMAIL, EXTERNAL_ID

PROVISIONED_ROLES = ("agent", "trainer", "manager", "admin")
"""Roles an identity provider may give; integration accounts are made in OneVoice only."""


@dataclass(frozen=True)
class Person:
    """A person as the identity provider says they should be (already normalised)."""

    user_name: str
    email: str
    name: str
    external_id: str | None
    active: bool
    role: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what was sent: the attribute at fault and why."""

    attribute: str
    message: str

    def __str__(self) -> str:
        return f"{self.attribute}: {self.message}"


def check_person(person: Person, known_skills: Collection[str]) -> list[Problem]:
    """Every problem with ``person``; an empty list means it may be written."""
    problems = []
    if not person.user_name.strip() or len(person.user_name) > 254:
        problems.append(Problem("userName", "is required, at most 254 characters"))
    if not EMAIL.match(person.email) or len(person.email) > 254:
        problems.append(Problem("emails", f"{person.email!r} is not an e-mail address; "
                                "OneVoice needs one (a work e-mail in emails, or a userName "
                                "that is an e-mail address)"))
    if not person.name.strip() or len(person.name) > 200:
        problems.append(Problem("displayName", "a name is required, at most 200 characters"))
    if person.external_id is not None and not EXTERNAL_ID.match(person.external_id):
        problems.append(Problem("externalId", f"{person.external_id!r} must be 1 to 128 "
                                "characters without '/' or control characters"))
    if person.role not in PROVISIONED_ROLES:
        problems.append(Problem("role", f"{person.role!r} must be one of "
                                f"{', '.join(PROVISIONED_ROLES)}"))
    unknown = [code for code in person.skills if code not in known_skills]
    if unknown:
        problems.append(Problem("skills", f"unknown skill(s) {', '.join(map(repr, unknown))}; "
                                "skills are created in OneVoice first"))
    return problems


def team_code_for(name: str, taken: Collection[str]) -> str:
    """A free team code made from a team's display name (``Billing Floor 2`` → ``billing_floor_2``).

    Letters lose their accents; anything else becomes ``_``; a code must start with a
    letter (``team_`` is put in front otherwise) and is made unique with ``_2``, ``_3``...
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = f"team_{base}".rstrip("_")
    base = base[:58]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code
