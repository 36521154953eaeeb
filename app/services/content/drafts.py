"""Ids that cannot be hijacked, new versions on purpose, and drafts that can be discarded.

A new bulletin must have a new id; a new version of an existing bulletin is asked for
explicitly and compared with the current version. Every save of a draft's source
increments its revision: an editor sends back the edit token it loaded (``number.revision``
of the newest version) and a save over someone else's newer edit is refused, never
written. Discarding a draft deletes that version only and records it in the bulletin's
history (``bulletin_events``); published versions are never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.bulletin.types import Fact as FactDoc
from app.domain.refusals import Problem
from app.domain.versions_diff import FactsDiff, LineRow, diff_facts, diff_lines
from app.errors import Conflict, ServiceError
from app.models import Bulletin, BulletinEvent, BulletinVersion, User, utcnow
from app.services.accounts import audit_log
from app.services.content import bulletins
from app.services.content.bulletins import (
    fact_doc,
    get_bulletin,
    latest_version,
    parse_source,
    save_draft,
)


def edit_token(version: BulletinVersion) -> str:
    """What an editor loaded: the newest version's number and revision, ``"3.2"``."""
    return f"{version.number}.{version.revision}"


def existing(slug: str) -> BulletinVersion | None:
    """The newest version of bulletin ``slug``, or None when no such bulletin exists."""
    return db.session.scalar(
        select(BulletinVersion).join(Bulletin).where(Bulletin.slug == slug)
        .order_by(BulletinVersion.number.desc()).limit(1))


def bulletin_exists(version: BulletinVersion) -> Conflict:
    """The refusal of a new bulletin whose id is taken, naming the bulletin that has it."""
    return Conflict(
        "bulletin_exists", slug=version.slug, title=version.title, n=version.number,
        title2=version.title, field="id",
        details={"id": version.slug, "title": version.title, "version": version.number,
                 "new_version": f"/api/v1/bulletins/{version.slug}/versions"})


def create_bulletin(source: str, actor: User | None = None) -> BulletinVersion:
    """A new bulletin's first draft; an id that exists is refused and nothing is written."""
    return bulletins.create_draft(source, actor=actor, check=_refuse_taken)


def _refuse_taken(doc) -> None:
    taken = existing(doc.slug)
    if taken is not None:
        raise bulletin_exists(taken)


@dataclass(frozen=True)
class Previous:
    """The current version as it stood before a new version was saved (a replaced draft is
    deleted, so what the diff needs is copied first)."""

    number: int
    status: str
    title: str
    source: str
    facts: tuple[FactDoc, ...]

    @classmethod
    def of(cls, version: BulletinVersion) -> Previous:
        """Copy what a comparison needs from ``version``."""
        return cls(version.number, version.status, version.title, version.source,
                   tuple(fact_doc(f) for f in version.facts))


@dataclass(frozen=True)
class NewVersion:
    """A saved new version and what changed from the current one."""

    version: BulletinVersion
    previous: Previous
    facts: FactsDiff
    lines: list[LineRow]


def compare_with(previous: Previous, doc_facts, source: str) -> tuple[FactsDiff, list[LineRow]]:
    """Facts and file lines changed from ``previous`` to a new text."""
    return diff_facts(list(previous.facts), list(doc_facts)), diff_lines(previous.source, source)


def check_id(slug: str, source_id: str) -> None:
    """A new version keeps its bulletin's id: refuse a source naming another one."""
    if source_id != slug:
        raise ServiceError("id_mismatch", source=source_id, slug=slug, field="source",
                           details={"bulletin": slug, "source_id": source_id})


def check_token(current: BulletinVersion, token: str | None) -> None:
    """Refuse a save from an editor that loaded an older state than ``current``."""
    if token is None or str(token).strip() == edit_token(current):
        return
    who = current.edited_by.name if current.edited_by else "someone"
    when = current.edited_at.strftime("%Y-%m-%d %H:%M UTC") if current.edited_at else "-"
    raise Conflict(
        "edit_conflict", slug=current.slug, n=current.number, r=current.revision, who=who,
        when=when, field="revision",
        details={"loaded": str(token), "current": edit_token(current),
                 "edited_by": current.edited_by.name if current.edited_by else None})


def new_version(slug: str, source: str, actor: User | None = None,
                token: str | None = None) -> NewVersion:
    """Save ``source`` as the next version of bulletin ``slug`` (a draft; an existing draft
    is revised), with its diff against the current version."""
    get_bulletin(slug)
    doc = parse_source(source)
    check_id(slug, doc.slug)
    with unit_of_work():
        _lock(slug)
        current = latest_version(slug)
        check_token(current, token)
        previous = Previous.of(current)
        version = save_draft(doc, actor=actor)
        facts, lines = compare_with(previous, [fact_doc(f) for f in version.facts], doc.source)
        return NewVersion(version, previous, facts, lines)


def discard_draft(slug: str, actor: User | None = None,
                  token: str | None = None) -> BulletinEvent:
    """Delete the draft version of ``slug`` and record it in the bulletin's history.

    A bulletin whose newest version is published has no draft: refused (``no_draft``),
    published versions are never deleted. A discarded first version removes the bulletin.
    """
    with unit_of_work():
        _lock(slug)
        draft = latest_version(slug)
        if draft.status != "draft":
            raise Conflict(
                "no_draft", slug=slug, n=draft.number, status=Problem(f"status_{draft.status}"),
                details={"version": draft.number, "status": draft.status})
        check_token(draft, token)
        event = BulletinEvent(slug=slug, kind="draft_discarded", number=draft.number,
                              title=draft.title, actor_id=actor.id if actor else None,
                              at=utcnow())
        db.session.add(event)
        audit_log.record("draft_discarded", actor=actor, at=event.at, bulletin=slug,
                         version=draft.number, title=draft.title)
        bulletin = draft.bulletin
        db.session.delete(draft)
        db.session.flush()
        db.session.expire(bulletin, ["versions"])
        if not bulletin.versions:
            db.session.delete(bulletin)
        return event


def first_publication(version: BulletinVersion) -> bool:
    """Whether no earlier version of the bulletin was ever published (no material/minor)."""
    return not any(v.status != "draft" for v in version.bulletin.versions
                   if v.number < version.number)


def check_change(version: BulletinVersion, change: str | None) -> None:
    """A first version is always material: a 'minor' one has nothing to carry over."""
    if change == "minor" and version.status == "draft" and first_publication(version):
        raise ServiceError("first_version", n=version.number, slug=version.slug,
                           field="change")


def _lock(slug: str) -> None:
    """Serialise writers of one bulletin (PostgreSQL row lock; SQLite writes one at a time)."""
    db.session.execute(select(Bulletin.id).where(Bulletin.slug == slug).with_for_update())


def touch(version: BulletinVersion, actor: User | None) -> None:
    """Record ``actor`` as the draft's last editor (an item edited, approved or written)."""
    if version.status == "draft" and actor is not None:
        version.edited_by_id, version.edited_at = actor.id, utcnow()


def drafts() -> list[BulletinVersion]:
    """Every unpublished draft version, the most recently edited first."""
    rows = db.session.scalars(select(BulletinVersion).where(BulletinVersion.status == "draft"))
    return sorted(rows, key=lambda v: v.edited_at or v.created_at, reverse=True)


def history(slug: str) -> list[BulletinEvent]:
    """What the bulletin's history records beyond its versions (discarded drafts)."""
    return list(db.session.scalars(
        select(BulletinEvent).where(BulletinEvent.slug == slug).order_by(BulletinEvent.at)))
