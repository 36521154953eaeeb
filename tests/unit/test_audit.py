"""Eligibility reconstructed at a past instant, on a frozen timeline (no app, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.audit import (
    GATED,
    RETIRED,
    UPCOMING,
    PublishedRequirement,
    reconstruct,
    requirement_status,
)
from app.domain.eligibility import Agent, Certification, Requirement

DAY = timedelta(days=1)
PUBLISHED = datetime(2030, 1, 1, tzinfo=UTC)
GATE = datetime(2030, 1, 10, tzinfo=UTC)
PASSED = datetime(2030, 1, 5, tzinfo=UTC)
AGENT = Agent(active=True, team="care", skills=frozenset({"wifi"}))


def req(id=1, gate_at=GATE, retired_at=None, accepts=(11,), skill="wifi") -> Requirement:
    return Requirement(id=id, bulletin=f"b{id}", version=1, skill=skill, gate_at=gate_at,
                       accepts=frozenset(accepts), retired_at=retired_at)


def published(r: Requirement, at=PUBLISHED) -> PublishedRequirement:
    return PublishedRequirement(r, at)


def cert(version_id=11, passed_at=PASSED, valid_until=None) -> Certification:
    return Certification(version_id, passed_at, valid_until)


@pytest.mark.parametrize(("at", "certs", "cleared"), [
    (GATE - DAY, [], True),  # not gated yet: never blocks
    (GATE + DAY, [], False),
    (GATE + DAY, [cert()], True),
    # passed after the instant asked about: it did not exist then
    (GATE + DAY, [cert(passed_at=GATE + 2 * DAY)], False),
    (GATE + 3 * DAY, [cert(passed_at=GATE + 2 * DAY)], True),
    (GATE + DAY, [cert(passed_at=GATE + DAY)], True),  # passed exactly then counts
    # expired by then
    (GATE + DAY, [cert(valid_until=GATE)], False),
    (GATE - DAY, [cert(valid_until=GATE)], True),
])
def test_cleared_at(at, certs, cleared):
    result = reconstruct(AGENT, [published(req())], certs, at)
    assert result.eligibility["wifi"].cleared is cleared


def test_a_requirement_published_later_does_not_block_earlier():
    # published on 20 January with a deadline gate that lies in the past (10 January)
    late = published(req(), at=GATE + 10 * DAY)
    before = reconstruct(AGENT, [late], [], GATE + 5 * DAY)
    assert before.eligibility["wifi"].cleared and before.requirements == ()
    after = reconstruct(AGENT, [late], [], GATE + 10 * DAY)
    assert not after.eligibility["wifi"].cleared
    assert [m.bulletin for m in after.eligibility["wifi"].missing] == ["b1"]


def test_a_retired_requirement_blocked_only_while_it_stood():
    retiring = published(req(retired_at=GATE + 5 * DAY))
    assert not reconstruct(AGENT, [retiring], [], GATE + DAY).eligibility["wifi"].cleared
    assert reconstruct(AGENT, [retiring], [], GATE + 5 * DAY).eligibility["wifi"].cleared


def test_the_certifications_relied_on_are_named():
    older = cert(passed_at=PASSED - DAY, valid_until=GATE + 30 * DAY)
    newer = cert(passed_at=PASSED)  # no expiry: the stronger one
    later = cert(passed_at=GATE + 2 * DAY)
    result = reconstruct(AGENT, [published(req()), published(req(2, accepts=(21,)))],
                         [older, newer, later, cert(21)], GATE + DAY)
    assert result.eligibility["wifi"].cleared
    assert {(r.requirement_id, r.certification) for r in result.relied_on} == {
        (1, newer), (2, cert(21))}
    assert later not in result.certifications


def test_blocked_skills_rely_on_nothing():
    result = reconstruct(AGENT, [published(req()), published(req(2, accepts=(21,)))],
                         [cert()], GATE + DAY)
    assert not result.eligibility["wifi"].cleared
    assert result.relied_on == ()


def test_an_inactive_agent_is_blocked():
    inactive = Agent(active=False, team="care", skills=frozenset({"wifi"}))
    result = reconstruct(inactive, [published(req())], [cert()], GATE + DAY)
    assert result.eligibility["wifi"].inactive and not result.eligibility["wifi"].cleared


@pytest.mark.parametrize(("requirement", "at", "status"), [
    (req(), GATE - DAY, UPCOMING),
    (req(), GATE, GATED),
    (req(retired_at=GATE + DAY), GATE + DAY, RETIRED),
    (req(retired_at=GATE + DAY), GATE, GATED),
    (req(retired_at=GATE - 2 * DAY), GATE - DAY, RETIRED),
])
def test_requirement_status(requirement, at, status):
    assert requirement_status(requirement, at) == status
