"""Provisioning rules (app/domain/provisioning.py): a person's fields and new team codes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.provisioning import Person, check_person, team_code_for

GOOD = Person(user_name="mpark", email="mina@example.com", name="Mina Park",
              external_id="E-1", active=True, role="agent", skills=("wifi",))
SKILLS = {"wifi", "wired"}


@pytest.mark.parametrize("changes, attributes", [
    ({}, []),
    ({"external_id": None, "skills": ()}, []),
    ({"role": "trainer", "skills": ("wired",)}, []),  # staff may hold skills (no effect)
    ({"user_name": " "}, ["userName"]),
    ({"user_name": "u" * 255}, ["userName"]),
    ({"email": ""}, ["emails"]),
    ({"email": "not an address"}, ["emails"]),
    ({"name": ""}, ["displayName"]),
    ({"name": "n" * 201}, ["displayName"]),
    ({"external_id": "a/b"}, ["externalId"]),
    ({"external_id": "x" * 129}, ["externalId"]),
    ({"role": "integration"}, ["role"]),
    ({"role": "pilot"}, ["role"]),
    ({"skills": ("wifi", "teleport")}, ["skills"]),
    ({"email": "", "role": "pilot", "skills": ("x",)}, ["emails", "role", "skills"]),
])
def test_check_person(changes, attributes):
    problems = check_person(replace(GOOD, **changes), SKILLS)
    assert [p.attribute for p in problems] == attributes
    assert all(str(p).startswith(f"{p.attribute}: ") for p in problems)


def test_an_unknown_skill_is_named():
    [problem] = check_person(replace(GOOD, skills=("teleport",)), SKILLS)
    assert "'teleport'" in problem.message


@pytest.mark.parametrize("name, taken, code", [
    ("Billing Floor 2", set(), "billing_floor_2"),
    ("  Wi-Fi / Support!  ", set(), "wi_fi_support"),
    ("Équipe Montréal", set(), "equipe_montreal"),
    ("2nd shift", set(), "team_2nd_shift"),
    ("상담 1팀", set(), "team_1"),
    ("고객센터", set(), "team"),
    ("Care", {"care"}, "care_2"),
    ("Care", {"care", "care_2"}, "care_3"),
    ("x" * 80, set(), "x" * 58),
])
def test_team_code_for(name, taken, code):
    assert team_code_for(name, taken) == code
