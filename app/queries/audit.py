"""Audit: "was agent X cleared for skill S at time T, and why" (rules 3, 5, 6).

Reconstructed from the requirements (gate_at, retired_at, their version's publication) and
the certifications (passed_at, valid_until) as they stood at T, by the pure rule in
app/domain/audit.py. The agent's active flag, team and skills are not historised: the
current ones are used, and the answer says so (``directory.as_of``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from app.core.extensions import db
from app.domain import audit
from app.domain import eligibility as rules
from app.domain.gating import time_zone
from app.errors import ServiceError
from app.models import Bulletin, BulletinVersion, Certification, Requirement, Skill, User, utcnow
from app.services.accounts.choices import unknown
from app.services.certification.eligibility import agent_view, load_requirements

DIRECTORY_NOTE = ("active, team and skills are the agent's current ones: directory changes "
                  "are not historised")


def parse_instant(raw: str | None, *, now: datetime | None = None) -> datetime:
    """The instant asked about: ISO 8601; without an offset, in the organisation's time zone.

    Refuses a missing, malformed or future value with a message naming ``time``.
    """
    if not raw or not raw.strip():
        raise ServiceError("time_required", field="time")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ServiceError("time_invalid", field="time", value=repr(raw)) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=time_zone(current_app.config["ONEVOICE_TIMEZONE"]))
    if value > (now or utcnow()):
        raise ServiceError("time_in_future", field="time", value=raw)
    return value.astimezone(UTC)


def _check_skill(skill: str | None) -> None:
    if skill and db.session.scalar(select(Skill.id).where(Skill.code == skill)) is None:
        raise unknown("skill", skill)


def published_requirements(reqs: list[rules.Requirement]) -> list[audit.PublishedRequirement]:
    """Every requirement that has been published, with the instant it was."""
    published = dict(db.session.execute(
        select(Requirement.id, BulletinVersion.published_at)
        .join(BulletinVersion, Requirement.version_id == BulletinVersion.id)
    ).all())
    return [audit.PublishedRequirement(r, published[r.id]) for r in reqs
            if published.get(r.id) is not None]


def _certifications(user: User) -> tuple[list[rules.Certification], dict[int, tuple]]:
    rows = db.session.execute(
        select(Certification, Bulletin.slug, BulletinVersion.number)
        .join(BulletinVersion, Certification.version_id == BulletinVersion.id)
        .join(Bulletin, BulletinVersion.bulletin_id == Bulletin.id)
        .where(Certification.user_id == user.id).order_by(Certification.passed_at)
    ).all()
    certs = [rules.Certification(c.version_id, c.passed_at, c.valid_until) for c, _, _ in rows]
    return certs, {c.version_id: (slug, number) for c, slug, number in rows}


def eligibility_at(user: User, at: datetime, skill: str | None = None) -> dict:
    """The agent's eligibility at ``at`` (optionally one skill), with the records behind it."""
    _check_skill(skill)
    agent = agent_view(user)
    certs, names = _certifications(user)
    found = audit.reconstruct(agent, published_requirements(load_requirements()), certs, at)
    wanted = {skill} if skill else set(agent.skills)
    results = [r for code, r in found.eligibility.items() if code in wanted]
    return {
        "agent": user.external_id or str(user.id),
        "name": user.name,
        "at": at.isoformat(),
        "skill": skill,
        "cleared": [_cleared(r, found, names) for r in results if r.cleared],
        "blocked": [_blocked(r) for r in results if not r.cleared],
        "due": [{"skill": r.skill, **_missing(m)} for r in results for m in r.upcoming],
        "certifications": [_certification(c, names, at) for c in found.certifications],
        "requirements": [_requirement(r, agent, at) for r in found.requirements
                         if r.skill in wanted],
        "directory": {"team": agent.team, "skills": sorted(agent.skills),
                      "active": agent.active, "as_of": "current", "note": DIRECTORY_NOTE},
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _missing(m: rules.Missing) -> dict:
    return {"bulletin": m.bulletin, "version": m.version, "due": m.due.isoformat(),
            "title": m.title, "expired": m.expired}


def _cleared(result: rules.SkillEligibility, found: audit.Reconstruction, names) -> dict:
    relied = [r.certification for r in found.relied_on if r.skill == result.skill]
    return {"skill": result.skill, "valid_until": _iso(result.valid_until),
            "relied_on": [_certification(c, names, found.at) for c in dict.fromkeys(relied)]}


def _blocked(result: rules.SkillEligibility) -> dict:
    return {"skill": result.skill, "missing": [_missing(m) for m in result.missing],
            "inactive": result.inactive}


def _certification(cert: rules.Certification, names: dict, at: datetime) -> dict:
    slug, number = names[cert.version_id]
    return {"bulletin": slug, "version": number, "passed_at": cert.passed_at.isoformat(),
            "valid_until": _iso(cert.valid_until),
            "valid_then": cert.valid_until is None or cert.valid_until > at}


def _requirement(req: rules.Requirement, agent: rules.Agent, at: datetime) -> dict:
    return {"bulletin": req.bulletin, "version": req.version, "skill": req.skill,
            "title": req.title, "gate_at": req.gate_at.isoformat(),
            "retired_at": _iso(req.retired_at), "teams": sorted(req.teams),
            "status": audit.requirement_status(req, at),
            "applies": rules.applies(req, agent, at)}
