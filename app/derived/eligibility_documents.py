"""Each agent's eligibility document, serialised once and kept exact before each commit.

The routing system asks ``GET /api/v1/agents/{id}/eligibility`` far more often than an
agent's eligibility changes, and in a centre where few agents are cleared a document lists
every missing bulletin (kilobytes). Building it per request (decode the stored states' JSON,
build the document, encode it, hash it) cost 1.6 ms of CPU more than a bare authenticated
endpoint (docs/performance.md, B1). So the JSON text and its ETag are stored in
``eligibility_documents`` and the lookup reads one row.

A document is derived from the agent's row (external id, name, team, active, eligibility
version, role) and their stored eligibility states (with skill codes; team and skill codes
never change once created). Every flush notes the agents whose row or states changed, and
just before the transaction commits :func:`sync` rebuilds those agents' documents from the
database and writes the ones that differ, in the same transaction: a publication, a
certification, a time-driven recompute, a directory change all reach it through the ORM.
On PostgreSQL the writers of one agent take turns on the agent's row (``recompute`` locks it,
a directory change updates it), and the document is read after that lock, so the last
commit writes the newest document.

Writers that bypass the ORM (bulk SQL, ``flask --app benchmarks.app bench-data``) must run
``flask --app app reports rebuild``, which rebuilds these with the report aggregates. Until
then a missing document is built on the fly by the reader (:func:`build`), so it is never
wrong, only slower.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import delete, select

from app.core.database import dialect_insert
from app.derived.upkeep import Upkeep, changed
from app.models import EligibilityState, Skill, Team, User
from app.models.eligibility import eligibility_documents

CHUNK = 500
USER_FIELDS = ("external_id", "name", "team_id", "team", "active", "eligibility_version", "role")
SOURCE_TABLES = frozenset({"users", "eligibility_states"})


def build_document(*, agent: str, name: str, team: str | None, active: bool, version: int,
                   states) -> dict:
    """``{agent, name, team, active, version, cleared, blocked, due}`` (product.md section 7)
    from the agent's fields and their stored states as (skill code, state) pairs by skill;
    a state has ``cleared``, ``valid_until``, ``missing`` and ``upcoming``."""
    cleared, blocked, due = [], [], []
    for code, state in states:
        if state.cleared:
            cleared.append({"skill": code, "valid_until": _iso(state.valid_until)})
        else:
            blocked.append({"skill": code, "missing": [_entry(m) for m in state.missing],
                            "inactive": not active})
        due += [{"skill": code, **_entry(m)} for m in state.upcoming]
    return {"agent": agent, "name": name, "team": team, "active": active, "version": version,
            "cleared": cleared, "blocked": blocked, "due": due}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _entry(missing: dict) -> dict:
    return {"bulletin": missing["bulletin"], "version": missing["version"],
            "due": missing["due"], "title": missing.get("title", ""),
            "expired": missing.get("expired", False)}


def serialise(document: dict) -> tuple[str, str]:
    """The document's JSON text (compact, keys sorted, Korean as is) and its ETag."""
    body = _dumps(document)
    return body, hashlib.sha256(body.encode()).hexdigest()[:32]


_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def states_part(states, active: bool) -> str:
    """The ``"blocked":…,"cleared":…,"due":…`` members of a document as JSON text, for
    :func:`compose`: agents sharing their states (and ``active``) share this text, so a
    writer of many documents (the time pass) encodes it once per distinct set of states."""
    document = build_document(agent="", name="", team=None, active=active, version=0,
                              states=states)
    return (f'"blocked":{_dumps(document["blocked"])},"cleared":{_dumps(document["cleared"])},'
            f'"due":{_dumps(document["due"])}')


def compose(*, agent: str, name: str, team: str | None, active: bool, version: int,
            states: str) -> tuple[str, str]:
    """``serialise(build_document(...))`` from the agent's fields and :func:`states_part`:
    the same text and ETag (keys sorted, compact), without encoding the states again."""
    body = (f'{{"active":{"true" if active else "false"},"agent":{_dumps(agent)},{states},'
            f'"name":{_dumps(name)},"team":{_dumps(team)},"version":{int(version)}}}')
    return body, hashlib.sha256(body.encode()).hexdigest()[:32]


def write(connection, documents: dict[int, tuple[str, str]]) -> None:
    """Store ``{user id: (body, etag)}`` as they are (insert or replace), on a connection."""
    if documents:
        upsert = dialect_insert(eligibility_documents)
        connection.execute(upsert.on_conflict_do_update(
            index_elements=[eligibility_documents.c.user_id],
            set_={"body": upsert.excluded.body, "etag": upsert.excluded.etag}),
            [{"user_id": user_id, "body": body, "etag": etag}
             for user_id, (body, etag) in documents.items()])


def build(executor, user_ids: list[int]) -> dict[int, tuple[str, str]]:
    """``{user id: (body, etag)}`` of the agents among ``user_ids``, from the database.

    ``executor`` is the session or a bare connection (core statements only)."""
    agents = executor.execute(
        select(User.id, User.external_id, User.name, User.active, User.eligibility_version,
               Team.code.label("team"))
        .outerjoin(Team, Team.id == User.team_id)
        .where(User.id.in_(user_ids), User.role == "agent")).all()
    states: dict[int, list] = {agent.id: [] for agent in agents}
    for row in executor.execute(
            select(EligibilityState.user_id, Skill.code, EligibilityState.cleared,
                   EligibilityState.valid_until, EligibilityState.missing,
                   EligibilityState.upcoming)
            .join(Skill, Skill.id == EligibilityState.skill_id)
            .where(EligibilityState.user_id.in_(user_ids))
            .order_by(EligibilityState.user_id, Skill.code)):
        if row.user_id in states:
            states[row.user_id].append((row.code, row))
    return {agent.id: serialise(build_document(
        agent=agent.external_id or str(agent.id), name=agent.name, team=agent.team,
        active=bool(agent.active), version=agent.eligibility_version or 0,
        states=states[agent.id])) for agent in agents}


def sync(session, user_ids: list[int]) -> None:
    """Make the stored documents of ``user_ids`` equal to what :func:`build` gives now."""
    table = eligibility_documents
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start:start + CHUNK]
        fresh = build(session, chunk)
        stored = dict(session.execute(
            select(table.c.user_id, table.c.etag).where(table.c.user_id.in_(chunk))).all())
        gone = [user_id for user_id in stored if user_id not in fresh]
        changed = [{"user_id": user_id, "body": body, "etag": etag}
                   for user_id, (body, etag) in fresh.items() if stored.get(user_id) != etag]
        if gone:
            session.execute(delete(table).where(table.c.user_id.in_(gone)))
        if changed:
            upsert = dialect_insert(table)
            session.execute(upsert.on_conflict_do_update(
                index_elements=[table.c.user_id],
                set_={"body": upsert.excluded.body, "etag": upsert.excluded.etag}), changed)


def rebuild(connection) -> int:
    """Every agent's document from scratch on a bare connection; returns how many."""
    connection.execute(delete(eligibility_documents))
    ids = list(connection.scalars(select(User.id).where(User.role == "agent").order_by(User.id)))
    for start in range(0, len(ids), CHUNK):
        documents = build(connection, ids[start:start + CHUNK])
        if documents:
            connection.execute(eligibility_documents.insert(), [
                {"user_id": user_id, "body": body, "etag": etag}
                for user_id, (body, etag) in documents.items()])
    return len(ids)


# --- upkeep: note on flush, sync before commit (app.derived.upkeep) ------------------------


def _touched(session) -> set[int]:
    found = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, EligibilityState):
            found.add(obj.user_id)
        elif isinstance(obj, User) and (obj in session.new or obj in session.deleted
                                        or changed(obj, *USER_FIELDS)):
            found.add(obj.id)
    return found


def _everyone(session) -> set[int]:
    return set(session.scalars(select(User.id).union(select(eligibility_documents.c.user_id))))


UPKEEP = Upkeep("documents", touched=_touched, tables=SOURCE_TABLES, everyone=_everyone,
                sync=sync)
