"""What one batch of the time pass writes, in set-based statements (issue #19).

The evaluation shares its answers between agents in the same situation
(``app.domain.situations``), so the writes are grouped the same way: for each distinct new
state of a call type, ONE ``UPDATE … WHERE skill_id = ? AND user_id IN (…)`` writes it for
every agent of the batch that gets it; each distinct (call type, new value, reason,
details) is a ``SELECT … FROM users WHERE id IN (…)`` of all the agents with that change
(each agent's new version read from its row), and ONE ``INSERT INTO eligibility_events …
SELECT`` of their UNION ALL, ordered by agent and call type, records the batch's changes;
the agents' versions and next instants are one ``UPDATE`` per (bumped, next instant). A JSON
list is encoded once per group, not once per row, and no per-row parameters are built. The
served documents are composed from the new states (``eligibility_documents.compose``: the
states' text once per distinct set of states) and upserted in one statement.

The stored states are read as their JSON text and compared to the new state's text; only
when the texts differ is the stored text decoded (once per distinct text) and compared as
values, so a state written by another serialiser is never taken for a change.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
    update,
)

from app.core.database import is_sqlite
from app.derived import eligibility_documents
from app.domain import eligibility as rules
from app.domain.webhooks import iso
from app.models import EligibilityEvent, EligibilityState, User, utcnow
from app.models.base import JSONText, UTCDateTime
from app.models.webhooks import OutboxMessage
from app.services.certification.eligibility import _missing_json, _reason

EVENT_WRITERS_LOCK = 0x0E11_6175  # app.services.integration.feed's key (seq = commit order)
EVENT_COLUMNS = ("user_id", "skill", "cleared", "reason", "agent_version", "at", "details")
GROUPS_PER_STATEMENT = 200  # SQLite allows 500 terms in a compound SELECT


def encode(value) -> str | None:
    """A JSON column's text, exactly as ``JSONText`` stores it."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class _State:
    """A new state of one call type: its values, its stored form (the row's key for
    grouping and comparing) and what the served document needs of it."""

    __slots__ = ("cleared", "valid_until", "missing", "upcoming", "key")

    def __init__(self, result: rules.SkillEligibility):
        self.cleared, self.valid_until = result.cleared, result.valid_until
        self.missing = [_missing_json(m) for m in result.missing]
        self.upcoming = [_missing_json(m) for m in result.upcoming]
        self.key = (self.cleared, self.valid_until, encode(self.missing), encode(self.upcoming))


class Memo:
    """Per pass: each evaluated result's new state, and each stored JSON text decoded, once."""

    def __init__(self):
        self._states: dict[int, tuple[rules.SkillEligibility, _State]] = {}
        self._decoded: dict[str, object] = {}
        self.documents: dict[tuple, str] = {}

    def state(self, result: rules.SkillEligibility) -> _State:
        """The new state for ``result`` (the evaluator's results are shared objects)."""
        found = self._states.get(id(result))
        if found is None:
            found = self._states[id(result)] = (result, _State(result))
        return found[1]

    def same(self, old: tuple, new: _State) -> bool:
        """Whether the stored row ``old`` (cleared, valid_until, missing text, upcoming
        text) holds the values of ``new``."""
        if old == new.key:
            return True
        if old[0] != new.cleared or old[1] != new.valid_until:
            return False
        return self._decode(old[2]) == new.missing and self._decode(old[3]) == new.upcoming

    def _decode(self, raw: str | None):
        if raw is None:
            return None
        if raw not in self._decoded:
            self._decoded[raw] = json.loads(raw)
        return self._decoded[raw]

    def states_part(self, states: list[tuple[str, _State]], active: bool) -> str:
        """The document's states as JSON text, once per distinct (states, active)."""
        key = (active, tuple((code, state.key) for code, state in states))
        found = self.documents.get(key)
        if found is None:
            found = self.documents[key] = eligibility_documents.states_part(states, active)
        return found


class Writes:
    """What one batch writes, gathered per agent and written a group at a time."""

    def __init__(self, memo: Memo, skill_ids: dict[str, int]):
        self.memo, self.skill_ids = memo, skill_ids
        self.touched: dict[tuple, list[int]] = defaultdict(list)  # (at, skill) -> agents
        self.updated: dict[tuple, list[int]] = defaultdict(list)  # (skill, key, at) -> agents
        self.new_states: dict[tuple, _State] = {}
        self.inserted: list[dict] = []
        self.deleted: dict[int, list[int]] = defaultdict(list)  # skill -> agents
        self.users: dict[tuple, list[int]] = defaultdict(list)  # (bump, next) -> agents
        self.events: dict[tuple, list[int]] = defaultdict(list)
        self.details: dict[tuple, dict] = {}
        self.outbox: list[tuple[int, dict]] = []  # (agent, message)
        self.documents: dict[int, tuple[str, str]] = {}
        self.changes = 0

    def add(self, agent, outcome, old: dict[str, tuple], at: datetime) -> None:
        """Note the writes ``recompute`` would make for ``agent`` (see ``eligibility._store``):
        ``old`` is the agent's stored rows by call type, as (cleared, valid_until, missing
        text, upcoming text)."""
        new = {code: self.memo.state(result) for code, result in outcome.skills.items()}
        rows_changed = False
        for code, state in new.items():
            skill_id = self.skill_ids[code]
            if code not in old:
                self.inserted.append({"user_id": agent.id, "skill_id": skill_id,
                                      "cleared": state.cleared, "valid_until": state.valid_until,
                                      "missing": state.missing, "upcoming": state.upcoming,
                                      "updated_at": at})
                rows_changed = True
            elif self.memo.same(old[code], state):
                self.touched[(at, skill_id)].append(agent.id)
            else:
                self.updated[(skill_id, state.key, at)].append(agent.id)
                self.new_states[state.key] = state
                rows_changed = True
        gone = [code for code in old if code not in new]
        for code in gone:
            self.deleted[self.skill_ids[code]].append(agent.id)
        flips = _flips(old, new)
        version = (agent.eligibility_version or 0) + (1 if flips else 0)
        self.users[(bool(flips), outcome.next_change_at)].append(agent.id)
        if flips or rows_changed or gone:
            self._document(agent, version, new)
        for code, cleared in flips:
            self._event(agent, code, cleared, outcome.skills.get(code), new.get(code), at)

    def _document(self, agent, version: int, new: dict[str, _State]) -> None:
        active = bool(agent.active)
        states = self.memo.states_part(sorted(new.items()), active)
        self.documents[agent.id] = eligibility_documents.compose(
            agent=agent.external_id or str(agent.id), name=agent.name, team=agent.team,
            active=active, version=version, states=states)

    def _event(self, agent, code, cleared, result, state, at) -> None:
        reason = _reason("time", result)
        key = (code, cleared, reason, at, state.key if state is not None else None)
        if key not in self.details:
            self.details[key] = ({"missing": state.missing} if state is not None
                                 else {"missing": [], "skill_removed": True})
        self.events[key].append(agent.id)
        self.changes += 1
        if reason == "certification_expired":
            self.outbox.append((agent.id, {"type": "certification.expired",
                                           "payload": _expired(agent, result, at)}))

    def flush(self, connection) -> None:
        """Write the batch: states, agents, documents, outbox, then the feed's events."""
        self._states(connection)
        u = User.__table__
        for (bump, next_at), ids in self.users.items():
            values = {"eligibility_check_at": next_at}
            if bump:
                values["eligibility_version"] = func.coalesce(u.c.eligibility_version, 0) + 1
            connection.execute(update(u).where(u.c.id.in_(ids)).values(**values))
        eligibility_documents.write(connection, self.documents)
        if self.outbox:
            now = utcnow()
            connection.execute(insert(OutboxMessage.__table__),
                               [{**message, "created_at": now} for _, message in self.outbox])
        if self.events:
            if not is_sqlite():
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": EVENT_WRITERS_LOCK})
            self._events(connection, u)

    def _states(self, connection) -> None:
        s = EligibilityState.__table__
        for (at, skill_id), ids in self.touched.items():
            connection.execute(update(s).where(s.c.skill_id == skill_id, s.c.user_id.in_(ids))
                               .values(updated_at=at))
        for (skill_id, key, at), ids in self.updated.items():
            state = self.new_states[key]
            connection.execute(update(s).where(s.c.skill_id == skill_id, s.c.user_id.in_(ids))
                               .values(cleared=state.cleared, valid_until=state.valid_until,
                                       missing=state.missing, upcoming=state.upcoming,
                                       updated_at=at))
        if self.inserted:
            connection.execute(insert(s), self.inserted)
        for skill_id, ids in self.deleted.items():
            connection.execute(delete(s).where(s.c.skill_id == skill_id, s.c.user_id.in_(ids)))

    def _events(self, connection, u) -> None:
        """The change-feed events: per group of agents an ``INSERT … SELECT`` from their
        rows (their new version), the groups of a statement joined by UNION ALL and ordered
        by agent and call type, so each agent's changes stay together in the feed, in the
        per-agent path's order (fan-out then seldom finds a version split across batches)."""
        e = EligibilityEvent.__table__
        keys = list(self.events)
        for start in range(0, len(keys), GROUPS_PER_STATEMENT):
            parts = [self._event_rows(key, u) for key in keys[start:start + GROUPS_PER_STATEMENT]]
            rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
            connection.execute(insert(e).from_select(
                EVENT_COLUMNS, select(*(rows.c[name] for name in EVENT_COLUMNS))
                .order_by(rows.c.user_id, rows.c.skill)))

    def _event_rows(self, key: tuple, u):
        code, cleared, reason, at, _ = key
        return (select(u.c.id.label("user_id"), literal(code, String()).label("skill"),
                       literal(cleared, Boolean()).label("cleared"),
                       literal(reason, String()).label("reason"),
                       func.coalesce(u.c.eligibility_version, 0).cast(Integer)
                       .label("agent_version"),
                       literal(at, UTCDateTime()).label("at"),
                       literal(self.details[key], JSONText()).label("details"))
                .where(u.c.id.in_(self.events[key])))


def _flips(old: dict[str, tuple], new: dict[str, _State]) -> list[tuple[str, bool]]:
    """(skill, cleared) whose cleared value differs; a missing row counts as not cleared."""
    flips = []
    for code in sorted(set(old) | set(new)):
        after = code in new and new[code].cleared
        before = bool(old[code][0]) if code in old else False
        if before != after:
            flips.append((code, after))
    return flips


def _expired(agent, result: rules.SkillEligibility, at: datetime) -> dict:
    """``outbox.expired_payload`` from the batch's row instead of a User object."""
    return {"agent": agent.external_id or str(agent.id), "skill": result.skill, "at": iso(at),
            "expired": [{"bulletin": m.bulletin, "version": m.version, "title": m.title}
                        for m in result.missing if m.expired]}
