"""Which skills an agent is cleared for at an instant, and why not (rules 3, 5 and 6).

Everything here is a pure function of its arguments: the clock is the ``at`` passed in, so
the same inputs always give the same answer and the scheduler can ask "when could this
change next?" with :func:`next_change_at`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Requirement:
    """Agents holding ``skill`` (in ``teams``) must be certified on a version from gate_at."""

    id: int
    bulletin: str  # slug
    version: int  # version number
    skill: str
    gate_at: datetime
    # Bulletin-version ids whose certifications satisfy it: this version, plus earlier
    # versions carried over by "minor" publishes (rule 5).
    accepts: frozenset[int]
    teams: frozenset[str] = frozenset()  # empty = every team
    # From this instant it no longer applies (a newer version or a superseding bulletin).
    retired_at: datetime | None = None
    title: str = ""


@dataclass(frozen=True)
class Certification:
    """A passed attempt on one bulletin version."""

    version_id: int
    passed_at: datetime
    valid_until: datetime | None = None  # None = does not expire


@dataclass(frozen=True)
class Agent:
    """What eligibility needs to know about an agent."""

    active: bool
    team: str | None
    skills: frozenset[str]


@dataclass(frozen=True)
class Missing:
    """A requirement the agent has not satisfied: why a skill is blocked, or what is due."""

    requirement_id: int
    bulletin: str
    version: int
    due: datetime
    title: str = ""
    expired: bool = False  # a certification existed but its valid_until <= at


@dataclass(frozen=True)
class SkillEligibility:
    """Cleared or blocked for one skill, with the reasons."""

    skill: str
    cleared: bool
    # When cleared: the earliest valid_until among the certifications relied on (None = no
    # expiry). None when blocked.
    valid_until: datetime | None
    missing: tuple[Missing, ...] = ()  # gated requirements not satisfied (why blocked)
    # Requirements that apply but are not gated yet and not yet satisfied: due, never blocking.
    upcoming: tuple[Missing, ...] = ()
    inactive: bool = False


@dataclass(frozen=True)
class VersionRef:
    """Where a bulletin version sits: its lineage (None before publishing) and number."""

    lineage: int | None
    number: int


def accepts(version: VersionRef, held: VersionRef) -> bool:
    """Tell whether a certification on ``held`` counts for ``version`` (rule 5): an earlier or
    the same version of its lineage (a minor publish carries certifications over, a material
    one starts a new lineage). SQL twin: ``app.rules_sql.accepts``."""
    return (version.lineage is not None and held.lineage == version.lineage
            and held.number <= version.number)


def targets(agent: Agent, skills: Iterable[str], teams: Iterable[str]) -> bool:
    """Tell whether a version on ``skills`` for ``teams`` (empty = every team) concerns
    ``agent``: one of the skills held and the agent's team targeted."""
    teams = frozenset(teams)
    return (bool(agent.skills & frozenset(skills))
            and (not teams or agent.team in teams))


def applies(req: Requirement, agent: Agent, at: datetime) -> bool:
    """Tell whether ``req`` concerns ``agent`` at ``at``: skill held, team targeted, not retired."""
    return (
        targets(agent, (req.skill,), req.teams)
        and (req.retired_at is None or req.retired_at > at)
    )


def is_valid(cert: Certification, at: datetime) -> bool:
    """Tell whether ``cert`` is still valid at ``at``. SQL twin: ``app.rules_sql.valid_at``."""
    return cert.valid_until is None or cert.valid_until > at


def is_held(cert: Certification, at: datetime) -> bool:
    """Tell whether ``cert`` was passed by ``at`` and is valid then (history: a certification
    passed later did not count yet). SQL twin: ``app.rules_sql.held_at``."""
    return cert.passed_at <= at and is_valid(cert, at)


def _latest_expiry(certs: Iterable[Certification]) -> datetime | None:
    """Return the latest valid_until of ``certs`` (not empty), None meaning "never expires"."""
    untils = [c.valid_until for c in certs]
    return None if None in untils else max(untils)  # type: ignore[type-var]


def _missing(req: Requirement, *, expired: bool) -> Missing:
    return Missing(req.id, req.bulletin, req.version, req.gate_at, req.title, expired)


def _sort_key(missing: Missing) -> tuple:
    return (missing.due, missing.bulletin, missing.version, missing.requirement_id)


def _evaluate_skill(
    skill: str, reqs: list[Requirement], certifications: tuple[Certification, ...], at: datetime
) -> SkillEligibility:
    missing: list[Missing] = []
    upcoming: list[Missing] = []
    relied_on: list[datetime] = []
    for req in reqs:
        accepted = [c for c in certifications if c.version_id in req.accepts]
        valid = [c for c in accepted if is_valid(c, at)]
        gated = req.gate_at <= at
        if valid:
            expiry = _latest_expiry(valid)
            if gated and expiry is not None:
                relied_on.append(expiry)
            continue
        (missing if gated else upcoming).append(_missing(req, expired=bool(accepted)))
    cleared = not missing
    return SkillEligibility(
        skill=skill,
        cleared=cleared,
        valid_until=min(relied_on) if cleared and relied_on else None,
        missing=tuple(sorted(missing, key=_sort_key)),
        upcoming=tuple(sorted(upcoming, key=_sort_key)),
    )


def evaluate(
    agent: Agent,
    requirements: Iterable[Requirement],
    certifications: Iterable[Certification],
    at: datetime,
) -> dict[str, SkillEligibility]:
    """Return the eligibility of ``agent`` at ``at`` for every skill it holds (rule 3).

    A skill is cleared iff the agent is active and every applying requirement whose gate_at
    has come has an accepted certification still valid at ``at``. The dict is in skill order.
    """
    if not agent.active:
        return {
            skill: SkillEligibility(skill, cleared=False, valid_until=None, inactive=True)
            for skill in sorted(agent.skills)
        }
    certs = tuple(certifications)
    applying = [r for r in requirements if applies(r, agent, at)]
    return {
        skill: _evaluate_skill(skill, [r for r in applying if r.skill == skill], certs, at)
        for skill in sorted(agent.skills)
    }


def next_change_at(
    agent: Agent,
    requirements: Iterable[Requirement],
    certifications: Iterable[Certification],
    at: datetime,
) -> datetime | None:
    """Return the earliest instant after ``at`` at which :func:`evaluate` could answer otherwise.

    Candidates are the gate_at and retired_at of applying requirements and the valid_until of
    the certifications they accept. None when nothing changes with time alone.
    """
    if not agent.active:
        return None
    certs = tuple(certifications)
    candidates: list[datetime] = []
    for req in requirements:
        if not applies(req, agent, at):
            continue  # retirement is final; skill, team and activity change only by events
        if req.retired_at is not None:
            candidates.append(req.retired_at)
        if req.gate_at > at and (req.retired_at is None or req.gate_at < req.retired_at):
            candidates.append(req.gate_at)
        candidates.extend(
            c.valid_until for c in certs if c.version_id in req.accepts and c.valid_until
        )
    later = [moment for moment in candidates if moment > at]
    return min(later, default=None)


def changes(
    old: Mapping[str, SkillEligibility], new: Mapping[str, SkillEligibility]
) -> list[tuple[str, bool]]:
    """Return ``(skill, cleared_now)`` for every skill whose cleared value differs, by skill.

    A skill missing from a side counts as not cleared there: a newly held skill is reported
    only when cleared, a dropped skill only when it was cleared before.
    """
    result = []
    for skill in sorted(set(old) | set(new)):
        before = skill in old and old[skill].cleared
        after = skill in new and new[skill].cleared
        if before != after:
            result.append((skill, after))
    return result
