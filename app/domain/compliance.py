"""Compliance: was the agent who answered a call cleared for its call type at that moment?

The rule is the audit's (app/domain/audit.py: eligibility judged from the records as they
stood at the instant). A day of calls is judged without asking it once per call: between two
instants at which a record could change the answer (a publication, a gate, a retirement, a
pass, an expiry), the answer cannot change, so each (agent, call type) is judged once per such
stretch that holds calls, and every call in the stretch shares that verdict.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.audit import PublishedRequirement, reconstruct
from app.domain.eligibility import Agent, Certification, Missing

NOT_HELD, INACTIVE, MISSING = "not_held", "inactive", "missing"


@dataclass(frozen=True)
class Verdict:
    """Cleared or not at the call's instant; when not, why and which versions were missing."""

    cleared: bool
    reason: str | None = None  # None when cleared; NOT_HELD, INACTIVE or MISSING
    missing: tuple[Missing, ...] = ()


CLEARED = Verdict(True)


def judge(agent: Agent, skill: str, requirements: Iterable[PublishedRequirement],
          certifications: Iterable[Certification], at: datetime) -> Verdict:
    """The verdict for one call of ``skill`` answered by ``agent`` at ``at``."""
    if skill not in agent.skills:
        return Verdict(False, NOT_HELD)
    if not agent.active:
        return Verdict(False, INACTIVE)
    on_skill = [p for p in requirements if p.requirement.skill == skill]
    result = reconstruct(agent, on_skill, certifications, at).eligibility[skill]
    return CLEARED if result.cleared else Verdict(False, MISSING, result.missing)


def change_points(requirements: Iterable[PublishedRequirement],
                  certifications: Iterable[Certification]) -> list[datetime]:
    """Every instant at which :func:`judge` could answer otherwise, sorted, once each.

    Each condition of the rule flips exactly at one of these and holds until the next
    (published_at, passed_at and gate_at <= at; retired_at and valid_until > at), so the
    stretches [point, next point) are where the verdict is constant.
    """
    points: set[datetime] = set()
    for published in requirements:
        req = published.requirement
        points.update((published.published_at, req.gate_at))
        if req.retired_at is not None:
            points.add(req.retired_at)
    for cert in certifications:
        points.add(cert.passed_at)
        if cert.valid_until is not None:
            points.add(cert.valid_until)
    return sorted(points)


def judge_calls(agent: Agent, skill: str, requirements: Sequence[PublishedRequirement],
                certifications: Sequence[Certification],
                times: Iterable[datetime]) -> list[Verdict]:
    """Verdicts for calls of one agent and call type at ``times``, in that order.

    Equal to ``[judge(agent, skill, requirements, certifications, t) for t in times]``, but
    judged once per stretch of time in which nothing changes (a test holds them equal).
    """
    on_skill = [p for p in requirements if p.requirement.skill == skill]
    accepted = set().union(*(p.requirement.accepts for p in on_skill)) if on_skill else set()
    certs = [c for c in certifications if c.version_id in accepted]
    points = change_points(on_skill, certs)
    judged: dict[int, Verdict] = {}
    verdicts = []
    for at in times:
        stretch = bisect_right(points, at)
        if stretch not in judged:
            judged[stretch] = judge(agent, skill, on_skill, certs, at)
        verdicts.append(judged[stretch])
    return verdicts


def share(compliant: int, calls: int) -> float | None:
    """The share of compliant calls, None when there were none."""
    return compliant / calls if calls else None
