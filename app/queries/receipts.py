"""Read receipts by name: per team, who acknowledged a bulletin version and who has not yet.

A receipt belongs to one version (it is the ``acknowledged_at`` of that version's
assignment), so acknowledging version 2 is no receipt for version 3. Every view starts from
the caller's scope (:func:`services.reports.scoped_teams`): a manager sees only the teams they
manage, and asking for another team is refused with 403, as on every other manager view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select

from app.core.extensions import db
from app.errors import ServiceError
from app.models import Assignment, BulletinVersion, Team, User
from app.queries.drilldown import agent_ref
from app.queries.reports import scoped_teams
from app.services.content.bulletins import get_bulletin, latest_version
from app.services.content.versions import get_version


@dataclass(frozen=True)
class Receipt:
    """One assigned agent: acknowledged at a time, or not yet (``acknowledged_at`` None)."""

    ref: str  # the external id, else the internal id (as manager pages name agents)
    name: str
    acknowledged_at: datetime | None
    due_at: datetime


@dataclass(frozen=True)
class TeamReceipts:
    """One team's assigned agents, split into acknowledged and not yet."""

    code: str
    name: str
    acknowledged: tuple[Receipt, ...]
    not_acknowledged: tuple[Receipt, ...]

    @property
    def assigned(self) -> int:
        """Active agents of the team assigned this version."""
        return len(self.acknowledged) + len(self.not_acknowledged)


@dataclass(frozen=True)
class VersionReceipts:
    """The receipts of one bulletin version, per team in the caller's scope."""

    version: BulletinVersion
    team: str | None  # the team asked for, if any
    teams: list[TeamReceipts]


def version_number(raw) -> int | None:
    """The ``version`` parameter as a number (None when absent); ServiceError if malformed."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ServiceError("receipt_version_invalid", field="version", raw=repr(text))
    return int(text)


def find_version(slug: str, raw_version=None) -> BulletinVersion:
    """Version ``raw_version`` of ``slug``, or its newest published version when absent."""
    number = version_number(raw_version)
    if number is None:
        get_bulletin(slug)
        return latest_version(slug, published=True)
    return get_version(slug, number)


def version_receipts(viewer: User, slug: str, raw_version=None,
                     team_code: str | None = None) -> VersionReceipts:
    """Who acknowledged version ``raw_version`` of ``slug`` and who not yet, per team.

    Teams are those in the viewer's scope (narrowed to ``team_code``) with an active agent
    assigned the version; a team asked for by name is listed even when nobody is assigned.
    The names come from a single query, however many agents there are.
    """
    teams = scoped_teams(viewer, team_code or None)
    version = find_version(slug, raw_version)
    rows = db.session.execute(
        select(Team.code, User.id, User.external_id, User.name, Assignment.acknowledged_at,
               Assignment.due_at)
        .select_from(Assignment)
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True),
                         User.role == "agent"))
        .join(Team, Team.id == User.team_id)
        .where(Assignment.version_id == version.id, Team.id.in_([t.id for t in teams]))
        .order_by(Team.code, User.name, User.id)
    ).all()
    by_team: dict[str, list[Receipt]] = {}
    for code, uid, external_id, name, acknowledged_at, due_at in rows:
        by_team.setdefault(code, []).append(
            Receipt(agent_ref(external_id, uid), name, acknowledged_at, due_at))
    listed = [t for t in teams if t.code in by_team or t.code == team_code]
    return VersionReceipts(version, team_code or None, [_split(t, by_team.get(t.code, []))
                                                        for t in listed])


def _split(team: Team, receipts: list[Receipt]) -> TeamReceipts:
    done = tuple(sorted((r for r in receipts if r.acknowledged_at is not None),
                        key=lambda r: (r.acknowledged_at, r.name)))
    waiting = tuple(r for r in receipts if r.acknowledged_at is None)
    return TeamReceipts(team.code, team.name, done, waiting)


def receipts_document(report: VersionReceipts) -> dict:
    """The receipts as the API returns them (times as ISO 8601 UTC)."""
    version = report.version
    return {
        "bulletin": version.slug, "version": version.number, "title": version.title,
        "status": version.status, "team": report.team,
        "teams": [{
            "team": t.code, "name": t.name, "assigned": t.assigned,
            "acknowledged": [{"agent": r.ref, "name": r.name,
                              "acknowledged_at": r.acknowledged_at.isoformat()}
                             for r in t.acknowledged],
            "not_acknowledged": [{"agent": r.ref, "name": r.name, "due_at": r.due_at.isoformat()}
                                 for r in t.not_acknowledged],
        } for t in report.teams],
    }


def receipt_rows(report: VersionReceipts, instant=None) -> list[tuple]:
    """One CSV row per assigned agent: team, agent, name, state, acknowledged_at, due_at;
    ``instant`` writes a time (default ISO 8601 UTC; the manager CSV passes the local form)."""
    version = report.version
    instant = instant or (lambda at: at.isoformat() if at else "")
    return [(t.code, version.slug, version.number, r.ref, r.name,
             "acknowledged" if r.acknowledged_at else "not acknowledged",
             instant(r.acknowledged_at), instant(r.due_at))
            for t in report.teams for r in (*t.acknowledged, *t.not_acknowledged)]


RECEIPT_HEADER = ["team", "bulletin", "version", "agent", "name", "state", "acknowledged_at",
                  "due_at"]
