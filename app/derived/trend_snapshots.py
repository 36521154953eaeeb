"""Keeping the weekly trend snapshots true: a change that reaches back into a closed week
removes the snapshots it changes, in its own transaction; the worker writes them again.

The rule (docs/performance.md, "Weekly snapshots"). A snapshot is the readiness of a team at
the end of a closed week. Most changes take effect when they are recorded (a pass, a
publication, a retirement, an assignment: their instants are "now"), so a closed week never
sees them. Some reach back, because the trend takes teams and activity as they are now, or
because a change is recorded late:

- an agent moved to another team, deactivated or reactivated: their assignments leave one
  team's history and join another's, from each assignment's creation;
- an assignment deleted, or created with an earlier ``created_at``;
- a certification recorded with an earlier ``passed_at`` (an exam whose time ran out is graded
  at its deadline when the agent or the worker next touches it: the deadline may fall in a
  week that has closed since), or changed or deleted;
- a version or requirement whose publication or retirement instant is set in the past.

For each, the earliest instant X from which the counts can differ is noted, per team (or for
every team), at flush and in the marks' upkeep (``note_marks``); before the commit every
snapshot of that team with ``week_end >= X`` is deleted. X later than the start of the current
week (the common case: everything recorded now) deletes nothing and costs nothing. A week
without its snapshot is counted from the marks until the worker writes it again
(app/services/reports/trend_snapshots.py), so the trend is exact at every moment.

On PostgreSQL the deletion and the worker's writes take one transaction-level advisory lock
(:func:`lock`), so a snapshot counted before a late change commits is never kept after it;
SQLite's single writer gives the same order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, event, inspect, select, text
from sqlalchemy.orm import Session

from app.domain.snapshot_weeks import week_start
from app.models import BulletinVersion, Certification, Requirement, User, utcnow
from app.models.trend_snapshots import trend_snapshots

EVERY_TEAM = 0  # key of a note that reaches every team
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)  # "from the start": an instant before any week
CLOSE_MARGIN = timedelta(minutes=1)  # see apply()
LOCK_KEY = 0x7472656E64  # "trend": pg_advisory_xact_lock key of the snapshot writers
NOTES, CERTIFIED = "onevoice_trend_reach", "onevoice_trend_cert_agents"
AGENTS = "onevoice_trend_agents"
WATCHED = frozenset({"certifications", "requirements", "bulletin_versions"})
PLACE = ("team_id", "version_id", "created_at")
SPAN = ("certified", "certified_since", "certified_until", "one_span")


def lock(session) -> None:
    """Serialise snapshot writes and deletions on PostgreSQL, until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def _note(session, team: int | None, at: datetime | None) -> None:
    if team is None:
        return
    reach = session.info.setdefault(NOTES, {})
    at = at or BEGINNING
    reach[team] = min(reach.get(team, at), at)


def note_marks(session, removed: list[dict], added: list[dict]) -> None:
    """Note how far back the marks' changes reach (from ``aggregates._sync_marks``): an
    assignment that joins or leaves a team counts from its creation; a change of its
    certification span from the first instant the span changes (unless the agent's
    certifications changed in this transaction: those notes say exactly when)."""
    before = {m["assignment_id"]: m for m in removed}
    after = {m["assignment_id"]: m for m in added}
    explained = session.info.get(CERTIFIED, set())
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None or new is None or any(old[f] != new[f] for f in PLACE):
            for mark in filter(None, (old, new)):
                _note(session, mark["team_id"], mark["created_at"])
        elif new["user_id"] not in explained and any(old[f] != new[f] for f in SPAN):
            moved = [v for f in ("certified_since", "certified_until") if old[f] != new[f]
                     for v in (old[f], new[f]) if v is not None]
            _note(session, new["team_id"], min(moved, default=new["certified_since"]))


def _earliest(obj, *names: str) -> datetime | None:
    """The earliest value, old or new, of the attributes ``names`` that changed."""
    state, found = inspect(obj), []
    for name in names:
        history = state.attrs[name].history
        if history.has_changes():
            found += [v for v in (*history.added, *history.deleted) if v is not None]
    return min(found) if found else None


def _certification_reach(obj, whole: bool) -> list[tuple[int, datetime]]:
    """(agent, instant) pairs a flushed certification changes the trend from: its pass when
    it is new or deleted; else the earliest changed instant, or its pass (old or new) when
    it moved to another version or agent, noted for the old agent as well as the new."""
    if whole:
        return [(obj.user_id, obj.passed_at)]
    at = _earliest(obj, "passed_at", "valid_until")
    state = inspect(obj)
    if state.attrs["version_id"].history.has_changes() or \
            state.attrs["user_id"].history.has_changes():
        passes = [obj.passed_at, *state.attrs["passed_at"].history.deleted]
        at = min([v for v in (at, *passes) if v is not None])
    if at is None:
        return []
    agents = {obj.user_id, *(u for u in state.attrs["user_id"].history.deleted if u)}
    return [(agent, at) for agent in agents]


def _content_reach(obj, deleted: bool) -> datetime | None:
    """How far back a flushed requirement or version changes the trend (None: not at all)."""
    if deleted:
        return BEGINNING
    if isinstance(obj, Requirement):
        if _earliest(obj, "version_id") is not None:
            return BEGINNING
        return _earliest(obj, "retired_at")
    if _earliest(obj, "lineage_id", "number") is not None:  # which passes it accepts
        return BEGINNING
    return _earliest(obj, "published_at")


def _after_flush(session, _context) -> None:
    agents = session.info.setdefault(AGENTS, {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        deleted = obj in session.deleted
        if isinstance(obj, Certification):
            for agent, at in _certification_reach(obj, obj in session.new or deleted):
                agents[agent] = min(agents.get(agent, at), at)
                session.info.setdefault(CERTIFIED, set()).add(agent)
        elif isinstance(obj, Requirement | BulletinVersion) and obj not in session.new:
            at = _content_reach(obj, deleted)
            if at is not None:
                _note(session, EVERY_TEAM, at)


def _bulk_write(state) -> None:
    """A bulk write on a table the trend reads, with no objects to look at: every team."""
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if (state.is_insert or state.is_update or state.is_delete) and table in WATCHED:
        _note(state.session, EVERY_TEAM, BEGINNING)


def _before_commit(session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes are noted by the flush, not before
    agents = session.info.pop(AGENTS, None)
    if agents:
        teams = dict(session.execute(select(User.id, User.team_id).where(
            User.id.in_(sorted(agents)))).all())
        for agent, at in agents.items():
            _note(session, teams.get(agent), at)
    # The marks' upkeep (app/derived/aggregates.py) notes in its own before_commit listener,
    # registered before this one: its notes are here by now.
    reach = session.info.pop(NOTES, None)
    if reach:
        apply(session, reach)


def apply(session, reach: dict[int, datetime]) -> int:
    """Delete every snapshot a change reaches (per team id, or ``EVERY_TEAM``, from the
    instant given); returns how many. Nothing to do for instants after the current week's
    start: no snapshot is that recent (the writer never counts a week that has not ended)."""
    # A minute ahead: a transaction committing just after a week closes still takes the lock,
    # so the writer cannot count that week before this change commits (PostgreSQL).
    newest = week_start(utcnow() + CLOSE_MARGIN, current_app.config["ONEVOICE_TIMEZONE"])
    reach = {team: at for team, at in reach.items() if at <= newest}
    if not reach:
        return 0
    lock(session)
    s, removed = trend_snapshots.c, 0
    for team, at in sorted(reach.items()):
        query = delete(trend_snapshots).where(s.week_end >= at)
        if team != EVERY_TEAM:
            query = query.where(s.team_id == team)
        removed += session.execute(query).rowcount or 0
    return removed


def _forget(session, *_args) -> None:
    for key in (NOTES, CERTIFIED, AGENTS):
        session.info.pop(key, None)


_KEPT: list[bool] = []


def keep_up() -> None:
    """Register the listeners on every Session of the process, once (``derived.init_app``,
    after the aggregates' upkeep, whose marks notes this applies)."""
    if _KEPT:
        return
    _KEPT.append(True)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _bulk_write)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _forget)
    event.listen(Session, "after_rollback", _forget)
