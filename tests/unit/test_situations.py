"""app/domain/situations.py: evaluating once per situation gives the per-agent answer.

Generated cases on a frozen clock: agents active or not, in targeted teams or not, holding
one to three call types, with certifications that are valid, expired, never expiring or
absent, against requirements gated or not, team-targeted or not, retired or not, accepting
earlier versions (minor publishes) or not.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain import eligibility as rules
from app.domain.situations import Evaluator

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
SKILLS = ("wifi", "tv", "mobile", "roaming")
TEAMS = ("north", "south", "east", None)


def _requirements(rng: random.Random) -> list[rules.Requirement]:
    reqs = []
    for n in range(1, 13):
        retired = rng.choice([None, None, NOW - timedelta(days=1), NOW + timedelta(days=3)])
        reqs.append(rules.Requirement(
            id=n, bulletin=f"b{n}", version=1, skill=rng.choice(SKILLS),
            gate_at=NOW + timedelta(days=rng.randint(-10, 10)),
            accepts=frozenset({n} | ({n - 1} if n > 1 and rng.random() < 0.3 else set())),
            teams=frozenset(rng.sample(TEAMS[:3], rng.randint(0, 2))), retired_at=retired,
            title=f"Bulletin {n}"))
    return reqs


def _agent(rng: random.Random) -> tuple[rules.Agent, list[rules.Certification]]:
    agent = rules.Agent(rng.random() > 0.1, rng.choice(TEAMS),
                        frozenset(rng.sample(SKILLS, rng.randint(0, 3))))
    certs = [rules.Certification(version, NOW - timedelta(days=30), rng.choice(
        [None, NOW - timedelta(days=1), NOW + timedelta(days=rng.randint(1, 20))]))
        for version in range(1, 13) if rng.random() < 0.4]
    return agent, certs


@pytest.mark.parametrize("seed", range(40))
def test_the_evaluator_answers_as_the_per_agent_rules(seed):
    rng = random.Random(seed)
    reqs = _requirements(rng)
    evaluator = Evaluator(reqs)
    crowd = [_agent(rng) for _ in range(30)]
    crowd += crowd[:10]  # agents in the same situation as others
    for agent, certs in crowd:
        for at in (NOW, NOW + timedelta(days=4)):
            outcome = evaluator.agent(agent, certs, at)
            assert outcome.skills == rules.evaluate(agent, reqs, certs, at)
            assert outcome.next_change_at == rules.next_change_at(agent, reqs, certs, at)


def test_agents_in_one_situation_share_one_evaluation():
    req = rules.Requirement(1, "b1", 1, "wifi", NOW - timedelta(hours=1), frozenset({1}))
    evaluator = Evaluator([req])
    for n in range(100):
        # certifications the requirement does not accept do not make a new situation
        evaluator.agent(rules.Agent(True, "north", frozenset({"wifi"})),
                        [rules.Certification(7, NOW, NOW + timedelta(days=n))], NOW)
    assert evaluator.evaluations == 1
    outcome = evaluator.agent(rules.Agent(True, "north", frozenset({"wifi"})),
                              [rules.Certification(1, NOW, None)], NOW)
    assert outcome.skills["wifi"].cleared and evaluator.evaluations == 2
