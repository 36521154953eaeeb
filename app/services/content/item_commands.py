"""A trainer's commands on a bulletin's newest version, each in its own unit of work:
edit, approve or retire items, add one by hand, regenerate, publish."""

from __future__ import annotations

from collections.abc import Callable

from app.core.database import unit_of_work
from app.errors import NotFound
from app.models import BulletinVersion, Item, User
from app.services.content import bulletins, drafts, review, review_board


def find_item(version: BulletinVersion, item_key: str, field: str | None = None) -> Item:
    """The item ``item_key`` of ``version``; NotFound (naming ``field``) when it has none."""
    item = next((i for i in version.items if i.key == item_key), None)
    if item is None:
        raise NotFound("no_item", field=field, key=item_key, slug=version.slug)
    return item


def update_item(slug: str, item_key: str, changes: dict, actor: User,
                field: str | None = None, loaded: str | None = None) -> Item:
    """Apply ``changes`` (status, stem, options, explanation) to an item of the newest
    version and record the trainer's edit of the draft (``loaded``: the item's fingerprint
    as read; ServiceError ``item_changed`` when someone saved it since)."""
    with unit_of_work():
        version = bulletins.latest_version(slug)
        item = find_item(version, item_key, field)
        review_board.check_fingerprint(item, loaded)
        review.update_item(item, changes)
        drafts.touch(version, actor)
    return item


def edit_item(slug: str, item_key: str, changes: Callable[[Item], dict], actor: User,
              loaded: str | None = None) -> Item:
    """Apply the changes made from the item as stored (``changes(item)``) to an item of the
    newest version and record the trainer's edit of the draft.

    ``loaded`` is the fingerprint of the item the trainer edited: when someone saved it
    since, ServiceError ``item_changed`` (``review_board.check_fingerprint``).
    """
    with unit_of_work():
        item = find_item(bulletins.latest_version(slug), item_key)
        review_board.check_fingerprint(item, loaded)
        review.update_item(item, changes(item))
        drafts.touch(bulletins.latest_version(slug), actor)
    return item


def approve_all(slug: str, actor: User) -> None:
    """Approve every draft item of the newest version at once."""
    with unit_of_work():
        version = bulletins.latest_version(slug)
        for item in version.items:
            if item.status == "draft":
                review.update_item(item, {"status": "approved"})
        drafts.touch(version, actor)


def add_item(slug: str, changes: dict, actor: User) -> Item:
    """Add a hand-written item (``{fact, stem, options, explanation}``) to the newest
    version and record the trainer's edit of the draft."""
    with unit_of_work():
        version = bulletins.latest_version(slug)
        item = review.add_item(version, changes)
        drafts.touch(version, actor)
    return item


def regenerate(slug: str) -> int:
    """Regenerate the newest version's items (what a trainer edited, approved or wrote is
    kept); the number of items made."""
    with unit_of_work():
        return review.regenerate(bulletins.latest_version(slug))


def publish(slug: str, change: str | None) -> BulletinVersion:
    """Publish the draft version as a ``material`` (the default) or ``minor`` change."""
    with unit_of_work():
        version = bulletins.latest_version(slug)
        drafts.check_change(version, change)
        bulletins.publish(version, change or "material")
    return version


def approve_selected(slug: str, item_keys: list[str], actor: User) -> int:
    """Approve the ticked items of the newest version, and only those; how many."""
    with unit_of_work():
        version = bulletins.latest_version(slug)
        return review_board.approve_selected(version, item_keys, actor)
