"""Where a bulletin version stands in its life: draft, scheduled, in force, replaced,
superseded or retired.

Pure functions of their arguments: the clock is the ``now`` (an aware instant) and
``today_local`` (the organisation's calendar day) passed in, so the same table of cases
always gives the same answers, and the point-in-time view can ask "what stood on day D?"
by passing the end of D.

A newer version (or a superseding bulletin) takes over at ``max(gate_at, published_at)``:
the instant its requirements start and the old ones retire (rule 5). A version published
after its own gate day takes over when it is published, never before.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from app.domain.gating import local_midnight

STATUSES = ("draft", "scheduled", "in_force", "replaced", "superseded", "retired")
"""Every lifecycle status; ``in_force`` and ``scheduled`` are the ones agents act on."""

LIVE = frozenset({"scheduled", "in_force"})
"""Statuses whose facts agents are told (now or from the effective date)."""


@dataclass(frozen=True)
class VersionInfo:
    """What the lifecycle needs to know about one bulletin version."""

    slug: str
    number: int
    status: str  # the stored status: draft | published | retired
    effective: date
    gate_at: datetime | None = None  # set when published
    published_at: datetime | None = None
    title: str = ""
    supersedes: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()

    @property
    def takes_over_at(self) -> datetime | None:
        """When this version's requirements start to replace older ones (None: a draft)."""
        if self.gate_at is None or self.published_at is None:
            return None
        return max(self.gate_at, self.published_at)


@dataclass(frozen=True)
class Lifecycle:
    """A version's status and, when replaced or superseded, the version that took over."""

    status: str
    by: VersionInfo | None = None
    # Published bulletins that supersede this one, whether they took over yet or not.
    superseded_by: tuple[VersionInfo, ...] = field(default=())

    @property
    def live(self) -> bool:
        """Whether agents are told these facts (in force, or scheduled to be)."""
        return self.status in LIVE


def _passed(successor: VersionInfo, now: datetime) -> bool:
    start = successor.takes_over_at
    return start is not None and start <= now


def status_of(version: VersionInfo, *, newer_published: Iterable[VersionInfo] = (),
              superseded_by: Iterable[VersionInfo] = (), now: datetime,
              today_local: date) -> Lifecycle:
    """Return the lifecycle status of ``version`` at ``now`` (``today_local`` is its day).

    ``newer_published``: published versions of the same bulletin with a higher number;
    ``superseded_by``: published versions of other bulletins listing this one in
    ``supersedes``. When both a newer version and a superseding bulletin took over, the one
    that took over first names the status. ``by`` is the newest version that took over.
    """
    superseders = tuple(superseded_by)
    if version.status == "draft":
        return Lifecycle("draft", superseded_by=superseders)
    if version.status == "retired":
        return Lifecycle("retired", superseded_by=superseders)
    replaced = [v for v in newer_published if v.number > version.number and _passed(v, now)]
    superseding = [v for v in superseders if _passed(v, now)]
    takeovers = [("replaced", v) for v in replaced] + [("superseded", v) for v in superseding]
    if takeovers:
        status = min(takeovers, key=lambda pair: pair[1].takes_over_at)[0]
        pool = replaced if status == "replaced" else superseding
        by = max(pool, key=lambda v: (v.takes_over_at, v.number))
        return Lifecycle(status, by, superseders)
    if version.effective > today_local:
        return Lifecycle("scheduled", superseded_by=superseders)
    return Lifecycle("in_force", superseded_by=superseders)


def successors(version: VersionInfo, known: Sequence[VersionInfo]
               ) -> tuple[list[VersionInfo], list[VersionInfo]]:
    """(newer published versions of its bulletin, published versions superseding it)."""
    return _Successors(known).of(version)


class _Successors:
    """``known`` grouped once by bulletin and by superseded bulletin, so asking for the
    successors of every version costs linear, not quadratic, time."""

    def __init__(self, known: Iterable[VersionInfo]) -> None:
        self.by_slug: dict[str, list[VersionInfo]] = {}
        self.superseding: dict[str, list[VersionInfo]] = {}
        for v in known:
            if v.status != "published":
                continue
            self.by_slug.setdefault(v.slug, []).append(v)
            for old in v.supersedes:
                self.superseding.setdefault(old, []).append(v)

    def of(self, version: VersionInfo) -> tuple[list[VersionInfo], list[VersionInfo]]:
        """(newer published versions of its bulletin, published versions superseding it)."""
        newer = [v for v in self.by_slug.get(version.slug, ()) if v.number > version.number]
        superseding = [v for v in self.superseding.get(version.slug, ())
                       if v.slug != version.slug]
        return newer, superseding


def lifecycles(versions: Iterable[VersionInfo], known: Sequence[VersionInfo], *,
               now: datetime, today_local: date) -> dict[tuple[str, int], Lifecycle]:
    """The lifecycle of each of ``versions`` against every version in ``known``."""
    grouped = _Successors(known)
    result = {}
    for version in versions:
        newer, superseding = grouped.of(version)
        result[(version.slug, version.number)] = status_of(
            version, newer_published=newer, superseded_by=superseding, now=now,
            today_local=today_local)
    return result


def in_force_on(known: Sequence[VersionInfo], *, skill: str, day: date,
                end_of_day: datetime) -> list[tuple[VersionInfo, Lifecycle]]:
    """The versions whose requirements applied to ``skill`` on ``day`` (point in time).

    Only what had been published by ``end_of_day`` counts, so a version published later
    never hides the one agents were told about then. A version is listed when it concerns
    ``skill``, was neither replaced, superseded nor retired by the end of the day, and had
    either taken effect (effective date reached) or gated (its quiz was required) by then.
    Sorted by bulletin slug, then version number.
    """
    published = [v for v in known if v.status == "published" and v.published_at is not None
                 and v.published_at <= end_of_day]
    grouped = _Successors(published)
    listed = []
    for version in sorted(published, key=lambda v: (v.slug, v.number)):
        if skill not in version.skills:
            continue
        newer, superseding = grouped.of(version)
        life = status_of(version, newer_published=newer, superseded_by=superseding,
                         now=end_of_day, today_local=day)
        gated = version.gate_at is not None and version.gate_at <= end_of_day
        if life.status == "in_force" or (life.status == "scheduled" and gated):
            listed.append((version, life))
    return listed


def changes_at(known: Iterable[VersionInfo], tz: str) -> tuple[datetime, ...]:
    """Every instant at which a status of ``known`` can change, sorted: when a published
    version takes over, and the start (in ``tz``) of each effective day."""
    instants = set()
    for version in known:
        if version.takes_over_at is not None:
            instants.add(version.takes_over_at)
        instants.add(local_midnight(version.effective, tz))
    return tuple(sorted(instants))


def stable_between(changes: Sequence[datetime], now: datetime) -> tuple[datetime, datetime]:
    """The interval [start, end) around ``now`` in which no status of the versions whose
    ``changes`` these are can change (open-ended at either side as far as the data go)."""
    index = bisect_right(changes, now)
    start = changes[index - 1] if index else datetime.min.replace(tzinfo=UTC)
    end = changes[index] if index < len(changes) else datetime.max.replace(tzinfo=UTC)
    return start, end
