"""An agent's own commands, each in its own unit of work: confirm reading a bulletin,
mark inbox notices read."""

from __future__ import annotations

from app.core.database import unit_of_work
from app.models import BulletinVersion, User
from app.queries import inbox
from app.services.certification import assignments
from app.services.content.bulletins import latest_version


def acknowledge(user: User, slug: str, read: str) -> tuple[BulletinVersion, bool]:
    """Record the agent's read receipt on the newest published version of ``slug``.

    ``read`` is the version number the agent read (from the form; empty when not sent):
    when a newer version was published meanwhile, nothing is recorded. Returns the newest
    version and whether the receipt was recorded.
    """
    with unit_of_work():
        version = latest_version(slug, published=True)
        if read and read != str(version.number):
            return version, False
        assignments.acknowledge(user, version)
    return version, True


def mark_notification_read(user: User, notification_id: int) -> None:
    """Mark one of the agent's notices read."""
    with unit_of_work():
        inbox.mark_read(user, notification_id)


def mark_version_read(user: User, version_id: int) -> None:
    """Mark every notice of the agent on one bulletin version read."""
    with unit_of_work():
        inbox.mark_version_read(user, version_id)


def mark_all_read(user: User) -> int:
    """Mark every notice of the agent read; how many were unread."""
    with unit_of_work():
        return inbox.mark_all_read(user)
