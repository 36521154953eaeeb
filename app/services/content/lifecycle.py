"""Lifecycle of stored bulletin versions: load the published timeline, ask the domain.

One query loads every published version (a few columns each, cached per app until the set of
published versions changes); every status shown on a page is computed from it, so a list of
bulletins costs a fixed number of queries, not one per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from flask import current_app
from sqlalchemy import func, select

from app.core.extensions import db
from app.domain import lifecycle as rules
from app.domain.gating import time_zone, to_utc
from app.models import Bulletin, BulletinVersion, utcnow


def clock(at: datetime | None = None) -> tuple[datetime, date]:
    """(now, today in the organisation's time zone)."""
    now = to_utc(at or utcnow())
    return now, now.astimezone(time_zone(current_app.config["ONEVOICE_TIMEZONE"])).date()


def info_of(version: BulletinVersion) -> rules.VersionInfo:
    """A stored version as the lifecycle rules see it."""
    return rules.VersionInfo(
        slug=version.slug, number=version.number, status=version.status,
        effective=version.effective, gate_at=version.gate_at,
        published_at=version.published_at, title=version.title,
        supersedes=tuple(version.supersedes or ()), skills=tuple(version.skills or ()),
    )


@dataclass(frozen=True)
class Timeline:
    """Every published version, with the database id of each (read-only, may be shared)."""

    versions: tuple[rules.VersionInfo, ...] = ()
    ids: Mapping[tuple[str, int], int] = field(default_factory=dict)
    changes: tuple[datetime, ...] = ()  # instants at which a status can change

    def newest(self, slug: str) -> rules.VersionInfo | None:
        """The newest published version of ``slug``, if any."""
        mine = [v for v in self.versions if v.slug == slug]
        return max(mine, key=lambda v: v.number) if mine else None


_CACHE = "onevoice_timeline"


def timeline() -> Timeline:
    """Every published version: from this app's cache while the set of published versions is
    unchanged, else loaded in one query.

    The cache is checked on every call with a cheap query (count, highest id and latest
    publication of the published versions, seen by the current transaction): publishing
    changes it, and published versions are never edited in place. Each app (each database)
    has its own cache; turning 200 rows into typed values costs far more than that check,
    which matters for a search during a live call.
    """
    fingerprint = tuple(db.session.execute(
        select(func.count(BulletinVersion.id), func.max(BulletinVersion.id),
               func.max(BulletinVersion.published_at))
        .where(BulletinVersion.status == "published")).one())
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    loaded = _load_timeline()
    current_app.extensions[_CACHE] = (fingerprint, loaded)
    return loaded


def _load_timeline() -> Timeline:
    rows = db.session.execute(
        select(BulletinVersion.id, Bulletin.slug, BulletinVersion.number,
               BulletinVersion.status, BulletinVersion.effective, BulletinVersion.gate_at,
               BulletinVersion.published_at, BulletinVersion.title,
               BulletinVersion.supersedes, BulletinVersion.skills)
        .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
        .where(BulletinVersion.status == "published")
        .order_by(Bulletin.slug, BulletinVersion.number)
    ).all()
    versions, ids = [], {}
    for vid, slug, number, status, effective, gate_at, published_at, title, sup, skills in rows:
        versions.append(rules.VersionInfo(
            slug=slug, number=number, status=status, effective=effective, gate_at=gate_at,
            published_at=published_at, title=title, supersedes=tuple(sup or ()),
            skills=tuple(skills or ())))
        ids[(slug, number)] = vid
    changes = rules.changes_at(versions, current_app.config["ONEVOICE_TIMEZONE"])
    return Timeline(tuple(versions), MappingProxyType(ids), changes)


def lifecycles(versions: list[BulletinVersion], at: datetime | None = None,
               known: Timeline | None = None) -> dict[int, rules.Lifecycle]:
    """The lifecycle of each stored version, by version id."""
    known = known or timeline()
    now, today = clock(at)
    lives = rules.lifecycles([info_of(v) for v in versions], known.versions, now=now,
                             today_local=today)
    return {v.id: lives[(v.slug, v.number)] for v in versions}


_LIVE = "onevoice_live_versions"


def live_versions(at: datetime | None = None,
                  known: Timeline | None = None) -> dict[tuple[str, int], rules.Lifecycle]:
    """Published versions agents are told about now (in force or scheduled), by (slug, n).

    Reused (per app) while the timeline is the same and ``now`` has not crossed an instant
    at which a status can change (a version taking over, an effective day starting).
    Callers must not modify the mapping returned.
    """
    known = known or timeline()
    now, today = clock(at)
    cached = current_app.extensions.get(_LIVE)
    if cached is not None and cached[0] is known and cached[1] <= now < cached[2]:
        return cached[3]
    lives = rules.lifecycles(known.versions, known.versions, now=now, today_local=today)
    live = {key: life for key, life in lives.items() if life.live}
    start, end = rules.stable_between(known.changes, now)
    current_app.extensions[_LIVE] = (known, start, end, live)
    return live


@dataclass(frozen=True)
class Superseder:
    """A bulletin superseding another: its newest title, and when it first took over."""

    slug: str
    title: str
    since: datetime  # when its first superseding version takes (or took) over


@dataclass(frozen=True)
class Supersession:
    """The bulletins a version supersedes, and those superseding it (both ways)."""

    supersedes: list[tuple[str, str | None]]  # (slug, title of its newest published version)
    superseded_by: list[Superseder]  # earliest first


def supersession(version: BulletinVersion, life: rules.Lifecycle | None = None,
                 known: Timeline | None = None) -> Supersession:
    """What ``version`` supersedes and what supersedes it (for the banners)."""
    known = known or timeline()
    life = life or lifecycles([version], known=known)[version.id]
    olds = []
    for slug in version.supersedes or ():
        newest = known.newest(slug)
        olds.append((slug, newest.title if newest else None))
    grouped: dict[str, list[rules.VersionInfo]] = {}
    for successor in life.superseded_by:
        grouped.setdefault(successor.slug, []).append(successor)
    superseders = [
        Superseder(slug, max(group, key=lambda v: v.number).title,
                   min(v.takes_over_at for v in group))
        for slug, group in grouped.items()
    ]
    return Supersession(olds, sorted(superseders, key=lambda s: s.since))


@dataclass(frozen=True)
class Standing:
    """What a bulletin page shows about a version's life, besides the version itself."""

    life: rules.Lifecycle
    supersession: Supersession
    # Every version of the bulletin with its lifecycle, newest first (when asked for).
    history: list[tuple[BulletinVersion, rules.Lifecycle]] = field(default_factory=list)


def standing(version: BulletinVersion, *, history: bool = False,
             at: datetime | None = None) -> Standing:
    """The lifecycle, both directions of supersession and optionally the version history."""
    known = timeline()
    versions = list(version.bulletin.versions) if history else [version]
    if version not in versions:
        versions.append(version)
    lives = lifecycles(versions, at, known)
    life = lives[version.id]
    rows = [(v, lives[v.id]) for v in sorted(versions, key=lambda v: -v.number)] \
        if history else []
    return Standing(life, supersession(version, life, known), rows)
