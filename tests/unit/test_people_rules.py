"""People rules as tables: what each role needs, role changes, deactivation, link state,
passwords and pages (app/domain/people.py), on a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.people import (
    EXPIRED,
    USABLE,
    USED,
    PersonInput,
    clamp_page,
    deactivation_problem,
    link_state,
    page_count,
    password_problem,
    person_problems,
    role_change_problem,
)

NOW = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def person(**changes) -> PersonInput:
    base = {"role": "trainer", "name": "Tess", "email": "tess@example.com"}
    return PersonInput(**{**base, **changes})


@pytest.mark.parametrize(("given", "fields"), [
    (person(), []),
    (person(role="agent", external_id="A9", team="wired_care"), []),
    (person(role="agent"), ["external_id", "team"]),
    (person(role="agent", external_id="A/9", team="wired_care"), ["external_id"]),
    (person(role="agent", external_id="A9"), ["team"]),
    (person(role="boss"), ["role"]),
    (person(name="  "), ["name"]),
    (person(name="x" * 201), ["name"]),
    (person(email="tess"), ["email"]),
    (person(email="a@b.c" + "x" * 260), ["email"]),
    (person(locale="fr"), ["locale"]),
    (person(locale="ko"), []),
    (person(role="integration", external_id="router\x00"), ["external_id"]),
    (person(role="manager", managed=("wibro_care",)), []),
])
def test_person_problems_name_the_field(given, fields):
    assert [p.field for p in person_problems(given)] == fields


@pytest.mark.parametrize(("old", "new", "own", "others", "refused"), [
    ("trainer", "trainer", False, 0, False),
    ("trainer", "manager", False, 0, False),
    ("trainer", "admin", False, 0, False),
    ("integration", "agent", False, 0, False),
    ("agent", "trainer", False, 3, True),
    ("admin", "trainer", True, 3, True),      # not one's own admin role
    ("admin", "trainer", False, 0, True),     # never the last active admin
    ("admin", "trainer", False, 1, False),
])
def test_role_changes(old, new, own, others, refused):
    problem = role_change_problem(old, new, own_account=own, other_active_admins=others)
    assert (problem is not None) == refused
    if problem:
        assert problem.field == "role"


@pytest.mark.parametrize(("role", "own", "others", "refused"), [
    ("agent", False, 0, False),
    ("trainer", True, 1, True),
    ("admin", False, 0, True),
    ("admin", False, 1, False),
])
def test_deactivation(role, own, others, refused):
    problem = deactivation_problem(role, own_account=own, other_active_admins=others)
    assert (problem is not None) == refused


@pytest.mark.parametrize(("expires_in", "used", "state"), [
    (timedelta(minutes=1), False, USABLE),
    (timedelta(0), False, EXPIRED),          # expires exactly now: no longer usable
    (timedelta(seconds=-1), False, EXPIRED),
    (timedelta(days=1), True, USED),
    (timedelta(seconds=-1), True, USED),
])
def test_link_state(expires_in, used, state):
    assert link_state(NOW + expires_in, NOW - timedelta(hours=1) if used else None, NOW) == state


@pytest.mark.parametrize(("password", "confirm", "field"), [
    ("correct horse battery", "correct horse battery", None),
    ("short", "short", "password"),
    ("x" * 201, "x" * 201, "password"),
    ("tess@example.com", "tess@example.com", "password"),
    ("TESS@example.com", "TESS@example.com", "password"),
    ("correct horse battery", "correct horse batterx", "confirm"),
])
def test_password_problem(password, confirm, field):
    problem = password_problem(password, confirm, "tess@example.com")
    assert (problem.field if problem else None) == field


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 50, 1), (1, 50, 1), (50, 50, 1),
                                                      (51, 50, 2), (101, 50, 3)])
def test_page_count(total, size, pages):
    assert page_count(total, size) == pages


@pytest.mark.parametrize(("page", "total", "expected"), [(0, 120, 1), (-5, 120, 1), (2, 120, 2),
                                                         (9, 120, 3), (4, 0, 1)])
def test_clamp_page(page, total, expected):
    assert clamp_page(page, total, 50) == expected
