"""Eligibility of many agents at once, evaluating each distinct situation once (issue #19).

An agent's eligibility for one skill depends only on: the skill, whether the agent is
active, the agent's team, the instant, and the certifications accepted by the skill's
requirements that apply to the team at that instant (their version and ``valid_until``;
``passed_at`` plays no part, and neither ``evaluate`` nor ``next_change_at`` looks at a
requirement that does not apply). Agents sharing
those share the answer, so :class:`Evaluator` computes :func:`eligibility.evaluate` and
:func:`eligibility.next_change_at` once per such (skill, situation) and hands the result to
every agent in it. The answers are those of the per-agent functions: the per-skill
evaluation below is the same function applied to the agent restricted to one skill, and the
next change is the minimum of the per-skill next changes (``next_change_at`` is a minimum
over requirements, each of one skill).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain import eligibility as rules


@dataclass(frozen=True)
class Outcome:
    """An agent's eligibility per held skill at an instant, and the next instant it may change."""

    skills: dict[str, rules.SkillEligibility]
    next_change_at: datetime | None


def _cert_key(cert: rules.Certification) -> tuple:
    return (cert.version_id, cert.valid_until is None, cert.valid_until or datetime.min)


class Evaluator:
    """Evaluates agents against one set of requirements, once per distinct situation."""

    def __init__(self, requirements: Iterable[rules.Requirement]):
        self.by_skill: dict[str, list[rules.Requirement]] = defaultdict(list)
        for req in requirements:
            self.by_skill[req.skill].append(req)
        self._accepted: dict[tuple, frozenset[int]] = {}
        self._cache: dict[tuple, tuple[rules.SkillEligibility, datetime | None]] = {}
        self.evaluations = 0  # distinct situations evaluated (for the benchmark's report)

    def skill(self, skill: str, agent: rules.Agent,
              certs: Iterable[rules.Certification], at: datetime
              ) -> tuple[rules.SkillEligibility, datetime | None]:
        """The agent's eligibility for ``skill`` at ``at`` and the skill's next change."""
        accepted = self.accepted(skill, agent.team, at)
        relevant = tuple(sorted((c for c in certs if c.version_id in accepted), key=_cert_key))
        key = (skill, agent.active, agent.team, at,
               tuple((c.version_id, c.valid_until) for c in relevant))
        found = self._cache.get(key)
        if found is None:
            alone = rules.Agent(agent.active, agent.team, frozenset({skill}))
            reqs = self.by_skill.get(skill, [])
            found = (rules.evaluate(alone, reqs, relevant, at)[skill],
                     rules.next_change_at(alone, reqs, relevant, at))
            self._cache[key] = found
            self.evaluations += 1
        return found

    def accepted(self, skill: str, team: str | None, at: datetime) -> frozenset[int]:
        """The versions accepted by the requirements on ``skill`` that apply to ``team`` at
        ``at`` (not retired, targeting the team or every team)."""
        key = (skill, team, at)
        found = self._accepted.get(key)
        if found is None:
            member = rules.Agent(True, team, frozenset({skill}))
            found = frozenset().union(*(r.accepts for r in self.by_skill.get(skill, ())
                                        if rules.applies(r, member, at)))
            self._accepted[key] = found
        return found

    def agent(self, agent: rules.Agent, certs: Iterable[rules.Certification],
              at: datetime) -> Outcome:
        """What ``rules.evaluate`` and ``rules.next_change_at`` give for the whole agent."""
        certs = tuple(certs)
        skills, moments = {}, []
        for skill in sorted(agent.skills):
            skills[skill], moment = self.skill(skill, agent, certs, at)
            if moment is not None:
                moments.append(moment)
        return Outcome(skills, min(moments, default=None))
