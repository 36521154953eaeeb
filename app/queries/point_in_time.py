"""What was in force for a call type on a given day: the versions whose requirements applied
then, with their facts, so a complaint can be checked against what agents were told.

The day is a calendar day in the organisation's time zone; the answer is the state at the
end of that day, counting only what had been published by then (app/domain/lifecycle.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.core.extensions import db
from app.domain import lifecycle as rules
from app.domain.gating import local_midnight
from app.errors import ServiceError
from app.models import BulletinVersion, Fact, Skill
from app.services.accounts.choices import unknown
from app.services.content.lifecycle import timeline


@dataclass(frozen=True)
class VersionInForce:
    """One version that applied on the day, with its facts."""

    info: rules.VersionInfo
    life: rules.Lifecycle
    teams: tuple[str, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class PointInTime:
    """The answer for one skill and day."""

    skill: str
    day: date
    as_of: datetime  # the end of the day (UTC), the instant the rules were asked about
    versions: list[VersionInForce]


def parse_day(raw) -> date:
    """A ``YYYY-MM-DD`` day; ServiceError naming ``date`` otherwise."""
    if raw is None or not str(raw).strip():
        raise ServiceError("date_required", field="date")
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ServiceError("date_invalid", field="date", value=repr(str(raw))) from None


def check_skill(raw) -> str:
    """A known skill code; ServiceError naming ``skill`` otherwise."""
    code = (raw or "").strip()
    if not code:
        raise ServiceError("skill_required", field="skill")
    if db.session.scalar(select(Skill.id).where(Skill.code == code)) is None:
        raise unknown("skill", code)
    return code


def in_force(skill, day) -> PointInTime:
    """The bulletin versions whose requirements applied to ``skill`` on ``day``."""
    code, when = check_skill(skill), parse_day(day)
    tz = current_app.config["ONEVOICE_TIMEZONE"]
    end = local_midnight(when + timedelta(days=1), tz) - timedelta(microseconds=1)
    known = timeline()
    chosen = rules.in_force_on(known.versions, skill=code, day=when, end_of_day=end)
    ids = [known.ids[(info.slug, info.number)] for info, _ in chosen]
    teams = dict(db.session.execute(
        select(BulletinVersion.id, BulletinVersion.teams).where(BulletinVersion.id.in_(ids))
    ).all()) if ids else {}
    facts: dict[int, list[Fact]] = {vid: [] for vid in ids}
    if ids:
        for fact in db.session.scalars(select(Fact).where(Fact.version_id.in_(ids))
                                       .order_by(Fact.version_id, Fact.position)):
            facts[fact.version_id].append(fact)
    return PointInTime(code, when, end, [
        VersionInForce(info, life, tuple(teams.get(vid) or ()), tuple(facts[vid]))
        for (info, life), vid in zip(chosen, ids, strict=True)
    ])


def as_json(answer: PointInTime) -> dict:
    """The answer in the API's shape."""
    return {
        "skill": answer.skill,
        "date": answer.day.isoformat(),
        "as_of": answer.as_of.isoformat(),
        "bulletins": [{
            "bulletin": v.info.slug, "version": v.info.number, "title": v.info.title,
            "status": v.life.status, "effective": v.info.effective.isoformat(),
            "gate_at": v.info.gate_at.isoformat() if v.info.gate_at else None,
            "published_at": v.info.published_at.isoformat() if v.info.published_at else None,
            "teams": list(v.teams),
            "facts": [{"id": f.key, "label": f.label, "value": f.value, "was": f.old_value,
                       "critical": f.critical} for f in v.facts],
        } for v in answer.versions],
    }
