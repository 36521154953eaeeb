"""Keeping the report aggregates up to date, in the transaction that changes their facts.

What the aggregates count belongs to agents: their assignments, their certifications, their
team and whether they are active, their graded attempts. So the upkeep is per agent: every
flush notes the agents whose rows changed, and just before the transaction commits
:func:`sync_agents` recomputes those agents' marks and first attempts from the facts (the
from-scratch SELECTs of ``aggregates_rebuild``, narrowed to them), compares them with the
stored ones and adds the difference to the counts. The write paths this covers (through the
ORM, whichever service runs them): an assignment created (publication of a material or minor
version, a new agent's assignments) or deleted; a certification granted or deleted; an
agent moved to another team, deactivated or reactivated (directory sync, the admin pages,
``users``); an attempt graded (its first attempt on a version and its answers) or deleted.
A bulk INSERT, UPDATE or DELETE through the session on one of those tables (no objects to
look at) has every agent recounted before the commit.

Time-driven changes need no write: a cell stays exact until its ``next_expiry``; past it the
reports count that cell's marks instead (``app.queries.reports``), and the worker's
:func:`refresh_expired` brings such cells up to date. Writers that bypass the ORM (bulk SQL,
``flask --app benchmarks.app bench-data``) must run ``flask --app app reports rebuild`` afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, bindparam, delete, or_, select, update

from app.core.database import dialect_insert, unit_of_work
from app.core.extensions import db
from app.derived import trend_snapshots
from app.derived.aggregates_rebuild import answer_keys, cells_source, firsts_source, marks_source
from app.derived.upkeep import Upkeep, changed
from app.models import Assignment, Attempt, Certification, User, utcnow
from app.models.report_aggregates import gap_counts, gap_firsts, readiness_cells, readiness_marks

CHUNK = 500
MARK_FIELDS = ("team_id", "version_id", "due_at", "certified", "certified_until", "created_at",
               "certified_since", "one_span")
COUNTED_TABLES = frozenset({"assignments", "certifications", "users", "attempts", "answers",
                            "attempt_items"})


def _touched_agents(session) -> set[int]:
    """The agents whose counted facts the objects of this flush changed."""
    found = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        counted = isinstance(obj, Assignment | Certification) or (isinstance(obj, Attempt) and (
            obj in session.deleted or changed(obj, "status")
            or (obj in session.new and obj.status not in (None, "in_progress"))))
        if counted:
            found.add(obj.user_id)
        elif isinstance(obj, User) and (obj in session.deleted
                                        or changed(obj, "active", "team_id", "team")):
            found.add(obj.id)
    return found


def _everyone(session) -> set[int]:
    return set(session.scalars(select(User.id).union(
        select(readiness_marks.c.user_id), select(gap_firsts.c.user_id))))


def sync_agents(user_ids: list[int], at: datetime | None = None, *, session=None) -> None:
    """Make the aggregates count ``user_ids``' facts as they are now (in chunks)."""
    session = session or db.session
    at = at or utcnow()
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start:start + CHUNK]
        _sync_marks(session, chunk, at)
        _sync_firsts(session, chunk)


UPKEEP = Upkeep("aggregates", touched=_touched_agents, tables=COUNTED_TABLES,
                everyone=_everyone,
                sync=lambda session, user_ids: sync_agents(user_ids, session=session))


# --- readiness ---------------------------------------------------------------------------


def _counted(mark, as_of: datetime) -> int:
    until = mark["certified_until"]
    return int(bool(mark["certified"]) and (until is None or until > as_of))


def _sync_marks(session, user_ids: list[int], at: datetime) -> None:
    fresh = {r.assignment_id: r._asdict() for r in session.execute(marks_source(user_ids))}
    stored = {r.assignment_id: r._asdict() for r in session.execute(
        select(readiness_marks).where(readiness_marks.c.user_id.in_(user_ids)))}
    gone = [i for i, m in stored.items()
            if i not in fresh or any(fresh[i][f] != m[f] for f in MARK_FIELDS)]
    added = [m for i, m in fresh.items() if i not in stored or i in gone]
    if not gone and not added:
        return
    if gone:
        session.execute(delete(readiness_marks).where(readiness_marks.c.assignment_id.in_(gone)))
    if added:
        session.execute(readiness_marks.insert(), added)
    trend_snapshots.note_marks(session, [stored[i] for i in gone], added)
    _apply_cells(session, [stored[i] for i in gone], added, at)


def _apply_cells(session, removed: list[dict], added: list[dict], at: datetime) -> None:
    keys = {(m["team_id"], m["version_id"]) for m in (*removed, *added)}
    # Create missing cells first (ON CONFLICT DO NOTHING), so that two PostgreSQL transactions
    # adding the first agent of one cell at once both find it and lock it, in turn, below.
    session.execute(dialect_insert(readiness_cells).on_conflict_do_nothing(), [
        {"team_id": t, "version_id": v, "assigned": 0, "certified": 0, "as_of": at,
         "next_expiry": None} for t, v in sorted(keys)])
    query = select(readiness_cells).where(
        readiness_cells.c.team_id.in_({t for t, _ in keys}),
        readiness_cells.c.version_id.in_({v for _, v in keys}),
    ).order_by(readiness_cells.c.team_id, readiness_cells.c.version_id).with_for_update()
    # cells are shared by agents: PostgreSQL writers take turns, in order (SQLite renders no
    # FOR UPDATE; its IMMEDIATE write transactions take turns already)
    cells = {(c.team_id, c.version_id): c._asdict() for c in session.execute(query)
             if (c.team_id, c.version_id) in keys}
    new = {key: {"team_id": key[0], "version_id": key[1], "assigned": 0, "certified": 0,
                 "as_of": at, "next_expiry": None} for key in keys if key not in cells}
    for sign, marks in ((-1, removed), (1, added)):
        for mark in marks:
            cell = cells.get((mark["team_id"], mark["version_id"])) or new[
                (mark["team_id"], mark["version_id"])]
            cell["assigned"] += sign
            cell["certified"] += sign * _counted(mark, cell["as_of"])
            until = mark["certified_until"]
            if sign > 0 and mark["certified"] and until is not None and until > cell["as_of"]:
                cell["next_expiry"] = min(filter(None, (cell["next_expiry"], until)))
    _write_cells(session, cells, new)


def _write_cells(session, cells: dict, new: dict) -> None:
    c = readiness_cells.c
    empty = [k for k, cell in cells.items() if cell["assigned"] == 0]
    kept = [cell for cell in cells.values() if cell["assigned"]]
    for team_id, version_id in empty:
        session.execute(delete(readiness_cells).where(c.team_id == team_id,
                                                      c.version_id == version_id))
    if kept:
        session.execute(update(readiness_cells).where(
            and_(c.team_id == bindparam("k_team"), c.version_id == bindparam("k_version"))),
            [{"k_team": x["team_id"], "k_version": x["version_id"], "assigned": x["assigned"],
              "certified": x["certified"], "next_expiry": x["next_expiry"]} for x in kept])
    rows = [cell for cell in new.values() if cell["assigned"]]
    if rows:
        session.execute(readiness_cells.insert(), rows)


def refresh_expired(at: datetime | None = None) -> int:
    """Recount the cells whose ``next_expiry`` has passed, as of ``at``; returns how many."""
    at = at or utcnow()
    with unit_of_work():
        stale = select(readiness_cells.c.team_id, readiness_cells.c.version_id).where(
            readiness_cells.c.next_expiry <= at)
        keys = [tuple(k) for k in db.session.execute(stale)]
        if not keys:
            return 0
        for start in range(0, len(keys), CHUNK):
            _recount(keys[start:start + CHUNK], at)
    return len(keys)


def _recount(keys: list[tuple[int, int]], at: datetime) -> None:
    m = readiness_marks.c
    wanted = [and_(m.team_id == t, m.version_id == v) for t, v in keys]
    source = cells_source(at).where(or_(*wanted))
    rows = [r._asdict() for r in db.session.execute(source)]
    c = readiness_cells.c
    db.session.execute(delete(readiness_cells).where(
        or_(*[and_(c.team_id == t, c.version_id == v) for t, v in keys])))
    if rows:
        db.session.execute(readiness_cells.insert(), rows)


# --- knowledge gaps ----------------------------------------------------------------------


def _sync_firsts(session, user_ids: list[int]) -> None:
    fresh = {(r.user_id, r.version_id): r._asdict()
             for r in session.execute(firsts_source(user_ids))}
    stored = {(r.user_id, r.version_id): r._asdict() for r in session.execute(
        select(gap_firsts).where(gap_firsts.c.user_id.in_(user_ids)))}
    changed = [k for k in fresh.keys() | stored.keys() if fresh.get(k) != stored.get(k)]
    if not changed:
        return
    deltas: dict[tuple, int] = defaultdict(int)
    attempts = {row["attempt_id"] for k in changed for row in (stored.get(k), fresh.get(k))
                if row}
    keys = defaultdict(list)
    for attempt_id, item_id, option_id, correct in session.execute(answer_keys(attempts)):
        keys[attempt_id].append((item_id, option_id, bool(correct)))
    for key in changed:
        for sign, row in ((-1, stored.get(key)), (1, fresh.get(key))):
            if row and row["team_id"] is not None:
                for item_id, option_id, correct in keys[row["attempt_id"]]:
                    deltas[(key[1], row["team_id"], item_id, option_id, correct)] += sign
    _write_firsts(session, changed, fresh)
    _add_counts(session, {k: n for k, n in deltas.items() if n})


def _write_firsts(session, changed: list[tuple], fresh: dict) -> None:
    f = gap_firsts.c
    for user_id, version_id in changed:
        session.execute(delete(gap_firsts).where(f.user_id == user_id,
                                                 f.version_id == version_id))
    rows = [fresh[key] for key in changed if key in fresh]
    if rows:
        session.execute(gap_firsts.insert(), rows)


def _add_counts(session, deltas: dict[tuple, int]) -> None:
    """Add ``deltas`` to gap_counts (an upsert), then drop the rows that fell to zero."""
    if not deltas:
        return
    statement = dialect_insert(gap_counts)
    statement = statement.on_conflict_do_update(
        index_elements=["version_id", "team_id", "item_id", "option_id", "correct"],
        set_={"answers": gap_counts.c.answers + statement.excluded.answers})
    session.execute(statement, [
        {"version_id": v, "team_id": t, "item_id": i, "option_id": o, "correct": c,
         "answers": n} for (v, t, i, o, c), n in deltas.items()])
    session.execute(delete(gap_counts).where(
        gap_counts.c.answers == 0,
        gap_counts.c.version_id.in_({k[0] for k in deltas})))
