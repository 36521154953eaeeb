"""The organisation and content of the benchmark dataset: skills, teams, people, bulletins.

Pure planning plus rows for :class:`benchmarks.bulk.BulkWriter`; every random choice comes
from the one seeded ``random.Random`` passed in, in a fixed order, so a seed gives the same
dataset every time. Ids are given explicitly (the database must be empty) so children can
point at parents without reading anything back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.domain import gating
from app.domain.markup import render_markdown

SKILLS = ("wibro", "wifi", "wired", "billing", "mobile", "tv", "roaming", "device",
          "porting", "esim", "broadband", "insurance")
FACTS = 5  # per bulletin; fact 1 is critical
ITEMS_PER_FACT = 2  # so a retake can draw the other item of each fact
LAGGING_SHARE = 0.15
TOPICS = ("fee", "login", "credit", "renewal", "cancellation", "bundle", "activation",
          "refund", "discount", "suspension")


@dataclass
class Team:
    id: int
    code: str
    skills: tuple[str, ...]  # the team's line: what its agents mostly handle
    lagging: bool


@dataclass
class Agent:
    id: int
    team: Team
    skills: frozenset[str]
    active: bool


@dataclass
class Version:
    id: int
    slug: str
    title: str
    skills: tuple[str, ...]
    teams: frozenset[str]
    published_at: datetime
    gate_at: datetime
    recertify_after_days: int | None
    # fact number (1..FACTS) -> [(item id, [option ids], {option id: role})]
    items: dict[int, list[tuple[int, list[int], dict[int, str]]]] = field(default_factory=dict)


@dataclass
class Org:
    """What the activity phase needs to know about the organisation and its content."""

    skill_ids: dict[str, int]
    teams: list[Team]
    agents: list[Agent]
    versions: list[Version]
    staff: dict[str, str]  # role -> e-mail of one account of that role


def skill_rows(writer) -> dict[str, int]:
    """The call types; returns their ids by code."""
    ids = {code: n for n, code in enumerate(SKILLS, start=1)}
    writer.extend("skills", ({"id": i, "code": c, "name": c.title()} for c, i in ids.items()))
    return ids


def team_rows(writer, rng: random.Random, count: int, at) -> list[Team]:
    """Teams on lines of two or three call types; some of them lagging behind."""
    teams = []
    for n in range(1, count + 1):
        line = tuple(sorted(rng.sample(SKILLS, rng.choice((2, 2, 3)))))
        teams.append(Team(n, f"team_{n:03d}_{line[0]}", line, rng.random() < LAGGING_SHARE))
        writer.add("teams", {"id": n, "code": teams[-1].code, "name": f"Team {n} ({line[0]})",
                             "created_at": at, "updated_at": at})
    return teams


def team_sizes(rng: random.Random, teams: int, agents: int) -> list[int]:
    """Skewed sizes (Zipf-like weights in random order), every team with an agent if possible."""
    weights = [1 / (rank + 1) ** 0.9 for rank in range(teams)]
    rng.shuffle(weights)
    sizes = [1 if agents >= teams else 0] * teams
    rest = agents - sum(sizes)
    for index in rng.choices(range(teams), weights=weights, k=rest):
        sizes[index] += 1
    return sizes


def people_rows(writer, rng: random.Random, teams: list[Team], agents: int,
                password_hash: str, at: datetime) -> tuple[list[Agent], dict[str, str]]:
    """Staff (one admin, trainer and integration; a manager per five teams) and agents."""
    base = {"password_hash": password_hash, "created_at": at, "updated_at": at,
            "eligibility_version": 0,
            "active": True, "locale": None, "team_id": None, "external_id": None,
            "eligibility_check_at": None}
    staff = {"admin": "admin@bench.example", "trainer": "trainer@bench.example",
             "integration": "router@bench.example", "manager": "manager001@bench.example"}
    next_id = 1
    for role in ("admin", "trainer", "integration"):
        writer.add("users", {**base, "id": next_id, "email": staff[role], "name": role.title(),
                             "role": role})
        next_id += 1
    for n, start in enumerate(range(0, len(teams), 5), start=1):
        writer.add("users", {**base, "id": next_id, "email": f"manager{n:03d}@bench.example",
                             "name": f"Manager {n}", "role": "manager"})
        writer.extend("managed_teams", ({"user_id": next_id, "team_id": t.id}
                                        for t in teams[start:start + 5]))
        next_id += 1
    people = []
    for team, size in zip(teams, team_sizes(rng, len(teams), agents), strict=True):
        for _ in range(size):
            skills = set(team.skills)
            if rng.random() < 0.3:
                skills.add(rng.choice(SKILLS))
            people.append(Agent(next_id, team, frozenset(skills), rng.random() >= 0.02))
            next_id += 1
    return people, staff


def agent_rows(writer, people: list[Agent], skill_ids: dict[str, int], password_hash: str,
               at: datetime) -> None:
    """The agents' user rows and skills (eligibility columns are filled in at the end)."""
    for n, agent in enumerate(people, start=1):
        writer.add("users", {
            "id": agent.id, "email": f"agent{n:06d}@bench.example", "name": f"Agent {n}",
            "role": "agent", "external_id": f"E{n:06d}", "team_id": agent.team.id,
            "active": agent.active, "locale": None, "password_hash": password_hash,
            "created_at": at, "updated_at": at, "eligibility_version": 0,
            "eligibility_check_at": None})
        writer.extend("agent_skills", ({"user_id": agent.id, "skill_id": skill_ids[s]}
                                       for s in sorted(agent.skills)))


def bulletin_rows(writer, rng: random.Random, count: int, teams: list[Team], at: datetime,
                  tz: str) -> list[Version]:
    """Published bulletins (one version each) with facts, approved items and requirements."""
    versions, ids = [], {"item": 0, "option": 0, "fact": 0, "req": 0}
    for n in range(1, count + 1):
        version = _plan_version(rng, n, teams, at, tz)
        _write_version(writer, version, at, tz)
        _write_content(writer, rng, version, ids)
        versions.append(version)
    return versions


def _plan_version(rng: random.Random, n: int, teams: list[Team], at: datetime,
                  tz: str) -> Version:
    topic = TOPICS[n % len(TOPICS)]
    skills = tuple(sorted(rng.sample(SKILLS, rng.choice((1, 1, 2)))))
    audience = frozenset()
    if rng.random() < 0.1:
        audience = frozenset(t.code for t in rng.sample(teams, min(len(teams), rng.randint(3, 10))))
    # Mostly in force already; some from the coming weeks (due, not gated yet).
    effective = at.date() + timedelta(days=rng.randint(-720, 30) if rng.random() < 0.92
                                      else rng.randint(1, 30))
    gate_at = gating.local_midnight(effective, tz)
    published_at = min(gate_at - timedelta(days=14), at - timedelta(hours=1))
    return Version(n, f"bench-{n:04d}-{topic}", f"Bench change {n} - the new {topic} rules",
                   skills, audience, published_at, gate_at,
                   365 if rng.random() < 0.15 else None)


def bulletin_source(version: Version, effective: date) -> tuple[str, str]:
    """A valid bulletin file for the version, and its Markdown body."""
    teams = f"teams: [{', '.join(sorted(version.teams))}]\n" if version.teams else ""
    recert = (f"recertify_after_days: {version.recertify_after_days}\n"
              if version.recertify_after_days else "")
    body = (f"From {effective:%d %B %Y} the ==new {version.slug} rules== apply to every "
            f"call of the types {', '.join(version.skills)}.\n")
    facts = "".join(f"- **Rule {k}** {{#f-{k} type=text}}: new value {k} (was: old value {k})"
                    f" (not: wrong value {k})\n" for k in range(1, FACTS + 1))
    source = (f"---\nid: {version.slug}\ntitle: {version.title}\nlang: en\n"
              f"effective: {effective.isoformat()}\nskills: [{', '.join(version.skills)}]\n"
              f"{teams}critical: [f-1]\n{recert}---\n{body}\n## Facts\n{facts}")
    return source, body


def _write_version(writer, version: Version, at: datetime, tz: str) -> None:
    effective = version.gate_at.astimezone(gating.time_zone(tz)).date()
    source, body = bulletin_source(version, effective)
    writer.add("bulletins", {"id": version.id, "slug": version.slug,
                             "created_at": version.published_at})
    writer.add("bulletin_versions", {
        "id": version.id, "bulletin_id": version.id, "number": 1, "status": "published",
        "title": version.title, "lang": "en", "effective": effective, "deadline": None,
        "gate": "deadline", "skills": list(version.skills), "teams": sorted(version.teams),
        "critical": ["f-1"], "supersedes": [], "time_limit_minutes": None, "pass_mark": None,
        "recertify_after_days": version.recertify_after_days, "source": source,
        "body_html": render_markdown(body), "change": "material", "lineage_id": version.id,
        "gate_at": version.gate_at, "published_at": version.published_at,
        "created_at": version.published_at - timedelta(days=1)})


def _write_content(writer, rng: random.Random, version: Version, ids: dict) -> None:
    for k in range(1, FACTS + 1):
        ids["fact"] += 1
        fact_id = ids["fact"]
        writer.add("facts", {"id": fact_id, "version_id": version.id, "key": f"f-{k}",
                             "label": f"Rule {k}", "value": f"new value {k}", "type": "text",
                             "old_value": f"old value {k}", "not_values": [f"wrong value {k}"],
                             "critical": k == 1, "position": k - 1})
        version.items[k] = [_item(writer, rng, version, fact_id, k, j, ids)
                            for j in range(1, ITEMS_PER_FACT + 1)]
    for skill_code in version.skills:
        ids["req"] += 1
        writer.add("requirements", {"id": ids["req"], "version_id": version.id,
                                    "skill_id": SKILLS.index(skill_code) + 1,
                                    "gate_at": version.gate_at, "retired_at": None,
                                    "created_at": version.published_at})


def _item(writer, rng, version: Version, fact_id: int, k: int, j: int, ids: dict):
    ids["item"] += 1
    item_id = ids["item"]
    writer.add("items", {
        "id": item_id, "version_id": version.id, "fact_id": fact_id, "key": f"f-{k}-{j}",
        "kind": "choice", "stem": f"Since the change, what is rule {k} ({version.slug})?",
        "explanation": f"Rule {k} is now new value {k}.", "status": "approved",
        "recipe": "bench", "edited": False, "position": (k - 1) * ITEMS_PER_FACT + j - 1})
    roles = ["correct", "old", "not", "glossary"]
    texts = {"correct": f"new value {k}", "old": f"old value {k}", "not": f"wrong value {k}",
             "glossary": f"another value {k}.{j}"}
    rng.shuffle(roles)
    option_ids, by_id = [], {}
    for position, role in enumerate(roles):
        ids["option"] += 1
        option_ids.append(ids["option"])
        by_id[ids["option"]] = role
        writer.add("item_options", {
            "id": ids["option"], "item_id": item_id, "position": position, "text": texts[role],
            "correct": role == "correct", "source": None if role == "correct" else role})
    return item_id, option_ids, by_id
