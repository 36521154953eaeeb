"""Audit: was an agent cleared for a skill at a past instant, and why (rules 3, 5 and 6).

The answer is reconstructed from the records as they stood at ``at``:

- a requirement exists from its version's publication: one published after ``at`` is left
  out, even when its gate (a past deadline) lies before ``at``;
- a certification counts from its ``passed_at``: one passed after ``at`` is left out (the
  eligibility rule itself looks only at ``valid_until``, so it must not see it at all);
- retirement (``retired_at``), gates and expiry are judged at ``at`` by the rule itself.

The agent's active flag, team and skills are passed in as they are known (the caller
documents which moment they describe).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.eligibility import (
    Agent,
    Certification,
    Requirement,
    SkillEligibility,
    applies,
    evaluate,
)

GATED, UPCOMING, RETIRED = "gated", "upcoming", "retired"


@dataclass(frozen=True)
class PublishedRequirement:
    """A requirement with the instant it came into existence (its version's publication)."""

    requirement: Requirement
    published_at: datetime


@dataclass(frozen=True)
class Reliance:
    """The certification a cleared skill relied on for one gated requirement."""

    skill: str
    requirement_id: int
    certification: Certification


@dataclass(frozen=True)
class Reconstruction:
    """Eligibility at ``at`` with the records it was judged from."""

    at: datetime
    eligibility: dict[str, SkillEligibility]
    requirements: tuple[Requirement, ...]  # those that existed at ``at``
    certifications: tuple[Certification, ...]  # those passed by ``at``
    relied_on: tuple[Reliance, ...] = field(default=())


def requirement_status(req: Requirement, at: datetime) -> str:
    """Return ``retired``, ``gated`` or ``upcoming`` for a requirement at ``at``."""
    if req.retired_at is not None and req.retired_at <= at:
        return RETIRED
    return GATED if req.gate_at <= at else UPCOMING


def _valid(cert: Certification, at: datetime) -> bool:
    return cert.passed_at <= at and (cert.valid_until is None or cert.valid_until > at)


def _strongest(certs: list[Certification]) -> Certification:
    """The certification lasting longest (no expiry first), the latest passed on a tie."""
    return max(certs, key=lambda c: (c.valid_until is None, c.valid_until or c.passed_at,
                                     c.passed_at))


def _reliances(agent: Agent, reqs: list[Requirement], certs: list[Certification],
               eligibility: dict[str, SkillEligibility], at: datetime) -> list[Reliance]:
    found = []
    for req in reqs:
        result = eligibility.get(req.skill)
        if result is None or not result.cleared or requirement_status(req, at) != GATED:
            continue
        if not applies(req, agent, at):
            continue
        valid = [c for c in certs if c.version_id in req.accepts and _valid(c, at)]
        if valid:
            found.append(Reliance(req.skill, req.id, _strongest(valid)))
    return found


def reconstruct(agent: Agent, requirements: Iterable[PublishedRequirement],
                certifications: Iterable[Certification], at: datetime) -> Reconstruction:
    """Return the agent's eligibility at ``at`` judged only from what existed then."""
    reqs = [p.requirement for p in requirements if p.published_at <= at]
    certs = [c for c in certifications if c.passed_at <= at]
    eligibility = evaluate(agent, reqs, certs, at)
    return Reconstruction(
        at=at, eligibility=eligibility, requirements=tuple(reqs), certifications=tuple(certs),
        relied_on=tuple(_reliances(agent, reqs, certs, eligibility, at)),
    )
