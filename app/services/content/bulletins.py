"""Write, review and publish bulletins (rules 1, 2 and 5)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import gating
from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import BulletinDoc, ItemDraft, OptionDraft
from app.domain.bulletin.types import Fact as FactDoc
from app.domain.generation import FactIndex, GenerationContext, generate_items
from app.domain.markup import render_markdown
from app.domain.refusals import Problem
from app.errors import Conflict, NotFound, ServiceError
from app.models import (
    Bulletin,
    BulletinVersion,
    Fact,
    Item,
    ItemOption,
    Requirement,
    Skill,
    Team,
    User,
    agent_skills,
    utcnow,
)
from app.services.certification.assignments import assign_version
from app.services.certification.eligibility import recompute
from app.services.content import translations
from app.services.content.search_index import index_version
from app.services.integration.outbox import published_payload, record

CHANGES = ("material", "minor")


def parse_source(source: str, filename: str = "bulletin") -> BulletinDoc:
    """Parse and validate a bulletin file against the organisation's skills and teams."""
    skills = set(db.session.scalars(select(Skill.code)))
    teams = set(db.session.scalars(select(Team.code)))
    return parse_bulletin(source, filename, known_skills=skills, known_teams=teams)


def get_bulletin(slug: str) -> Bulletin:
    """The bulletin with this slug, or NotFound."""
    bulletin = db.session.scalar(select(Bulletin).where(Bulletin.slug == slug))
    if bulletin is None:
        raise NotFound("no_bulletin", field="slug", slug=slug)
    return bulletin


def latest_version(slug: str, *, published: bool = False) -> BulletinVersion:
    """The newest version of a bulletin (the newest published one if asked)."""
    query = select(BulletinVersion).join(Bulletin).where(Bulletin.slug == slug)
    if published:
        query = query.where(BulletinVersion.status == "published")
    version = db.session.scalar(query.order_by(BulletinVersion.number.desc()).limit(1))
    if version is None:
        raise NotFound("no_published_version" if published else "no_bulletin",
                       field="bulletin", slug=slug)
    return version


def save_draft(doc: BulletinDoc, *, items: list[ItemDraft] | None = None,
               published: FactIndex | None = None, actor: User | None = None) -> BulletinVersion:
    """Store ``doc`` as the bulletin's draft version, generating items unless given
    (``published``: the published facts, when the caller loaded them for many drafts;
    ``actor``: the trainer saving it, recorded as its last editor).

    An existing draft is replaced (its revision counter goes on); a published bulletin gets
    a new draft version whose items keep the reviewed items of the previous version where
    their fact is unchanged. Callers decide whether ``doc.slug`` may be a new version
    (app/services/content/drafts.py refuses an id that exists unless a new version is asked for).
    """
    bulletin = db.session.scalar(select(Bulletin).where(Bulletin.slug == doc.slug))
    if bulletin is None:
        bulletin = Bulletin(slug=doc.slug)
        db.session.add(bulletin)
        db.session.flush()
    newest = _newest(bulletin)
    draft = newest if newest is not None and newest.status == "draft" else None
    carried = {}
    if items is None:  # keep what a trainer reviewed, the replaced draft's edits winning
        carried = _reviewed_items(_newest(bulletin, status="published"), doc)
        carried.update(_reviewed_items(draft, doc))
    history = _history(draft, actor)
    if draft is not None:
        db.session.delete(draft)
        db.session.flush()
    number = (_newest(bulletin).number + 1) if _newest(bulletin) else 1
    version = _version_row(bulletin, doc, number)
    for name, value in history.items():
        setattr(version, name, value)
    facts = _fact_rows(version, doc)
    if items is None:
        items = generate_items(doc, context=generation_context(doc, published))
    generated = items
    keys = {d.key for d in generated}
    drafts = [carried.get(d.key, d) for d in generated]
    _item_rows(version, facts, drafts + [d for k, d in carried.items() if k not in keys])
    db.session.flush()
    return version


def _history(draft: BulletinVersion | None, actor: User | None) -> dict:
    """The draft history a new draft row takes over from the draft it replaces."""
    actor_id = actor.id if actor is not None else None
    return {"revision": draft.revision + 1 if draft else 1,
            "created_by_id": draft.created_by_id if draft else actor_id,
            "edited_by_id": actor_id, "edited_at": utcnow()}


def _newest(bulletin: Bulletin, status: str | None = None) -> BulletinVersion | None:
    query = select(BulletinVersion).where(BulletinVersion.bulletin_id == bulletin.id)
    if status:
        query = query.where(BulletinVersion.status == status)
    return db.session.scalar(query.order_by(BulletinVersion.number.desc()).limit(1))


def _version_row(bulletin: Bulletin, doc: BulletinDoc, number: int) -> BulletinVersion:
    version = BulletinVersion(
        bulletin=bulletin, number=number, status="draft", title=doc.title, lang=doc.lang,
        effective=doc.effective, deadline=doc.deadline, gate=doc.gate, skills=list(doc.skills),
        teams=list(doc.teams), critical=list(doc.critical), supersedes=list(doc.supersedes),
        time_limit_minutes=doc.time_limit_minutes, pass_mark=doc.pass_mark,
        recertify_after_days=doc.recertify_after_days, review=doc.review, source=doc.source,
        body_html=render_markdown(doc.body), translation_of=doc.translation_of,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _fact_rows(version: BulletinVersion, doc: BulletinDoc) -> dict[str, Fact]:
    rows = {}
    for position, fact in enumerate(doc.facts):
        rows[fact.key] = Fact(
            version_id=version.id, key=fact.key, label=fact.label, value=fact.value,
            type=fact.type, old_value=fact.old_value, not_values=list(fact.not_values),
            critical=fact.critical, position=position,
        )
        db.session.add(rows[fact.key])
    db.session.flush()
    return rows


def _item_rows(version: BulletinVersion, facts: dict[str, Fact], drafts) -> None:
    for position, draft in enumerate(drafts):
        fact = facts.get(draft.fact)
        if fact is None:
            raise ServiceError("item_fact_unknown", field="items", key=draft.key,
                               fact=draft.fact)
        item = Item(
            version_id=version.id, fact_id=fact.id, key=draft.key, kind=draft.kind,
            stem=draft.stem, explanation=draft.explanation, status=draft.status,
            recipe=draft.recipe, position=position,
        )
        item.options = [
            ItemOption(position=i, text=o.text, correct=o.correct, source=o.source)
            for i, o in enumerate(draft.options)
        ]
        db.session.add(item)


def item_draft(item: Item) -> ItemDraft:
    """A stored item in the quiz file's shape."""
    return ItemDraft(
        key=item.key, fact=item.fact.key, kind=item.kind, stem=item.stem,
        options=tuple(OptionDraft(o.text, o.correct, o.source) for o in item.options),
        explanation=item.explanation, status=item.status, recipe=item.recipe,
    )


def replace_items(version: BulletinVersion, drafts: list[ItemDraft], *, keep: set[str]) -> None:
    """Swap a draft version's items for ``drafts``, rows of keys in ``keep`` left untouched."""
    for item in list(version.items):
        if item.key not in keep:
            version.items.remove(item)
    db.session.flush()
    facts = {f.key: f for f in version.facts}
    _item_rows(version, facts, [d for d in drafts if d.key not in keep])
    db.session.flush()
    db.session.expire(version, ["items"])
    order = {d.key: n for n, d in enumerate(drafts)}
    for item in version.items:
        item.position = order.get(item.key, len(order))


def fact_doc(fact: Fact) -> FactDoc:
    """A stored fact as the domain sees it."""
    return FactDoc(
        key=fact.key, label=fact.label, value=fact.value, type=fact.type,
        old_value=fact.old_value, not_values=tuple(fact.not_values or ()),
        critical=fact.critical,
    )


def _reviewed_items(previous: BulletinVersion | None, doc: BulletinDoc) -> dict[str, ItemDraft]:
    """Items a trainer reviewed on the previous version whose fact did not change."""
    if previous is None:
        return {}
    return {
        item.key: item_draft(item) for item in previous.items
        if (item.edited or item.status != "draft")
        and _signature(doc.fact(item.fact.key)) == _signature(item.fact)
    }


def _signature(fact) -> tuple | None:
    if fact is None:
        return None
    return (fact.label, fact.value, fact.type, fact.old_value, tuple(fact.not_values or ()))


def published_facts() -> FactIndex:
    """Every published version's facts, indexed by type and label (with their bulletin)."""
    rows = db.session.execute(
        select(Bulletin.slug, Fact).join(BulletinVersion, Fact.version_id == BulletinVersion.id)
        .join(Bulletin).where(BulletinVersion.status == "published").order_by(Fact.id))
    return FactIndex.of((slug, fact_doc(fact)) for slug, fact in rows)


def generation_context(doc: BulletinDoc, published: FactIndex | None = None) -> GenerationContext:
    """Facts of other published bulletins, as distractors of the same type (``published``:
    :func:`published_facts` loaded already, to share among many drafts)."""
    return GenerationContext.around(published or published_facts(), doc.slug)


def create_draft(source: str, filename: str = "bulletin", *, actor: User | None = None,
                 check=None) -> BulletinVersion:
    """Parse, generate items and store a draft: the trainer's first step (``check(doc)``,
    in the same transaction before anything is written, may refuse it)."""
    doc = parse_source(source, filename)
    with unit_of_work():
        if check is not None:
            check(doc)
        return save_draft(doc, actor=actor)


def publish(version: BulletinVersion, change: str = "material",
            at: datetime | None = None) -> BulletinVersion:
    """Publish a draft: requirements, assignments and eligibility, in one transaction."""
    at = at or utcnow()
    if change not in CHANGES:
        raise ServiceError("change_invalid", field="change", value=repr(change))
    if version.status != "draft":
        raise Conflict("version_not_draft", n=version.number, slug=version.slug,
                       status=Problem(f"status_{version.status}"))
    _check_publishable(version)
    translation = translations.check_publish(version, change)
    previous = _newest(version.bulletin, status="published")
    version.change = change if previous else "material"
    version.lineage_id = previous.lineage_id if (previous and change == "minor") else version.id
    version.gate_at = gating.gate_at(
        effective=version.effective, deadline=version.deadline, gate=version.gate,
        tz=current_app.config["ONEVOICE_TIMEZONE"], published_at=at,
    )
    version.status, version.published_at = "published", at
    retire_from = max(at, version.gate_at)
    if translation:  # the same change as its original: no requirement of its own
        _retire_requirements([version.bulletin.slug], retire_from)
        record("bulletin.published", published_payload(version))
        index_version(version)
        return version
    _retire_requirements([version.bulletin.slug, *version.supersedes], retire_from)
    skills = db.session.scalars(select(Skill).where(Skill.code.in_(version.skills))).all()
    for skill in skills:
        db.session.add(Requirement(version_id=version.id, skill_id=skill.id,
                                   gate_at=version.gate_at))
    db.session.flush()
    agents = _agents_with_skills([s.id for s in skills] + _superseded_skill_ids(version))
    assign_version(version, agents, at)
    recompute(agents, cause="bulletin_published", at=at)
    record("bulletin.published", published_payload(version))
    index_version(version)  # the agent knowledge base finds it from now on
    return version


def _check_publishable(version: BulletinVersion) -> None:
    approved = [i for i in version.items if i.status == "approved"]
    if not approved:
        raise ServiceError("no_approved_items", field="items")
    covered = {i.fact.key for i in approved}
    lacking = [f.key for f in version.facts if f.critical and f.key not in covered]
    if lacking:
        raise ServiceError("critical_fact_uncovered", field="items", facts=lacking,
                           details={"facts": lacking})


def _retire_requirements(slugs: list[str], at: datetime) -> None:
    rows = db.session.scalars(
        select(Requirement).join(BulletinVersion).join(Bulletin)
        .where(Bulletin.slug.in_(slugs), Requirement.retired_at.is_(None))
    )
    for requirement in rows:
        requirement.retired_at = at


def _superseded_skill_ids(version: BulletinVersion) -> list[int]:
    if not version.supersedes:
        return []
    return list(db.session.scalars(
        select(Requirement.skill_id).join(BulletinVersion).join(Bulletin)
        .where(Bulletin.slug.in_(version.supersedes)).distinct()
    ))


def _agents_with_skills(skill_ids: list[int]) -> list[User]:
    return list(db.session.scalars(
        select(User).join(agent_skills, agent_skills.c.user_id == User.id)
        .where(agent_skills.c.skill_id.in_(skill_ids), User.role == "agent").distinct()
        .order_by(User.id)  # outbox events in a stable, per-agent order
    ))
