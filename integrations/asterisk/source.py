"""What routing adapters read from OneVoice: the stored eligibility and its outbox.

Reads only; each function ends its read transaction so a long-running adapter never keeps
one open (SQLite's WAL checkpoints and PostgreSQL's vacuum would wait on it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.core.extensions import db
from app.domain.routing import Clearance, OutboxEvent
from app.models import EligibilityEvent, EligibilityState, Skill, User


@dataclass(frozen=True)
class Snapshot:
    """The cleared pairs, the skill codes, and the outbox position they include."""

    last_seq: int
    cleared: tuple[Clearance, ...]
    skills: tuple[str, ...]


def agent_id(external_id: str | None, user_id: int) -> str:
    """The agent's id as the API names it: the external id, else the OneVoice id."""
    return external_id or str(user_id)


def snapshot() -> Snapshot:
    """The stored eligibility now.

    The outbox position is read first: every event up to it is already in the states read
    after it, and a later event only repeats a change the states may already show, which
    routers accept ("Already there" / "Not there").
    """
    try:
        last_seq = db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0
        rows = db.session.execute(
            select(User.external_id, User.id, Skill.code)
            .join(EligibilityState, EligibilityState.user_id == User.id)
            .join(Skill, EligibilityState.skill_id == Skill.id)
            .where(EligibilityState.cleared.is_(True), User.role == "agent",
                   User.active.is_(True))
            .order_by(User.id, Skill.code)
        ).all()
        skills = tuple(db.session.scalars(select(Skill.code).order_by(Skill.code)))
    finally:
        db.session.rollback()
    cleared = tuple(Clearance(agent_id(external, uid), code) for external, uid, code in rows)
    return Snapshot(last_seq, cleared, skills)


def events_after(seq: int, limit: int = 500) -> list[OutboxEvent]:
    """Outbox events with a seq above ``seq``, oldest first, at most ``limit``."""
    try:
        rows = db.session.execute(
            select(EligibilityEvent.seq, User.external_id, User.id, EligibilityEvent.skill,
                   EligibilityEvent.cleared)
            .join(User, EligibilityEvent.user_id == User.id)
            .where(EligibilityEvent.seq > seq)
            .order_by(EligibilityEvent.seq).limit(limit)
        ).all()
    finally:
        db.session.rollback()
    return [OutboxEvent(s, agent_id(external, uid), skill, bool(cleared))
            for s, external, uid, skill, cleared in rows]


def oldest_seq() -> int | None:
    """The lowest seq the outbox still holds (the worker prunes old events), or None."""
    try:
        return db.session.scalar(select(func.min(EligibilityEvent.seq)))
    finally:
        db.session.rollback()


def record_calls(rows: list[dict]) -> tuple[int, list[str]]:
    """Record answered calls from the router; rows with a problem (an unknown agent or call
    type) are left out and named. Returns (calls recorded, problems)."""
    from app.domain.directory import RawRow
    from app.services.accounts.directory import InvalidRows
    from app.services.calls.answered import record_calls as record

    raw = [RawRow(n, row) for n, row in enumerate(rows)]
    problems: list[str] = []
    while raw:
        try:
            return record(raw, source="asterisk").accepted, problems
        except InvalidRows as error:
            bad = {e.row for e in error.errors}
            problems += [f"{rows[e.row]['call_id']}: {e.message}" for e in error.errors]
            raw = [r for r in raw if r.row not in bad]
    return 0, problems
