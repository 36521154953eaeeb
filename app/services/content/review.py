"""Trainers' review of generated items: edit, approve, retire."""

from __future__ import annotations

from app.core.extensions import db
from app.domain.bulletin.types import ITEM_KINDS, ITEM_STATUSES, OPTION_SOURCES, ContentError
from app.domain.generation import (
    coverage_problems,
    generate_items,
    generation_warnings,
    merge_regenerated,
)
from app.domain.interchange import dump_gift, dump_moodle_xml, parse_gift, parse_moodle_xml
from app.errors import Conflict, ServiceError
from app.models import BulletinVersion, Item, ItemOption
from app.models import Item as ItemRow
from app.services.content.bulletins import (
    generation_context,
    item_draft,
    parse_source,
    replace_items,
)

EDITABLE = ("stem", "explanation", "status", "options", "kind")


def update_item(item: Item, changes: dict) -> Item:
    """Apply a trainer's edit; a published version's items can only change status."""
    unknown = sorted(set(changes) - set(EDITABLE) - {"id", "fact"})
    if unknown:
        raise ServiceError("item_field_unknown", field=unknown[0], name=unknown[0],
                           fields=EDITABLE)
    published = item.version_id and _version_status(item) != "draft"
    if published and set(changes) - {"status", "id", "fact"}:
        raise Conflict("published_items_fixed")
    if "status" in changes:
        _set_status(item, changes["status"])
    for name in ("stem", "explanation"):
        if name in changes:
            _set_text(item, name, changes[name], required=name == "stem")
    if "kind" in changes:
        if changes["kind"] not in ITEM_KINDS:
            raise ServiceError("item_kind_invalid", field="kind", options=ITEM_KINDS)
        item.kind = changes["kind"]
    if "options" in changes:
        _set_options(item, changes["options"])
    if set(changes) - {"status", "id", "fact"}:
        item.edited = True
    return item


def _version_status(item: Item) -> str:
    return db.session.get(BulletinVersion, item.version_id).status


def _set_status(item: Item, status) -> None:
    if status not in ITEM_STATUSES:
        raise ServiceError("item_status_invalid", field="status", options=ITEM_STATUSES)
    item.status = status


def _set_text(item: Item, name: str, value, *, required: bool) -> None:
    if not isinstance(value, str) or (required and not value.strip()):
        raise ServiceError("item_text_required", field=name, name=name)
    setattr(item, name, value.strip())


def _set_options(item: Item, options) -> None:
    if not isinstance(options, list) or len(options) < 2:
        raise ServiceError("options_too_few", field="options")
    rows = []
    for n, option in enumerate(options):
        where = f"options[{n}]"
        if not isinstance(option, dict) or not str(option.get("text", "")).strip():
            raise ServiceError("option_text_required", field=where, n=n)
        source = option.get("source")
        if source is not None and source not in OPTION_SOURCES:
            raise ServiceError("option_source_invalid", field=where, n=n,
                               options=OPTION_SOURCES)
        rows.append(ItemOption(position=n, text=str(option["text"]).strip(),
                               correct=bool(option.get("correct")), source=source))
    if sum(o.correct for o in rows) != 1:
        raise ServiceError("options_one_correct", field="options")
    item.options = rows


def add_item(version, changes: dict) -> Item:
    """A hand-written item on one of the version's facts (a draft until approved)."""
    if version.status != "draft":
        raise Conflict("items_added_to_draft_only")
    fact = next((f for f in version.facts if f.key == changes.get("fact")), None)
    if fact is None:
        raise ServiceError("item_fact_not_in_bulletin", field="fact",
                           keys=[f.key for f in version.facts])
    taken = {i.key for i in version.items}
    number = 1
    while f"{fact.key}-h{number}" in taken:
        number += 1
    item = ItemRow(version_id=version.id, fact_id=fact.id, key=f"{fact.key}-h{number}",
                   kind="choice", stem="", status="draft", recipe="", edited=True,
                   position=len(version.items))
    item.fact = fact
    if not changes.get("options"):
        raise ServiceError("options_required", field="options")
    update_item(item, {"stem": "", **changes})
    version.items.append(item)
    return item


def regenerate(version) -> int:
    """Regenerate a draft's items; what a trainer edited, approved or wrote stays as it is."""
    if version.status != "draft":
        raise Conflict("regenerate_draft_only")
    doc = parse_source(version.source, version.slug)
    existing = [item_draft(i) for i in version.items]
    merged = merge_regenerated(existing, generate_items(doc, context=generation_context(doc)),
                               protected={i.key for i in version.items if i.edited})
    replace_items(version, merged, keep={i.key for i in version.items if i.edited})
    return len(merged)


def import_bank(version, text: str, filename: str, *, fact: str, fmt: str) -> tuple[list, list]:
    """Add a Moodle GIFT or XML question bank's items to a draft, all on one fact.

    Returns (items added, lines skipped with the reason); nothing is added on a format error.
    """
    if version.status != "draft":
        raise Conflict("import_draft_only")
    if fact not in {f.key for f in version.facts}:
        raise ServiceError("no_fact_in_version", field="fact", fact=fact, slug=version.slug)
    parse = parse_gift if fmt == "gift" else parse_moodle_xml
    result = parse(text, filename, fact=fact)
    taken = {i.key for i in version.items}
    fresh = [d for d in result.items if d.key not in taken]
    clashes = [d.key for d in result.items if d.key in taken]
    existing = [item_draft(i) for i in version.items]
    replace_items(version, existing + fresh, keep=taken)
    skipped = list(result.skipped) + [f"{filename}: item id '{k}' exists already" for k in clashes]
    return fresh, skipped


def export_bank(version, fmt: str) -> str:
    """The version's choice and true/false items as Moodle GIFT or XML text."""
    items = [item_draft(i) for i in version.items if i.status != "retired"]
    return dump_gift(items) if fmt == "gift" else dump_moodle_xml(items, category=version.slug)


def generation_advice(version, doc=None) -> list:
    """What the bulletin's author can add so its facts generate well (app/domain/generation/
    advice.py): facts without a choice item for want of not: values, long old values, yes/no
    labels that need ask=. Read from the version's items as they are now; ``doc`` is the
    version's parsed source when the caller has it (an import), else it is parsed here."""
    try:
        doc = doc or parse_source(version.source, version.slug)
    except ContentError:  # a skill or team removed since: the review page still shows
        return []
    return generation_warnings(doc, [item_draft(i) for i in version.items
                                      if i.status != "retired"])


def coverage_gaps(version) -> list:
    """Facts with too few items for retakes to draw fresh ones (2 of 2 kinds; 3 if critical)."""
    try:
        doc = parse_source(version.source, version.slug)
    except Exception:  # a skill or team removed since: the review page still shows
        return []
    return coverage_problems(doc, [item_draft(i) for i in version.items])
