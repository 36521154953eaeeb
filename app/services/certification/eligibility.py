"""Keep each agent's stored eligibility equal to the rules, with one outbox event per change.

Rule 8: every change of an agent's eligibility is recorded in the same transaction as the
change that caused it. Callers run these functions inside ``unit_of_work()``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import event, exists, select

from app.core.database import is_sqlite, skip_locked, unit_of_work
from app.core.extensions import db
from app.domain import eligibility as rules
from app.models import (
    Bulletin,
    BulletinVersion,
    Certification,
    EligibilityEvent,
    EligibilityState,
    Requirement,
    Skill,
    User,
    utcnow,
)
from app.models.time_pass_stages import staged_agents
from app.services.integration.outbox import expired_payload, record


def load_requirements(skills: Iterable[str] | None = None) -> list[rules.Requirement]:
    """Every requirement (optionally only on ``skills``) as the domain sees it."""
    query = (
        select(Requirement, BulletinVersion, Bulletin.slug, Skill.code)
        .join(BulletinVersion, Requirement.version_id == BulletinVersion.id)
        .join(Bulletin, BulletinVersion.bulletin_id == Bulletin.id)
        .join(Skill, Requirement.skill_id == Skill.id)
    )
    if skills is not None:
        query = query.where(Skill.code.in_(list(skills)))
    rows = db.session.execute(query).all()
    lineages = _lineage_members({version.lineage_id for _, version, _, _ in rows})
    return [
        rules.Requirement(
            id=req.id, bulletin=slug, version=version.number, skill=code,
            gate_at=req.gate_at, retired_at=req.retired_at, title=version.title,
            teams=frozenset(version.teams or ()),
            accepts=frozenset(
                vid for vid, number in lineages.get(version.lineage_id, ())
                if number <= version.number
            ) | {version.id},
        )
        for req, version, slug, code in rows
    ]


def _lineage_members(lineage_ids: set) -> dict[int, list[tuple[int, int]]]:
    lineage_ids.discard(None)
    if not lineage_ids:
        return {}
    rows = db.session.execute(
        select(BulletinVersion.lineage_id, BulletinVersion.id, BulletinVersion.number)
        .where(BulletinVersion.lineage_id.in_(lineage_ids))
    ).all()
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for lineage, vid, number in rows:
        members[lineage].append((vid, number))
    return members


def _certifications(user_ids: list[int]) -> dict[int, list[rules.Certification]]:
    certs: dict[int, list[rules.Certification]] = defaultdict(list)
    for row in db.session.scalars(
        select(Certification).where(Certification.user_id.in_(user_ids))
    ):
        certs[row.user_id].append(
            rules.Certification(row.version_id, row.passed_at, row.valid_until)
        )
    return certs


def agent_view(user: User) -> rules.Agent:
    """The domain's picture of an agent."""
    return rules.Agent(
        active=bool(user.active), team=user.team.code if user.team else None,
        skills=user.skill_codes if user.role == "agent" else frozenset(),
    )


def recompute(users: Iterable[User], *, cause: str, at: datetime | None = None,
              requirements: list[rules.Requirement] | None = None) -> int:
    """Bring the stored eligibility of ``users`` up to date; return how many changes."""
    at = at or utcnow()
    users = [u for u in users if u.role == "agent"]
    if not users:
        return 0
    _take_turns([u.id for u in users])
    _drop_stages([u.id for u in users])
    reqs = requirements if requirements is not None else load_requirements()
    certs = _certifications([u.id for u in users])
    stored = _stored_states([u.id for u in users])
    skill_ids = dict(db.session.execute(select(Skill.code, Skill.id)).all())
    changed = 0
    for user in users:
        agent = agent_view(user)
        new = rules.evaluate(agent, reqs, certs.get(user.id, []), at)
        changed += _store(user, new, stored.get(user.id, {}), skill_ids, cause, at)
        user.eligibility_check_at = rules.next_change_at(agent, reqs, certs.get(user.id, []), at)
    return changed


def _take_turns(user_ids: list[int]) -> None:
    """On PostgreSQL, lock the agents' rows (in id order) and reload them, so transactions
    recomputing the same agent (two workers, a worker and a publication) take turns and the
    later one starts from the earlier one's result: no change recorded twice, no agent
    version used twice. SQLite's IMMEDIATE write transactions take turns already."""
    if not is_sqlite():
        db.session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.id)
                           .with_for_update(of=User)
                           .execution_options(populate_existing=True)).all()


def _drop_stages(user_ids: list[int]) -> None:
    """What the time pass staged ahead for these agents no longer holds once they are
    recomputed: drop it, after their rows are locked; a stage whose events the feed already
    shows is applied first, held events are withdrawn (``time_pass_ahead.settle``)."""
    if db.session.scalar(select(exists().where(staged_agents.c.user_id.in_(user_ids)))):
        from app.services.certification import time_pass_ahead  # it builds on this module

        time_pass_ahead.settle(user_ids)


@event.listens_for(Requirement, "before_insert")
@event.listens_for(Requirement, "before_update")
@event.listens_for(Requirement, "before_delete")
def _withdraw_held_events(_mapper, connection, _requirement) -> None:
    """The requirements change: events written to the feed ahead of their instant were
    computed from the old ones; they are withdrawn with their stages before they show."""
    from app.services.certification import time_pass_ahead

    time_pass_ahead.withdraw_held(connection)


def _stored_states(user_ids: list[int]) -> dict[int, dict[str, EligibilityState]]:
    rows = db.session.execute(
        select(EligibilityState, Skill.code)
        .join(Skill, EligibilityState.skill_id == Skill.id)
        .where(EligibilityState.user_id.in_(user_ids))
    ).all()
    states: dict[int, dict[str, EligibilityState]] = defaultdict(dict)
    for state, code in rows:
        states[state.user_id][code] = state
    return states


def _store(user, new, old_rows, skill_ids, cause, at) -> int:
    old = {code: row.cleared for code, row in old_rows.items()}
    changes = list(_changed(old, new))
    for code, result in new.items():
        row = old_rows.get(code) or EligibilityState(user_id=user.id, skill_id=skill_ids[code])
        row.cleared, row.valid_until = result.cleared, result.valid_until
        row.missing = [_missing_json(m) for m in result.missing]
        row.upcoming = [_missing_json(m) for m in result.upcoming]
        row.updated_at = at
        db.session.add(row)
    for code in set(old_rows) - set(new):
        db.session.delete(old_rows[code])
    if changes:
        user.eligibility_version = (user.eligibility_version or 0) + 1
    for skill, cleared in changes:
        reason = _reason(cause, new.get(skill))
        db.session.add(EligibilityEvent(
            user_id=user.id, skill=skill, cleared=cleared, reason=reason, at=at,
            agent_version=user.eligibility_version,
            details={"missing": [_missing_json(m) for m in new[skill].missing]}
            if skill in new else {"missing": [], "skill_removed": True},
        ))
        if reason == "certification_expired":
            record("certification.expired", expired_payload(user, new[skill], at))
    return len(changes)


def _changed(old: dict[str, bool], new: dict[str, rules.SkillEligibility]):
    """(skill, cleared) pairs whose cleared value differs from the stored one.

    A skill with no stored row counts as not cleared, as in ``rules.changes``.
    """
    for skill in sorted(set(old) | set(new)):
        after = skill in new and new[skill].cleared
        if old.get(skill, False) != after:
            yield skill, after


def _reason(cause: str, result: rules.SkillEligibility | None) -> str:
    if cause != "time" or result is None:
        return cause
    if any(m.expired for m in result.missing):
        return "certification_expired"
    return "gate_reached" if result.missing else "requirement_retired"


def _missing_json(m: rules.Missing) -> dict:
    return {"bulletin": m.bulletin, "version": m.version, "due": m.due.isoformat(),
            "title": m.title, "expired": m.expired}


def due_for_check(at: datetime, limit: int = 500) -> list[User]:
    """Agents whose eligibility may have changed with time (a gate reached, an expiry)."""
    # Agents another worker is recomputing right now are left to it (SKIP LOCKED).
    return list(db.session.scalars(skip_locked(
        select(User).where(User.eligibility_check_at <= at).order_by(User.id).limit(limit),
        User).execution_options(populate_existing=True)))


def run_time_checks(at: datetime | None = None) -> int:
    """The scheduler's job: recompute agents whose next time-driven change has come."""
    at = at or utcnow()
    total = 0
    while True:
        with unit_of_work():
            users = due_for_check(at)
            if not users:
                return total
            total += recompute(users, cause="time", at=at)
