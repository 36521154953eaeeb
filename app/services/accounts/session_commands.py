"""Opening a signed-in session in its own unit of work (``sessions`` holds the rules)."""

from __future__ import annotations

from app.core.database import unit_of_work
from app.models import User
from app.services.accounts import sessions


def open_session(user: User, *, user_agent: str | None, address: str | None) -> str:
    """A new server-side session for ``user``, committed; returns its id for the cookie."""
    with unit_of_work():
        return sessions.start_session(user, user_agent=user_agent, address=address)
