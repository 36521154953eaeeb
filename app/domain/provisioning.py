"""Provisioning rules: what an identity provider may say about a person or a team.

Pure functions over plain values, used by the SCIM service (app/services/accounts/provisioning.py):
a person's checked fields (``check_person``) and a new team's code (``team_code_for``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from app.domain.directory import EMAIL, EXTERNAL_ID
from app.domain.refusals import english

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
    """One thing wrong with what was sent: the attribute at fault and why (a catalogue code
    with its params, app/domain/refusals); ``message`` is it in English."""

    attribute: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def message(self) -> str:
        """The problem in English."""
        return english(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.attribute}: {self.message}"


def check_person(person: Person, known_skills: Collection[str]) -> list[Problem]:
    """Every problem with ``person``; an empty list means it may be written."""
    problems = []
    if not person.user_name.strip() or len(person.user_name) > 254:
        problems.append(Problem("userName", "scim_user_name_invalid"))
    if not EMAIL.match(person.email) or len(person.email) > 254:
        problems.append(Problem("emails", "scim_email_invalid", {"value": repr(person.email)}))
    if not person.name.strip() or len(person.name) > 200:
        problems.append(Problem("displayName", "scim_name_invalid"))
    if person.external_id is not None and not EXTERNAL_ID.match(person.external_id):
        problems.append(Problem("externalId", "scim_external_id_invalid",
                                {"value": repr(person.external_id)}))
    if person.role not in PROVISIONED_ROLES:
        problems.append(Problem("role", "scim_role_invalid", {"value": repr(person.role),
                                                              "roles": PROVISIONED_ROLES}))
    unknown = [code for code in person.skills if code not in known_skills]
    if unknown:
        problems.append(Problem("skills", "scim_skills_unknown",
                                {"codes": [repr(code) for code in unknown],
                                 "choices": sorted(known_skills)}))
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
