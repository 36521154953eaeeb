"""A supporter's commands on an agent (managers of their teams, admins), each in its own
unit of work (``support`` holds the rules)."""

from __future__ import annotations

from app.core.database import unit_of_work
from app.models import Assignment, User
from app.services.certification import support


def unlock(viewer: User, external_id: str, slug: str) -> Assignment:
    """Lift the agent's cooldown and daily cap on a bulletin's newest published version."""
    with unit_of_work():
        return support.unlock(viewer, external_id, slug)
