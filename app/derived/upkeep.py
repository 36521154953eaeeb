"""Derived per-agent tables kept exact in the transaction that changes their sources.

The report aggregates (``app.derived.aggregates``) and the served eligibility documents
(``app.derived.eligibility_documents``) are both derived from agents' rows, and both are
kept up to date the same way: every flush notes the agents whose source rows changed, a bulk
INSERT/UPDATE/DELETE through the session on a source table (no objects to look at) notes
every agent, and just before the transaction commits the noted agents are brought up to
date, inside that transaction; a rollback forgets the notes.

Nothing here runs on import: ``app.derived.init_app`` (called by ``create_app``) registers
each derived table set's :class:`Upkeep` with :func:`keep_up`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session


def changed(obj, *names: str) -> bool:
    """Whether any of the attributes ``names`` of the flushed/pending ``obj`` changed."""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@dataclass(frozen=True)
class Upkeep:
    """The upkeep of one derived table set, called ``name``.

    ``touched(session)`` gives the agent ids the objects of a flush changed; ``tables`` are
    the source tables whose bulk writes note ``everyone(session)``; ``sync(session, ids)``
    brings those agents up to date before the commit.
    """

    name: str
    touched: Callable[[Session], set]
    tables: Iterable[str]
    everyone: Callable[[Session], Iterable[int]]
    sync: Callable[[Session, list[int]], None]


_KEPT: set[str] = set()  # names whose listeners are on the (process-wide) Session class


def keep_up(upkeep: Upkeep) -> None:
    """Register ``upkeep``'s listeners on every Session of the process, once per name.

    The listeners are global (on the Session class, as SQLAlchemy's events are), so a second
    app in the same process shares them; calling this again for a name does nothing.
    """
    if upkeep.name in _KEPT:
        return
    _KEPT.add(upkeep.name)
    _listen(upkeep.name, upkeep.touched, set(upkeep.tables), upkeep.everyone, upkeep.sync)


def kept() -> frozenset[str]:
    """The names of the upkeeps registered so far in this process."""
    return frozenset(_KEPT)


def _listen(name, touched, tables, everyone, sync) -> None:
    noted, noted_all = f"onevoice_{name}_touched", f"onevoice_{name}_all"

    @event.listens_for(Session, "after_flush")
    def _note_agents(session, _context) -> None:
        found = touched(session) - {None}
        if found:
            session.info.setdefault(noted, set()).update(found)

    @event.listens_for(Session, "do_orm_execute")
    def _note_bulk_writes(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if getattr(table, "name", None) in tables:
                state.session.info[noted_all] = True

    @event.listens_for(Session, "before_commit")
    def _sync_before_commit(session) -> None:
        if session.new or session.dirty or session.deleted:
            session.flush()  # the last changes are noted by the flush, not before
        if session.info.pop(noted_all, False):
            session.info[noted] = set(everyone(session))
        agents = session.info.pop(noted, None)
        if agents:
            sync(session, sorted(agents))

    @event.listens_for(Session, "after_rollback")
    def _forget(session) -> None:
        session.info.pop(noted, None)
        session.info.pop(noted_all, None)
