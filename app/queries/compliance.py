"""The compliance audit of answered calls: how many were answered by a cleared agent, and
which were not, per team and day, in the caller's scope (a manager: their own teams)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import case, func, select

from app.core.extensions import db
from app.domain.calls import parse_instant
from app.domain.compliance import share
from app.domain.gating import local_midnight, time_zone
from app.domain.webhooks import iso
from app.errors import ServiceError
from app.models import Bulletin, BulletinVersion, Call, Requirement, Skill, Team, User, utcnow
from app.queries.point_in_time import check_skill
from app.queries.reports import scoped_teams

DEFAULT_DAYS = 7
MAX_LIMIT = 10_000


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, and the local days it covers."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date


def bound(raw: str | None, name: str, *, end: bool) -> datetime | None:
    """A day (``YYYY-MM-DD``, local; ``to`` includes the day) or an RFC 3339 instant."""
    if raw is None or not raw.strip():
        return None
    tz = current_app.config["ONEVOICE_TIMEZONE"]
    text = raw.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        instant = parse_instant(text)
        if instant is None:
            raise ServiceError("period_bound_invalid", field=name, name=name,
                               value=repr(text)) from None
        return instant
    return local_midnight(day + timedelta(days=1) if end else day, tz)


def period(start_raw: str | None, end_raw: str | None, *, now: datetime | None = None
           ) -> Period:
    """The period asked for; by default the last 7 local days up to now."""
    tz = time_zone(current_app.config["ONEVOICE_TIMEZONE"])
    end = bound(end_raw, "to", end=True) or (now or utcnow())
    start = bound(start_raw, "from", end=False) or local_midnight(
        end.astimezone(tz).date() - timedelta(days=DEFAULT_DAYS - 1),
        current_app.config["ONEVOICE_TIMEZONE"])
    if start >= end:
        raise ServiceError("period_reversed", field="from")
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    return Period(start, end, start.astimezone(tz).date(), last)


def _scope(viewer: User, team: str | None, skill: str | None, when: Period):
    teams = scoped_teams(viewer, team)
    where = [Call.answered_at >= when.start, Call.answered_at < when.end]
    if viewer.role == "manager" or team:
        where.append(Call.team_id.in_([t.id for t in teams]))
    if skill:
        where.append(Call.skill_id == db.session.scalar(
            select(Skill.id).where(Skill.code == check_skill(skill))))
    return teams, where


def limit_of(raw: str | None) -> int:
    """``limit``: 1..10000 violations per page (default 1000)."""
    if raw is None or raw == "":
        return 1000
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ServiceError("limit_invalid", field="limit", most=MAX_LIMIT, value=repr(raw))
    return int(raw)


def _cursor(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 18:
        raise ServiceError("report_cursor_invalid", field="cursor", value=repr(raw))
    return int(raw)


def report(viewer: User, *, start: str | None = None, end: str | None = None,
           team: str | None = None, skill: str | None = None, limit: str | None = None,
           cursor: str | None = None) -> dict:
    """``GET /reports/compliance``: counts and the violations (a page of them) in the period."""
    when = period(start, end)
    _, where = _scope(viewer, team, skill, when)
    calls, compliant = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((Call.cleared, 1), else_=0)), 0))
        .select_from(Call).where(*where)).one()
    size, after = limit_of(limit), _cursor(cursor)
    rows = db.session.execute(
        select(Call.id, Call.call_id, User.external_id, User.id.label("uid"), Skill.code,
               Call.answered_at, Call.reason, Call.missing_requirements,
               Team.code.label("team"))
        .join(User, Call.user_id == User.id).join(Skill, Call.skill_id == Skill.id)
        .outerjoin(Team, Call.team_id == Team.id)
        .where(*where, Call.cleared.is_(False), Call.id > after)
        .order_by(Call.id).limit(size + 1)).all()
    more = len(rows) > size
    named = requirements_named(rows[:size])
    return {
        "from": iso(when.start), "to": iso(when.end), "calls": calls,
        "compliant": int(compliant), "share": share(int(compliant), calls),
        "violations": [violation(r, named) for r in rows[:size]],
        "next_cursor": str(rows[size - 1].id) if more else None,
    }


def requirements_named(rows) -> dict[int, dict]:
    """The requirements the rows' violations lacked, by id: {bulletin, version, due, title}."""
    ids = sorted({rid for row in rows for rid in row.missing_requirements or ()})
    named: dict[int, dict] = {}
    for start in range(0, len(ids), 400):
        named.update({rid: {"bulletin": slug, "version": number, "due": iso(gate),
                            "title": title} for rid, slug, number, gate, title in
                      db.session.execute(
                          select(Requirement.id, Bulletin.slug, BulletinVersion.number,
                                 Requirement.gate_at, BulletinVersion.title)
                          .join(BulletinVersion, Requirement.version_id == BulletinVersion.id)
                          .join(Bulletin, BulletinVersion.bulletin_id == Bulletin.id)
                          .where(Requirement.id.in_(ids[start:start + 400])))})
    return named


def violation(row, named: dict[int, dict]) -> dict:
    """One violation as the API gives it (``named``: :func:`requirements_named`)."""
    return {"call_id": row.call_id, "agent": row.external_id or str(row.uid),
            "skill": row.code, "answered_at": iso(row.answered_at), "team": row.team,
            "reason": row.reason,
            "missing": [named[rid] for rid in row.missing_requirements or () if rid in named]}


@dataclass(frozen=True)
class Day:
    """One team's calls on one local day."""

    day: date
    calls: int
    compliant: int

    @property
    def share(self) -> float | None:
        return share(self.compliant, self.calls)


def by_day(viewer: User, *, start: str | None = None, end: str | None = None,
           team: str | None = None) -> tuple[Period, list[tuple[Team, list[Day]]]]:
    """Each team in scope with its calls per local day (days without calls left out)."""
    when = period(start, end)
    teams, where = _scope(viewer, team, None, when)
    counts: dict[int | None, list[Day]] = {}
    for team_id, day, calls, compliant in db.session.execute(
            select(Call.team_id, Call.local_day, func.count(),
                   func.sum(case((Call.cleared, 1), else_=0)))
            .where(*where).group_by(Call.team_id, Call.local_day)
            .order_by(Call.team_id, Call.local_day)):
        counts.setdefault(team_id, []).append(Day(day, calls, int(compliant)))
    return when, [(t, counts[t.id]) for t in teams if t.id in counts]


def violations_page(viewer: User, *, start: str | None = None, end: str | None = None,
                    team: str | None = None, limit: int | None = 200) -> list[dict]:
    """The latest violations in scope for the manager's page (``limit`` None: all), with
    agent names and what each lacked."""
    when = period(start, end)
    _, where = _scope(viewer, team, None, when)
    rows = db.session.execute(
        select(Call.call_id, User.external_id, User.id.label("uid"), User.name,
               Skill.code, Skill.name.label("skill_name"), Call.answered_at, Call.reason,
               Call.missing_requirements, Team.code.label("team"))
        .join(User, Call.user_id == User.id).join(Skill, Call.skill_id == Skill.id)
        .outerjoin(Team, Call.team_id == Team.id)
        .where(*where, Call.cleared.is_(False))
        .order_by(Call.answered_at.desc(), Call.id.desc()).limit(limit)).all()
    named = requirements_named(rows)
    return [{**row._asdict(), "missing": [named[rid] for rid in row.missing_requirements or ()
                                          if rid in named]} for row in rows]
