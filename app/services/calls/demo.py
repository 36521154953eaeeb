"""The demo's answered calls: a working day of calls, each judged by the real audit, with
two violations from the story's lagging team (the wired-line 100 centre, which kept telling
customers the old Wi-Fi answer), so the compliance page shows what it is for.

Deterministic: the same database and clock give the same calls (a seeded draw).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.core.extensions import db
from app.domain.directory import RawRow
from app.models import BulletinVersion, Skill, Team, User, agent_skills, utcnow
from app.services.calls.answered import judge, record_calls

LAGGING_TEAM = "wired_care"
CALLS_PER_SKILL = 6
VIOLATIONS = 2


def _candidates(start: datetime, end: datetime, rng: random.Random) -> list[tuple]:
    """(user id, external id, team code, skill, answered_at) for every agent and call type."""
    rows = db.session.execute(
        select(User.id, User.external_id, Team.code, Skill.code)
        .join(agent_skills, agent_skills.c.user_id == User.id)
        .join(Skill, Skill.id == agent_skills.c.skill_id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(User.role == "agent", User.active.is_(True), User.external_id.is_not(None))
        .order_by(User.external_id, Skill.code)).all()
    span = (end - start).total_seconds()
    return [(uid, ext, team, skill, start + timedelta(seconds=rng.uniform(0, span)))
            for uid, ext, team, skill in rows for _ in range(CALLS_PER_SKILL)]


def load_demo_calls(now: datetime | None = None) -> int:
    """Record the demo's calls (the last 24 hours, or since the content was published when
    that is later); return how many violations they hold."""
    end = now or utcnow()
    published = db.session.scalar(select(func.max(BulletinVersion.published_at)))
    start = max(end - timedelta(days=1), (published or end) + timedelta(seconds=1))
    if start >= end:
        return 0
    candidates = _candidates(start, end, random.Random(20100901))
    verdicts = judge([(uid, skill, at) for uid, _, _, skill, at in candidates])
    kept, violations = [], 0
    for (_, ext, team, skill, at), verdict in zip(candidates, verdicts, strict=True):
        if not verdict.cleared:
            if team != LAGGING_TEAM or violations == VIOLATIONS:
                continue  # the routing system kept these calls from blocked agents
            violations += 1
        kept.append({"call_id": f"demo-{ext}-{skill}-{at:%H%M%S%f}", "agent": ext,
                     "skill": skill, "answered_at": at.isoformat()})
    kept.sort(key=lambda row: row["answered_at"])
    record_calls([RawRow(n, row) for n, row in enumerate(kept)], source="api", now=now)
    return violations
