"""The activity of the benchmark dataset: assignments, attempts, answers, certifications,
and the stored eligibility that follows from them.

Assignments follow rule 1 exactly (every active agent holding one of a version's skills, in
its audience teams). Attempts are spread over assignments in proportion to a random weight
that is lower for lagging teams and for changes not gated yet, by systematic allocation, so
the number of answers is exactly the one asked for. Earlier attempts of an assignment fail;
the last one passes or fails on its answers. Lagging teams answer worse, and when wrong they
choose the old (``was:``) value more often: the stale-knowledge pattern the gaps view shows.
Eligibility is computed with the product's own pure rules (``app.domain.eligibility``).
"""

from __future__ import annotations

import itertools
import random
from array import array
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple

from app.domain import eligibility as rules
from app.domain import gating

from .data_org import FACTS, ITEMS_PER_FACT, Agent, Org, Version

PERMUTATIONS_4 = list(itertools.permutations(range(4)))
PERMUTATIONS_F = list(itertools.permutations(range(FACTS)))


def targeted(org: Org) -> tuple[array, array, array]:
    """Rule 1's assignments as (agent index, version index, weight) arrays, by version."""
    rng = random.Random(f"{len(org.agents)}-weights")
    by_skill: dict[str, list[int]] = defaultdict(list)
    for index, agent in enumerate(org.agents):
        if agent.active:
            for skill in agent.skills:
                by_skill[skill].append(index)
    agents, versions, weights = array("l"), array("l"), array("d")
    for v_index, version in enumerate(org.versions):
        future = 0.35 if version.gate_at > version.published_at + timedelta(days=14) else 1.0
        members = sorted({i for s in version.skills for i in by_skill[s]})
        for index in members:
            agent = org.agents[index]
            if version.teams and agent.team.code not in version.teams:
                continue
            agents.append(index)
            versions.append(v_index)
            weights.append((0.55 if agent.team.lagging else 1.0) * future
                           * rng.expovariate(1.0))
    return agents, versions, weights


class Activity:
    """Writes assignments and attempts, keeping the certifications for eligibility."""

    def __init__(self, writer, rng: random.Random, org: Org, answers: int, at: datetime):
        self.writer, self.rng, self.org, self.at = writer, rng, org, at
        self.full, self.rest = divmod(answers, FACTS)
        self.total = self.full + (1 if self.rest else 0)
        self.attempt_id = self.cert_id = 0
        self.certs: dict[int, list[rules.Certification]] = defaultdict(list)

    def run(self) -> None:
        """Every assignment, with its share of the attempts."""
        agents, versions, weights = targeted(self.org)
        total_weight = sum(weights) or 1.0
        offset, cumulative, before = self.rng.random(), 0.0, 0
        for n, (a, v, w) in enumerate(zip(agents, versions, weights, strict=True), start=1):
            cumulative += w
            upto = int(self.total * cumulative / total_weight + offset)
            attempts, before = upto - before, upto
            if n == len(weights):  # floating point must not lose the last attempt
                attempts = self.total - self.attempt_id
            self._assignment(n, self.org.agents[a], self.org.versions[v], attempts)
        if self.attempt_id != self.total:
            raise ValueError(f"no agent holds a skill of any bulletin: cannot place "
                             f"{self.total} attempts")

    def _assignment(self, assignment_id: int, agent: Agent, version: Version,
                    attempts: int) -> None:
        start = version.published_at + timedelta(minutes=10)
        end = min(self.at, version.gate_at + timedelta(days=60)) - timedelta(minutes=10)
        gap = max(min(timedelta(hours=8), (end - start) / (attempts + 1)), timedelta(minutes=1))
        share = self.rng.random() ** (0.7 if agent.team.lagging else 2.0)
        first = max(start, min(start + (end - start) * share, end - gap * attempts))
        self.writer.add("assignments", {
            "id": assignment_id, "user_id": agent.id, "version_id": version.id,
            "due_at": version.gate_at, "created_at": version.published_at,
            "acknowledged_at": first if attempts else None, "unlocked_at": None})
        for j in range(attempts):
            self._attempt(agent, version, first + gap * j, j, last=j == attempts - 1)

    def _attempt(self, agent: Agent, version: Version, started: datetime, j: int,
                 last: bool) -> None:
        self.attempt_id += 1
        partial = bool(self.rest) and self.attempt_id == self.total
        chosen = self._answers(agent, version, j)
        if not last and _passes(chosen):  # only the last attempt of an assignment may pass
            chosen[1] = _choose(chosen[1], "old")
        in_progress = partial or (last and self.rng.random() < 0.02)
        position = PERMUTATIONS_F[self.rng.randrange(len(PERMUTATIONS_F))]  # fact k-1 -> pos
        saved = sorted(chosen, key=lambda k: position[k - 1])[:self.rest if partial else FACTS]
        submitted = None if in_progress else started + timedelta(minutes=3 + j % 5)
        passed = None if in_progress else _passes(chosen)
        self.writer.add("attempts", {
            "id": self.attempt_id, "user_id": agent.id, "version_id": version.id,
            "status": "in_progress" if in_progress else "submitted", "started_at": started,
            "deadline_at": None, "submitted_at": submitted, "passed": passed,
            "score": None if in_progress else _score(chosen),
            "result": None if in_progress else _result(self.attempt_id, version, chosen)})
        for k, answer in chosen.items():
            perm = PERMUTATIONS_4[self.rng.randrange(24)]
            self.writer.add("attempt_items", {
                "attempt_id": self.attempt_id, "item_id": answer.item_id,
                "position": position[k - 1], "option_order": [answer.options[p] for p in perm]})
        for k in saved:
            answer = chosen[k]
            self.writer.add("answers", {
                "attempt_id": self.attempt_id, "item_id": answer.item_id,
                "option_id": answer.option_id, "seq": 1,
                "saved_at": started + timedelta(seconds=30 * (position[k - 1] + 1)),
                "correct": None if in_progress else answer.role == "correct"})
        if passed:
            self._certify(agent, version, submitted)

    def _answers(self, agent: Agent, version: Version, j: int) -> dict[int, Answer]:
        """Fact number -> the answer given: which item was drawn, which option chosen."""
        lagging, chosen, rng = agent.team.lagging, {}, self.rng
        for k in range(1, FACTS + 1):
            item_id, option_ids, roles = version.items[k][(j + agent.id) % ITEMS_PER_FACT]
            p_right = (0.66 if lagging else 0.86) - (0.12 if k == 3 else 0.0) + 0.05 * j
            if rng.random() < p_right:
                role = "correct"
            elif rng.random() < (0.7 if lagging else 0.35):
                role = "old"
            else:
                role = "not" if rng.random() < 0.5 else "glossary"
            chosen[k] = _choose(Answer(item_id, option_ids, roles, "", 0), role)
        return chosen

    def _certify(self, agent: Agent, version: Version, passed_at: datetime) -> None:
        self.cert_id += 1
        until = gating.valid_until(passed_at, version.recertify_after_days)
        self.writer.add("certifications", {
            "id": self.cert_id, "user_id": agent.id, "version_id": version.id,
            "attempt_id": self.attempt_id, "passed_at": passed_at, "valid_until": until})
        self.certs[agent.id].append(rules.Certification(version.id, passed_at, until))


class Answer(NamedTuple):
    """One drawn item of an attempt and the option the agent chose (by its role)."""

    item_id: int
    options: list[int]
    roles: dict[int, str]  # option id -> correct | old | not | glossary
    role: str
    option_id: int


def _choose(answer: Answer, role: str) -> Answer:
    option_id = next(o for o in answer.options if answer.roles[o] == role)
    return answer._replace(role=role, option_id=option_id)


def _score(chosen: dict[int, Answer]) -> int:
    return round(100 * sum(a.role == "correct" for a in chosen.values()) / FACTS)


def _passes(chosen: dict[int, Answer]) -> bool:
    """Rule 4 with the default pass mark: 80 % and the critical fact (f-1) right."""
    return _score(chosen) >= 80 and chosen[1].role == "correct"


def _result(attempt_id: int, version: Version, chosen: dict[int, Answer]) -> dict:
    """The graded response, as submit returns it (the eligibility part is left empty)."""
    facts = [{"fact": f"f-{k}", "correct": chosen[k].role == "correct"} for k in sorted(chosen)]
    return {"attempt": attempt_id, "bulletin": version.slug, "version": 1,
            "score": _score(chosen), "passed": _passes(chosen),
            "correct": sum(f["correct"] for f in facts), "total": FACTS, "facts": facts,
            "missed_critical": [] if chosen[1].role == "correct" else ["f-1"],
            "eligibility": {"cleared": [], "blocked": []}}


def domain_requirements(org: Org) -> dict[str, list[rules.Requirement]]:
    """The requirements as the rules see them, by skill (ids as ``bulletin_rows`` gave them)."""
    by_skill: dict[str, list[rules.Requirement]] = defaultdict(list)
    req_id = 0
    for version in org.versions:
        for skill in version.skills:
            req_id += 1
            by_skill[skill].append(rules.Requirement(
                id=req_id, bulletin=version.slug, version=1, skill=skill,
                gate_at=version.gate_at, accepts=frozenset({version.id}),
                teams=version.teams, title=version.title))
    return by_skill


def eligibility_rows(writer, org: Org, certs: dict, at: datetime) -> list[dict]:
    """Stored eligibility per agent and skill, one outbox event per cleared skill (as creating
    the agent would record), and each agent's eligibility version and next check time."""
    requirements, seq, users = domain_requirements(org), 0, []
    for agent in org.agents:
        view = rules.Agent(active=agent.active, team=agent.team.code, skills=agent.skills)
        reqs = [r for skill in sorted(agent.skills) for r in requirements[skill]]
        mine = certs.get(agent.id, [])
        result = rules.evaluate(view, reqs, mine, at)
        for code, state in result.items():
            writer.add("eligibility_states", {
                "user_id": agent.id, "skill_id": org.skill_ids[code], "cleared": state.cleared,
                "valid_until": state.valid_until, "updated_at": at,
                "missing": [_missing_json(m) for m in state.missing],
                "upcoming": [_missing_json(m) for m in state.upcoming]})
            if state.cleared:
                seq += 1
                writer.add("eligibility_events", {
                    "seq": seq, "user_id": agent.id, "skill": code, "cleared": True,
                    "reason": "agent_created", "agent_version": 1, "at": at,
                    "details": {"missing": []}})
        users.append({"uid": agent.id,
                      "version": int(any(s.cleared for s in result.values())),
                      "check_at": rules.next_change_at(view, reqs, mine, at)})
    return users


def _missing_json(m: rules.Missing) -> dict:
    """As ``app.services.certification.eligibility`` stores it."""
    return {"bulletin": m.bulletin, "version": m.version, "due": m.due.isoformat(),
            "title": m.title, "expired": m.expired}
