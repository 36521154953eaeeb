"""Eligibility as the services store it (rules 1, 2, 3, 5, 6 and 8), on a frozen clock.

Every change is called with an explicit ``at``; the timeline lies in 2035 so nothing that
reads the real clock (the view's refresh) ever sees one of these instants arrive.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import (
    Assignment,
    BulletinVersion,
    EligibilityEvent,
    Requirement,
    Skill,
    Team,
    User,
)
from app.queries.eligibility_view import eligibility_document
from app.services.certification import attempts
from app.services.certification.assignments import assign_current
from app.services.certification.eligibility import recompute, run_time_checks
from app.services.content import bulletins

PUBLISH = datetime(2035, 3, 2, 1, 0, tzinfo=UTC)  # 10:00 on 2 March in Seoul
EFFECTIVE_GATE = datetime(2035, 3, 19, 15, 0, tzinfo=UTC)  # 2035-03-20 00:00 in Seoul
DEADLINE_GATE = datetime(2035, 3, 15, 15, 0, tzinfo=UTC)  # 2035-03-16 00:00 in Seoul
HOUR = timedelta(hours=1)


def bulletin(slug: str = "roaming-fees", front: str = "gate: immediate\n",
             skills: str = "[wibro, wifi]", fee: str = "30,000 won",
             body: str = "From 20 March the ==roaming fee== changes.") -> str:
    return f"""---
id: {slug}
title: Roaming fees change in March
lang: en
effective: 2035-03-20
skills: {skills}
{front}---
{body}

## Facts
- **Roaming fee** {{#f-fee type=money}}: {fee} (was: 25,000 won)
- **Notice period** {{#f-notice type=duration}}: 14 days (was: 30 days)
"""


def publish(source: str, at: datetime, change: str = "material") -> BulletinVersion:
    """Store a draft from ``source``, approve every item and publish it at ``at``."""
    version = bulletins.create_draft(source)
    with unit_of_work():
        for item in version.items:
            item.status = "approved"
        bulletins.publish(version, change, at=at)
    return version


def agent(email: str = "agent@example.com") -> User:
    return db.session.scalar(select(User).where(User.email == email))


def pass_quiz(user: User, slug: str, at: datetime) -> dict:
    """Sit the newest version's quiz at ``at`` and answer every item correctly."""
    attempt = attempts.start(user, slug, at=at)
    for entry in attempt.items:
        key = next(o.id for o in entry.item.options if o.correct)
        attempts.save_answer(user, attempt.id, entry.item_id, key, at=at)
    result = attempts.submit(user, attempt.id, at=at)
    assert result["passed"] is True
    return result


def state(user: User) -> dict[str, bool]:
    """The stored cleared flag per skill."""
    doc = eligibility_document(user, refresh=False)
    return {**{c["skill"]: True for c in doc["cleared"]},
            **{b["skill"]: False for b in doc["blocked"]}}


def last_seq() -> int:
    return db.session.scalar(select(EligibilityEvent.seq).order_by(
        EligibilityEvent.seq.desc()).limit(1)) or 0


def events_since(seq: int) -> list[tuple[str, str, bool, str]]:
    """(email, skill, cleared, reason) of the outbox rows written after ``seq``."""
    rows = db.session.execute(
        select(User.email, EligibilityEvent)
        .join(User, User.id == EligibilityEvent.user_id)
        .where(EligibilityEvent.seq > seq).order_by(EligibilityEvent.seq)
    ).all()
    return [(email, e.skill, e.cleared, e.reason) for email, e in rows]


@pytest.fixture
def world(ctx, org):
    """The org's agents inside one application context."""
    return ctx


A1, A2 = "agent@example.com", "agent2@example.com"


# --- gates -------------------------------------------------------------------------------


def test_gate_immediate_blocks_at_publication(world):
    before = last_seq()
    publish(bulletin(), PUBLISH)
    assert state(agent(A1)) == {"wibro": False, "wifi": False}
    assert state(agent(A2)) == {"wifi": False, "wired": True}
    assert events_since(before) == [
        (A1, "wibro", False, "bulletin_published"), (A1, "wifi", False, "bulletin_published"),
        (A2, "wifi", False, "bulletin_published")]
    blocked = eligibility_document(agent(A1), refresh=False)["blocked"]
    assert blocked[0]["missing"][0] | {"title": None} == {
        "bulletin": "roaming-fees", "version": 1, "due": PUBLISH.isoformat(),
        "title": None, "expired": False}


@pytest.mark.parametrize("front, gate", [
    ("", EFFECTIVE_GATE),
    ("deadline: 2035-03-16\n", DEADLINE_GATE),
], ids=["effective", "deadline"])
def test_future_gate_shows_due_then_blocks_when_it_arrives(world, front, gate):
    before = last_seq()
    version = publish(bulletin(front=front), PUBLISH)
    assert version.gate_at == gate
    assert events_since(before) == []
    assert state(agent(A1)) == {"wibro": True, "wifi": True}
    due = eligibility_document(agent(A1), refresh=False)["due"]
    assert [(d["skill"], d["bulletin"], d["version"], d["due"]) for d in due] == [
        ("wibro", "roaming-fees", 1, gate.isoformat()),
        ("wifi", "roaming-fees", 1, gate.isoformat())]

    with unit_of_work():
        assert run_time_checks(at=gate - timedelta(seconds=1)) == 0
    assert events_since(before) == []

    with unit_of_work():
        assert run_time_checks(at=gate) == 3
    assert events_since(before) == [
        (A1, "wibro", False, "gate_reached"), (A1, "wifi", False, "gate_reached"),
        (A2, "wifi", False, "gate_reached")]
    assert state(agent(A1)) == {"wibro": False, "wifi": False}
    assert state(agent(A2)) == {"wifi": False, "wired": True}
    assert eligibility_document(agent(A1), refresh=False)["due"] == []

    after = last_seq()
    with unit_of_work():
        assert run_time_checks(at=gate) == 0
        assert run_time_checks(at=gate + timedelta(days=30)) == 0
    assert events_since(after) == []


# --- expiry ------------------------------------------------------------------------------


def test_expired_certification_blocks(world):
    publish(bulletin(front="gate: immediate\nrecertify_after_days: 1\n"), PUBLISH)
    passed_at = PUBLISH + HOUR
    before = last_seq()
    result = pass_quiz(agent(A1), "roaming-fees", passed_at)
    assert events_since(before) == [(A1, "wibro", True, "certification_passed"),
                                    (A1, "wifi", True, "certification_passed")]
    until = (passed_at + timedelta(days=1)).isoformat()
    assert result["eligibility"]["cleared"] == [
        {"skill": "wibro", "valid_until": until}, {"skill": "wifi", "valid_until": until}]

    before = last_seq()
    with unit_of_work():
        assert run_time_checks(at=passed_at + timedelta(days=2)) == 2
    assert events_since(before) == [(A1, "wibro", False, "certification_expired"),
                                    (A1, "wifi", False, "certification_expired")]
    doc = eligibility_document(agent(A1), refresh=False)
    assert doc["cleared"] == []
    assert [(b["skill"], [m["expired"] for m in b["missing"]]) for b in doc["blocked"]] == [
        ("wibro", [True]), ("wifi", [True])]


# --- versions ----------------------------------------------------------------------------


@pytest.mark.parametrize("change, edit, blocks", [
    ("material", {"fee": "32,000 won"}, True),
    ("minor", {"body": "From 20 March the ==roaming fee== is different."}, False),
])
def test_new_version_material_blocks_at_its_gate_minor_carries_over(world, change, edit, blocks):
    publish(bulletin(), PUBLISH)
    pass_quiz(agent(A1), "roaming-fees", PUBLISH + HOUR)
    assert state(agent(A1)) == {"wibro": True, "wifi": True}

    before = last_seq()
    v2 = publish(bulletin(front="", **edit), PUBLISH + timedelta(days=3), change)
    assert (v2.number, v2.change, v2.gate_at) == (2, change, EFFECTIVE_GATE)
    assert [e for e in events_since(before) if e[0] == A1] == []
    assert state(agent(A1)) == {"wibro": True, "wifi": True}

    with unit_of_work():
        run_time_checks(at=EFFECTIVE_GATE)
    mine = [e for e in events_since(before) if e[0] == A1]
    if blocks:
        assert mine == [(A1, "wibro", False, "gate_reached"), (A1, "wifi", False, "gate_reached")]
        blocked = eligibility_document(agent(A1), refresh=False)["blocked"]
        assert {(m["bulletin"], m["version"]) for b in blocked for m in b["missing"]} == {
            ("roaming-fees", 2)}
    else:
        assert mine == []
        assert state(agent(A1)) == {"wibro": True, "wifi": True}


def test_superseding_bulletin_retires_the_old_requirements_at_its_gate(world):
    publish(bulletin("old-fees", skills="[wired]"), PUBLISH)
    assert state(agent(A2)) == {"wifi": True, "wired": False}
    new = publish(bulletin("new-fees", front="supersedes: [old-fees]\n", skills="[wired]"),
                  PUBLISH + timedelta(days=1))
    retired = db.session.scalars(select(Requirement.retired_at).join(BulletinVersion)
                                 .where(BulletinVersion.id != new.id)).all()
    assert retired == [EFFECTIVE_GATE] == [new.gate_at]

    before = last_seq()
    pass_quiz(agent(A2), "new-fees", PUBLISH + timedelta(days=2))
    assert state(agent(A2))["wired"] is False  # old-fees still gates until new-fees' gate
    missing = eligibility_document(agent(A2), refresh=False)["blocked"][0]["missing"]
    assert [m["bulletin"] for m in missing] == ["old-fees"]

    with unit_of_work():
        assert run_time_checks(at=EFFECTIVE_GATE) == 1
    assert events_since(before) == [(A2, "wired", True, "requirement_retired")]
    assert state(agent(A2)) == {"wifi": True, "wired": True}


# --- who is concerned ----------------------------------------------------------------------


def test_agent_created_later_gets_the_assignment_and_is_blocked(world):
    version = publish(bulletin(), PUBLISH)
    later = PUBLISH + timedelta(days=5)
    with unit_of_work() as session:
        newcomer = User(email="new@example.com", name="New", role="agent", active=True,
                        team=session.scalar(select(Team).where(Team.code == "wifi_support")),
                        skills=[session.scalar(select(Skill).where(Skill.code == "wifi"))])
        session.add(newcomer)
        session.flush()
        assert assign_current(newcomer, at=later) == 1
        recompute([newcomer], cause="agent_created", at=later)
    due = db.session.scalar(select(Assignment.due_at).where(
        Assignment.user_id == newcomer.id, Assignment.version_id == version.id))
    assert due == PUBLISH
    assert state(newcomer) == {"wifi": False}


def test_deactivating_an_agent_blocks_every_skill(world):
    user = agent(A2)
    before, version = last_seq(), user.eligibility_version
    with unit_of_work():
        user.active = False
        assert recompute([user], cause="deactivated", at=PUBLISH) == 2
    assert events_since(before) == [(A2, "wifi", False, "deactivated"),
                                    (A2, "wired", False, "deactivated")]
    doc = eligibility_document(user, refresh=False)
    assert doc["cleared"] == [] and doc["version"] == version + 1
    assert [(b["skill"], b["inactive"]) for b in doc["blocked"]] == [
        ("wifi", True), ("wired", True)]


def test_team_filter_leaves_other_teams_alone(world):
    before = last_seq()
    publish(bulletin(front="gate: immediate\nteams: [wibro_care]\n", skills="[wifi]"), PUBLISH)
    assigned = db.session.scalars(select(User.email).join(
        Assignment, Assignment.user_id == User.id)).all()
    assert assigned == [A1]
    assert state(agent(A1)) == {"wibro": True, "wifi": False}
    assert state(agent(A2)) == {"wifi": True, "wired": True}
    assert events_since(before) == [(A1, "wifi", False, "bulletin_published")]


# --- the API document ----------------------------------------------------------------------


def test_eligibility_document_shape_and_version(world, client, org):
    router = org.headers("router@example.com")

    def document():
        response = client.get("/api/v1/agents/A1/eligibility", headers=router)
        assert response.status_code == 200
        return response.json

    versions = [document()["version"]]
    publish(bulletin(skills="[wibro]", front="gate: immediate\nrecertify_after_days: 30\n"),
            PUBLISH)
    blocked = document()
    assert blocked["agent"] == "A1"
    assert blocked["cleared"] == [{"skill": "wifi", "valid_until": None}]
    assert [{"skill": b["skill"], "missing": [{k: m[k] for k in ("bulletin", "version", "due")}
                                             for m in b["missing"]]}
            for b in blocked["blocked"]] == [{"skill": "wibro", "missing": [
                {"bulletin": "roaming-fees", "version": 1, "due": PUBLISH.isoformat()}]}]
    versions.append(blocked["version"])
    assert document()["version"] == versions[-1]  # reading changes nothing

    passed_at = PUBLISH + HOUR
    pass_quiz(agent(A1), "roaming-fees", passed_at)
    cleared = document()
    assert cleared["blocked"] == []
    assert cleared["cleared"] == [
        {"skill": "wibro", "valid_until": (passed_at + timedelta(days=30)).isoformat()},
        {"skill": "wifi", "valid_until": None}]
    versions.append(cleared["version"])

    with unit_of_work():
        run_time_checks(at=passed_at + timedelta(days=31))
    versions.append(document()["version"])
    with unit_of_work():
        user = agent(A1)
        user.active = False
        recompute([user], cause="deactivated", at=passed_at + timedelta(days=32))
    versions.append(document()["version"])
    assert versions == sorted(set(versions)), versions  # strictly increasing
    stored = db.session.scalars(select(EligibilityEvent.agent_version).where(
        EligibilityEvent.user_id == agent(A1).id).order_by(EligibilityEvent.seq)).all()
    assert set(versions[1:]) <= set(stored) and stored == sorted(stored)
