"""The audit log: who changed whose account, and how (roles, activity, invitations, tokens).

Entries are written in the same transaction as the change they record, so a change and its
entry are kept or lost together. ``details`` holds plain JSON (old and new values).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.extensions import db
from app.models import AuditEntry, User, utcnow


def record(action: str, *, actor: User | None = None, subject: User | None = None,
           at: datetime | None = None, **details) -> AuditEntry:
    """Add one entry to the current unit of work (``action`` such as ``role_changed``)."""
    entry = AuditEntry(action=action, actor_id=actor.id if actor else None,
                       subject_id=subject.id if subject else None, at=at or utcnow(),
                       details=details or None)
    db.session.add(entry)
    return entry


def entries_about(user_id: int, limit: int = 50) -> list[AuditEntry]:
    """The latest entries about one person, newest first."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject_id == user_id)
        .order_by(AuditEntry.id.desc()).limit(limit)))
